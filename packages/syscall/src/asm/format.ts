import {
  BPF_ABS,
  BPF_ALU,
  BPF_ALU64,
  BPF_ATOMIC,
  BPF_CALL,
  BPF_CMPXCHG,
  BPF_DIV,
  BPF_END,
  BPF_EXIT,
  BPF_FETCH,
  BPF_IND,
  BPF_JA,
  BPF_JMP,
  BPF_JMP32,
  BPF_LD,
  BPF_LDX,
  BPF_MEM,
  BPF_MEMSX,
  BPF_MOD,
  BPF_MOV,
  BPF_NEG,
  BPF_PSEUDO_CALL,
  BPF_PSEUDO_KFUNC_CALL,
  BPF_PSEUDO_MAP_FD,
  BPF_PSEUDO_MAP_VALUE,
  BPF_ST,
  BPF_STX,
  BPF_TO_BE,
  BPF_X,
  BPF_XCHG,
  describeValue,
} from '@progrun/uapi';
import { AsmError } from './asm-error.js';
import { type Layout, layout, type PlacedInstruction } from './assemble.js';
import { decode } from './disassemble.js';
import { helperName } from './helpers.js';
import { type AsmItem, type Instruction, isWide } from './instruction.js';
import { REGISTERS } from './registers.js';

// Operator spellings of the kernel's verifier log (kernel/bpf/disasm.c), so listings read like it.
const ALU_TEXT = ['+=', '-=', '*=', '/=', '|=', '&=', '<<=', '>>=', 'neg', '%=', '^=', '=', 's>>=', 'endian'];
const JMP_TEXT = ['', '==', '>', '>=', '&', '!=', 's>', 's>=', 'call', 'exit', '<', '<=', 's<', 's<='];
const SIZE_TEXT = ['u32', 'u16', 'u8', 'u64'];
const ATOMIC_TEXT: Record<number, string> = { 0: 'add', 64: 'or', 80: 'and', 160: 'xor' };

/** An instruction whose numbers may still be labels (from the builders) or plain numbers (decoded). */
interface Printable {
  readonly code: number;
  readonly dst: number | string;
  readonly src: number | string;
  readonly off: number | string;
  readonly imm: number | bigint | string;
}

function regNumber(value: number | string): number {
  return typeof value === 'number' ? value : REGISTERS.indexOf(value as (typeof REGISTERS)[number]);
}

function hex(value: number | bigint): string {
  return typeof value === 'bigint'
    ? `0x${BigInt.asUintN(64, value).toString(16)}`
    : `0x${(value >>> 0).toString(16)}`;
}

function pc(off: number | string): string {
  return typeof off === 'string' ? off : `pc${off < 0 ? off : `+${off}`}`;
}

