import { types } from 'node:util';
import {
  BPF_F_RDONLY,
  BPF_F_WRONLY,
  BpfMapType as MapType,
  type BpfMapTypeName as MapTypeName,
  ValidationError,
} from '@progrun/uapi';
import { type BtfValue, BtfValueCodec } from './btf/btf-value-codec.js';
import { BtfHandle } from './btf-handle.js';
import { checkResult } from './commands/check-result.js';
import {
  bpfMapDeleteBatch,
  bpfMapLookupAndDeleteBatch,
  bpfMapLookupBatch,
  bpfMapUpdateBatch,
  type MapBatchResult,
} from './commands/map-batch.js';
import { bpfMapCreate } from './commands/map-create.js';
import { bpfGetFdById } from './commands/obj-by-id.js';
import { bpfObjGet, bpfObjPin } from './commands/obj-pin.js';
import { mapTypeName } from './enum-names.js';
import { enumValue } from './enum-value.js';
import { BpfError } from './errors/bpf-error.js';
import { errnoOf } from './errors/errno-names.js';
import { FdOwner } from './fd.js';
import { requireFdKind } from './fd-kind.js';
import { type MapInfo, readMapInfo } from './map-info.js';
import { native } from './native.js';
import { possibleCpus } from './possible-cpus.js';
import { TypedMap } from './typed-map.js';
import * as v from './validate.js';

/** A map type: the `enum bpf_map_type` number or its name (`'HASH'`, `'BPF_MAP_TYPE_HASH'`). */
export type MapTypeInput = number | MapTypeName | `BPF_MAP_TYPE_${MapTypeName}`;

/** Options of {@link BpfMap.create}. Unknown fields are rejected. */
export interface MapCreateOptions {
  readonly type: MapTypeInput;
  /** Bytes per key (0 for queue, stack, bloom filter). */
  readonly keySize: number;
  /** Bytes per value (per CPU, for per-CPU maps). */
  readonly valueSize: number;
  readonly maxEntries: number;
  /** BPF_F_* map flags (BPF_F_NO_PREALLOC, BPF_F_RDONLY_PROG, BPF_F_MMAPABLE, ...). Default 0. */
  readonly flags?: number;
  /** At most 15 bytes (Linux 4.15+). */
  readonly name?: string;
  /** Template inner map for ARRAY_OF_MAPS / HASH_OF_MAPS. */
  readonly innerMap?: BpfMap;
  /** NUMA node, with BPF_F_NUMA_NODE. */
  readonly numaNode?: number;
  /** Type-specific extra (bloom filter: number of hash functions; Linux 5.16+). */
  readonly mapExtra?: bigint | number;
  /** BTF describing key and value (Linux 4.18+). */
  readonly btfFd?: number;
  readonly btfKeyTypeId?: number;
  readonly btfValueTypeId?: number;
}

/** update() flags: as a name or the BPF_ANY/NOEXIST/EXIST value (optionally | BPF_F_LOCK). */
export type MapUpdateFlag = 'any' | 'noexist' | 'exist' | number;

/** One page of a batch lookup. */
export interface MapBatch {
  /** Keys and values of this page; views into one buffer each. */
  readonly keys: Buffer[];
  readonly values: Buffer[];
  /** Where to resume: pass to the next call. Undefined once the walk reached the end of the map. */
  readonly next: Buffer | undefined;
}

const CREATE_OPTIONS: readonly (keyof MapCreateOptions)[] = [
  'type',
  'keySize',
  'valueSize',
  'maxEntries',
  'flags',
  'name',
  'innerMap',
  'numaNode',
  'mapExtra',
  'btfFd',
  'btfKeyTypeId',
  'btfValueTypeId',
];
const PER_CPU: ReadonlySet<number> = new Set([
  MapType.PERCPU_HASH,
  MapType.PERCPU_ARRAY,
  MapType.LRU_PERCPU_HASH,
  MapType.PERCPU_CGROUP_STORAGE,
]);
const UPDATE_FLAGS = { any: 0, noexist: 1, exist: 2 } as const;
const ENOENT = -errnoOf('ENOENT');
const ENOSPC = errnoOf('ENOSPC');

