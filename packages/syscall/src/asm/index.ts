/**
 * A small BPF assembler: typed instruction builders, labels, encoding to `struct bpf_insn` bytes, and a
 * disassembler that prints programs the way the verifier log does.
 *
 * @example
 * ```ts
 * import { asm } from '@progrun/syscall';
 * const bytes = asm.assemble([
 *   asm.mov64('r0', 2), // XDP_PASS
 *   asm.exit(),
 * ]);
 * ```
 */
export * from './alu.js';
export * from './asm-error.js';
export { assemble, INSN_SIZE, type Layout, layout, type PlacedInstruction } from './assemble.js';
export * from './call.js';
export { decode, disassemble } from './disassemble.js';
export { type FormatOptions, formatInstruction, formatInstructionAt, formatProgram } from './format.js';
export { type HelperName, helperId, helperName } from './helpers.js';
export * from './imm64.js';
export * from './instruction.js';
export * from './jump.js';
export * from './memory.js';
export * from './registers.js';
export { explainVerifierLog, verifierErrorMessage, verifierErrorSlot } from './verifier-log.js';
