// Port of prog_tests/skb_load_bytes.c with progs/skb_load_bytes.c: bpf_skb_load_bytes at offset -1
// (as u32) fails with -EFAULT, at offset 10 succeeds; the offset and the result are globals.
import { BpfObject } from '@progrun/syscall';
import { encode, layouts } from '@progrun/uapi';
import { beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

const EFAULT = 14;

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('skb_load_bytes');
});

describe('skb_load_bytes', { tags: ['privileged'] }, () => {
  test('offset -1 is refused with -EFAULT, offset 10 loads', () => {
    using obj = BpfObject.open(objectPath).load();
    using prog = obj.program('skb_process').toProgram();
    const run = { data: pktV4(), ctx: encode(layouts.__sk_buff, {}) };

    obj.global('load_offset').set(0xffffffff);
    expect(prog.run(run).syscallReturn, 'bpf_prog_test_run_opts').toBe(0);
    expect(obj.global('test_result').get(), 'offset -1').toBe(-EFAULT);

    obj.global('load_offset').set(10);
    expect(prog.run(run).syscallReturn, 'bpf_prog_test_run_opts').toBe(0);
    expect(obj.global('test_result').get(), 'offset 10').toBe(0);
  });
});
