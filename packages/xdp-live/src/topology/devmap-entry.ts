import { BpfError, ValidationError } from '@progrun/syscall';
import { native } from '../native.js';
import { type DeviceRef, describeDevice, netnsOf } from './device-ref.js';

/** A devmap (BPF_MAP_TYPE_DEVMAP or DEVMAP_HASH) as @progrun/syscall's BpfMap describes it. */
export interface DevmapRef {
  readonly fd: number;
  readonly keySize: number;
  /** 4 (ifindex) or 8 (struct bpf_devmap_val: ifindex and a program fd). */
  readonly valueSize: number;
}

/**
 * Points `key` of a devmap at a device that may live in another network namespace. The kernel resolves
 * the ifindex of a devmap value in the namespace of the thread that updates the map, so an update from
 * the caller's namespace would pick whatever device has that ifindex there; this update runs on a
 * helper thread inside the device's namespace.
 *
 * Minimum kernel: 4.14 (devmap); 5.4 for DEVMAP_HASH, 5.8 for 8-byte values.
 * @throws {ValidationError} for a key that does not fit the map, or a device that does not exist.
 * @throws {BpfError} when the kernel refuses the update (EINVAL for a full or mistyped map, ...).
 */
export function setDevmapEntry(map: DevmapRef, key: number, device: DeviceRef): void {
  if (map.keySize !== 4) throw new ValidationError('map.keySize', '4 (a devmap key)', map.keySize);
  if (map.valueSize !== 4 && map.valueSize !== 8) {
    throw new ValidationError('map.valueSize', '4 or 8 (a devmap value)', map.valueSize);
  }
  if (!Number.isInteger(key) || key < 0 || key >= 2 ** 32) {
    throw new ValidationError('key', 'an integer in [0, 2^32)', key);
  }
  const netns = netnsOf(device);
  try {
    const netnsFd = netns ? netns.fd : -1;
    const ifindex = native.ifnameIndex(netnsFd, device.name);
    if (ifindex < 0)
      throw new ValidationError('device', `a device that exists (${describeDevice(device)})`, device.name);
    const keyBytes = Buffer.alloc(4);
    keyBytes.writeUInt32LE(key);
    const value = Buffer.alloc(map.valueSize);
    value.writeUInt32LE(ifindex);
    const ret = native.mapUpdateInNetns(netnsFd, map.fd, keyBytes, value, 0);
    if (ret < 0) {
      throw new BpfError({
        errno: -ret,
        command: 'BPF_MAP_UPDATE_ELEM',
        hint: `pointing devmap key ${key} at ${describeDevice(device)}`,
      });
    }
  } finally {
    if (netns && typeof device.netns === 'string') void netns.close();
  }
}
