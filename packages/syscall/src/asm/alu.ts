import {
  BPF_ADD,
  BPF_ALU,
  BPF_ALU64,
  BPF_AND,
  BPF_ARSH,
  BPF_DIV,
  BPF_END,
  BPF_K,
  BPF_LSH,
  BPF_MOD,
  BPF_MOV,
  BPF_MUL,
  BPF_NEG,
  BPF_OR,
  BPF_RSH,
  BPF_SUB,
  BPF_TO_BE,
  BPF_TO_LE,
  BPF_X,
  BPF_XOR,
} from '@progrun/uapi';
import { type Instruction, insn } from './instruction.js';
import { isRegister, type Register } from './registers.js';
import { tableEntry } from './table-entry.js';

/** An ALU source operand: a register, or an immediate (checked by {@link assemble}). */
export type Source = Register | number;

/**
 * Two-operand ALU operations. `sdiv` and `smod` are the signed forms (offset 1; Linux 6.6, cpuv4).
 */
export type AluOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'sdiv'
  | 'or'
  | 'and'
  | 'lsh'
  | 'rsh'
  | 'mod'
  | 'smod'
  | 'xor'
  | 'mov'
  | 'arsh';

const ALU_OPS: Readonly<Record<AluOp, { readonly op: number; readonly off: number }>> = {
  add: { op: BPF_ADD, off: 0 },
  sub: { op: BPF_SUB, off: 0 },
  mul: { op: BPF_MUL, off: 0 },
  div: { op: BPF_DIV, off: 0 },
  sdiv: { op: BPF_DIV, off: 1 },
  or: { op: BPF_OR, off: 0 },
  and: { op: BPF_AND, off: 0 },
  lsh: { op: BPF_LSH, off: 0 },
  rsh: { op: BPF_RSH, off: 0 },
  mod: { op: BPF_MOD, off: 0 },
  smod: { op: BPF_MOD, off: 1 },
  xor: { op: BPF_XOR, off: 0 },
  mov: { op: BPF_MOV, off: 0 },
  arsh: { op: BPF_ARSH, off: 0 },
};

function alu(cls: number, op: AluOp, dst: Register, src: Source): Instruction {
  const { op: code, off } = tableEntry(ALU_OPS, 'op', op);
  if (isRegister(src)) return insn({ code: cls | code | BPF_X, dst, src, off });
  return insn({ code: cls | code | BPF_K, dst, off, imm: src });
}

/** 64-bit `dst op= src` (class BPF_ALU64). An immediate must fit in a signed 32-bit integer. */
export function alu64(op: AluOp, dst: Register, src: Source): Instruction {
  return alu(BPF_ALU64, op, dst, src);
}

/**
 * 32-bit `dst op= src` on the low halves (class BPF_ALU); the result is zero-extended into 64 bits.
 * An immediate may be any value in [-2^31, 2^32).
 */
export function alu32(op: AluOp, dst: Register, src: Source): Instruction {
  return alu(BPF_ALU, op, dst, src);
}

