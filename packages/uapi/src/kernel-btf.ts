import { readFileSync } from 'node:fs';
import { stringArgument } from './arguments/argument-checks.js';
import { UapiLookupError } from './errors/uapi-lookup-error.js';
import { ValidationError } from './errors/validation-error.js';

const BTF_MAGIC = 0xeb9f;
enum Kind {
  Int = 1,
  Ptr = 2,
  Array = 3,
  Struct = 4,
  Union = 5,
  Enum = 6,
  Fwd = 7,
  Typedef = 8,
  Volatile = 9,
  Const = 10,
  Restrict = 11,
  Func = 12,
  FuncProto = 13,
  Var = 14,
  Datasec = 15,
  Float = 16,
  DeclTag = 17,
  TypeTag = 18,
  Enum64 = 19,
}

/** Bytes after the 12-byte `struct btf_type` header: [fixed, per vlen element]. */
const TRAILER: Record<number, [number, number]> = {
  [Kind.Int]: [4, 0],
  [Kind.Ptr]: [0, 0],
  [Kind.Array]: [12, 0],
  [Kind.Struct]: [0, 12],
  [Kind.Union]: [0, 12],
  [Kind.Enum]: [0, 8],
  [Kind.Fwd]: [0, 0],
  [Kind.Typedef]: [0, 0],
  [Kind.Volatile]: [0, 0],
  [Kind.Const]: [0, 0],
  [Kind.Restrict]: [0, 0],
  [Kind.Func]: [0, 0],
  [Kind.FuncProto]: [0, 8],
  [Kind.Var]: [4, 0],
  [Kind.Datasec]: [0, 12],
  [Kind.Float]: [0, 0],
  [Kind.DeclTag]: [4, 0],
  [Kind.TypeTag]: [0, 0],
  [Kind.Enum64]: [0, 12],
};

interface BtfType {
  kind: number;
  name: string;
  /** size for Int/Struct/Union/Enum/Float, referenced type id for modifiers, typedefs and pointers. */
  sizeOrType: number;
  kindFlag: boolean;
  /** Offset of the trailer in the type section. */
  trailer: number;
  vlen: number;
}

/** A field of a kernel record as its BTF describes it; nested records give dotted paths (`test.batch_size`). */
export interface KernelField {
  readonly path: string;
  /** Offset from the start of the record, in bits. */
  readonly bitOffset: number;
  /** Size in bits: the bitfield width, or 8 × the byte size of the type. */
  readonly bitSize: number;
  readonly bitfield: boolean;
}

/**
 * One BTF type, decoded: what a C declaration of it needs. Type ids refer to other types of the same
 * {@link KernelBtf}; id 0 is `void`.
 * @internal the generator writes C declarations of kernel-internal records from it.
 */
export type BtfTypeInfo =
  | { readonly kind: 'void' }
  | {
      readonly kind: 'int';
      readonly name: string;
      readonly size: number;
      /** BTF_INT_SIGNED. */
      readonly signed: boolean;
      /** BTF_INT_BOOL (`_Bool`). */
      readonly bool: boolean;
    }
  | { readonly kind: 'float'; readonly name: string; readonly size: number }
  | { readonly kind: 'pointer'; readonly target: number }
  | { readonly kind: 'array'; readonly element: number; readonly length: number }
  | {
      readonly kind: 'struct' | 'union';
      readonly name: string;
      readonly size: number;
      readonly members: readonly {
        readonly name: string;
        readonly type: number;
        readonly bitOffset: number;
        /** 0 unless the member is a bitfield. */
        readonly bitfieldSize: number;
      }[];
    }
  | {
      readonly kind: 'enum';
      readonly name: string;
      readonly size: number;
      readonly values: readonly { readonly name: string; readonly value: bigint }[];
    }
  | { readonly kind: 'fwd'; readonly name: string; readonly union: boolean }
  | { readonly kind: 'typedef'; readonly name: string; readonly target: number }
  | { readonly kind: 'const' | 'volatile' | 'restrict'; readonly target: number }
  | {
      readonly kind: 'func_proto';
      readonly returns: number;
      /** A last parameter of type 0 marks a variadic function. */
      readonly params: readonly { readonly name: string; readonly type: number }[];
    };