/**
 * A BPF map. Keys and values are raw bytes of the map's sizes; per-CPU maps transfer one value slot per
 * possible CPU, each {@link valueSlotSize} bytes (the value rounded up to 8), {@link fullValueSize} bytes
 * in all ({@link lookupPerCpu} splits them). Maps created with BTF also read and write JavaScript values
 * through {@link typed}. Owns its fd: `close()` it, or declare it with `using`.
 *
 * @example
 * ```ts
 * using counts = BpfMap.create({ type: 'ARRAY', keySize: 4, valueSize: 8, maxEntries: 1 });
 * counts.update(new Uint8Array(4), new Uint8Array(8));
 * ```
 */
export class BpfMap extends FdOwner {
  /** `enum bpf_map_type` value. */
  readonly type: number;
  readonly keySize: number;
  /** Bytes of one value, as created (of one CPU's value, for per-CPU maps). */
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  readonly name: string;
  /** Whether the map holds one value per possible CPU (PERCPU_HASH, PERCPU_ARRAY, ...). */
  readonly perCpu: boolean;
  /**
   * Bytes from one CPU's value to the next in what a per-CPU lookup returns: valueSize rounded up to 8
   * (the kernel's `round_up(value_size, 8)`). valueSize for other maps.
   */
  readonly valueSlotSize: number;
  /**
   * Bytes a lookup returns and an update takes: valueSize, or for per-CPU maps valueSlotSize times the
   * number of possible CPUs.
   */
  readonly fullValueSize: number;

  private constructor(
    fd: number,
    info: Pick<MapInfo, 'type' | 'keySize' | 'valueSize' | 'maxEntries' | 'flags' | 'name'>,
  ) {
    super(fd, `${mapTypeName(info.type)} map${info.name ? ` '${info.name}'` : ''}`);
    this.type = info.type;
    this.keySize = info.keySize;
    this.valueSize = info.valueSize;
    this.maxEntries = info.maxEntries;
    this.flags = info.flags;
    this.name = info.name;
    this.perCpu = PER_CPU.has(info.type);
    this.valueSlotSize = this.perCpu ? Math.ceil(info.valueSize / 8) * 8 : info.valueSize;
    this.fullValueSize = this.perCpu ? this.valueSlotSize * possibleCpus() : info.valueSize;
  }

  /**
   * Creates a map (BPF_MAP_CREATE).
   *
   * Minimum kernel: 3.18; each map type and option has its own.
   * @throws {ValidationError} for a missing, unknown or malformed option.
   * @throws {BpfError} when the kernel refuses (EINVAL for sizes the type rejects, EPERM, ENOMEM, ...).
   */
  static create(options: MapCreateOptions): BpfMap {
    const o = v.options<MapCreateOptions>('options', options, CREATE_OPTIONS);
    if (o.type === undefined) throw new ValidationError('options.type', 'a map type (required)');
    const type = enumValue('options.type', o.type, MapType, 'BPF_MAP_TYPE_');
    if (o.innerMap !== undefined && !(o.innerMap instanceof BpfMap)) {
      throw new ValidationError('options.innerMap', 'a BpfMap', { received: o.innerMap });
    }
    const attr = {
      mapType: type,
      keySize: v.u32('options.keySize', o.keySize),
      valueSize: v.u32('options.valueSize', o.valueSize),
      maxEntries: v.u32('options.maxEntries', o.maxEntries),
      mapFlags: v.optionalU32('options.flags', o.flags),
      name: o.name === undefined ? undefined : v.string('options.name', o.name, 15),
      innerMapFd: o.innerMap?.requireFd('BPF_MAP_CREATE'),
      numaNode: v.optionalU32('options.numaNode', o.numaNode),
      mapExtra: v.optionalU64('options.mapExtra', o.mapExtra),
      btfFd: o.btfFd === undefined ? undefined : v.fd('options.btfFd', o.btfFd),
      btfKeyTypeId: v.optionalU32('options.btfKeyTypeId', o.btfKeyTypeId),
      btfValueTypeId: v.optionalU32('options.btfValueTypeId', o.btfValueTypeId),
    };
    const fd = bpfMapCreate(attr);
    return new BpfMap(fd, {
      type,
      keySize: attr.keySize,
      valueSize: attr.valueSize,
      maxEntries: attr.maxEntries,
      flags: attr.mapFlags,
      name: attr.name ?? '',
    });
  }