function text(i: Printable): string {
  const cls = i.code & 0x07;
  const op = i.code & 0xf0;
  const dst = regNumber(i.dst);
  const src = regNumber(i.src);
  const size = SIZE_TEXT[(i.code >> 3) & 0x03]!;
  const mode = i.code & 0xe0;
  const imm = i.imm;
  const mem = (base: number) =>
    `(r${base} ${typeof i.off === 'number' ? (i.off < 0 ? '' : '+') : ''}${i.off})`;

  if (cls === BPF_ALU || cls === BPF_ALU64) {
    const r = cls === BPF_ALU64 ? 'r' : 'w';
    if (op === BPF_END) {
      const kind = cls === BPF_ALU64 ? 'bswap' : (i.code & BPF_TO_BE) !== 0 ? 'be' : 'le';
      return `r${dst} = ${kind}${String(imm)} r${dst}`;
    }
    if (op === BPF_NEG) return `${r}${dst} = -${r}${dst}`;
    const signedOp = (op === BPF_DIV || op === BPF_MOD) && i.off === 1;
    const operator = signedOp ? `s${ALU_TEXT[op >> 4]}` : (ALU_TEXT[op >> 4] ?? '?');
    if ((i.code & BPF_X) !== 0) {
      if (op === BPF_MOV && typeof i.off === 'number' && i.off !== 0)
        return `${r}${dst} = (s${i.off})${r}${src}`;
      return `${r}${dst} ${operator} ${r}${src}`;
    }
    return `${r}${dst} ${operator} ${String(imm)}`;
  }

  if (cls === BPF_JMP || cls === BPF_JMP32) {
    if (cls === BPF_JMP && op === BPF_CALL) {
      if (i.src === BPF_PSEUDO_CALL) return `call ${pc(typeof imm === 'bigint' ? Number(imm) : imm)}`;
      if (i.src === BPF_PSEUDO_KFUNC_CALL) return `call kernel-function#${String(imm)}`;
      const name = typeof imm === 'number' ? helperName(imm) : undefined;
      return `call ${name === undefined ? 'unknown' : `bpf_${name}`}#${String(imm)}`;
    }
    if (cls === BPF_JMP && op === BPF_EXIT) return 'exit';
    if (op === BPF_JA) return cls === BPF_JMP ? `goto ${pc(i.off)}` : `gotol ${pc(Number(imm))}`;
    const r = cls === BPF_JMP ? 'r' : 'w';
    const rhs = (i.code & BPF_X) !== 0 ? `${r}${src}` : hex(typeof imm === 'string' ? 0 : imm);
    return `if ${r}${dst} ${JMP_TEXT[op >> 4] ?? '?'} ${rhs} goto ${pc(i.off)}`;
  }

  if (cls === BPF_LDX) {
    if (mode === BPF_MEMSX) return `r${dst} = *(s${size.slice(1)} *)${mem(src)}`;
    return `r${dst} = *(${size} *)${mem(src)}`;
  }
  if (cls === BPF_ST) return `*(${size} *)${mem(dst)} = ${String(imm)}`;
  if (cls === BPF_STX) {
    if (mode === BPF_MEM) return `*(${size} *)${mem(dst)} = r${src}`;
    if (mode === BPF_ATOMIC) {
      const r = size === 'u64' ? 'r' : 'w';
      const bits = size === 'u64' ? '64' : '';
      const at = `(${size} *)${mem(dst)}`;
      if (imm === BPF_XCHG) return `${r}${src} = atomic${bits}_xchg(${at}, ${r}${src})`;
      if (imm === BPF_CMPXCHG) return `${r}0 = atomic${bits}_cmpxchg(${at}, ${r}0, ${r}${src})`;
      const name = typeof imm === 'number' ? ATOMIC_TEXT[imm & ~BPF_FETCH] : undefined;
      if (name !== undefined && typeof imm === 'number') {
        if ((imm & BPF_FETCH) !== 0) return `${r}${src} = atomic${bits}_fetch_${name}(${at}, ${r}${src})`;
        return `lock *${at} ${ALU_TEXT[(imm as number) >> 4]} ${r}${src}`;
      }
    }
  }
  if (cls === BPF_LD) {
    if (isWide(i.code)) {
      if (i.src === BPF_PSEUDO_MAP_FD) return `r${dst} = map[fd:${String(imm)}]`;
      if (i.src === BPF_PSEUDO_MAP_VALUE && typeof imm === 'bigint')
        return `r${dst} = map[fd:${BigInt.asUintN(32, imm)}][0]+${BigInt.asUintN(32, imm >> 32n)}`;
      return `r${dst} = ${typeof imm === 'string' ? imm : hex(BigInt(imm))} ll`;
    }
    if (mode === BPF_ABS) return `r0 = *(${size} *)skb[${String(imm)}]`;
    if (mode === BPF_IND) return `r0 = *(${size} *)skb[r${src} + ${String(imm)}]`;
  }
  return `invalid opcode ${hex(i.code)}`;
}

/**
 * One instruction as the verifier log writes it: `r0 = 2`, `if r1 > 0x40 goto pc+3`,
 * `r2 = *(u32 *)(r1 +4)`, `call bpf_map_lookup_elem#1`, `exit`. Label targets show as their names.
 * @throws {AsmError} naming the field when `instruction` is not an instruction object.
 */
export function formatInstruction(instruction: Instruction | PlacedInstruction): string {
  return text(printable(instruction));
}

/** An instruction whose fields have the types {@link text} reads, or an AsmError naming the first that does not. */
function printable(value: unknown): Printable {
  if (typeof value !== 'object' || value === null)
    throw new AsmError('code', 'must be the opcode of an instruction object (asm.insn, asm.mov64...)', {
      detail: `got ${describeValue(value)}`,
    });
  const i = value as Record<keyof Printable, unknown>;
  if (typeof i.code !== 'number' || !Number.isInteger(i.code) || i.code < 0 || i.code > 0xff)
    throw new AsmError('code', 'must be an opcode byte, an integer in 0..255', {
      detail: `got ${describeValue(i.code)}`,
    });
  for (const field of ['dst', 'src', 'off'] as const) {
    if (typeof i[field] !== 'number' && typeof i[field] !== 'string')
      throw new AsmError(field, 'must be a number or a name', { detail: `got ${describeValue(i[field])}` });
  }
  if (typeof i.imm !== 'number' && typeof i.imm !== 'bigint' && typeof i.imm !== 'string')
    throw new AsmError('imm', 'must be a number, a bigint or a label', {
      detail: `got ${describeValue(i.imm)}`,
    });
  return i as Printable;
}

