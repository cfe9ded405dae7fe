import { BPF_CALL, BPF_DW, BPF_IMM, BPF_JMP, BPF_LD, describeValue } from '@progrun/uapi';
import { AsmError } from './asm-error.js';
import type { Register } from './registers.js';

/**
 * One BPF instruction before assembly. Fields are kept as written so that {@link assemble} can validate
 * them and name the offending instruction's index; the builders (`mov64`, `jeq`, `ldx`...) fill them in.
 *
 * A wide instruction (`BPF_LD | BPF_IMM | BPF_DW`, see {@link ldImm64}) occupies two 8-byte slots and
 * carries its whole 64-bit immediate in `imm`.
 */
export interface Instruction {
  readonly kind: 'insn';
  /** The opcode byte: class | size/mode or class | op | source. */
  readonly code: number;
  /** Destination register, by name or number (0..10). */
  readonly dst: Register | number;
  /** Source register (0..10), or for wide loads and calls the pseudo source (0..15). */
  readonly src: Register | number;
  /** Signed 16-bit offset; for jumps a label name, resolved to a relative offset by {@link assemble}. */
  readonly off: number | string;
  /**
   * Immediate: a signed 32-bit value (32-bit operations also accept [2^31, 2^32) as its bit pattern);
   * for wide loads a 64-bit value (number or bigint); for local calls a label name.
   */
  readonly imm: number | bigint | string;
}

/** A label: names the position of the next instruction, as a jump or local-call target. */
export interface Label {
  readonly kind: 'label';
  readonly name: string;
}

/** What a program listing holds: instructions and the labels between them. */
export type AsmItem = Instruction | Label;

/** The fields of a raw instruction; omitted ones are 0. */
export interface RawInstructionFields {
  readonly code: number;
  readonly dst?: Register | number;
  readonly src?: Register | number;
  readonly off?: number | string;
  readonly imm?: number | bigint | string;
}

/**
 * A raw instruction from its fields, for encodings the named builders do not cover.
 * Validated by {@link assemble} like any other.
 * @throws {AsmError} when `fields` is not an object.
 */
export function insn(fields: RawInstructionFields): Instruction {
  if (typeof fields !== 'object' || fields === null)
    throw new AsmError('code', 'must be given in an object of fields (code, dst, src, off, imm)', {
      detail: `got ${describeValue(fields)}`,
    });
  return {
    kind: 'insn',
    code: fields.code,
    dst: fields.dst ?? 0,
    src: fields.src ?? 0,
    off: fields.off ?? 0,
    imm: fields.imm ?? 0,
  };
}

/** A label marking the next instruction; names must be unique within a program. */
export function label(name: string): Label {
  return { kind: 'label', name };
}

/** The opcode of the two-slot 64-bit immediate load. */
export const LD_IMM64_CODE = BPF_LD | BPF_IMM | BPF_DW;

/** Whether an opcode is the two-slot 64-bit immediate load. */
export function isWide(code: number): boolean {
  return code === LD_IMM64_CODE;
}

/** Whether an opcode's source field holds a pseudo source (wide loads, calls) rather than a register. */
export function usesPseudoSource(code: number): boolean {
  return code === LD_IMM64_CODE || code === (BPF_JMP | BPF_CALL);
}
