import { ValidationError } from '@progrun/uapi';
import type { BtfValue, BtfValueCodec } from './btf/btf-value-codec.js';
import type { BpfMap, MapUpdateFlag } from './map.js';

/**
 * A {@link BpfMap} read and written as JavaScript values, encoded and decoded through the BTF types of
 * its key and value (cilium/ebpf's marshalling, aya's `HashMap<K, V>`): integers as `number` (`bigint`
 * from 8 bytes), structs as plain objects, arrays as arrays ({@link BtfValue}). A per-CPU map's value is
 * an array with one value per possible CPU. Made by {@link BpfMap.typed}; the bytes stay available
 * through {@link map}. Closing the map closes this view's map too.
 *
 * `K` and `V` are what the caller knows the types to be (for a per-CPU map `V` is the array:
 * `typed<number, bigint[]>()`); they are not checked against BTF at compile time, but every value is
 * checked against it when encoded.
 */
export class TypedMap<K extends BtfValue = BtfValue, V extends BtfValue = BtfValue> {
  /** The map, for byte-level access. */
  readonly map: BpfMap;
  /** The codec of the key type, undefined for maps without keys (queue, stack). */
  readonly keyCodec: BtfValueCodec | undefined;
  /** The codec of one value (of one CPU's value for per-CPU maps). */
  readonly valueCodec: BtfValueCodec;

  /** @internal made by BpfMap.typed() */
  constructor(map: BpfMap, keyCodec: BtfValueCodec | undefined, valueCodec: BtfValueCodec) {
    this.map = map;
    this.keyCodec = keyCodec;
    this.valueCodec = valueCodec;
  }

  #key(key: K | null): Buffer | null {
    return this.keyCodec === undefined ? null : this.keyCodec.encode(key);
  }

  #decode(bytes: Buffer): V {
    if (!this.map.perCpu) return this.valueCodec.decode(bytes) as V;
    const values: BtfValue[] = [];
    for (let at = 0; at < bytes.byteLength; at += this.map.valueSlotSize) {
      values.push(this.valueCodec.decode(bytes, at));
    }
    return values as unknown as V;
  }

  /**
   * The value under `key`, decoded; an array with one value per possible CPU for per-CPU maps; undefined
   * when absent (BPF_MAP_LOOKUP_ELEM).
   * @throws {ValidationError} (field `key`, `key.member`...) for a key that does not fit the key type.
   * @throws {BpfError} as {@link BpfMap.lookup}.
   */
  get(key: K): V | undefined {
    const bytes = this.map.lookup(this.#key(key));
    return bytes === undefined ? undefined : this.#decode(bytes);
  }

  /**
   * Stores `value` under `key` (BPF_MAP_UPDATE_ELEM); for per-CPU maps `value` is an array with one value
   * per possible CPU. flags as {@link BpfMap.update}.
   * @throws {ValidationError} for a key or value that does not fit its type (field `key`, `value`,
   *   `value[cpu]`, `value.member`...).
   * @throws {BpfError} as {@link BpfMap.update}.
   */
  set(key: K, value: V, flags: MapUpdateFlag = 'any'): void {
    const keyBytes = this.#key(key);
    if (!this.map.perCpu) {
      this.map.update(keyBytes, this.valueCodec.encode(value), flags);
      return;
    }
    const cpus = this.map.fullValueSize / this.map.valueSlotSize;
    if (!Array.isArray(value) || value.length !== cpus) {
      throw new ValidationError('value', `an array of ${cpus} values (one per possible CPU)`, {
        received: value,
      });
    }
    const bytes = Buffer.alloc(this.map.fullValueSize);
    value.forEach((one, cpu) => {
      this.#encodeSlot(one, bytes, cpu);
    });
    this.map.update(keyBytes, bytes, flags);
  }

  #encodeSlot(value: unknown, bytes: Buffer, cpu: number): void {
    try {
      this.valueCodec.encodeInto(value, bytes, cpu * this.map.valueSlotSize);
    } catch (error) {
      if (ValidationError.isInstance(error) && error.field.startsWith('value')) {
        throw new ValidationError(`value[${cpu}]${error.field.slice('value'.length)}`, error.rule, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * Removes `key` (BPF_MAP_DELETE_ELEM); false when it was absent.
   * @throws {ValidationError} for a key that does not fit the key type.
   * @throws {BpfError} as {@link BpfMap.delete}.
   */
  delete(key: K): boolean {
    const bytes = this.#key(key);
    return this.map.delete(bytes ?? new Uint8Array(0));
  }

  /** Every key, decoded (BPF_MAP_GET_NEXT_KEY walk, as {@link BpfMap.keys}). */
  *keys(): IterableIterator<K> {
    const codec = this.keyCodec;
    if (codec === undefined) return;
    for (const key of this.map.keys()) yield codec.decode(key) as K;
  }

  /** Every key with its value, decoded; entries deleted during the walk are skipped. */
  *entries(): IterableIterator<[K, V]> {
    const codec = this.keyCodec;
    if (codec === undefined) return;
    for (const [key, value] of this.map.entries()) yield [codec.decode(key) as K, this.#decode(value)];
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }
}
