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
export {
  type AluOp,
  add32,
  add64,
  alu32,
  alu64,
  and32,
  and64,
  arsh32,
  arsh64,
  be,
  bswap,
  div32,
  div64,
  le,
  lsh32,
  lsh64,
  mod32,
  mod64,
  mov32,
  mov64,
  movsx32,
  movsx64,
  mul32,
  mul64,
  neg32,
  neg64,
  or32,
  or64,
  rsh32,
  rsh64,
  type Source,
  type SwapWidth,
  sdiv32,
  sdiv64,
  smod32,
  smod64,
  sub32,
  sub64,
  xor32,
  xor64,
} from './alu.js';
export { AsmError, type AsmField } from './asm-error.js';
export {
  assemble,
  INSN_SIZE,
  type Layout,
  layout,
  MAX_PROGRAM_SLOTS,
  type PlacedInstruction,
} from './assemble.js';
export { call, callLocal, exit } from './call.js';
export { decode, disassemble } from './disassemble.js';
export { type FormatOptions, formatInstruction, formatInstructionAt, formatProgram } from './format.js';
export { type HelperName, helperId, helperName } from './helpers.js';
export { ldImm64, ldMapFd, ldMapValue, type MapOperand } from './imm64.js';
export {
  type AsmItem,
  type Instruction,
  insn,
  isWide,
  type Label,
  LD_IMM64_CODE,
  label,
  type RawInstructionFields,
  usesPseudoSource,
} from './instruction.js';
export {
  type JumpOp,
  type JumpTarget,
  ja,
  jeq,
  jeq32,
  jge,
  jge32,
  jgt,
  jgt32,
  jle,
  jle32,
  jlt,
  jlt32,
  jmp,
  jmp32,
  jne,
  jne32,
  jset,
  jset32,
  jsge,
  jsge32,
  jsgt,
  jsgt32,
  jsle,
  jsle32,
  jslt,
  jslt32,
} from './jump.js';
export {
  type AtomicOp,
  atomic,
  atomicAdd,
  ldAbs,
  ldInd,
  ldx,
  ldxsx,
  type Size,
  sizeCode,
  st,
  stx,
} from './memory.js';
export {
  isRegister,
  MAX_REGISTER,
  R0,
  R1,
  R2,
  R3,
  R4,
  R5,
  R6,
  R7,
  R8,
  R9,
  R10,
  REGISTERS,
  type Register,
} from './registers.js';
export { explainVerifierLog, verifierErrorMessage, verifierErrorSlot } from './verifier-log.js';
