// Port of prog_tests/skb_helpers.c with progs/test_skb_helpers.c: a SCHED_CLS program reads the current
// task's tgid and comm through bpf_probe_read_kernel(_str), run with an __sk_buff ctx in and out.
import { BpfObject } from '@progrun/syscall';
import { encode, layouts } from '@progrun/uapi';
import { beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('test_skb_helpers');
});

describe('skb_helpers', { tags: ['privileged'] }, () => {
  test('the run succeeds with ctx_in and ctx_out', () => {
    using obj = BpfObject.open(objectPath).load();
    using prog = obj.program('test_skb_helpers').toProgram();
    const skb = encode(layouts.__sk_buff, { wire_len: 100, gso_segs: 8, gso_size: 10 });
    const { syscallReturn } = prog.run({ data: pktV4(), ctx: skb, ctxSizeOut: skb.length });
    expect(syscallReturn, 'test_run').toBe(0);
  });
});
