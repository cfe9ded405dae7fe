import { ValidationError } from '@progrun/syscall';
import { type NativeLiveRunConfig, native } from '@progrun/syscall/native';
import { signalArgument } from '../signal-argument.js';
import { Netns } from '../topology/netns.js';
import type { InjectOptions, ProgramRef, StatsOptions } from './inject-options.js';
import { DEFAULT_BATCH, MAX_BATCH, MAX_LIVE_FRAME, MIN_FRAME } from './limits.js';

/**
 * Options of an injection after validation, in the units the engine uses (its config's fields, which
 * the config's TSDoc describes). @internal
 */
export interface ValidatedInjection
  extends Pick<
    NativeLiveRunConfig,
    | 'packets'
    | 'ifindex'
    | 'rxQueue'
    | 'batchSize'
    | 'count'
    | 'durationNs'
    | 'ratePps'
    | 'cpus'
    | 'chunkFrames'
  > {
  readonly program: ProgramRef;
  readonly ifname: string;
  /** The namespace the workers enter, if any; `borrowedNetns` when this module opened it by name. */
  readonly netns: Netns | undefined;
  readonly borrowedNetns: boolean;
  readonly signal: AbortSignal | undefined;
  readonly keepAttached: boolean;
  readonly progressIntervalMs: number;
  readonly stats: Required<
    Pick<StatsOptions, 'xdpEvents' | 'countRedirects' | 'pagePool' | 'previewVerdicts'>
  > &
    Pick<StatsOptions, 'transmit' | 'receive' | 'transmitPeer'> & { readonly enabled: boolean };
}

const KNOWN = new Set([
  'program',
  'packet',
  'packets',
  'ifindex',
  'netns',
  'rxQueue',
  'batchSize',
  'count',
  'duration',
  'rate',
  'cpus',
  'workers',
  'signal',
  'keepAttached',
  'progressInterval',
  'stats',
  'chunkFrames',
]);

// Fields of a normal test run that live mode cannot honour, with the rule to state.
const LIVE_REJECTS: Record<string, string> = {
  dataOut: 'absent: live-frame mode returns no packet data (the kernel rejects data_out with a context)',
  ctxOut: 'absent: live-frame mode returns no context (the kernel rejects ctx_out in live mode)',
  dataSizeOut: 'absent: live-frame mode returns no packet data',
  repeat: 'absent: use count or duration (the workers split them into calls)',
  flags: 'absent: live-frame mode sets BPF_F_TEST_XDP_LIVE_FRAMES itself and XDP takes no other flag',
  cpu: 'absent: the kernel ignores cpu for XDP; use cpus to place the workers',
  ctx: 'absent: the context is built from ifindex and rxQueue',
};

const STATS_KNOWN = new Set([
  'xdpEvents',
  'countRedirects',
  'pagePool',
  'previewVerdicts',
  'transmit',
  'receive',
  'transmitPeer',
]);

function integerIn(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `an integer in [${min}, ${max}]`, { received: value });
  }
  return value;
}

function positive(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(field, 'a finite number > 0', { received: value });
  }
  return value;
}

function bool(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ValidationError(field, 'a boolean', { received: value });
  return value;
}

function frame(field: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array))
    throw new ValidationError(field, 'a Uint8Array (or Buffer)', { received: value });
  if (value.byteLength < MIN_FRAME) {
    throw new ValidationError(field, `at least ${MIN_FRAME} bytes (an Ethernet header)`, { received: value });
  }
  if (value.byteLength > MAX_LIVE_FRAME) {
    throw new ValidationError(
      field,
      `at most ${MAX_LIVE_FRAME} bytes (one page; live mode has no multi-buffer frames)`,
      { received: value },
    );
  }
  return Uint8Array.from(value);
}

function ranges(cpus: readonly number[]): string {
  return cpus.join(', ');
}

