import { Errno } from '@progrun/uapi';
import { native } from '../native.js';
import * as v from '../validate.js';
import { checkResult } from './check-result.js';

// The single-element commands. The addon asks the map for its key and value sizes on each call and
// refuses shorter buffers (RangeError), whatever the caller believes the sizes are.

/** The addon's key-value element calls share one signature. */
type KeyValueCall = typeof native.mapLookupElem;

/** Validates a key-value command's arguments, makes the call and throws the BpfError of a failure. */
function keyValueCommand(
  call: KeyValueCall,
  command: string,
  mapFd: number,
  key: Uint8Array | null,
  value: Uint8Array,
  flags: bigint | number,
): void {
  checkResult(
    call(
      v.fd('mapFd', mapFd),
      key === null ? null : v.bytes('key', key),
      v.bytes('value', value),
      v.optionalU64('flags', flags),
    ),
    command,
  );
}

/**
 * BPF_MAP_LOOKUP_ELEM: copies the value stored under `key` into `value` (per-CPU maps: one 8-byte-aligned
 * slot per possible CPU). `key` is null for maps without keys (queue/stack peek).
 *
 * Minimum kernel: 3.18; flags (BPF_F_LOCK) 5.1.
 * @throws {ValidationError} for arguments of the wrong type.
 * @throws {BpfError} ENOENT when the key is absent, or another errno.
 */
export function bpfMapLookupElem(
  mapFd: number,
  key: Uint8Array | null,
  value: Uint8Array,
  flags: bigint | number = 0,
): void {
  keyValueCommand(native.mapLookupElem, 'BPF_MAP_LOOKUP_ELEM', mapFd, key, value, flags);
}

/**
 * BPF_MAP_LOOKUP_AND_DELETE_ELEM: lookup then delete in one step (queue/stack pop with a null key).
 *
 * Minimum kernel: 4.20 (queue/stack); hash maps 5.14.
 * @throws {BpfError} ENOENT when absent, ENOTSUPP/EINVAL for map types without it, or another errno.
 */
export function bpfMapLookupAndDeleteElem(
  mapFd: number,
  key: Uint8Array | null,
  value: Uint8Array,
  flags: bigint | number = 0,
): void {
  keyValueCommand(native.mapLookupAndDeleteElem, 'BPF_MAP_LOOKUP_AND_DELETE_ELEM', mapFd, key, value, flags);
}

/**
 * BPF_MAP_UPDATE_ELEM: stores `value` under `key`. flags: BPF_ANY (0), BPF_NOEXIST (1), BPF_EXIST (2),
 * optionally | BPF_F_LOCK (4).
 *
 * Minimum kernel: 3.18.
 * @throws {BpfError} EEXIST (NOEXIST and present), ENOENT (EXIST and absent), E2BIG (map full), ...
 */
export function bpfMapUpdateElem(
  mapFd: number,
  key: Uint8Array | null,
  value: Uint8Array,
  flags: bigint | number = 0,
): void {
  keyValueCommand(native.mapUpdateElem, 'BPF_MAP_UPDATE_ELEM', mapFd, key, value, flags);
}

/**
 * BPF_MAP_DELETE_ELEM: removes `key`.
 *
 * Minimum kernel: 3.18.
 * @throws {BpfError} ENOENT when absent, EINVAL for arrays (their elements cannot be deleted), ...
 */
export function bpfMapDeleteElem(mapFd: number, key: Uint8Array | null, flags: bigint | number = 0): void {
  checkResult(
    native.mapDeleteElem(
      v.fd('mapFd', mapFd),
      key === null ? null : v.bytes('key', key),
      v.optionalU64('flags', flags),
    ),
    'BPF_MAP_DELETE_ELEM',
  );
}

/**
 * BPF_MAP_GET_NEXT_KEY: writes the key after `key` (the first key when `key` is null) into `nextKey`.
 * Returns false at the end of the map (ENOENT).
 *
 * Minimum kernel: 3.18; a null key 4.12.
 * @throws {BpfError} for errors other than the end of the map.
 */
export function bpfMapGetNextKey(mapFd: number, key: Uint8Array | null, nextKey: Uint8Array): boolean {
  const ret = native.mapGetNextKey(
    v.fd('mapFd', mapFd),
    key === null ? null : v.bytes('key', key),
    v.bytes('nextKey', nextKey),
  );
  if (ret === -Errno.ENOENT) return false;
  checkResult(ret, 'BPF_MAP_GET_NEXT_KEY');
  return true;
}

/**
 * BPF_MAP_FREEZE: makes the map read-only for user space (programs can still write it).
 *
 * Minimum kernel: 5.2.
 * @throws {BpfError} EBUSY when writable mmaps exist, ...
 */
export function bpfMapFreeze(mapFd: number): void {
  checkResult(native.mapFreeze(v.fd('mapFd', mapFd)), 'BPF_MAP_FREEZE');
}
