// Port of prog_tests/xdp.c with progs/test_xdp.c: an IP-in-IP tunnel encapsulator found through the
// typed vip2tnl map; both the IPv4 and the IPv6 test vector come back encapsulated with XDP_TX.
import { BpfObject } from '@progrun/syscall';
import { beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4, pktV6 } from './helpers/network-packets.js';

const AF_INET = 2;
const AF_INET6 = 10;
const XDP_TX = 3;
const IPPROTO_IPIP = 4;
const IPPROTO_IPV6 = 41;
const ETH_HLEN = 14;

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('test_xdp');
});

describe('xdp', { tags: ['privileged'] }, () => {
  test('IPv4 and IPv6 packets are encapsulated and sent back', () => {
    using obj = BpfObject.open(objectPath).load();
    using prog = obj.program('_xdp_tx_iptunnel').toProgram();
    using vip2tnlMap = obj.map('vip2tnl').toMap();
    const vip2tnl = vip2tnlMap.typed();
    vip2tnl.set({ protocol: 6, family: AF_INET }, { family: AF_INET });
    vip2tnl.set({ protocol: 6, family: AF_INET6 }, { family: AF_INET6 });

    const v4 = prog.run({ data: pktV4(), dataSizeOut: 128, repeat: 1 });
    expect(v4.syscallReturn, 'test_run').toBe(0);
    expect(v4.retval, 'ipv4 test_run retval').toBe(XDP_TX);
    expect(v4.dataOut?.length, 'ipv4 test_run data_size_out').toBe(74);
    expect(v4.dataOut?.[ETH_HLEN + 9], 'ipv4 test_run iph.protocol').toBe(IPPROTO_IPIP);

    const v6 = prog.run({ data: pktV6(), dataSizeOut: 128, repeat: 1 });
    expect(v6.syscallReturn, 'test_run').toBe(0);
    expect(v6.retval, 'ipv6 test_run retval').toBe(XDP_TX);
    expect(v6.dataOut?.length, 'ipv6 test_run data_size_out').toBe(114);
    expect(v6.dataOut?.[ETH_HLEN + 6], 'ipv6 test_run iph6.nexthdr').toBe(IPPROTO_IPV6);
  });
});
