import {
  BPF_ALU,
  BPF_CALL,
  BPF_EXIT,
  BPF_JMP,
  BPF_JMP32,
  BPF_PSEUDO_CALL,
  describeValue,
} from '@progrun/uapi';
import { AsmError, type AsmField } from './asm-error.js';
import { type AsmItem, type Instruction, isWide, usesPseudoSource } from './instruction.js';
import { isRegister, MAX_REGISTER, REGISTERS } from './registers.js';

/** Size of one instruction slot (`struct bpf_insn`) in bytes. */
export const INSN_SIZE = 8;

/** An instruction with every field resolved to its encoded number, at its slot. */
export interface PlacedInstruction {
  readonly slot: number;
  /** Position in the input list (labels count). */
  readonly index: number;
  readonly code: number;
  readonly dst: number;
  readonly src: number;
  readonly off: number;
  /** For wide loads the 64-bit value as a bigint, otherwise the signed 32-bit immediate. */
  readonly imm: number | bigint;
}

/** A program with labels resolved: placed instructions, and each label's slot. */
export interface Layout {
  readonly instructions: readonly PlacedInstruction[];
  readonly labels: ReadonlyMap<string, number>;
  /** Number of 8-byte slots. */
  readonly slots: number;
}

const S16 = { min: -0x8000, max: 0x7fff };
const S32 = { min: -0x80000000, max: 0x7fffffff };

/** The class of a jump that uses `off` as a branch offset (everything in JMP/JMP32 but call and exit). */
function isBranch(code: number): boolean {
  const cls = code & 0x07;
  if (cls !== BPF_JMP && cls !== BPF_JMP32) return false;
  const op = code & 0xf0;
  return op !== BPF_CALL && op !== BPF_EXIT;
}

class Checker {
  constructor(
    private readonly index: number,
    private readonly slot: number,
  ) {}

  fail(field: AsmField, rule: string, detail?: string): never {
    throw new AsmError(field, rule, { index: this.index, slot: this.slot, detail });
  }

  register(field: 'dst' | 'src', value: unknown, max: number): number {
    if (isRegister(value)) return REGISTERS.indexOf(value);
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max) return value;
    const rule =
      max === MAX_REGISTER ? 'must be a register r0..r10' : `must be a register r0..r10 or 0..${max}`;
    return this.fail(field, rule, `got ${describeValue(value)}`);
  }

  integer(field: AsmField, value: unknown, min: number, max: number, rule: string): number {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    return this.fail(field, rule, `got ${describeValue(value)}`);
  }
}

/**
 * The most instruction slots a program may have: the kernel's BPF_COMPLEXITY_LIMIT_INSNS (1 million,
 * the largest program a privileged loader may pass since Linux 5.2). Inputs are checked against it before
 * any per-instruction work.
 */
export const MAX_PROGRAM_SLOTS = 1_000_000;

/**
 * A copy of the listing as a plain array, its length read once and bounded first: an array-like Proxy
 * claiming 2^32-1 items is refused, not walked.
 */
function programItems(program: unknown): readonly AsmItem[] {
  if (!Array.isArray(program))
    throw new AsmError('code', 'program must be an array of instructions and labels');
  const length: unknown = program.length;
  if (typeof length !== 'number' || length > MAX_PROGRAM_SLOTS * 2)
    throw new AsmError('code', `program must hold at most ${MAX_PROGRAM_SLOTS} instructions`, {
      detail: `got ${describeValue(length)} items`,
    });
  return Array.prototype.slice.call(program, 0, length) as AsmItem[];
}

/**
 * Lays a program out: assigns slots (wide loads take two), resolves labels to relative offsets and checks
 * every field. Throws {@link AsmError} naming the instruction's index and the rule it breaks.
 */
export function layout(program: readonly AsmItem[]): Layout {
  const items = programItems(program);
  const labels = new Map<string, number>();
  const slots: number[] = [];
  let slot = 0;
  items.forEach((item, index) => {
    if (item?.kind === 'label') {
      if (typeof item.name !== 'string' || item.name === '')
        throw new AsmError('label', 'name must be a non-empty string', { index });
      if (labels.has(item.name))
        throw new AsmError('label', `'${item.name}' is defined twice`, { index, slot });
      labels.set(item.name, slot);
      slots.push(slot);
      return;
    }
    if (item?.kind !== 'insn')
      throw new AsmError('code', 'must be an instruction or a label (from the asm builders)', { index });
    slots.push(slot);
    slot += isWide(item.code) ? 2 : 1;
  });
  const total = slot;

  const target = (check: Checker, field: AsmField, name: string, at: number): number => {
    const to = labels.get(name);
    if (to === undefined) return check.fail(field, `refers to unknown label '${name}'`);
    if (to >= total)
      return check.fail(field, `refers to label '${name}', which marks no instruction (end of program)`);
    return to - (at + 1);
  };

  const placed: PlacedInstruction[] = [];
  items.forEach((item, index) => {
    if (item.kind !== 'insn') return;
    const at = slots[index]!;
    placed.push(place(item, index, at, new Checker(index, at), target));
  });
  return { instructions: placed, labels, slots: total };
}