/** Options of {@link formatProgram}. */
export interface FormatOptions {
  /** Slot to mark with `>` (the instruction number a verifier log names). */
  readonly highlight?: number;
  /** With `highlight`, show only this many instructions either side of it (default: the whole program). */
  readonly context?: number;
}

function source(program: Uint8Array | readonly AsmItem[]): Layout {
  if (program instanceof Uint8Array) {
    const instructions = decode(program);
    const last = instructions.at(-1);
    return {
      instructions,
      labels: new Map(),
      slots: last === undefined ? 0 : last.slot + (isWide(last.code) ? 2 : 1),
    };
  }
  return layout(program);
}

function line(i: PlacedInstruction, width: number, marked: boolean, target?: string): string {
  const code = i.code.toString(16).padStart(2, '0');
  return `${marked ? '>' : ' '} ${String(i.slot).padStart(width)}: (${code}) ${text(i)}${target === undefined ? '' : ` <${target}>`}`;
}

/**
 * A numbered listing of a program (raw bytes or builder output), one instruction per line, in the
 * verifier log's notation (`  3: (b7) r0 = 2`). Labels from the builders are printed on their own line,
 * and jumps name their target label. With `highlight`, that slot is marked with `>`; with `context`,
 * only the lines around it are shown, for pointing at the instruction a verifier error names.
 *
 * @throws AsmError when the program cannot be laid out or decoded (see {@link assemble}, {@link disassemble}).
 */
export function formatProgram(program: Uint8Array | readonly AsmItem[], options: FormatOptions = {}): string {
  if (typeof options !== 'object' || options === null)
    throw new AsmError('code', 'options must be an object', { detail: `got ${describeValue(options)}` });
  for (const key of ['highlight', 'context'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 0))
      throw new AsmError('code', `options.${key} must be an integer >= 0`, {
        detail: `got ${describeValue(value)}`,
      });
  }
  const { instructions, labels, slots } = source(program);
  const width = String(Math.max(slots - 1, 0)).length;
  const bySlot = new Map<number, string[]>();
  for (const [name, slot] of labels) bySlot.set(slot, [...(bySlot.get(slot) ?? []), name]);
  const { highlight, context } = options;
  const from = highlight !== undefined && context !== undefined ? highlight - context : -Infinity;
  const to = highlight !== undefined && context !== undefined ? highlight + context : Infinity;
  const out: string[] = [];
  let skipped = false;
  for (const i of instructions) {
    if (i.slot < from || i.slot > to) {
      skipped = true;
      continue;
    }
    if (skipped && out.length > 0) out.push('  ...');
    skipped = false;
    for (const name of bySlot.get(i.slot) ?? []) out.push(`${name}:`);
    out.push(line(i, width, i.slot === highlight, jumpLabel(i, bySlot)));
  }
  if (skipped && out.length > 0) out.push('  ...');
  return out.join('\n');
}

function jumpLabel(i: PlacedInstruction, bySlot: ReadonlyMap<number, string[]>): string | undefined {
  if (bySlot.size === 0) return undefined;
  const cls = i.code & 0x07;
  const op = i.code & 0xf0;
  let to: number | undefined;
  if ((cls === BPF_JMP || cls === BPF_JMP32) && op !== BPF_EXIT && op !== BPF_CALL) to = i.slot + 1 + i.off;
  else if (i.code === (BPF_JMP | BPF_CALL) && i.src === BPF_PSEUDO_CALL) to = i.slot + 1 + Number(i.imm);
  return to === undefined ? undefined : bySlot.get(to)?.[0];
}

/**
 * The listing line of the instruction at `slot` (as {@link formatProgram} prints it), or undefined when no
 * instruction starts there (out of range, or the second half of a wide load).
 */
export function formatInstructionAt(
  program: Uint8Array | readonly AsmItem[],
  slot: number,
): string | undefined {
  const { instructions, slots } = source(program);
  const i = instructions.find((x) => x.slot === slot);
  return i === undefined ? undefined : line(i, String(Math.max(slots - 1, 0)).length, false).trimStart();
}
