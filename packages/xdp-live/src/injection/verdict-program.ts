import { asm, Program } from '@progrun/syscall';
import type { XdpAction } from '../stats/xdp-action.js';

const RETVALS: Record<Exclude<XdpAction, 'invalid'>, number> = {
  aborted: 0,
  drop: 1,
  pass: 2,
  tx: 3,
  redirect: 4,
};

/**
 * Loads the two-instruction XDP program `return <action>;`: the live-mode probe (XDP_DROP) and the
 * receive program of topology peers (XDP_PASS). The caller owns and closes it.
 * @throws {BpfError} when the kernel refuses (EPERM without CAP_BPF).
 * @internal
 */
export function loadVerdictProgram(action: Exclude<XdpAction, 'invalid'>): Program {
  return Program.load({
    type: 'XDP',
    instructions: asm.assemble([asm.mov64('r0', RETVALS[action]), asm.exit()]),
    license: 'GPL',
    name: `pr_xl_${action}`,
  });
}