  /**
   * Wraps an fd of a map (from an ELF loader, BPF_OBJ_GET, ...), reading its sizes from the kernel. The
   * BpfMap takes ownership of the fd.
   *
   * Minimum kernel: 4.13.
   * @throws {ValidationError} for an fd that is not a map's.
   * @throws {BpfError} EBADF when the fd is not open.
   */
  static fromFd(fd: number): BpfMap {
    requireFdKind(fd, 'map');
    return new BpfMap(fd, readMapInfo(fd));
  }

  /**
   * Opens the map pinned at `path` (BPF_OBJ_GET), read-only or write-only if asked (Linux 4.15+).
   *
   * Minimum kernel: 4.4.
   * @throws {BpfError} ENOENT when nothing is pinned there.
   */
  static fromPin(path: string, options?: { readonly access?: 'rw' | 'ro' | 'wo' }): BpfMap {
    const access = v.options<{ access: 'rw' | 'ro' | 'wo' }>('options', options, ['access']).access ?? 'rw';
    const flags = { rw: 0, ro: BPF_F_RDONLY, wo: BPF_F_WRONLY }[
      v.oneOf('options.access', access, ['rw', 'ro', 'wo'])
    ];
    return BpfMap.#adopt(bpfObjGet(path, flags));
  }

  /**
   * Opens the map with kernel id `id` (BPF_MAP_GET_FD_BY_ID). Needs CAP_SYS_ADMIN.
   *
   * Minimum kernel: 4.13.
   * @throws {BpfError} ENOENT when no map has that id.
   */
  static fromId(id: number): BpfMap {
    return BpfMap.#adopt(bpfGetFdById('map', id));
  }

