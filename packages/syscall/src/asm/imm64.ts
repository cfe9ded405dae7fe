import { BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE } from '@progrun/uapi';
import { AsmError } from './asm-error.js';
import { type Instruction, insn, LD_IMM64_CODE } from './instruction.js';
import type { Register } from './registers.js';

/** A map as an instruction operand: its fd, or any object holding one (a `BpfMap`). */
export type MapOperand = number | { readonly fd: number };

function mapFd(map: MapOperand): number {
  let fd: unknown;
  try {
    fd = typeof map === 'number' ? map : map?.fd;
  } catch {
    // A Proxy around a BpfMap: its getter cannot reach the map's private fd.
    fd = undefined;
  }
  if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff)
    throw new AsmError('imm', 'map must be an open map fd (an integer in [0, 2^31)) or an object with one');
  return fd;
}

/**
 * `dst = imm64`: loads a 64-bit constant; takes two instruction slots. Numbers must be safe integers;
 * bigints may be any value in [-2^63, 2^64).
 */
export function ldImm64(dst: Register, value: bigint | number): Instruction {
  return insn({ code: LD_IMM64_CODE, dst, imm: value });
}

/**
 * `dst = map`: loads a map pointer from a map fd (pseudo source BPF_PSEUDO_MAP_FD), as the first argument
 * of the map helpers. The kernel replaces the fd with the map at load time; the fd must stay open until the
 * program is loaded. Two slots.
 */
export function ldMapFd(dst: Register, map: MapOperand): Instruction {
  return insn({ code: LD_IMM64_CODE, dst, src: BPF_PSEUDO_MAP_FD, imm: mapFd(map) });
}

/**
 * `dst = &map_value[0] + offset`: loads the address of an array map's single value directly (pseudo
 * source BPF_PSEUDO_MAP_VALUE, Linux 5.2), as global data does. Two slots.
 */
export function ldMapValue(dst: Register, map: MapOperand, offset = 0): Instruction {
  if (!Number.isInteger(offset) || offset < 0 || offset > 0xffffffff)
    throw new AsmError('imm', 'map value offset must be an integer in [0, 2^32)');
  return insn({
    code: LD_IMM64_CODE,
    dst,
    src: BPF_PSEUDO_MAP_VALUE,
    imm: (BigInt(offset) << 32n) | BigInt(mapFd(map)),
  });
}
