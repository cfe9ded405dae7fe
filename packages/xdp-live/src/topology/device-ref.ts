import { ValidationError } from '@progrun/syscall';
import { Netns } from './netns.js';

/**
 * A network device by name, in a named network namespace (a {@link Netns} or its name) or, without
 * `netns`, in the caller's.
 */
export interface DeviceRef {
  readonly netns?: Netns | string;
  readonly name: string;
}

/**
 * A device argument: `{ name, netns? }` with a name of 1 to 15 bytes (IFNAMSIZ) and a namespace that is a
 * {@link Netns} or a name.
 * @throws {ValidationError} naming `field` (or its `name`, `netns`) otherwise.
 * @internal
 */
export function deviceArgument(field: string, device: unknown): DeviceRef {
  if (typeof device !== 'object' || device === null)
    throw new ValidationError(field, 'a device, { name, netns? }', { received: device });
  const { name, netns } = device as Record<string, unknown>;
  if (typeof name !== 'string' || name.length === 0 || Buffer.byteLength(name) > 15 || name.includes('/'))
    throw new ValidationError(`${field}.name`, 'a device name of 1 to 15 bytes', { received: name });
  if (netns !== undefined && typeof netns !== 'string' && !(netns instanceof Netns))
    throw new ValidationError(`${field}.netns`, 'a Netns or the name of one', { received: netns });
  return device as DeviceRef;
}

/**
 * The namespace of a device as a {@link Netns} (opened, borrowed, when given by name: the caller closes
 * it), or undefined.
 * @throws Error ENOENT when a namespace given by name does not exist.
 * @internal
 */
export function netnsOf(device: DeviceRef): Netns | undefined {
  if (device.netns === undefined) return undefined;
  return typeof device.netns === 'string' ? Netns.open(device.netns) : device.netns;
}

/** The name of a device's namespace, without opening it; undefined for the caller's. @internal */
export function netnsName(device: DeviceRef): string | undefined {
  return typeof device.netns === 'string' ? device.netns : device.netns?.name;
}

/** `ip -n NS` prefix arguments for a device's namespace. @internal */
export function ipNetnsArgs(device: DeviceRef): string[] {
  const name = netnsName(device);
  return name !== undefined ? ['-n', name] : [];
}

/** `ip netns exec NS` prefix for running a tool in a device's namespace: [command, args]. @internal */
export function inNetnsOf(device: DeviceRef, command: string, args: readonly string[]): [string, string[]] {
  const name = netnsName(device);
  return name !== undefined ? ['ip', ['netns', 'exec', name, command, ...args]] : [command, [...args]];
}

/** "name" or "name (netns NS)", for messages. @internal */
export function describeDevice(device: DeviceRef): string {
  const name = netnsName(device);
  return name !== undefined ? `${device.name} (netns ${name})` : device.name;
}
