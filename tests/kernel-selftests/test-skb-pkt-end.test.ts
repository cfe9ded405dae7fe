// Port of prog_tests/test_skb_pkt_end.c with progs/skb_pkt_end.c: a SCHED_CLS program whose packet-end
// check the verifier must track through a helper call returns the TCP urg_ptr (123), run with
// BPF_F_TEST_SKB_CHECKSUM_COMPLETE so that its bpf_skb_store_bytes recomputes a CHECKSUM_COMPLETE sum.
import { BpfObject, kernelOlderThan } from '@progrun/syscall';
import { BPF_F_TEST_SKB_CHECKSUM_COMPLETE } from '@progrun/uapi';
import { beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('skb_pkt_end');
});

describe('test_skb_pkt_end', { tags: ['privileged'] }, () => {
  test.skipIf(kernelOlderThan('6.11'))(
    'the run returns the urg_ptr (needs BPF_F_TEST_SKB_CHECKSUM_COMPLETE, Linux 6.11)',
    () => {
      using obj = BpfObject.open(objectPath).load();
      using prog = obj.program('main_prog').toProgram();
      const run = prog.run({ data: pktV4(), repeat: 1, flags: BPF_F_TEST_SKB_CHECKSUM_COMPLETE });
      expect(run.syscallReturn, 'test_run').toBe(0);
      expect(run.retval, 'test_run retval').toBe(123);
    },
  );
});
