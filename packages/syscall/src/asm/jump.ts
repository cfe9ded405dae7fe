import {
  BPF_JA,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JLE,
  BPF_JLT,
  BPF_JMP,
  BPF_JMP32,
  BPF_JNE,
  BPF_JSET,
  BPF_JSGE,
  BPF_JSGT,
  BPF_JSLE,
  BPF_JSLT,
  BPF_K,
  BPF_X,
} from '@progrun/uapi';
import type { Source } from './alu.js';
import { type Instruction, insn } from './instruction.js';
import { isRegister, type Register } from './registers.js';
import { tableEntry } from './table-entry.js';

/**
 * Where a jump goes: a label name (resolved by {@link assemble}), or an offset in instruction slots
 * relative to the next instruction (`0` falls through).
 */
export type JumpTarget = string | number;

/** Conditional jumps: `==`, `>`, `>=`, `&`, `!=`, signed `s>`, `s>=`, `<`, `<=`, signed `s<`, `s<=`. */
export type JumpOp =
  | 'jeq'
  | 'jgt'
  | 'jge'
  | 'jset'
  | 'jne'
  | 'jsgt'
  | 'jsge'
  | 'jlt'
  | 'jle'
  | 'jslt'
  | 'jsle';

const JUMP_OPS: Readonly<Record<JumpOp, number>> = {
  jeq: BPF_JEQ,
  jgt: BPF_JGT,
  jge: BPF_JGE,
  jset: BPF_JSET,
  jne: BPF_JNE,
  jsgt: BPF_JSGT,
  jsge: BPF_JSGE,
  jlt: BPF_JLT,
  jle: BPF_JLE,
  jslt: BPF_JSLT,
  jsle: BPF_JSLE,
};

function conditional(cls: number, op: JumpOp, dst: Register, src: Source, target: JumpTarget): Instruction {
  const code = tableEntry(JUMP_OPS, 'op', op);
  if (isRegister(src)) return insn({ code: cls | code | BPF_X, dst, src, off: target });
  return insn({ code: cls | code | BPF_K, dst, off: target, imm: src });
}

/** `if dst <op> src goto target`, comparing 64-bit values (class BPF_JMP). */
export function jmp(op: JumpOp, dst: Register, src: Source, target: JumpTarget): Instruction {
  return conditional(BPF_JMP, op, dst, src, target);
}

/** `if wdst <op> wsrc goto target`, comparing the low 32 bits (class BPF_JMP32). Linux 5.1. */
export function jmp32(op: JumpOp, dst: Register, src: Source, target: JumpTarget): Instruction {
  return conditional(BPF_JMP32, op, dst, src, target);
}

/** `goto target`: unconditional jump. */
export function ja(target: JumpTarget): Instruction {
  return insn({ code: BPF_JMP | BPF_JA, off: target });
}

/** `if dst == src goto target` (64-bit). */
export const jeq = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp('jeq', dst, src, t);
/** `if wdst == wsrc goto target` (32-bit). */
export const jeq32 = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp32('jeq', dst, src, t);
/** `if dst != src goto target` (64-bit). */
export const jne = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp('jne', dst, src, t);
/** `if wdst != wsrc goto target` (32-bit). */
export const jne32 = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp32('jne', dst, src, t);
/** `if dst > src goto target`, unsigned (64-bit). */
export const jgt = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp('jgt', dst, src, t);
/** `if wdst > wsrc goto target`, unsigned (32-bit). */
export const jgt32 = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp32('jgt', dst, src, t);
/** `if dst >= src goto target`, unsigned (64-bit). */
export const jge = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp('jge', dst, src, t);
/** `if wdst >= wsrc goto target`, unsigned (32-bit). */
export const jge32 = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp32('jge', dst, src, t);
/** `if dst < src goto target`, unsigned (64-bit). */
export const jlt = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp('jlt', dst, src, t);
/** `if wdst < wsrc goto target`, unsigned (32-bit). */
export const jlt32 = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp32('jlt', dst, src, t);
/** `if dst <= src goto target`, unsigned (64-bit). */
export const jle = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp('jle', dst, src, t);
/** `if wdst <= wsrc goto target`, unsigned (32-bit). */
export const jle32 = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp32('jle', dst, src, t);
/** `if dst s> src goto target`, signed (64-bit). */
export const jsgt = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp('jsgt', dst, src, t);
/** `if wdst s> wsrc goto target`, signed (32-bit). */
export const jsgt32 = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp32('jsgt', dst, src, t);
/** `if dst s>= src goto target`, signed (64-bit). */
export const jsge = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp('jsge', dst, src, t);
/** `if wdst s>= wsrc goto target`, signed (32-bit). */
export const jsge32 = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp32('jsge', dst, src, t);
/** `if dst s< src goto target`, signed (64-bit). */
export const jslt = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp('jslt', dst, src, t);
/** `if wdst s< wsrc goto target`, signed (32-bit). */
export const jslt32 = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp32('jslt', dst, src, t);
/** `if dst s<= src goto target`, signed (64-bit). */
export const jsle = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp('jsle', dst, src, t);
/** `if wdst s<= wsrc goto target`, signed (32-bit). */
export const jsle32 = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp32('jsle', dst, src, t);
/** `if dst & src goto target` (64-bit). */
export const jset = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp('jset', dst, src, t);
/** `if wdst & wsrc goto target` (32-bit). */
export const jset32 = (dst: Register, src: Source, t: JumpTarget): Instruction => jmp32('jset', dst, src, t);
