import { AsmError } from './asm-error.js';
import { INSN_SIZE, MAX_PROGRAM_SLOTS, type PlacedInstruction } from './assemble.js';
import { type Instruction, insn, isWide, usesPseudoSource } from './instruction.js';
import { MAX_REGISTER, REGISTERS } from './registers.js';

// The length is read once from the typed array itself (ArrayBuffer.isView refuses a Proxy) and bounded
// by the kernel's instruction limit before any per-instruction work.
function asBytes(program: Uint8Array): Uint8Array {
  if (!ArrayBuffer.isView(program) || !(program instanceof Uint8Array))
    throw new AsmError('bytes', 'program must be a Uint8Array of bpf_insn (not a Proxy)');
  const length = program.byteLength;
  if (length % INSN_SIZE !== 0)
    throw new AsmError('bytes', `length must be a multiple of ${INSN_SIZE}`, { detail: `got ${length}` });
  if (length > MAX_PROGRAM_SLOTS * INSN_SIZE)
    throw new AsmError(
      'bytes',
      `program must hold at most ${MAX_PROGRAM_SLOTS} instructions (the kernel's limit)`,
      {
        detail: `got ${length / INSN_SIZE}`,
      },
    );
  return program;
}

/**
 * Decodes raw `struct bpf_insn` bytes into placed instructions, slot by slot (a wide load consumes two).
 * Fields are kept as encoded (registers as numbers), so nothing a kernel would accept is rejected here.
 *
 * @throws AsmError when the length is not a multiple of 8 or the program ends inside a wide load.
 */
export function decode(program: Uint8Array): PlacedInstruction[] {
  const bytes = asBytes(program);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const slots = bytes.byteLength / INSN_SIZE;
  const out: PlacedInstruction[] = [];
  for (let slot = 0; slot < slots; slot++) {
    const at = slot * INSN_SIZE;
    const code = view.getUint8(at);
    const regs = view.getUint8(at + 1);
    const off = view.getInt16(at + 2, true);
    const lo = view.getInt32(at + 4, true);
    const base = { slot, index: out.length, code, dst: regs & 0x0f, src: regs >> 4, off };
    if (isWide(code)) {
      if (slot + 1 >= slots)
        throw new AsmError('bytes', 'ends inside a 64-bit immediate load (its second slot is missing)', {
          index: out.length,
          slot,
        });
      const hi = view.getInt32(at + INSN_SIZE + 4, true);
      out.push({ ...base, imm: BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0)) });
      slot++;
    } else {
      out.push({ ...base, imm: lo });
    }
  }
  return out;
}

/**
 * Turns raw `struct bpf_insn` bytes back into instructions that {@link assemble} re-encodes to the same
 * bytes. Jump offsets stay numeric (there are no labels in the encoding).
 *
 * @throws AsmError when the length is not a multiple of 8 or the program ends inside a wide load.
 */
export function disassemble(program: Uint8Array): Instruction[] {
  return decode(program).map((i) =>
    insn({
      code: i.code,
      dst: i.dst <= MAX_REGISTER ? REGISTERS[i.dst]! : i.dst,
      // Wide loads and calls carry a pseudo source there, not a register.
      src: i.src <= MAX_REGISTER && !usesPseudoSource(i.code) ? REGISTERS[i.src]! : i.src,
      off: i.off,
      imm: i.imm,
    }),
  );
}
