import {
  BPF_ABS,
  BPF_ADD,
  BPF_AND,
  BPF_ATOMIC,
  BPF_B,
  BPF_CMPXCHG,
  BPF_DW,
  BPF_FETCH,
  BPF_H,
  BPF_IND,
  BPF_LD,
  BPF_LDX,
  BPF_MEM,
  BPF_MEMSX,
  BPF_OR,
  BPF_ST,
  BPF_STX,
  BPF_W,
  BPF_XCHG,
  BPF_XOR,
} from '@progrun/uapi';
import { AsmError } from './asm-error.js';
import { type Instruction, insn } from './instruction.js';
import type { Register } from './registers.js';
import { tableEntry } from './table-entry.js';

/** Access widths: 1, 2, 4 and 8 bytes. */
export type Size = 'u8' | 'u16' | 'u32' | 'u64';

const SIZES: Readonly<Record<Size, number>> = { u8: BPF_B, u16: BPF_H, u32: BPF_W, u64: BPF_DW };

/** The size bits of a width; throws AsmError for an unknown width. */
export function sizeCode(size: Size): number {
  return tableEntry(SIZES, 'size', size);
}

/** `dst = *(size *)(src + off)`: load from memory, zero-extended. */
export function ldx(size: Size, dst: Register, src: Register, off: number): Instruction {
  return insn({ code: BPF_LDX | BPF_MEM | sizeCode(size), dst, src, off });
}

/** `dst = *(s8|s16|s32 *)(src + off)`: load from memory, sign-extended. Linux 6.6 (cpuv4). */
export function ldxsx(size: 'u8' | 'u16' | 'u32', dst: Register, src: Register, off: number): Instruction {
  if (size === ('u64' as Size))
    throw new AsmError('size', 'must be u8, u16 or u32 for a sign-extending load');
  return insn({ code: BPF_LDX | BPF_MEMSX | sizeCode(size), dst, src, off });
}

/** `*(size *)(dst + off) = src`: store a register. */
export function stx(size: Size, dst: Register, src: Register, off: number): Instruction {
  return insn({ code: BPF_STX | BPF_MEM | sizeCode(size), dst, src, off });
}

/** `*(size *)(dst + off) = imm`: store an immediate (sign-extended to the width). */
export function st(size: Size, dst: Register, off: number, imm: number): Instruction {
  return insn({ code: BPF_ST | BPF_MEM | sizeCode(size), dst, off, imm });
}

/**
 * Atomic read-modify-write operations on `*(size *)(dst + off)` with `src`:
 * `add`, `or`, `and`, `xor` (no result); the `fetch_*` forms also return the old value in `src`;
 * `xchg` swaps; `cmpxchg` compares with r0 and stores `src` if equal, r0 receiving the old value.
 */
export type AtomicOp =
  | 'add'
  | 'or'
  | 'and'
  | 'xor'
  | 'fetch_add'
  | 'fetch_or'
  | 'fetch_and'
  | 'fetch_xor'
  | 'xchg'
  | 'cmpxchg';

const ATOMIC_OPS: Readonly<Record<AtomicOp, number>> = {
  add: BPF_ADD,
  or: BPF_OR,
  and: BPF_AND,
  xor: BPF_XOR,
  fetch_add: BPF_ADD | BPF_FETCH,
  fetch_or: BPF_OR | BPF_FETCH,
  fetch_and: BPF_AND | BPF_FETCH,
  fetch_xor: BPF_XOR | BPF_FETCH,
  xchg: BPF_XCHG,
  cmpxchg: BPF_CMPXCHG,
};

/**
 * Atomic operation on memory (class BPF_STX, mode BPF_ATOMIC). `add` is Linux 4.x (XADD); the others
 * Linux 5.12. Only 32- and 64-bit widths exist.
 */
export function atomic(
  op: AtomicOp,
  size: 'u32' | 'u64',
  dst: Register,
  src: Register,
  off: number,
): Instruction {
  const imm = tableEntry(ATOMIC_OPS, 'op', op);
  if (size !== 'u32' && size !== 'u64')
    throw new AsmError('size', 'must be u32 or u64 for an atomic operation');
  return insn({ code: BPF_STX | BPF_ATOMIC | sizeCode(size), dst, src, off, imm });
}

/** `lock *(size *)(dst + off) += src`: the classic atomic add. */
export function atomicAdd(size: 'u32' | 'u64', dst: Register, src: Register, off: number): Instruction {
  return atomic('add', size, dst, src, off);
}

/**
 * `r0 = ntoh(*(size *)(skb->data + imm))`: legacy packet load (socket filters and classic-BPF style
 * programs); implicitly reads the context in r6. 64-bit loads do not exist in this mode.
 */
export function ldAbs(size: 'u8' | 'u16' | 'u32', imm: number): Instruction {
  return insn({ code: BPF_LD | BPF_ABS | sizeCode(size), imm });
}

/** `r0 = ntoh(*(size *)(skb->data + src + imm))`: legacy indirect packet load, like {@link ldAbs}. */
export function ldInd(size: 'u8' | 'u16' | 'u32', src: Register, imm: number): Instruction {
  return insn({ code: BPF_LD | BPF_IND | sizeCode(size), src, imm });
}
