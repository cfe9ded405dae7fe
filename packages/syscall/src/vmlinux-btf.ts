import { existsSync, readFileSync } from 'node:fs';
import { NotSupportedError } from './errors/not-supported-error.js';
import { ValidationError } from './errors/validation-error.js';

/** Where the running kernel publishes its BTF (Linux 5.4+, CONFIG_DEBUG_INFO_BTF). */
export const VMLINUX_BTF_PATH = '/sys/kernel/btf/vmlinux';

/** BTF kinds (linux/btf.h `BTF_KIND_*`) this reader needs to name, and how many bytes follow each type. */
export const BTF_KIND_STRUCT = 4;
export const BTF_KIND_FUNC = 12;

const BTF_MAGIC = 0xeb9f;

// Bytes of kind-specific data after the 12-byte struct btf_type, per kind, given vlen.
function trailing(kind: number, vlen: number): number {
  switch (kind) {
    case 1: // INT
    case 14: // VAR
    case 17: // DECL_TAG
      return 4;
    case 3: // ARRAY
      return 12;
    case 4: // STRUCT
    case 5: // UNION
    case 15: // DATASEC
    case 19: // ENUM64
      return 12 * vlen;
    case 6: // ENUM
    case 13: // FUNC_PROTO
      return 8 * vlen;
    case 2: // PTR
    case 7: // FWD
    case 8: // TYPEDEF
    case 9: // VOLATILE
    case 10: // CONST
    case 11: // RESTRICT
    case 12: // FUNC
    case 16: // FLOAT
    case 18: // TYPE_TAG
      return 0;
    default:
      throw new Error(`unknown BTF kind ${kind} (a BTF format newer than this reader)`);
  }
}

/** A named type of the kernel's BTF. */
export interface BtfType {
  /** The BTF type id (what BPF_PROG_LOAD's attach_btf_id takes). */
  readonly id: number;
  readonly kind: number;
  /** Member names, for structs and unions. */
  readonly members: readonly string[];
}

/**
 * A minimal reader of the kernel's own BTF: finds the id of a function or struct by name, for programs
 * attached through BTF (tracing, struct_ops). Parsed once, lazily.
 * @internal
 */
export class VmlinuxBtf {
  readonly #index = new Map<string, BtfType>();

  private constructor(bytes: Buffer, kinds: ReadonlySet<number>) {
    if (bytes.length < 24 || bytes.readUInt16LE(0) !== BTF_MAGIC) throw new Error('not BTF (bad magic)');
    const headerLength = bytes.readUInt32LE(4);
    const typesStart = headerLength + bytes.readUInt32LE(8);
    const typesEnd = typesStart + bytes.readUInt32LE(12);
    const stringsStart = headerLength + bytes.readUInt32LE(16);
    const stringsEnd = stringsStart + bytes.readUInt32LE(20);
    if (typesEnd > bytes.length || stringsEnd > bytes.length) throw new Error('truncated BTF');
    const name = (offset: number) => {
      const start = stringsStart + offset;
      const end = bytes.indexOf(0, start);
      return bytes.toString('latin1', start, end < 0 || end > stringsEnd ? stringsEnd : end);
    };
    let id = 1;
    for (let at = typesStart; at + 12 <= typesEnd; id++) {
      const nameOffset = bytes.readUInt32LE(at);
      const info = bytes.readUInt32LE(at + 4);
      const kind = (info >>> 24) & 0x1f;
      const vlen = info & 0xffff;
      if (kinds.has(kind) && nameOffset !== 0) {
        const members: string[] = [];
        if (kind === BTF_KIND_STRUCT) {
          for (let m = 0; m < vlen; m++) members.push(name(bytes.readUInt32LE(at + 12 + m * 12)));
        }
        const key = `${kind}:${name(nameOffset)}`;
        if (!this.#index.has(key)) this.#index.set(key, { id, kind, members });
      }
      at += 12 + trailing(kind, vlen);
    }
  }

  static #loaded: VmlinuxBtf | Error | undefined;

  /**
   * The running kernel's BTF.
   * @throws {Error} when the kernel publishes none or it cannot be read (cached).
   */
  static load(): VmlinuxBtf {
    if (VmlinuxBtf.#loaded === undefined) {
      try {
        VmlinuxBtf.#loaded = new VmlinuxBtf(
          readFileSync(VMLINUX_BTF_PATH),
          new Set([BTF_KIND_STRUCT, BTF_KIND_FUNC]),
        );
      } catch (cause) {
        VmlinuxBtf.#loaded = new Error(`cannot read the kernel's BTF at ${VMLINUX_BTF_PATH}`, { cause });
      }
    }
    if (VmlinuxBtf.#loaded instanceof Error) throw VmlinuxBtf.#loaded;
    return VmlinuxBtf.#loaded;
  }

  /** The kernel function `name`, or undefined when the kernel has none. */
  func(name: string): BtfType | undefined {
    return this.#index.get(`${BTF_KIND_FUNC}:${name}`);
  }

  /** The struct `name`, or undefined when the kernel has none. */
  struct(name: string): BtfType | undefined {
    return this.#index.get(`${BTF_KIND_STRUCT}:${name}`);
  }
}

/** A function or struct of the running kernel's BTF, as {@link vmlinuxBtfType} finds it. */
export interface VmlinuxBtfType {
  /** The BTF type id: what `Program.load`'s `attachBtfId` takes. */
  readonly id: number;
  /**
   * A struct's member names, in order: for a STRUCT_OPS program, the index of the operation's member is
   * its `expectedAttachType`. Empty for a function.
   */
  readonly members: readonly string[];
}

/**
 * Finds a function or struct by name in the running kernel's BTF (/sys/kernel/btf/vmlinux), for loading
 * programs that attach through BTF: fentry/fexit/LSM programs take a function's id as `attachBtfId`
 * (`vmlinuxBtfType('func', 'bpf_fentry_test1')`), STRUCT_OPS programs the struct_ops type's id and the
 * operation's member index as `expectedAttachType` (`vmlinuxBtfType('struct', 'bpf_dummy_ops')`).
 * libbpf does this itself for ELF objects (`BpfObject`). The BTF is read once, on first use.
 *
 * Minimum kernel: 5.4, built with CONFIG_DEBUG_INFO_BTF.
 * @returns undefined when the kernel's BTF has no such function or struct.
 * @throws {ValidationError} for a kind other than 'func' or 'struct', or an empty name.
 * @throws {NotSupportedError} when the kernel publishes no BTF at /sys/kernel/btf/vmlinux.
 * @throws {Error} when that file cannot be read or parsed (its `cause` says why).
 */
export function vmlinuxBtfType(kind: 'func' | 'struct', name: string): VmlinuxBtfType | undefined {
  if (kind !== 'func' && kind !== 'struct') throw new ValidationError('kind', "'func' or 'struct'", kind);
  if (typeof name !== 'string' || name === '') throw new ValidationError('name', 'a non-empty string', name);
  if (!existsSync(VMLINUX_BTF_PATH)) {
    throw new NotSupportedError(`kernel BTF (${VMLINUX_BTF_PATH}, CONFIG_DEBUG_INFO_BTF)`, '5.4');
  }
  const btf = VmlinuxBtf.load();
  const type = kind === 'func' ? btf.func(name) : btf.struct(name);
  return type === undefined ? undefined : { id: type.id, members: type.members };
}
