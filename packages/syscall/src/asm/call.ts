import { BPF_CALL, BPF_EXIT, BPF_JMP, BPF_PSEUDO_CALL, describeValue } from '@progrun/uapi';
import { AsmError } from './asm-error.js';
import { type HelperName, helperId } from './helpers.js';
import { type Instruction, insn } from './instruction.js';

/**
 * `call helper`: calls a kernel helper by name (`'map_lookup_elem'`, also accepted with a `bpf_` prefix)
 * or by id (`BPF_FUNC_*`). Arguments go in r1..r5, the result comes back in r0, and r1..r5 are clobbered.
 * Which helpers a program may call depends on its type; the verifier says so at load time.
 */
export function call(helper: HelperName | `bpf_${HelperName}` | number): Instruction {
  if (typeof helper === 'number') {
    if (!Number.isInteger(helper) || helper < 0 || helper > 0x7fffffff)
      throw new AsmError('imm', 'helper id must be an integer in [0, 2^31) (a BPF_FUNC_* value)', {
        detail: `got ${describeValue(helper)}`,
      });
    return insn({ code: BPF_JMP | BPF_CALL, imm: helper });
  }
  if (typeof helper !== 'string')
    throw new AsmError('imm', 'helper must be a BPF_FUNC_* name or id', {
      detail: `got ${describeValue(helper)}`,
    });
  const name = helper.startsWith('bpf_') ? helper.slice(4) : helper;
  const id = helperId(name);
  if (id === undefined)
    throw new AsmError('imm', `helper ${describeValue(helper)} is not a known BPF_FUNC_* name`);
  return insn({ code: BPF_JMP | BPF_CALL, imm: id });
}

/**
 * `call label`: a BPF-to-BPF call of a subprogram that starts at `label` (pseudo source BPF_PSEUDO_CALL,
 * Linux 4.16). The subprogram ends with its own `exit`. Loading needs BTF func info on some kernels for
 * some program types; plain calls work without.
 */
export function callLocal(target: string): Instruction {
  return insn({ code: BPF_JMP | BPF_CALL, src: BPF_PSEUDO_CALL, imm: target });
}

/** `exit`: returns r0 to the caller (the kernel, or the calling subprogram). */
export function exit(): Instruction {
  return insn({ code: BPF_JMP | BPF_EXIT });
}