/** `dst = src` (64-bit). */
export const mov64 = (dst: Register, src: Source): Instruction => alu64('mov', dst, src);
/** `wdst = wsrc` (32-bit, zero-extends). */
export const mov32 = (dst: Register, src: Source): Instruction => alu32('mov', dst, src);
/** `dst += src` (64-bit). */
export const add64 = (dst: Register, src: Source): Instruction => alu64('add', dst, src);
/** `wdst += wsrc` (32-bit). */
export const add32 = (dst: Register, src: Source): Instruction => alu32('add', dst, src);
/** `dst -= src` (64-bit). */
export const sub64 = (dst: Register, src: Source): Instruction => alu64('sub', dst, src);
/** `wdst -= wsrc` (32-bit). */
export const sub32 = (dst: Register, src: Source): Instruction => alu32('sub', dst, src);
/** `dst *= src` (64-bit). */
export const mul64 = (dst: Register, src: Source): Instruction => alu64('mul', dst, src);
/** `wdst *= wsrc` (32-bit). */
export const mul32 = (dst: Register, src: Source): Instruction => alu32('mul', dst, src);
/** `dst /= src`, unsigned (64-bit); division by zero yields 0. */
export const div64 = (dst: Register, src: Source): Instruction => alu64('div', dst, src);
/** `wdst /= wsrc`, unsigned (32-bit). */
export const div32 = (dst: Register, src: Source): Instruction => alu32('div', dst, src);
/** `dst s/= src`, signed (64-bit). Linux 6.6 (cpuv4). */
export const sdiv64 = (dst: Register, src: Source): Instruction => alu64('sdiv', dst, src);
/** `wdst s/= wsrc`, signed (32-bit). Linux 6.6 (cpuv4). */
export const sdiv32 = (dst: Register, src: Source): Instruction => alu32('sdiv', dst, src);
/** `dst %= src`, unsigned (64-bit); modulo by zero leaves dst unchanged. */
export const mod64 = (dst: Register, src: Source): Instruction => alu64('mod', dst, src);
/** `wdst %= wsrc`, unsigned (32-bit). */
export const mod32 = (dst: Register, src: Source): Instruction => alu32('mod', dst, src);
/** `dst s%= src`, signed (64-bit). Linux 6.6 (cpuv4). */
export const smod64 = (dst: Register, src: Source): Instruction => alu64('smod', dst, src);
/** `wdst s%= wsrc`, signed (32-bit). Linux 6.6 (cpuv4). */
export const smod32 = (dst: Register, src: Source): Instruction => alu32('smod', dst, src);
/** `dst |= src` (64-bit). */
export const or64 = (dst: Register, src: Source): Instruction => alu64('or', dst, src);
/** `wdst |= wsrc` (32-bit). */
export const or32 = (dst: Register, src: Source): Instruction => alu32('or', dst, src);
/** `dst &= src` (64-bit). */
export const and64 = (dst: Register, src: Source): Instruction => alu64('and', dst, src);
/** `wdst &= wsrc` (32-bit). */
export const and32 = (dst: Register, src: Source): Instruction => alu32('and', dst, src);
/** `dst ^= src` (64-bit). */
export const xor64 = (dst: Register, src: Source): Instruction => alu64('xor', dst, src);
/** `wdst ^= wsrc` (32-bit). */
export const xor32 = (dst: Register, src: Source): Instruction => alu32('xor', dst, src);
/** `dst <<= src` (64-bit). */
export const lsh64 = (dst: Register, src: Source): Instruction => alu64('lsh', dst, src);
/** `wdst <<= wsrc` (32-bit). */
export const lsh32 = (dst: Register, src: Source): Instruction => alu32('lsh', dst, src);
/** `dst >>= src`, logical (64-bit). */
export const rsh64 = (dst: Register, src: Source): Instruction => alu64('rsh', dst, src);
/** `wdst >>= wsrc`, logical (32-bit). */
export const rsh32 = (dst: Register, src: Source): Instruction => alu32('rsh', dst, src);
/** `dst s>>= src`, arithmetic (64-bit). */
export const arsh64 = (dst: Register, src: Source): Instruction => alu64('arsh', dst, src);
/** `wdst s>>= wsrc`, arithmetic (32-bit). */
export const arsh32 = (dst: Register, src: Source): Instruction => alu32('arsh', dst, src);

/** `dst = -dst` (64-bit). */
export function neg64(dst: Register): Instruction {
  return insn({ code: BPF_ALU64 | BPF_NEG | BPF_K, dst });
}

/** `wdst = -wdst` (32-bit). */
export function neg32(dst: Register): Instruction {
  return insn({ code: BPF_ALU | BPF_NEG | BPF_K, dst });
}

/** `dst = (s8|s16|s32) src`: move with sign extension (64-bit). Linux 6.6 (cpuv4). */
export function movsx64(dst: Register, src: Register, bits: 8 | 16 | 32): Instruction {
  return insn({ code: BPF_ALU64 | BPF_MOV | BPF_X, dst, src, off: bits });
}

/** `wdst = (s8|s16) wsrc`: move with sign extension (32-bit). Linux 6.6 (cpuv4). */
export function movsx32(dst: Register, src: Register, bits: 8 | 16): Instruction {
  return insn({ code: BPF_ALU | BPF_MOV | BPF_X, dst, src, off: bits });
}

/** Widths the byte-order instructions take. */
export type SwapWidth = 16 | 32 | 64;

/** `dst = htole<bits>(dst)`: to little endian, truncating to `bits` (a no-op swap on x86-64). */
export function le(dst: Register, bits: SwapWidth): Instruction {
  return insn({ code: BPF_ALU | BPF_END | BPF_TO_LE, dst, imm: bits });
}

/** `dst = htobe<bits>(dst)`: to big endian (network order), truncating to `bits`. */
export function be(dst: Register, bits: SwapWidth): Instruction {
  return insn({ code: BPF_ALU | BPF_END | BPF_TO_BE, dst, imm: bits });
}

/** `dst = bswap<bits>(dst)`: unconditional byte swap (class BPF_ALU64). Linux 6.6 (cpuv4). */
export function bswap(dst: Register, bits: SwapWidth): Instruction {
  return insn({ code: BPF_ALU64 | BPF_END | BPF_TO_LE, dst, imm: bits });
}