/** A variable of a BTF data section (`.bss`, `.data`, `.rodata`, `.data.*`): a global of a BPF object. */
export interface BtfVariable {
  readonly name: string;
  /** The variable's type id. */
  readonly type: number;
  /** Byte offset in its section. */
  readonly offset: number;
  readonly size: number;
  /** `static` (0), global (1) or extern (2), as BTF_KIND_VAR's linkage. */
  readonly linkage: number;
}

/** A BTF data section and its variables, in offset order. */
export interface BtfDatasec {
  readonly id: number;
  /** The ELF section (`.bss`, `.rodata`, `.data.custom`). */
  readonly name: string;
  readonly size: number;
  readonly variables: readonly BtfVariable[];
}

/**
 * The running kernel's BTF (`/sys/kernel/btf/vmlinux`, CONFIG_DEBUG_INFO_BTF, kernel 5.4+): which
 * enum members and record fields *this* kernel has, independent of the headers the package was
 * generated from. BTF has types and enums only, never `#define`s (such as BPF_F_TEST_XDP_LIVE_FRAMES).
 */
export class KernelBtf {
  private readonly types: BtfType[] = [
    { kind: 0, name: '', sizeOrType: 0, kindFlag: false, trailer: 0, vlen: 0 },
  ];
  private readonly view: DataView;
  private readonly strings: DataView;
  private readonly typeBase: number;
  private enumIndex?: Map<string, bigint>;
  private readonly enumsByTag = new Map<string, Map<string, bigint>>();
  private readonly byName = new Map<string, number>();
  private readonly funcsByName = new Map<string, number>();

