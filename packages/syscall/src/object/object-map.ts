import { ProgrunErrorCode } from '@progrun/uapi';
import { mapTypeName } from '../enum-names.js';
import { BpfMap } from '../map.js';
import { type NativeElfMap, native } from '../native.js';
import * as v from '../validate.js';
import { BpfObjectError } from './bpf-object-error.js';
import type { ObjectState } from './object-state.js';

/**
 * One map of an ELF object: a `SEC(".maps")` definition, or an internal map libbpf made for global
 * variables (`<object>.bss`, `.data`, `.rodata`; found by their section name too). Sizes are configurable
 * until the object is loaded; afterwards {@link toMap} gives independent {@link BpfMap} handles.
 */
export class ObjectMap {
  readonly #state: ObjectState;
  /** The name libbpf gives the map (for internal maps, `<object prefix>.<section>`). */
  readonly name: string;
  /** Whether libbpf made the map for global variables (.bss, .data, .rodata, .kconfig). */
  readonly internal: boolean;

  /** @internal */
  constructor(state: ObjectState, described: NativeElfMap) {
    this.#state = state;
    this.name = described.name;
    this.internal = described.internal;
  }

  #describe(): NativeElfMap {
    return this.#state.entry(native.elfMaps(this.#state.handle()), this.name);
  }

  /** For an internal map, its section (`'.bss'`); otherwise the name. */
  get section(): string {
    const dot = this.name.indexOf('.');
    return this.internal && dot >= 0 ? this.name.slice(dot) : this.name;
  }

  /** `enum bpf_map_type`. */
  get type(): number {
    return this.#describe().type;
  }

  /** `BPF_MAP_TYPE_ARRAY`, for messages. */
  get typeName(): string {
    return mapTypeName(this.type);
  }

  get keySize(): number {
    return this.#describe().keySize;
  }

  get valueSize(): number {
    return this.#describe().valueSize;
  }

  get maxEntries(): number {
    return this.#describe().maxEntries;
  }

  /** BPF_F_* map flags. */
  get flags(): number {
    return this.#describe().flags;
  }

  /**
   * Changes the number of entries the map is created with. Before load() only.
   * @throws {BpfObjectError} ERR_PROGRUN_BPF_OBJECT_LOADED after load().
   */
  setMaxEntries(maxEntries: number): this {
    const n = v.integer('maxEntries', maxEntries, 1, v.U32_MAX);
    const handle = this.#state.handleBeforeLoad(`max entries of map '${this.name}'`);
    this.#state.check(
      native.elfMapSetMaxEntries(handle, this.name, n),
      'configure',
      `set max entries of '${this.name}'`,
    );
    return this;
  }

  /**
   * Replaces the initial contents of an internal map (the values of the globals in `.data`, `.rodata`,
   * `.bss`): how `const volatile` settings are given to a program before the verifier sees it. The
   * bytes must be exactly the section's size. Before load() only.
   *
   * @throws {BpfObjectError} EINVAL when the size differs or the map has no initial value.
   */
  setInitialValue(value: Uint8Array): this {
    const bytes = v.bytes('value', value);
    const handle = this.#state.handleBeforeLoad(`the initial value of map '${this.name}'`);
    this.#state.check(
      native.elfMapSetInitialValue(handle, this.name, bytes),
      'configure',
      `set the initial value of '${this.name}' (it must be exactly ${this.valueSize} bytes, for an internal map)`,
    );
    return this;
  }

  /**
   * A copy of an internal map's contents as libbpf holds them: the initial values before load(); after
   * it, for the memory-mapped `.bss`/`.data`, the live values.
   *
   * @throws {BpfObjectError} ENODATA for a map without contents (not an internal map).
   */
  initialValue(): Uint8Array {
    const result = native.elfMapInitialValue(this.#state.handle(), this.name);
    if (typeof result === 'number')
      this.#state.check(result, 'use', `read the contents of map '${this.name}'`);
    return result as Buffer;
  }

  /**
   * A new {@link BpfMap} handle on the created map, with its own fd (a duplicate): the caller owns it and
   * must close it; it stays valid after the object is closed. Each call returns a new handle.
   *
   * @throws {BpfObjectError} ERR_PROGRUN_BPF_OBJECT_NOT_LOADED before load(), ERR_PROGRUN_BPF_OBJECT_CLOSED once closed.
   */
  toMap(): BpfMap {
    const handle = this.#state.handleAfterLoad(`map '${this.name}'`);
    const fd = native.elfMapFd(handle, this.name);
    if (fd < 0) {
      throw new BpfObjectError({
        operation: 'use',
        object: this.#state.label,
        code: ProgrunErrorCode.BPF_OBJECT_NOT_LOADED,
        detail: `map '${this.name}' was not created`,
      });
    }
    try {
      return BpfMap.fromFd(fd);
    } catch (error) {
      native.closeFd(fd);
      throw error;
    }
  }
}