function resolveDevice(ifindex: unknown, netns: Netns | undefined): { ifindex: number; ifname: string } {
  const netnsFd = netns ? netns.fd : -1;
  const where = netns ? `network namespace ${netns.name}` : "the caller's network namespace";
  if (typeof ifindex === 'string') {
    if (ifindex.length === 0 || Buffer.byteLength(ifindex) > 15 || ifindex.includes('/')) {
      throw new ValidationError(
        'options.ifindex',
        'an ifindex or a device name of 1 to 15 characters (bytes of UTF-8)',
        { received: ifindex },
      );
    }
    const index = native.ifnameIndex(netnsFd, ifindex);
    if (index < 0)
      throw new ValidationError('options.ifindex', `a device that exists in ${where}`, { received: ifindex });
    return { ifindex: index, ifname: ifindex };
  }
  const index = integerIn('options.ifindex', ifindex, 1, 2 ** 31 - 1);
  const name = native.ifindexName(netnsFd, index);
  if (typeof name !== 'string')
    throw new ValidationError('options.ifindex', `a device that exists in ${where}`, { received: index });
  return { ifindex: index, ifname: name };
}

/**
 * Checks every option of {@link inject} before any syscall and converts them to the engine's units.
 * @throws {ValidationError} naming the field and the rule it breaks.
 * @internal
 */
