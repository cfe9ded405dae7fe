import { Netns } from './netns.js';

/**
 * A network device by name, in a named network namespace (a {@link Netns} or its name) or, without
 * `netns`, in the caller's.
 */
export interface DeviceRef {
  readonly netns?: Netns | string;
  readonly name: string;
}

/** The namespace of a device as a {@link Netns} (borrowed when given by name), or undefined. @internal */
export function netnsOf(device: DeviceRef): Netns | undefined {
  if (device.netns === undefined) return undefined;
  return typeof device.netns === 'string' ? Netns.open(device.netns) : device.netns;
}

/** `ip -n NS` prefix arguments for a device's namespace. @internal */
export function ipNetnsArgs(device: DeviceRef): string[] {
  const netns = netnsOf(device);
  return netns ? ['-n', netns.name] : [];
}

/** `ip netns exec NS` prefix for running a tool in a device's namespace: [command, args]. @internal */
export function inNetnsOf(device: DeviceRef, command: string, args: readonly string[]): [string, string[]] {
  const netns = netnsOf(device);
  return netns ? ['ip', ['netns', 'exec', netns.name, command, ...args]] : [command, [...args]];
}

/** "name" or "name (netns NS)", for messages. @internal */
export function describeDevice(device: DeviceRef): string {
  const netns = netnsOf(device);
  return netns ? `${device.name} (netns ${netns.name})` : device.name;
}
