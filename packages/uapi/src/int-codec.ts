import { ValidationError } from './errors/validation-error.js';
import type { IntType } from './layout-types.js';

/** The range of an integer of `bits` bits, signed or not. */
function rangeOf(bits: number, signed: boolean): [bigint, bigint] {
  return signed
    ? [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n]
    : [0n, (1n << BigInt(bits)) - 1n];
}

/** Checks an integer input against a width and returns it as bigint. */
export function checkedInteger(path: string, value: unknown, bits: number, signed: boolean): bigint {
  const [min, max] = rangeOf(bits, signed);
  let big: bigint;
  if (typeof value === 'bigint') {
    big = value;
  } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
    big = BigInt(value);
  } else {
    const kind = typeof value === 'number' ? 'a safe integer number' : 'a number or bigint';
    throw new ValidationError(path, `${kind} in ${min}..${max}`, { received: value });
  }
  if (big < min || big > max) throw new ValidationError(path, `in ${min}..${max}`, { received: value });
  return big;
}

/** Writes an integer of the type at `offset`. */
export function writeInt(view: DataView, offset: number, type: IntType, value: bigint): void {
  const little = type.endian === 'little';
  switch (type.size) {
    case 1:
      view.setUint8(offset, Number(BigInt.asUintN(8, value)));
      break;
    case 2:
      view.setUint16(offset, Number(BigInt.asUintN(16, value)), little);
      break;
    case 4:
      view.setUint32(offset, Number(BigInt.asUintN(32, value)), little);
      break;
    case 8:
      view.setBigUint64(offset, BigInt.asUintN(64, value), little);
      break;
  }
}

/** Reads an integer of the type at `offset`: bigint for 8 bytes, number otherwise. */
export function readInt(view: DataView, offset: number, type: IntType): number | bigint {
  const little = type.endian === 'little';
  switch (type.size) {
    case 1:
      return type.signed ? view.getInt8(offset) : view.getUint8(offset);
    case 2:
      return type.signed ? view.getInt16(offset, little) : view.getUint16(offset, little);
    case 4:
      return type.signed ? view.getInt32(offset, little) : view.getUint32(offset, little);
    case 8:
      return type.signed ? view.getBigInt64(offset, little) : view.getBigUint64(offset, little);
  }
}

/** The bytes a bitfield touches, as one little-endian integer (x86-64 allocates bits from the LSB). */
function readSpan(view: DataView, offset: number, size: number): bigint {
  let span = 0n;
  for (let i = size - 1; i >= 0; i--) span = (span << 8n) | BigInt(view.getUint8(offset + i));
  return span;
}

function writeSpan(view: DataView, offset: number, size: number, span: bigint): void {
  for (let i = 0; i < size; i++) view.setUint8(offset + i, Number((span >> BigInt(8 * i)) & 0xffn));
}

/** Writes `value` into `width` bits starting at bit `bit` of the bytes at `offset`, keeping the other bits. */
export function writeBits(
  view: DataView,
  offset: number,
  size: number,
  bit: number,
  width: number,
  value: bigint,
): void {
  const mask = ((1n << BigInt(width)) - 1n) << BigInt(bit);
  const span = readSpan(view, offset, size);
  writeSpan(view, offset, size, (span & ~mask) | ((BigInt.asUintN(width, value) << BigInt(bit)) & mask));
}

/** Reads `width` bits starting at bit `bit` of the bytes at `offset`, sign-extended when `signed`. */
export function readBits(
  view: DataView,
  offset: number,
  size: number,
  bit: number,
  width: number,
  signed: boolean,
): number {
  const raw = BigInt.asUintN(width, readSpan(view, offset, size) >> BigInt(bit));
  return Number(signed ? BigInt.asIntN(width, raw) : raw);
}
