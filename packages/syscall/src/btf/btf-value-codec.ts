import { type BtfTypeInfo, type KernelBtf, ValidationError } from '@progrun/uapi';

/**
 * A JavaScript value of a BTF type, as {@link BtfValueCodec} reads and writes it: integers of up to 4
 * bytes, enums of up to 4 bytes and floats as `number`, 8- and 16-byte integers and pointers as `bigint`,
 * `_Bool` as `boolean`, arrays as arrays, structs and unions as plain objects by member name (anonymous
 * members lifted into their parent, as C reads them).
 */
export type BtfValue =
  | number
  | bigint
  | boolean
  | readonly BtfValue[]
  | { readonly [member: string]: BtfValue };

type Node =
  | { readonly kind: 'int'; readonly size: number; readonly signed: boolean; readonly bool: boolean }
  | { readonly kind: 'float'; readonly size: number }
  | { readonly kind: 'array'; readonly element: Node; readonly length: number; readonly size: number }
  | {
      readonly kind: 'record';
      readonly union: boolean;
      readonly cName: string;
      readonly size: number;
      readonly members: readonly Member[];
    };

interface Member {
  readonly name: string;
  readonly node: Node;
  /** Byte offset for whole members; for a bitfield, its bit offset from the record's start. */
  readonly bitOffset: number;
  /** 0 unless the member is a bitfield. */
  readonly bits: number;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  !ArrayBuffer.isView(value) &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/**
 * Encodes and decodes the bytes of one BTF type (a map's key or value, a global variable) as plain
 * JavaScript values ({@link BtfValue}), little-endian (the byte order of every host progrun supports). Built once per type; encoding validates
 * the value against the type and names the offending part (`value.stats.packets`, `key[2]`).
 */
export class BtfValueCodec {
  readonly #root: Node;
  readonly #field: string;
  /** Bytes of the type. */
  readonly size: number;

  /**
   * @param field How errors name the value (`'key'`, `'value'`, `'globals.counter'`).
   * @throws {ValidationError} (field `field`) for a type without a value: void, a function, a forward
   *   declaration; naming `btf`, `typeId` or `field` for an argument of the wrong kind.
   */
  constructor(btf: KernelBtf, typeId: number, field: string) {
    if (typeof field !== 'string') throw new ValidationError('field', 'a string', { received: field });
    if (typeof (btf as { typeInfo?: unknown } | null)?.typeInfo !== 'function')
      throw new ValidationError('btf', 'a KernelBtf', { received: btf });
    if (typeof typeId !== 'number' || !Number.isInteger(typeId) || typeId < 0)
      throw new ValidationError('typeId', 'an integer >= 0', { received: typeId });
    this.#field = field;
    this.#root = build(btf, typeId, field, 0);
    this.size = this.#root.size;
  }