  /**
   * Parses BTF bytes.
   * @throws {UapiLookupError} when the bytes are not BTF this reader understands (bad magic, a header or
   *   type running past the end).
   * @throws {ValidationError} when `bytes` is not a Uint8Array, Buffer or other ArrayBufferView.
   */
  constructor(bytes: Uint8Array) {
    // Internal-slot check: a Proxy around a Buffer is refused too.
    if (!ArrayBuffer.isView(bytes))
      throw new ValidationError('bytes', 'a Uint8Array, Buffer or other ArrayBufferView', {
        received: bytes,
      });
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < 24 || this.view.getUint16(0, true) !== BTF_MAGIC) {
      throw new UapiLookupError('BTF', 'bad magic: not little-endian BTF');
    }
    const hdrLen = this.view.getUint32(4, true);
    const typeOff = hdrLen + this.view.getUint32(8, true);
    const typeLen = this.view.getUint32(12, true);
    const strOff = hdrLen + this.view.getUint32(16, true);
    const strLen = this.view.getUint32(20, true);
    if (strOff + strLen > bytes.byteLength || typeOff + typeLen > bytes.byteLength)
      throw new UapiLookupError('BTF', `a section runs past the end of the ${bytes.byteLength} bytes`);
    this.strings = new DataView(bytes.buffer, bytes.byteOffset + strOff, strLen);
    this.typeBase = typeOff;
    let at = typeOff;
    while (at < typeOff + typeLen) {
      if (at + 12 > typeOff + typeLen)
        throw new UapiLookupError('BTF', `a type runs past the end, at byte ${at}`);
      const info = this.view.getUint32(at + 4, true);
      const kind = (info >>> 24) & 0x1f;
      const vlen = info & 0xffff;
      const trailer = TRAILER[kind];
      if (!trailer) throw new UapiLookupError('BTF', `unknown type kind ${kind} at byte ${at}`);
      const type: BtfType = {
        kind,
        name: this.string(this.view.getUint32(at, true)),
        sizeOrType: this.view.getUint32(at + 8, true),
        kindFlag: info >>> 31 === 1,
        trailer: at + 12 - typeOff,
        vlen,
      };
      if (type.name && (kind === Kind.Struct || kind === Kind.Union)) {
        const key = `${kind === Kind.Struct ? 'struct' : 'union'} ${type.name}`;
        if (!this.byName.has(key)) this.byName.set(key, this.types.length);
      } else if (type.name && kind === Kind.Func && !this.funcsByName.has(type.name)) {
        this.funcsByName.set(type.name, this.types.length);
      }
      this.types.push(type);
      at += 12 + trailer[0] + trailer[1] * vlen;
    }
  }

  /**
   * Reads the running kernel's BTF.
   * @throws the file system error (ENOENT when the kernel lacks CONFIG_DEBUG_INFO_BTF), or
   *   {@link UapiLookupError} when the file is not BTF.
   * @throws {ValidationError} when `path` is not a string (a number would be read as an fd).
   */
  static read(path = '/sys/kernel/btf/vmlinux'): KernelBtf {
    if (stringArgument('path', path).includes('\0'))
      throw new ValidationError('path', 'a path without NUL characters', { received: path });
    return new KernelBtf(readFileSync(path));
  }

  private string(offset: number): string {
    if (offset > this.strings.byteLength)
      throw new UapiLookupError(
        'BTF',
        `a name at ${offset}, past the ${this.strings.byteLength}-byte string section`,
      );
    let end = offset;
    while (end < this.strings.byteLength && this.strings.getUint8(end) !== 0) end++;
    return Buffer.from(this.strings.buffer, this.strings.byteOffset + offset, end - offset).toString(
      'latin1',
    );
  }

  private u32(typeSectionOffset: number): number {
    return this.view.getUint32(this.typeBase + typeSectionOffset, true);
  }

  /** Every enumerator of every enum, by name (enumerator names are unique in C). */
  private enums(): Map<string, bigint> {
    if (!this.enumIndex) {
      this.enumIndex = new Map();
      for (const t of this.types) {
        if (t.kind !== Kind.Enum && t.kind !== Kind.Enum64) continue;
        const stride = t.kind === Kind.Enum ? 8 : 12;
        const members = new Map<string, bigint>();
        if (t.name && !this.enumsByTag.has(t.name)) this.enumsByTag.set(t.name, members);
        for (let i = 0; i < t.vlen; i++) {
          const at = t.trailer + i * stride;
          const name = this.string(this.u32(at));
          const low = BigInt(this.u32(at + 4));
          const value = t.kind === Kind.Enum64 ? (BigInt(this.u32(at + 8)) << 32n) | low : low;
          const bits = t.kind === Kind.Enum ? 32 : 64;
          const signedValue = t.kindFlag ? BigInt.asIntN(bits, value) : value;
          this.enumIndex.set(name, signedValue);
          members.set(name, signedValue);
        }
      }
    }
    return this.enumIndex;
  }

  /**
   * The value of an enumerator in this kernel (`BPF_PROG_TYPE_NETFILTER`, `BPF_FUNC_map_lookup_elem`),
   * undefined when the kernel does not have it.
   */
  enumValue(cName: string): bigint | undefined {
    return this.enums().get(cName);
  }

  /**
   * The members of a named enum in this kernel (`'bpf_prog_type'`), in declaration order, with C
   * names: what this kernel offers beyond the package's newest headers. Undefined when absent.
   */
  enumMembers(tag: string): ReadonlyMap<string, bigint> | undefined {
    this.enums();
    return this.enumsByTag.get(tag);
  }

  /** Whether this kernel has the enumerator. */
  hasEnumValue(cName: string): boolean {
    return this.enums().has(cName);
  }

  /** Skips typedefs and qualifiers. */
  private resolve(id: number): BtfType {
    let type = this.types[id];
    while (
      type &&
      [Kind.Typedef, Kind.Volatile, Kind.Const, Kind.Restrict, Kind.TypeTag].includes(type.kind as Kind)
    ) {
      type = this.types[type.sizeOrType];
    }
    if (!type) throw new UapiLookupError('BTF', `dangling type id ${id}`);
    return type;
  }

  private byteSize(id: number): number {
    const type = this.resolve(id);
    switch (type.kind) {
      case Kind.Ptr:
        return 8;
      case Kind.Array:
        return this.byteSize(this.u32(type.trailer)) * this.u32(type.trailer + 8);
      default:
        return type.sizeOrType;
    }
  }

  /**
   * The fields of a kernel record (`'struct __sk_buff'`, `'union bpf_attr'`), anonymous members
   * lifted into their parent and named members expanded to dotted paths, as the package's
   * layouts name them; undefined when the kernel has no such record.
   */
  recordFields(cType: string): KernelField[] | undefined {
    const id = this.byName.get(cType);
    return id === undefined ? undefined : this.fieldsOf(this.types[id]!, '', 0);
  }

  /**
   * The BTF type id of a kernel record (`'struct bpf_dummy_ops'`) or function (`'bpf_fentry_test1'` with
   * kind `'func'`): what BPF_PROG_LOAD's attach_btf_id takes. Undefined when the kernel has none.
   */
  typeId(kind: 'struct' | 'union' | 'func', name: string): number | undefined {
    return kind === 'func' ? this.funcsByName.get(name) : this.byName.get(`${kind} ${name}`);
  }

  /**
   * The names of a kernel record's own members, in declaration order (`''` for an anonymous member): a
   * struct_ops member's index is what a STRUCT_OPS program's expected_attach_type takes. Undefined when
   * the kernel has no such record.
   */
  memberNames(cType: string): string[] | undefined {
    const id = this.byName.get(cType);
    if (id === undefined) return undefined;
    const record = this.types[id]!;
    return Array.from({ length: record.vlen }, (_, i) => this.string(this.u32(record.trailer + i * 12)));
  }

  /**
   * A type by id, decoded (kinds a C declaration never needs, such as functions and variables, are
   * refused): what the generator's BTF-to-C step reads kernel-internal records with, and @progrun/syscall's
   * BTF value codec (typed maps and globals) encodes and decodes values with.
   * @throws {UapiLookupError} for an id this BTF does not have or a kind without a C declaration.
   */
  typeInfo(id: number): BtfTypeInfo {
    const type = this.types[id];
    if (!type) throw new UapiLookupError('BTF', `no type id ${id}`);
    if (id === 0) return { kind: 'void' };
    const at = type.trailer;
    switch (type.kind) {
      case Kind.Int: {
        const encoding = this.u32(at) >>> 24;
        return {
          kind: 'int',
          name: type.name,
          size: type.sizeOrType,
          signed: (encoding & 1) !== 0,
          bool: (encoding & 4) !== 0,
        };
      }
      case Kind.Float:
        return { kind: 'float', name: type.name, size: type.sizeOrType };
      case Kind.Ptr:
        return { kind: 'pointer', target: type.sizeOrType };
      case Kind.Array:
        return { kind: 'array', element: this.u32(at), length: this.u32(at + 8) };
      case Kind.Struct:
      case Kind.Union:
        return {
          kind: type.kind === Kind.Struct ? 'struct' : 'union',
          name: type.name,
          size: type.sizeOrType,
          members: Array.from({ length: type.vlen }, (_, i) => {
            const raw = this.u32(at + i * 12 + 8);
            return {
              name: this.string(this.u32(at + i * 12)),
              type: this.u32(at + i * 12 + 4),
              bitOffset: type.kindFlag ? raw & 0xffffff : raw,
              bitfieldSize: type.kindFlag ? raw >>> 24 : 0,
            };
          }),
        };
      case Kind.Enum:
      case Kind.Enum64: {
        const stride = type.kind === Kind.Enum ? 8 : 12;
        const bits = type.kind === Kind.Enum ? 32 : 64;
        return {
          kind: 'enum',
          name: type.name,
          size: type.sizeOrType,
          values: Array.from({ length: type.vlen }, (_, i) => {
            const low = BigInt(this.u32(at + i * stride + 4));
            const value =
              type.kind === Kind.Enum64 ? (BigInt(this.u32(at + i * stride + 8)) << 32n) | low : low;
            return {
              name: this.string(this.u32(at + i * stride)),
              value: type.kindFlag ? BigInt.asIntN(bits, value) : value,
            };
          }),
        };
      }
      case Kind.Fwd:
        return { kind: 'fwd', name: type.name, union: type.kindFlag };
      case Kind.Typedef:
        return { kind: 'typedef', name: type.name, target: type.sizeOrType };
      case Kind.Const:
        return { kind: 'const', target: type.sizeOrType };
      case Kind.Volatile:
        return { kind: 'volatile', target: type.sizeOrType };
      case Kind.Restrict:
        return { kind: 'restrict', target: type.sizeOrType };
      case Kind.TypeTag:
        // A type tag (`__user`, `__rcu`) is an annotation for the verifier; C sees the tagged type.
        return this.typeInfo(type.sizeOrType);
      case Kind.FuncProto:
        return {
          kind: 'func_proto',
          returns: type.sizeOrType,
          params: Array.from({ length: type.vlen }, (_, i) => ({
            name: this.string(this.u32(at + i * 8)),
            type: this.u32(at + i * 8 + 4),
          })),
        };
      default:
        throw new UapiLookupError('BTF', `type id ${id} (kind ${type.kind}) has no C type declaration`);
    }
  }

  /**
   * The data sections of a BPF object's BTF (BTF_KIND_DATASEC: `.bss`, `.data`, `.rodata`, `.data.*`),
   * each with its variables (BTF_KIND_VAR) by name, type, offset and size. Empty for a kernel's BTF.
   */
  datasecs(): BtfDatasec[] {
    const sections: BtfDatasec[] = [];
    this.types.forEach((type, id) => {
      if (type.kind !== Kind.Datasec) return;
      const variables = Array.from({ length: type.vlen }, (_, i) => {
        const at = type.trailer + i * 12;
        const varType = this.types[this.u32(at)];
        if (!varType || varType.kind !== Kind.Var) {
          throw new UapiLookupError('BTF', `datasec '${type.name}' member ${i} is not a variable`);
        }
        return {
          name: varType.name,
          type: varType.sizeOrType,
          offset: this.u32(at + 4),
          size: this.u32(at + 8),
          linkage: this.u32(varType.trailer),
        };
      }).sort((a, b) => a.offset - b.offset);
      sections.push({ id, name: type.name, size: type.sizeOrType, variables });
    });
    return sections;
  }

  /** sizeof a kernel record, undefined when the kernel has no such record. */
  recordSize(cType: string): number | undefined {
    const id = this.byName.get(cType);
    return id === undefined ? undefined : this.types[id]!.sizeOrType;
  }

  private fieldsOf(record: BtfType, prefix: string, base: number): KernelField[] {
    const fields: KernelField[] = [];
    for (let i = 0; i < record.vlen; i++) {
      const at = record.trailer + i * 12;
      const name = this.string(this.u32(at));
      const typeId = this.u32(at + 4);
      const raw = this.u32(at + 8);
      const bitfieldSize = record.kindFlag ? raw >>> 24 : 0;
      const bitOffset = base + (record.kindFlag ? raw & 0xffffff : raw);
      const type = this.resolve(typeId);
      const nested = type.kind === Kind.Struct || type.kind === Kind.Union;
      if (!name) {
        if (nested) fields.push(...this.fieldsOf(type, prefix, bitOffset));
        continue;
      }
      const path = `${prefix}${name}`;
      const bitfield = bitfieldSize > 0;
      fields.push({
        path,
        bitOffset,
        bitSize: bitfield ? bitfieldSize : this.byteSize(typeId) * 8,
        bitfield,
      });
      if (nested) fields.push(...this.fieldsOf(type, `${path}.`, bitOffset));
    }
    return fields;
  }
}
