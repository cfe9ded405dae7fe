import { type BtfVariable, type KernelBtf, ProgrunErrorCode, ValidationError } from '@progrun/uapi';
import { type BtfValue, BtfValueCodec } from '../btf/btf-value-codec.js';
import * as v from '../validate.js';
import { BpfObjectError } from './bpf-object-error.js';
import type { ObjectMap } from './object-map.js';
import type { ObjectState } from './object-state.js';

/** Sections whose globals user space may not change once the object is loaded (libbpf freezes their maps). */
const READ_ONLY_SECTION = /^\.rodata(\.|$)/;

/**
 * A global variable of a BPF object (`.bss`, `.data`, `.rodata`, a custom `.data.*`/`.rodata.*`
 * section), found through the object's BTF: libbpf's skeleton `skel->bss->x`, cilium/ebpf's `Variable`.
 * Its value is read and written as a JavaScript value of its BTF type ({@link BtfValue}: numbers, bigint
 * from 8 bytes, objects, arrays), or as bytes ({@link bytes}, {@link setBytes}).
 *
 * Before load() it reads and writes the variable's initial value (what the verifier sees: how
 * `const volatile` settings reach a program). After load() it reads and writes the live variable in the
 * kernel's map (BPF_MAP_LOOKUP_ELEM / BPF_MAP_UPDATE_ELEM of the section's whole value: write while no
 * test run of the object is in flight, or the run's own writes to the section's other variables may be
 * lost). `.rodata` variables are read-only after load().
 *
 * Minimum kernel: 5.2 (global data). Requires an object compiled with BTF (`clang -g`).
 */
export class GlobalVariable {
  readonly #state: ObjectState;
  readonly #map: ObjectMap;
  readonly #codec: BtfValueCodec;
  /** The variable's C name. */
  readonly name: string;
  /** Its ELF section (`.bss`, `.data`, `.rodata`, `.data.custom`). */
  readonly section: string;
  /** Byte offset in the section. */
  readonly offset: number;
  /** Bytes of the variable. */
  readonly size: number;
  /** Its BTF type id in the object's BTF. */
  readonly typeId: number;
  /** Whether it can change after load() (false for `.rodata`). */
  readonly writableAfterLoad: boolean;

  /** @internal made by BpfObject from its BTF data sections */
  constructor(state: ObjectState, map: ObjectMap, btf: KernelBtf, variable: BtfVariable) {
    this.#state = state;
    this.#map = map;
    this.name = variable.name;
    this.section = map.section;
    this.offset = variable.offset;
    this.size = variable.size;
    this.typeId = variable.type;
    this.writableAfterLoad = !READ_ONLY_SECTION.test(map.section);
    this.#codec = new BtfValueCodec(btf, variable.type, variable.name);
  }

  /** The whole section's bytes: the initial values before load(), the kernel map's value after. */
  #section(): Uint8Array {
    if (!this.#state.loaded) return this.#map.initialValue();
    using map = this.#map.toMap();
    const value = map.lookup(new Uint8Array(4));
    if (value === undefined) {
      throw new BpfObjectError({
        operation: 'use',
        object: this.#state.label,
        code: ProgrunErrorCode.BPF_OBJECT_NOT_LOADED,
        detail: `the map of section '${this.section}' holds no value`,
      });
    }
    return value;
  }

  /**
   * The variable's bytes (a copy).
   * @throws {BpfObjectError} once the object is closed; {@link BpfError} from the map lookup after load().
   */
  bytes(): Buffer {
    return Buffer.from(this.#section().subarray(this.offset, this.offset + this.size));
  }

  /**
   * The variable's value, decoded through its BTF type.
   * @throws As {@link bytes}.
   */
  get(): BtfValue {
    return this.#codec.decode(this.bytes());
  }

  /**
   * Sets the variable to `value`, a value of its BTF type (members and elements not given are zero).
   *
   * @throws {ValidationError} (field: the variable's name, or a part of it: `name.member`, `name[2]`) for
   *   a value that does not fit the type.
   * @throws {BpfObjectError} ERR_PROGRUN_BPF_OBJECT_LOADED for a `.rodata` variable after load();
   *   ERR_PROGRUN_BPF_OBJECT_CLOSED once closed.
   * @throws {BpfError} from the map update after load().
   */
  set(value: BtfValue): void {
    this.#write((section) => this.#codec.encodeInto(value, section, this.offset));
  }

  /**
   * Sets the variable's bytes.
   * @throws {ValidationError} (field `bytes`) for bytes of another size than the variable's.
   * @throws As {@link set}.
   */
  setBytes(bytes: Uint8Array): void {
    const given = v.bytes('bytes', bytes);
    if (given.byteLength !== this.size) {
      throw new ValidationError('bytes', `${this.size} bytes (the size of '${this.name}')`, {
        received: given,
      });
    }
    this.#write((section) => section.set(given, this.offset));
  }

  #write(patch: (section: Buffer) => void): void {
    if (this.#state.loaded && !this.writableAfterLoad) {
      throw new BpfObjectError({
        operation: 'configure',
        object: this.#state.label,
        code: ProgrunErrorCode.BPF_OBJECT_LOADED,
        detail: `'${this.name}' is in '${this.section}', which is read-only once loaded: set it before load()`,
      });
    }
    const section = Buffer.from(this.#section());
    patch(section);
    if (!this.#state.loaded) {
      this.#map.setInitialValue(section);
      return;
    }
    using map = this.#map.toMap();
    map.update(new Uint8Array(4), section);
  }
}