  /** The value in `bytes` (at least {@link size} bytes from `offset`). */
  decode(bytes: Uint8Array, offset = 0): BtfValue {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return decodeNode(this.#root, view, offset);
  }

  /**
   * The bytes of `value`: {@link size} bytes, members and elements not given left zero.
   * @throws {ValidationError} naming the part of the value that does not fit the type.
   */
  encode(value: unknown): Buffer {
    const bytes = Buffer.alloc(this.size);
    this.encodeInto(value, bytes, 0);
    return bytes;
  }

  /**
   * Writes `value` over {@link size} bytes of `bytes` from `offset` (parts not given are zeroed).
   * @throws {ValidationError} as {@link encode}; `bytes` is then left partly written.
   */
  encodeInto(value: unknown, bytes: Uint8Array, offset: number): void {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    bytes.fill(0, offset, offset + this.size);
    encodeNode(this.#root, view, offset, value, this.#field);
  }
}

function build(btf: KernelBtf, id: number, field: string, depth: number): Node {
  if (depth > 64) throw new ValidationError(field, 'a BTF type nested at most 64 deep');
  const info: BtfTypeInfo = btf.typeInfo(id);
  switch (info.kind) {
    case 'typedef':
    case 'const':
    case 'volatile':
    case 'restrict':
      return build(btf, info.target, field, depth + 1);
    case 'int':
      return { kind: 'int', size: info.size, signed: info.signed, bool: info.bool };
    case 'enum':
      return { kind: 'int', size: info.size, signed: info.values.some((v) => v.value < 0n), bool: false };
    case 'pointer':
      return { kind: 'int', size: 8, signed: false, bool: false };
    case 'float':
      return { kind: 'float', size: info.size };
    case 'array': {
      const element = build(btf, info.element, field, depth + 1);
      return { kind: 'array', element, length: info.length, size: element.size * info.length };
    }
    case 'struct':
    case 'union': {
      const members: Member[] = [];
      for (const m of info.members) {
        const node = build(btf, m.type, field, depth + 1);
        if (m.name === '' && node.kind === 'record') {
          // An anonymous struct or union: its members read as the parent's, as C lets you write them.
          for (const inner of node.members) {
            members.push({
              ...inner,
              bitOffset: inner.bitOffset + (inner.bits > 0 ? m.bitOffset : m.bitOffset / 8),
              bits: inner.bits,
            });
          }
          continue;
        }
        if (m.name === '') continue;
        members.push({
          name: m.name,
          node,
          bitOffset: m.bitfieldSize > 0 ? m.bitOffset : m.bitOffset / 8,
          bits: m.bitfieldSize,
        });
      }
      const cName = `${info.kind} ${info.name || '(anonymous)'}`;
      return { kind: 'record', union: info.kind === 'union', cName, size: info.size, members };
    }
    default:
      throw new ValidationError(field, `a BTF type that holds a value (not ${info.kind})`);
  }
}

function decodeNode(node: Node, view: DataView, at: number): BtfValue {
  switch (node.kind) {
    case 'int':
      return decodeInt(node, view, at);
    case 'float':
      return node.size === 4 ? view.getFloat32(at, true) : view.getFloat64(at, true);
    case 'array':
      return Array.from({ length: node.length }, (_, i) =>
        decodeNode(node.element, view, at + i * node.element.size),
      );
    case 'record': {
      const out: Record<string, BtfValue> = {};
      for (const m of node.members) {
        out[m.name] = m.bits > 0 ? decodeBitfield(view, at, m) : decodeNode(m.node, view, at + m.bitOffset);
      }
      return out;
    }
  }
}

function decodeInt(node: Extract<Node, { kind: 'int' }>, view: DataView, at: number): BtfValue {
  switch (node.size) {
    case 1: {
      const value = node.signed ? view.getInt8(at) : view.getUint8(at);
      return node.bool ? value !== 0 : value;
    }
    case 2:
      return node.signed ? view.getInt16(at, true) : view.getUint16(at, true);
    case 4:
      return node.signed ? view.getInt32(at, true) : view.getUint32(at, true);
    case 8:
      return node.signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true);
    default: {
      const wide = (view.getBigUint64(at + 8, true) << 64n) | view.getBigUint64(at, true);
      return node.signed ? BigInt.asIntN(node.size * 8, wide) : wide;
    }
  }
}

/** A bitfield's bits, read from the little-endian bytes that hold them. */
function decodeBitfield(view: DataView, recordAt: number, m: Member): BtfValue {
  let word = 0n;
  const first = Math.floor(m.bitOffset / 8);
  const last = Math.floor((m.bitOffset + m.bits - 1) / 8);
  for (let i = last; i >= first; i--) word = (word << 8n) | BigInt(view.getUint8(recordAt + i));
  let value = (word >> BigInt(m.bitOffset % 8)) & ((1n << BigInt(m.bits)) - 1n);
  const signed = m.node.kind === 'int' && m.node.signed;
  if (signed) value = BigInt.asIntN(m.bits, value);
  if (m.node.kind === 'int' && m.node.bool) return value !== 0n;
  return m.bits <= 32 ? Number(value) : value;
}

function intRange(size: number, signed: boolean): [bigint, bigint] {
  const bits = BigInt(size * 8);
  return signed ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n];
}

/** A number or bigint as a bigint, in [min, max]. */
function integer(value: unknown, field: string, min: bigint, max: bigint, what: string): bigint {
  let big: bigint | undefined;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
  if (big === undefined || big < min || big > max) {
    throw new ValidationError(field, `an integer from ${min} to ${max} (${what})`, { received: value });
  }
  return big;
}

function encodeNode(node: Node, view: DataView, at: number, value: unknown, field: string): void {
  switch (node.kind) {
    case 'int': {
      if (node.bool) {
        if (typeof value !== 'boolean' && value !== 0 && value !== 1)
          throw new ValidationError(field, 'a boolean (_Bool)', { received: value });
        view.setUint8(at, value === true || value === 1 ? 1 : 0);
        return;
      }
      const [min, max] = intRange(node.size, node.signed);
      const big = integer(
        value,
        field,
        min,
        max,
        `${node.signed ? 'signed' : 'unsigned'} ${node.size * 8}-bit`,
      );
      const bits = BigInt.asUintN(node.size * 8, big);
      for (let i = 0; i < node.size; i++) view.setUint8(at + i, Number((bits >> BigInt(i * 8)) & 0xffn));
      return;
    }
    case 'float':
      if (typeof value !== 'number')
        throw new ValidationError(field, 'a number (float)', { received: value });
      if (node.size === 4) view.setFloat32(at, value, true);
      else view.setFloat64(at, value, true);
      return;
    case 'array': {
      const bytesOfBytes =
        node.element.kind === 'int' && node.element.size === 1 && value instanceof Uint8Array;
      if (!Array.isArray(value) && !bytesOfBytes) {
        throw new ValidationError(field, `an array of at most ${node.length} elements`, { received: value });
      }
      const items = value as ArrayLike<unknown>;
      if (items.length > node.length) {
        throw new ValidationError(field, `an array of at most ${node.length} elements`, { received: value });
      }
      for (let i = 0; i < items.length; i++) {
        encodeNode(node.element, view, at + i * node.element.size, items[i], `${field}[${i}]`);
      }
      return;
    }
    case 'record': {
      if (!isPlainObject(value)) {
        throw new ValidationError(field, `an object with members of ${node.cName}`, { received: value });
      }
      const given = Object.keys(value).filter((key) => value[key] !== undefined);
      if (node.union && given.length > 1) {
        throw new ValidationError(field, `one member of ${node.cName} (they share their bytes)`, {
          received: value,
        });
      }
      for (const key of given) {
        const m = node.members.find((member) => member.name === key);
        if (m === undefined) {
          const names = node.members.map((member) => member.name).join(', ');
          throw new ValidationError(`${field}.${key}`, `a member of ${node.cName} (${names})`);
        }
        if (m.bits > 0) encodeBitfield(view, at, m, value[key], `${field}.${key}`);
        else encodeNode(m.node, view, at + m.bitOffset, value[key], `${field}.${key}`);
      }
      return;
    }
  }
}

function encodeBitfield(view: DataView, recordAt: number, m: Member, value: unknown, field: string): void {
  const signed = m.node.kind === 'int' && m.node.signed;
  const bool = m.node.kind === 'int' && m.node.bool;
  const raw = bool && typeof value === 'boolean' ? (value ? 1 : 0) : value;
  const [min, max] = signed
    ? [-(1n << BigInt(m.bits - 1)), (1n << BigInt(m.bits - 1)) - 1n]
    : [0n, (1n << BigInt(m.bits)) - 1n];
  const bits = BigInt.asUintN(m.bits, integer(raw, field, min, max, `a ${m.bits}-bit bitfield`));
  for (let bit = 0; bit < m.bits; bit++) {
    const at = recordAt + Math.floor((m.bitOffset + bit) / 8);
    const mask = 1 << ((m.bitOffset + bit) % 8);
    const byte = view.getUint8(at);
    view.setUint8(at, (bits >> BigInt(bit)) & 1n ? byte | mask : byte & ~mask);
  }
}
