// Port of prog_tests/l4lb_all.c with progs/test_l4lb.c and test_l4lb_noinline.c: a SCHED_CLS L4 load balancer redirects the IPv4 and the IPv6 test
// vector to the configured real (MAGIC_VAL written into the packet) and counts them in per-CPU stats.
import { BpfObject } from '@progrun/syscall';
import { describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { configureLoadBalancer, MAGIC_VAL, NUM_ITER, vipStats } from './helpers/load-balancer.js';
import { MAGIC_BYTES, pktV4, pktV6 } from './helpers/network-packets.js';

const TC_ACT_REDIRECT = 7;

describe('l4lb_all', { tags: ['privileged'] }, () => {
  for (const [subtest, file] of [
    ['l4lb_inline', 'test_l4lb'],
    ['l4lb_noinline', 'test_l4lb_noinline'],
    // l4lb_noinline_dynptr is left out: Linux 6.18's verifier refuses its program's bpf_dynptr_slice_rdwr()
    // call ("bpf_dynptr_slice_rdwr() is not allowed"), a program of the 7.2.8 source.
  ]) {
    test(subtest!, async () => {
      using obj = BpfObject.open(await selftestObject(file!));
      obj.load();
      using prog = obj.program('balancer_ingress').toProgram();
      configureLoadBalancer(obj, { protocol: 6 });

      const v4 = prog.run({ data: pktV4(), dataSizeOut: 128, repeat: NUM_ITER });
      expect(v4.syscallReturn, 'test_run').toBe(0);
      expect(v4.retval, 'ipv4 test_run retval').toBe(TC_ACT_REDIRECT);
      expect(v4.dataOut?.length, 'ipv4 test_run data_size_out').toBe(54);
      expect(v4.dataOut?.readUInt32LE(0), 'ipv4 magic').toBe(MAGIC_VAL);

      const v6 = prog.run({ data: pktV6(), dataSizeOut: 128, repeat: NUM_ITER });
      expect(v6.syscallReturn, 'test_run').toBe(0);
      expect(v6.retval, 'ipv6 test_run retval').toBe(TC_ACT_REDIRECT);
      expect(v6.dataOut?.length, 'ipv6 test_run data_size_out').toBe(74);
      expect(v6.dataOut?.readUInt32LE(0), 'ipv6 magic').toBe(MAGIC_VAL);

      const { bytes, pkts } = vipStats(obj);
      expect(bytes, 'stats bytes').toBe(BigInt(MAGIC_BYTES * NUM_ITER * 2));
      expect(pkts, 'stats pkts').toBe(BigInt(NUM_ITER * 2));
    });
  }
});
