import { asm, Program } from '@progrun/syscall';

/** XDP_DROP and XDP_PASS. */
const RETVALS = { drop: 1, pass: 2 } as const;

/**
 * Loads the two-instruction XDP program `return <action>;`, the receive program of topology ends
 * (XDP_PASS or XDP_DROP). The caller owns and closes it.
 * @throws {BpfError} when the kernel refuses (EPERM without CAP_BPF).
 * @internal
 */
export function loadReceiveProgram(action: 'pass' | 'drop'): Program {
  return Program.load({
    type: 'XDP',
    instructions: asm.assemble([asm.mov64('r0', RETVALS[action]), asm.exit()]),
    license: 'GPL',
    name: `pr_xl_${action}`,
  });
}