function place(
  item: Instruction,
  index: number,
  slot: number,
  check: Checker,
  target: (check: Checker, field: AsmField, name: string, at: number) => number,
): PlacedInstruction {
  const code = check.integer('code', item.code, 0, 0xff, 'must be an opcode byte (0..255)');
  const wide = isWide(code);
  const call = code === (BPF_JMP | BPF_CALL);
  const dst = check.register('dst', item.dst, MAX_REGISTER);
  // Wide loads and calls use the source field for a pseudo source (map fd, map value, local call...).
  const src = check.register('src', item.src, usesPseudoSource(code) ? 15 : MAX_REGISTER);

  let off: number;
  if (typeof item.off === 'string') {
    if (!isBranch(code)) check.fail('off', 'may be a label only on a jump');
    off = target(check, 'off', item.off, slot);
    if (off < S16.min || off > S16.max)
      check.fail(
        'off',
        'jump offset must fit in a signed 16-bit integer',
        `label '${item.off}' is ${off} slots away`,
      );
  } else {
    off = check.integer(
      'off',
      item.off,
      S16.min,
      S16.max,
      'must be an integer in [-32768, 32767] (signed 16-bit)',
    );
  }

  let imm: number | bigint;
  if (wide) {
    imm = wideImmediate(check, item.imm);
  } else if (typeof item.imm === 'string') {
    if (!call || src !== BPF_PSEUDO_CALL)
      check.fail('imm', 'may be a label only on a local call (callLocal)');
    imm = target(check, 'imm', item.imm, slot);
  } else {
    const cls = code & 0x07;
    // 32-bit operations see only the low half, so the unsigned spelling of the bit pattern is accepted too.
    const unsigned = cls === BPF_ALU || cls === BPF_JMP32;
    imm = check.integer(
      'imm',
      item.imm,
      S32.min,
      unsigned ? 0xffffffff : S32.max,
      unsigned ? 'must be an integer in [-2^31, 2^32)' : 'must fit in a signed 32-bit integer',
    );
    imm |= 0;
  }
  return { slot, index, code, dst, src, off, imm };
}

function wideImmediate(check: Checker, value: unknown): bigint {
  if (typeof value === 'bigint') {
    if (value < -(1n << 63n) || value >= 1n << 64n)
      check.fail('imm', 'must be in [-2^63, 2^64)', `got ${value}n`);
    return BigInt.asIntN(64, value);
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return check.fail('imm', 'must be a bigint or a safe integer', `got ${describeValue(value)}`);
}

function write(view: DataView, at: number, code: number, dst: number, src: number, off: number, imm: number) {
  view.setUint8(at, code);
  view.setUint8(at + 1, (src << 4) | dst);
  view.setInt16(at + 2, off, true);
  view.setInt32(at + 4, imm, true);
}

/**
 * Encodes a program as the kernel reads it: an array of `struct bpf_insn` (8 bytes each, little endian),
 * ready for `Program.load({ instructions })`. Labels are resolved to relative offsets.
 *
 * @throws AsmError naming the instruction index, the field and the rule: a register outside r0..r10,
 *   an immediate that does not fit 32 bits, an offset outside signed 16 bits, an unknown or duplicate label.
 */
export function assemble(items: readonly AsmItem[]): Uint8Array {
  const { instructions, slots } = layout(items);
  const bytes = new Uint8Array(slots * INSN_SIZE);
  const view = new DataView(bytes.buffer);
  for (const i of instructions) {
    const at = i.slot * INSN_SIZE;
    if (typeof i.imm === 'bigint') {
      write(view, at, i.code, i.dst, i.src, i.off, Number(BigInt.asIntN(32, i.imm)));
      write(view, at + INSN_SIZE, 0, 0, 0, 0, Number(BigInt.asIntN(32, i.imm >> 32n)));
    } else {
      write(view, at, i.code, i.dst, i.src, i.off, i.imm);
    }
  }
  return bytes;
}
