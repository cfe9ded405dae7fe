// Port of prog_tests/xdp_noinline.c with progs/test_xdp_noinline.c: an XDP L4 load balancer built of
// non-inlined functions encapsulates the IPv4 and the IPv6 test vector towards the configured real
// (MAGIC_VAL written into the packet) and counts them in per-CPU stats.
import { BpfObject } from '@progrun/syscall';
import { beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { configureLoadBalancer, MAGIC_VAL, NUM_ITER, vipStats } from './helpers/load-balancer.js';
import { MAGIC_BYTES, pktV4, pktV6 } from './helpers/network-packets.js';

const XDP_DROP = 1;

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('test_xdp_noinline');
});

describe('xdp_noinline', { tags: ['privileged'] }, () => {
  test('both balancers reach the real and count the packets', () => {
    using obj = BpfObject.open(objectPath).load();
    configureLoadBalancer(obj, { proto: 6 });
    using v4Prog = obj.program('balancer_ingress_v4').toProgram();
    using v6Prog = obj.program('balancer_ingress_v6').toProgram();

    const v4 = v4Prog.run({ data: pktV4(), dataSizeOut: 128, repeat: NUM_ITER });
    expect(v4.syscallReturn, 'ipv4 test_run').toBe(0);
    expect(v4.retval, 'ipv4 test_run retval').toBe(XDP_DROP);
    expect(v4.dataOut?.length, 'ipv4 test_run data_size_out').toBe(54);
    expect(v4.dataOut?.readUInt32LE(0), 'ipv4 test_run magic').toBe(MAGIC_VAL);

    const v6 = v6Prog.run({ data: pktV6(), dataSizeOut: 128, repeat: NUM_ITER });
    expect(v6.syscallReturn, 'ipv6 test_run').toBe(0);
    expect(v6.retval, 'ipv6 test_run retval').toBe(XDP_DROP);
    expect(v6.dataOut?.length, 'ipv6 test_run data_size_out').toBe(74);
    expect(v6.dataOut?.readUInt32LE(0), 'ipv6 test_run magic').toBe(MAGIC_VAL);

    const { bytes, pkts } = vipStats(obj, { bytes: 'v2', pkts: 'v1' });
    expect(bytes, 'stats bytes').toBe(BigInt(MAGIC_BYTES * NUM_ITER * 2));
    expect(pkts, 'stats pkts').toBe(BigInt(NUM_ITER * 2));
  });
});