  static #adopt(fd: number): BpfMap {
    try {
      return BpfMap.fromFd(fd);
    } catch (error) {
      native.closeFd(fd);
      throw error;
    }
  }

  #key(key: unknown, field = 'key'): Uint8Array | null {
    if (this.keySize === 0 && (key === null || key === undefined)) return null;
    const bytes = v.bytes(field, key);
    if (bytes.byteLength !== this.keySize)
      throw new ValidationError(field, `${this.keySize} bytes (the map's keySize)`, { received: bytes });
    return bytes;
  }

  #value(value: unknown, field = 'value'): Uint8Array {
    const bytes = v.bytes(field, value);
    if (bytes.byteLength !== this.fullValueSize) {
      throw new ValidationError(
        field,
        `${this.fullValueSize} bytes (${this.perCpu ? 'one 8-byte-aligned slot per possible CPU: fullValueSize' : "the map's valueSize"})`,
        { received: bytes },
      );
    }
    return bytes;
  }

  /**
   * The value stored under `key` (BPF_MAP_LOOKUP_ELEM), or undefined when absent. For queue and stack
   * maps pass null to peek. flags: BPF_F_LOCK (Linux 5.1+).
   *
   * @throws {ValidationError} for a key of the wrong size.
   * @throws {BpfError} for errors other than absence (EBADF once closed, ...).
   */
  lookup(key: Uint8Array | null, flags: bigint | number = 0): Buffer | undefined {
    const value = Buffer.alloc(this.fullValueSize);
    const ret = native.mapLookupElem(
      this.requireFd('BPF_MAP_LOOKUP_ELEM'),
      this.#key(key),
      value,
      v.optionalU64('flags', flags),
    );
    if (ret === ENOENT) return undefined;
    checkResult(ret, 'BPF_MAP_LOOKUP_ELEM');
    return value;
  }

  /**
   * Stores `value` under `key` (BPF_MAP_UPDATE_ELEM). flags: 'any' (default), 'noexist', 'exist', or the
   * numeric flags (with BPF_F_LOCK). For queue and stack maps pass null as the key to push.
   *
   * @throws {ValidationError} for a key or value of the wrong size.
   * @throws {BpfError} EEXIST ('noexist' and present), ENOENT ('exist' and absent), E2BIG (full), ...
   */
  update(key: Uint8Array | null, value: Uint8Array, flags: MapUpdateFlag = 'any'): void {
    const numeric =
      typeof flags === 'string'
        ? UPDATE_FLAGS[v.oneOf('flags', flags, ['any', 'noexist', 'exist'])]
        : v.u32('flags', flags);
    checkResult(
      native.mapUpdateElem(
        this.requireFd('BPF_MAP_UPDATE_ELEM'),
        this.#key(key),
        this.#value(value),
        numeric,
      ),
      'BPF_MAP_UPDATE_ELEM',
    );
  }

  /**
   * A per-CPU map's value under `key`, one `valueSize`-byte view per possible CPU (index = CPU number), or
   * undefined when absent: {@link lookup}'s bytes split at each {@link valueSlotSize}.
   *
   * Minimum kernel: 4.6 (per-CPU maps).
   * @throws {ValidationError} for a map that is not per-CPU (field `map`) or a key of the wrong size.
   * @throws {BpfError} as lookup.
   */
  lookupPerCpu(key: Uint8Array): Buffer[] | undefined {
    this.#requirePerCpu('lookupPerCpu');
    const value = this.lookup(key);
    if (value === undefined) return undefined;
    return Array.from({ length: this.fullValueSize / this.valueSlotSize }, (_, cpu) =>
      value.subarray(cpu * this.valueSlotSize, cpu * this.valueSlotSize + this.valueSize),
    );
  }

  /**
   * Stores one value per possible CPU under `key` in a per-CPU map (`values[cpu]`, each `valueSize`
   * bytes; as many as {@link possibleCpus}). flags as {@link update}.
   *
   * Minimum kernel: 4.6 (per-CPU maps).
   * @throws {ValidationError} for a map that is not per-CPU (field `map`), a wrong number of values
   *   (`values`) or a value of the wrong size (`values[i]`).
   * @throws {BpfError} as update.
   */
  updatePerCpu(key: Uint8Array, values: readonly Uint8Array[], flags: MapUpdateFlag = 'any'): void {
    this.#requirePerCpu('updatePerCpu');
    const cpus = this.fullValueSize / this.valueSlotSize;
    if (!Array.isArray(values) || values.length !== cpus) {
      throw new ValidationError('values', `an array of ${cpus} values (one per possible CPU)`, {
        received: values,
      });
    }
    const joined = Buffer.alloc(this.fullValueSize);
    values.forEach((value, cpu) => {
      const bytes = v.bytes(`values[${cpu}]`, value);
      if (bytes.byteLength !== this.valueSize) {
        throw new ValidationError(`values[${cpu}]`, `${this.valueSize} bytes (the map's valueSize)`, {
          received: bytes,
        });
      }
      joined.set(bytes, cpu * this.valueSlotSize);
    });
    this.update(key, joined, flags);
  }

  #requirePerCpu(method: string): void {
    if (!this.perCpu) {
      throw new ValidationError('map', `a per-CPU map for ${method}() (this is a ${mapTypeName(this.type)})`);
    }
  }

  /**
   * Removes `key` (BPF_MAP_DELETE_ELEM). Returns false when it was absent.
   *
   * @throws {BpfError} EINVAL for array maps (their elements cannot be deleted), ...
   */
  delete(key: Uint8Array): boolean {
    const ret = native.mapDeleteElem(this.requireFd('BPF_MAP_DELETE_ELEM'), this.#key(key), 0);
    if (ret === ENOENT) return false;
    checkResult(ret, 'BPF_MAP_DELETE_ELEM');
    return true;
  }

  /**
   * Removes and returns the value under `key` (BPF_MAP_LOOKUP_AND_DELETE_ELEM); with null, pops a queue
   * or stack. Undefined when absent or empty.
   *
   * Minimum kernel: 4.20 (queue, stack), 5.14 (hash maps).
   * @throws {BpfError} for map types without it (ENOTSUPP/EINVAL), ...
   */
  lookupAndDelete(key: Uint8Array | null): Buffer | undefined {
    const value = Buffer.alloc(this.fullValueSize);
    const ret = native.mapLookupAndDeleteElem(
      this.requireFd('BPF_MAP_LOOKUP_AND_DELETE_ELEM'),
      this.#key(key),
      value,
      0,
    );
    if (ret === ENOENT) return undefined;
    checkResult(ret, 'BPF_MAP_LOOKUP_AND_DELETE_ELEM');
    return value;
  }

  /**
   * The key after `key` in the map's order (BPF_MAP_GET_NEXT_KEY); the first key when `key` is null or
   * undefined. Undefined at the end.
   *
   * @throws {BpfError} EBADF once closed, ...
   */
  nextKey(key?: Uint8Array | null): Buffer | undefined {
    const next = Buffer.alloc(this.keySize);
    const ret = native.mapGetNextKey(
      this.requireFd('BPF_MAP_GET_NEXT_KEY'),
      key == null ? null : this.#key(key),
      next,
    );
    if (ret === ENOENT) return undefined;
    checkResult(ret, 'BPF_MAP_GET_NEXT_KEY');
    return next;
  }

  /**
   * Every key, walking with BPF_MAP_GET_NEXT_KEY. A hash map changed during the walk may restart it from
   * the first key or skip keys, as in the kernel.
   */
  *keys(): IterableIterator<Buffer> {
    for (let key = this.nextKey(); key !== undefined; key = this.nextKey(key)) yield key;
  }

  /** Every key with its value; entries deleted during the walk are skipped. */
  *entries(): IterableIterator<[Buffer, Buffer]> {
    for (const key of this.keys()) {
      const value = this.lookup(key);
      if (value !== undefined) yield [key, value];
    }
  }

  [Symbol.iterator](): IterableIterator<[Buffer, Buffer]> {
    return this.entries();
  }

  /**
   * Up to `count` elements from `from` (a previous page's `next`; the start when absent), in one call
   * (BPF_MAP_LOOKUP_BATCH). A hash bucket larger than `count` makes the kernel answer ENOSPC; the page
   * is then fetched again with room for it.
   *
   * Minimum kernel: 5.6 (hash, array, per-CPU; more types later).
   * @throws {BpfError} for map types without batch operations (EINVAL/ENOTSUPP), ...
   */
  lookupBatch(count: number, from?: Buffer): MapBatch {
    return this.#readBatch(bpfMapLookupBatch, count, from);
  }

  /**
   * As {@link lookupBatch}, deleting the elements it returns (BPF_MAP_LOOKUP_AND_DELETE_BATCH).
   *
   * Minimum kernel: 5.6 (hash maps).
   * @throws As lookupBatch.
   */
  lookupAndDeleteBatch(count: number, from?: Buffer): MapBatch {
    return this.#readBatch(bpfMapLookupAndDeleteBatch, count, from);
  }

  /**
   * Stores every key/value pair in one call (BPF_MAP_UPDATE_BATCH). Returns how many were stored.
   *
   * Minimum kernel: 5.6.
   * @throws {ValidationError} for keys or values of the wrong size or unequal counts.
   * @throws {BpfError} with the errno of the first failing element.
   */
  updateBatch(
    keys: readonly Uint8Array[],
    values: readonly Uint8Array[],
    flags: MapUpdateFlag = 'any',
  ): number {
    if (!Array.isArray(keys) || !Array.isArray(values) || keys.length !== values.length) {
      throw new ValidationError('keys, values', 'arrays of equal length');
    }
    const elemFlags =
      typeof flags === 'string'
        ? UPDATE_FLAGS[v.oneOf('flags', flags, ['any', 'noexist', 'exist'])]
        : v.u32('flags', flags);
    return bpfMapUpdateBatch({
      mapFd: this.requireFd('BPF_MAP_UPDATE_BATCH'),
      keys: Buffer.concat(keys.map((key, i) => this.#key(key, `keys[${i}]`) ?? new Uint8Array(0))),
      values: Buffer.concat(values.map((value) => this.#value(value))),
      count: keys.length,
      elemFlags,
    }).count;
  }

  /**
   * Deletes every key in one call (BPF_MAP_DELETE_BATCH). Returns how many were deleted.
   *
   * Minimum kernel: 5.6.
   * @throws {BpfError} ENOENT for an absent key (the ones before it were deleted), ...
   */
  deleteBatch(keys: readonly Uint8Array[]): number {
    if (!Array.isArray(keys)) throw new ValidationError('keys', 'an array of keys', { received: keys });
    return bpfMapDeleteBatch({
      mapFd: this.requireFd('BPF_MAP_DELETE_BATCH'),
      keys: Buffer.concat(keys.map((key, i) => this.#key(key, `keys[${i}]`) ?? new Uint8Array(0))),
      count: keys.length,
    }).count;
  }

  #readBatch(
    call: (attr: Parameters<typeof bpfMapLookupBatch>[0]) => MapBatchResult,
    count: number,
    from?: Buffer,
  ): MapBatch {
    // A page never holds more than the map can: asking for more would only allocate for nothing.
    let room = Math.min(v.integer('count', count, 1, v.U32_MAX), Math.max(this.maxEntries, 1));
    const tokenSize = Math.max(this.keySize, 4);
    if (from !== undefined && (!types.isUint8Array(from) || from.byteLength !== tokenSize)) {
      throw new ValidationError('from', 'the `next` of a previous page of this map', { received: from });
    }
    for (;;) {
      const keys = Buffer.alloc(room * this.keySize);
      const values = Buffer.alloc(room * this.fullValueSize);
      const next = Buffer.alloc(tokenSize);
      let result: MapBatchResult;
      try {
        result = call({
          mapFd: this.requireFd('BPF_MAP_LOOKUP_BATCH'),
          inBatch: from ?? null,
          outBatch: next,
          keys,
          values,
          count: room,
        });
      } catch (error) {
        // A hash bucket holds more elements than fit: fetch the page again with more room.
        if (BpfError.isInstance(error) && error.errno === -ENOSPC && room < this.maxEntries) {
          room = Math.min(room * 2, Math.max(this.maxEntries, 1));
          continue;
        }
        throw error;
      }
      const page: MapBatch = {
        keys: Array.from({ length: result.count }, (_, i) =>
          keys.subarray(i * this.keySize, (i + 1) * this.keySize),
        ),
        values: Array.from({ length: result.count }, (_, i) =>
          values.subarray(i * this.fullValueSize, (i + 1) * this.fullValueSize),
        ),
        next: result.done ? undefined : next,
      };
      return page;
    }
  }

  /**
   * This map read and written as JavaScript values, through the BTF types of its key and value (a map
   * defined in `SEC(".maps")` of a BPF object, or created with `btfFd`/`btfKeyTypeId`/`btfValueTypeId`):
   * `typed<number, { packets: bigint }>().get(7)`. The types are read from the kernel once, here.
   *
   * Minimum kernel: 4.18 (maps with BTF). Reading the BTF by id needs CAP_SYS_ADMIN.
   * @throws {ValidationError} (field `map`) for a map without BTF for its key or value, or whose BTF
   *   types do not have the map's sizes.
   * @throws {BpfError} from reading the BTF (EPERM without CAP_SYS_ADMIN, EBADF once closed).
   */
  typed<K extends BtfValue = BtfValue, V extends BtfValue = BtfValue>(): TypedMap<K, V> {
    const info = this.info();
    if (info.btfId === 0 || info.btfValueTypeId === 0 || (this.keySize > 0 && info.btfKeyTypeId === 0)) {
      throw new ValidationError(
        'map',
        `a map whose key and value have BTF types (this ${mapTypeName(this.type)} map was created without them)`,
      );
    }
    using btf = BtfHandle.fromId(info.btfId);
    const types = btf.types();
    const keyCodec = this.keySize === 0 ? undefined : new BtfValueCodec(types, info.btfKeyTypeId, 'key');
    const valueCodec = new BtfValueCodec(types, info.btfValueTypeId, 'value');
    if ((keyCodec !== undefined && keyCodec.size !== this.keySize) || valueCodec.size !== this.valueSize) {
      throw new ValidationError(
        'map',
        `a map whose BTF types have its sizes (key ${this.keySize} and value ${this.valueSize} bytes; BTF: ${keyCodec?.size ?? 0} and ${valueCodec.size})`,
      );
    }
    return new TypedMap<K, V>(this, keyCodec, valueCodec);
  }

  /**
   * Makes the map read-only for user space (BPF_MAP_FREEZE); programs can still write it.
   *
   * Minimum kernel: 5.2.
   * @throws {BpfError} EBUSY when writable mmaps exist, ...
   */
  freeze(): void {
    checkResult(native.mapFreeze(this.requireFd('BPF_MAP_FREEZE')), 'BPF_MAP_FREEZE');
  }

  /**
   * Pins the map at `path` on a bpf filesystem (BPF_OBJ_PIN).
   *
   * Minimum kernel: 4.4.
   * @throws {BpfError} EEXIST when the path exists, EPERM/EINVAL outside a bpffs.
   */
  pin(path: string): void {
    bpfObjPin(this.requireFd('BPF_OBJ_PIN'), path);
  }

  /**
   * The kernel's information about the map.
   *
   * Minimum kernel: 4.13.
   * @throws {BpfError} EBADF once closed.
   */
  info(): MapInfo {
    return readMapInfo(this.requireFd('BPF_OBJ_GET_INFO_BY_FD'));
  }
}
