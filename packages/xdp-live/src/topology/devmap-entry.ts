import { BpfError, bpfObjGetInfoByFd, ValidationError } from '@progrun/syscall';
import { native } from '@progrun/syscall/native';
import { decode, layouts } from '@progrun/uapi';
import { objectArgument } from '../object-argument.js';
import { type DeviceRef, describeDevice, deviceArgument, netnsOf } from './device-ref.js';

/** A devmap (BPF_MAP_TYPE_DEVMAP or DEVMAP_HASH) as @progrun/syscall's BpfMap describes it. */
export interface DevmapRef {
  readonly fd: number;
  readonly keySize: number;
  /** 4 (ifindex) or 8 (struct bpf_devmap_val: ifindex and a program fd). */
  readonly valueSize: number;
}

/**
 * Checks `map`'s sizes against the map itself (BPF_OBJ_GET_INFO_BY_FD): the kernel reads as many bytes
 * as the map's own value_size, whatever the caller believes.
 */
function checkShape(map: DevmapRef): void {
  const info = Buffer.alloc(layouts.bpf_map_info.size);
  bpfObjGetInfoByFd(map.fd, info);
  const { key_size: keySize, value_size: valueSize } = decode(layouts.bpf_map_info, info);
  if (map.keySize !== keySize)
    throw new ValidationError('map.keySize', `the map's key_size (${keySize})`, { received: map.keySize });
  if (map.valueSize !== valueSize) {
    throw new ValidationError('map.valueSize', `the map's value_size (${valueSize})`, {
      received: map.valueSize,
    });
  }
}

/**
 * Points `key` of a devmap at a device that may live in another network namespace. The kernel resolves
 * the ifindex of a devmap value in the namespace of the thread that updates the map, so an update from
 * the caller's namespace would pick whatever device has that ifindex there; this update runs on a
 * helper thread inside the device's namespace.
 *
 * Minimum kernel: 4.14 (devmap); 5.4 for DEVMAP_HASH, 5.8 for 8-byte values.
 * @throws {ValidationError} for a key that does not fit the map, sizes in `map` that are not the map's
 *   own, or a device that does not exist.
 * @throws {BpfError} when the kernel refuses the update (EINVAL for a full or mistyped map, EBADF for a
 *   closed map, ...).
 */
export function setDevmapEntry(map: DevmapRef, key: number, device: DeviceRef): void {
  objectArgument('map', map, 'a devmap (a BpfMap or { fd, keySize, valueSize })');
  deviceArgument('device', device);
  if (map.keySize !== 4)
    throw new ValidationError('map.keySize', '4 (a devmap key)', { received: map.keySize });
  if (map.valueSize !== 4 && map.valueSize !== 8) {
    throw new ValidationError('map.valueSize', '4 or 8 (a devmap value)', { received: map.valueSize });
  }
  if (!Number.isInteger(key) || key < 0 || key >= 2 ** 32) {
    throw new ValidationError('key', 'an integer in [0, 2^32)', { received: key });
  }
  if (typeof device.name !== 'string' || device.name.length === 0 || Buffer.byteLength(device.name) > 15) {
    throw new ValidationError('device.name', 'a device name of 1 to 15 bytes', { received: device.name });
  }
  checkShape(map);
  let netns: ReturnType<typeof netnsOf>;
  try {
    netns = netnsOf(device);
  } catch {
    throw new ValidationError('device.netns', 'a network namespace that exists under /run/netns', {
      received: device.netns,
    });
  }
  try {
    const netnsFd = netns ? netns.fd : -1;
    const ifindex = native.ifnameIndex(netnsFd, device.name);
    if (ifindex < 0)
      throw new ValidationError('device', `a device that exists (${describeDevice(device)})`, {
        received: device.name,
      });
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
