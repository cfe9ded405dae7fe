import { objectArgument } from '../object-argument.js';
import {
  type DeviceRef,
  describeDevice,
  deviceArgument,
  inNetnsOf,
  ipNetnsArgs,
} from '../topology/device-ref.js';
import { runCommand } from '../topology/run-command.js';

/** Interface counters of one device (`ip -s link`, i.e. rtnl stats64) plus the driver's `ethtool -S`. */
export interface DeviceCounters {
  readonly rxPackets: number;
  readonly rxBytes: number;
  readonly rxDropped: number;
  readonly rxErrors: number;
  readonly txPackets: number;
  readonly txBytes: number;
  readonly txDropped: number;
  readonly txErrors: number;
  /**
   * Frames this device accepted through ndo_xdp_xmit (XDP_TX/REDIRECT out of it): the sum of the driver's
   * `*_xdp_xmit` counters (veth: `tx_queue_N_xdp_xmit`); undefined when the driver reports none.
   */
  readonly xdpXmit: number | undefined;
  /**
   * Frames ndo_xdp_xmit refused (veth: peer's receive ring full, or peer not ready):
   * the sum of `*_xdp_xmit_errors`; undefined when the driver reports none.
   */
  readonly xdpXmitErrors: number | undefined;
  /** Every `ethtool -S` counter by name (driver-specific; empty when the driver has none). */
  readonly driver: Readonly<Record<string, number>>;
}

interface IpStats64 {
  rx: { bytes: number; packets: number; errors: number; dropped: number };
  tx: { bytes: number; packets: number; errors: number; dropped: number };
}

/** Parses `ethtool -S` text ("     name: value" lines). @internal */
export function parseEthtoolStats(text: string): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^\s+([^:]+):\s+(-?\d+)\s*$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) counters[match[1].trim()] = Number(match[2]);
  }
  return counters;
}

function sumMatching(counters: Record<string, number>, pattern: RegExp): number | undefined {
  let sum: number | undefined;
  for (const [name, value] of Object.entries(counters)) if (pattern.test(name)) sum = (sum ?? 0) + value;
  return sum;
}

/** Options of {@link readDeviceCounters}. */
export interface ReadDeviceCountersOptions {
  /** Also read the driver's counters (`ethtool -S`); default true. */
  readonly driver?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Reads a device's counters: rtnl stats64 through `ip -s -j link show` and the driver's through
 * `ethtool -S` (missing driver statistics read as none).
 * @throws {CommandError} when the device does not exist or `ip` fails.
 */
export async function readDeviceCounters(
  device: DeviceRef,
  readOptions: ReadDeviceCountersOptions = {},
): Promise<DeviceCounters> {
  deviceArgument('device', device);
  const { driver: withDriver = true, signal } = objectArgument('options', readOptions, 'an options object');
  const options = { purpose: `read counters of ${describeDevice(device)}`, ...(signal ? { signal } : {}) };
  const json = await runCommand(
    'ip',
    [...ipNetnsArgs(device), '-s', '-j', 'link', 'show', 'dev', device.name],
    options,
  );
  const [link] = JSON.parse(json) as [{ stats64: IpStats64 }];
  const [command, args] = inNetnsOf(device, 'ethtool', ['-S', device.name]);
  const driver = withDriver
    ? parseEthtoolStats(await runCommand(command, args, options).catch(() => ''))
    : {};
  const { rx, tx } = link.stats64;
  return {
    rxPackets: rx.packets,
    rxBytes: rx.bytes,
    rxDropped: rx.dropped,
    rxErrors: rx.errors,
    txPackets: tx.packets,
    txBytes: tx.bytes,
    txDropped: tx.dropped,
    txErrors: tx.errors,
    xdpXmit: sumMatching(driver, /xdp_xmit$/),
    xdpXmitErrors: sumMatching(driver, /xdp_xmit_err(or)?s$/),
    driver,
  };
}

/** after - before, field by field (driver counters present in both). */
export function counterDelta(before: DeviceCounters, after: DeviceCounters): DeviceCounters {
  for (const [field, counters] of [
    ['before', before],
    ['after', after],
  ] as const) {
    objectArgument(field, counters, 'counters from readDeviceCounters');
    objectArgument(`${field}.driver`, counters.driver, "an object of the driver's counters");
  }
  const optional = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : b - a;
  const driver: Record<string, number> = {};
  for (const [name, value] of Object.entries(after.driver)) {
    const previous = before.driver[name];
    if (previous !== undefined) driver[name] = value - previous;
  }
  return {
    rxPackets: after.rxPackets - before.rxPackets,
    rxBytes: after.rxBytes - before.rxBytes,
    rxDropped: after.rxDropped - before.rxDropped,
    rxErrors: after.rxErrors - before.rxErrors,
    txPackets: after.txPackets - before.txPackets,
    txBytes: after.txBytes - before.txBytes,
    txDropped: after.txDropped - before.txDropped,
    txErrors: after.txErrors - before.txErrors,
    xdpXmit: optional(before.xdpXmit, after.xdpXmit),
    xdpXmitErrors: optional(before.xdpXmitErrors, after.xdpXmitErrors),
    driver,
  };
}