export function validateInjectOptions(options: InjectOptions): ValidatedInjection {
  if (typeof options !== 'object' || options === null)
    throw new ValidationError('options', 'an object', { received: options });
  for (const key of Object.keys(options)) {
    const rule = LIVE_REJECTS[key];
    if (rule !== undefined && (options as unknown as Record<string, unknown>)[key] !== undefined) {
      throw new ValidationError(`options.${key}`, rule);
    }
    if (rule === undefined && !KNOWN.has(key))
      throw new ValidationError(`options.${key}`, 'absent: not an option of inject()');
  }

  const program = options.program as unknown;
  if (
    typeof program !== 'object' ||
    program === null ||
    typeof (program as ProgramRef).fd !== 'number' ||
    !Number.isInteger((program as ProgramRef).fd) ||
    (program as ProgramRef).fd < 0
  ) {
    throw new ValidationError(
      'options.program',
      'an open program (an object with a non-negative integer fd)',
      { received: program },
    );
  }

  let packets: Uint8Array[];
  if (options.packet !== undefined && options.packets !== undefined) {
    throw new ValidationError('options.packets', 'absent when options.packet is given (one or the other)');
  } else if (options.packet !== undefined) {
    packets = [frame('options.packet', options.packet)];
  } else if (options.packets !== undefined) {
    if (!Array.isArray(options.packets) || options.packets.length === 0 || options.packets.length > 4096) {
      throw new ValidationError('options.packets', 'an array of 1 to 4096 frames', {
        received: options.packets,
      });
    }
    packets = options.packets.map((packet, i) => frame(`options.packets[${i}]`, packet));
  } else {
    throw new ValidationError('options.packet', 'a frame (or options.packets: several)');
  }

  let netns: Netns | undefined;
  let borrowedNetns = false;
  if (typeof options.netns === 'string') {
    if (options.netns.length === 0 || options.netns.includes('/')) {
      throw new ValidationError('options.netns', 'the name of a network namespace under /run/netns', {
        received: options.netns,
      });
    }
    try {
      netns = Netns.open(options.netns);
    } catch {
      throw new ValidationError('options.netns', 'a network namespace that exists under /run/netns', {
        received: options.netns,
      });
    }
    borrowedNetns = true;
  } else if (options.netns !== undefined) {
    if (!(options.netns instanceof Netns) || options.netns.closed) {
      throw new ValidationError('options.netns', 'an open Netns or the name of a network namespace', {
        received: options.netns,
      });
    }
    netns = options.netns;
  }

  try {
    const device = resolveDevice(options.ifindex, netns);

    const allowed = native.allowedCpus();
    let cpus: number[];
    if (options.cpus !== undefined && options.workers !== undefined) {
      throw new ValidationError('options.workers', 'absent when options.cpus is given (one or the other)');
    } else if (options.cpus !== undefined) {
      if (!Array.isArray(options.cpus) || options.cpus.length === 0) {
        throw new ValidationError('options.cpus', 'a non-empty array of CPU numbers', {
          received: options.cpus,
        });
      }
      cpus = options.cpus.map((cpu, i) => {
        if (!allowed.includes(cpu as number)) {
          throw new ValidationError(
            `options.cpus[${i}]`,
            `a CPU this process may run on (${ranges(allowed)})`,
            { received: cpu },
          );
        }
        return cpu;
      });
      if (new Set(cpus).size !== cpus.length) {
        throw new ValidationError('options.cpus', 'distinct CPUs (one worker per CPU)', {
          received: options.cpus,
        });
      }
    } else {
      const workers =
        options.workers === undefined ? 1 : integerIn('options.workers', options.workers, 1, allowed.length);
      cpus = allowed.slice(0, workers);
    }

    const stats = options.stats;
    if (stats !== undefined && typeof stats !== 'boolean' && (typeof stats !== 'object' || stats === null)) {
      throw new ValidationError('options.stats', 'a boolean or an object of statistics options', {
        received: stats,
      });
    }
    const statsOptions: StatsOptions = typeof stats === 'object' ? stats : {};
    for (const key of Object.keys(statsOptions)) {
      if (!STATS_KNOWN.has(key))
        throw new ValidationError(`options.stats.${key}`, 'absent: not a statistics option');
    }
    for (const key of ['transmit', 'receive', 'transmitPeer'] as const) {
      const device = statsOptions[key];
      if (
        device !== undefined &&
        (typeof device !== 'object' || device === null || typeof device.name !== 'string')
      ) {
        throw new ValidationError(`options.stats.${key}`, 'a device: { name, netns? }', { received: device });
      }
    }

    signalArgument('options.signal', options.signal);

    return {
      program: options.program,
      packets,
      ...device,
      netns,
      borrowedNetns,
      rxQueue:
        options.rxQueue === undefined ? 0 : integerIn('options.rxQueue', options.rxQueue, 0, 2 ** 32 - 1),
      batchSize:
        options.batchSize === undefined
          ? DEFAULT_BATCH
          : integerIn('options.batchSize', options.batchSize, 1, MAX_BATCH),
      count:
        options.count === undefined
          ? 0
          : integerIn('options.count', options.count, 1, Number.MAX_SAFE_INTEGER),
      durationNs:
        options.duration === undefined ? 0 : Math.ceil(positive('options.duration', options.duration) * 1e6),
      ratePps: options.rate === undefined ? 0 : positive('options.rate', options.rate),
      cpus,
      signal: options.signal,
      keepAttached: bool('options.keepAttached', options.keepAttached, true),
      progressIntervalMs:
        options.progressInterval === undefined
          ? 250
          : positive('options.progressInterval', options.progressInterval),
      chunkFrames:
        options.chunkFrames === undefined
          ? 0
          : integerIn('options.chunkFrames', options.chunkFrames, 1, 2 ** 30),
      stats: {
        enabled: stats !== undefined && stats !== false,
        xdpEvents: bool('options.stats.xdpEvents', statsOptions.xdpEvents, true),
        countRedirects: bool('options.stats.countRedirects', statsOptions.countRedirects, false),
        pagePool: bool('options.stats.pagePool', statsOptions.pagePool, true),
        previewVerdicts: bool('options.stats.previewVerdicts', statsOptions.previewVerdicts, true),
        ...(statsOptions.transmit ? { transmit: statsOptions.transmit } : {}),
        ...(statsOptions.receive ? { receive: statsOptions.receive } : {}),
        ...(statsOptions.transmitPeer ? { transmitPeer: statsOptions.transmitPeer } : {}),
      },
    };
  } catch (error) {
    if (borrowedNetns) void netns?.close();
    throw error;
  }
}
