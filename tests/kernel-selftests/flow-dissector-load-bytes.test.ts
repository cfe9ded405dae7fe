// Port of prog_tests/flow_dissector_load_bytes.c: a FLOW_DISSECTOR program (instructions, as in the C
// file) calls bpf_skb_load_bytes, which a flow dissector run without an skb refuses; it returns BPF_OK
// when the helper fails, BPF_DROP when it succeeds.
import { asm, Program } from '@progrun/syscall';
import { layouts } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { pktV4 } from './helpers/network-packets.js';

const BPF_OK = 0;
const BPF_DROP = 2;

describe('flow_dissector_load_bytes', { tags: ['privileged'] }, () => {
  test('bpf_skb_load_bytes is not allowed from an skb-less context', () => {
    using prog = Program.load({
      type: 'FLOW_DISSECTOR',
      license: 'GPL',
      instructions: asm.assemble([
        asm.mov64('r2', 0), // offset: the first byte
        asm.mov64('r3', 'r10'),
        asm.add64('r3', -1), // destination: one byte on the stack
        asm.mov64('r4', 1), // copy one byte
        asm.call('skb_load_bytes'),
        asm.jne('r0', 0, 2),
        asm.mov64('r0', BPF_DROP), // ret == 0
        asm.exit(),
        asm.mov64('r0', BPF_OK), // ret != 0
        asm.exit(),
      ]),
    });
    expect(prog.fd, 'bpf_test_load_program good fd').toBeGreaterThanOrEqual(0);
    const flowKeysSize = layouts.bpf_flow_keys.size;
    const run = prog.run({ data: pktV4(), dataSizeOut: flowKeysSize, repeat: 1 });
    expect(run.syscallReturn, 'test_run').toBe(0);
    expect(run.dataOut?.length, 'test_run data_size_out').toBe(flowKeysSize);
    expect(run.retval, 'test_run retval').toBe(BPF_OK);
  });
});
