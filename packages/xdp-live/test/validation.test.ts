import { ValidationError } from '@progrun/syscall';
import { describe, expect, test } from 'vitest';
import {
  checkXdpReceive,
  counterDelta,
  deliveryVerdict,
  type InjectOptions,
  inject,
  MAX_LIVE_FRAME,
  Netns,
  predictPagePool,
  readDeviceCounters,
  setDevmapEntry,
  VethTopology,
} from '../src/index.js';

// Validation happens before any syscall: an fd that is not a program is never used.
const program = { fd: 0 };
const packet = new Uint8Array(64);
const valid: InjectOptions = { program, packet, ifindex: 'lo', count: 1 };

async function rejection(options: Record<string, unknown>): Promise<ValidationError> {
  const error = await inject(options as unknown as InjectOptions).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(ValidationError.isInstance(error), String(error)).toBe(true);
  return error as ValidationError;
}

describe('inject() validates before any syscall', () => {
  test.each([
    [{ batchSize: 257 }, 'options.batchSize', 'an integer in [1, 256]'],
    [{ batchSize: 0 }, 'options.batchSize', 'an integer in [1, 256]'],
    [{ packet: new Uint8Array(MAX_LIVE_FRAME + 1) }, 'options.packet', 'at most 3408 bytes'],
    [{ packet: new Uint8Array(13) }, 'options.packet', 'at least 14 bytes'],
    [
      { packets: [packet, new Uint8Array(4000)], packet: undefined },
      'options.packets[1]',
      'at most 3408 bytes',
    ],
    [{ dataOut: new Uint8Array(64) }, 'options.dataOut', 'live-frame mode returns no packet data'],
    [{ ctxOut: new Uint8Array(24) }, 'options.ctxOut', 'live-frame mode returns no context'],
    [{ repeat: 100 }, 'options.repeat', 'use count or duration'],
    [{ ifindex: 0x7ffffff0 }, 'options.ifindex', 'a device that exists'],
    [{ ifindex: 'pr-xl-nothere' }, 'options.ifindex', 'a device that exists'],
    [{ ifindex: 'a-name-longer-than-15' }, 'options.ifindex', '1 to 15 characters'],
    [{ cpus: [4096] }, 'options.cpus[0]', 'a CPU this process may run on'],
    [{ cpus: [0, 0] }, 'options.cpus', 'distinct CPUs'],
    [{ cpus: [0], workers: 1 }, 'options.workers', 'absent when options.cpus is given'],
    [{ workers: 4096 }, 'options.workers', 'an integer in [1,'],
    [{ count: 0 }, 'options.count', 'an integer in [1,'],
    [{ duration: -1 }, 'options.duration', 'a finite number > 0'],
    [{ rate: Number.NaN }, 'options.rate', 'a finite number > 0'],
    [{ netns: 'pr-xl-no-such-netns' }, 'options.netns', 'exists under /run/netns'],
    [{ program: { fd: -1 } }, 'options.program', 'an open program'],
    [{ packets: [packet] }, 'options.packets', 'absent when options.packet is given'],
    [{ colour: 'red' }, 'options.colour', 'not an option of inject()'],
    [{ stats: { receive: 'b' } }, 'options.stats.receive', 'a device'],
  ])('%o -> %s must be %s', async (override, field, rule) => {
    const error = await rejection({ ...valid, ...override });
    expect(error.field).toBe(field);
    expect(error.rule).toContain(rule);
    expect(error.message).toContain(field);
  });

  test('a program of another type is refused', async () => {
    const error = await rejection({ ...valid, program: { fd: 0, type: 3 } });
    expect(error.field).toBe('options.program');
    expect(error.rule).toContain('BPF_PROG_TYPE_XDP');
  });

  test('a missing frame is named', async () => {
    const error = await rejection({ program, ifindex: 'lo', count: 1 });
    expect(error.field).toBe('options.packet');
  });
});

describe('the statistics and topology helpers check their arguments (found by the fuzz of tests/fuzz)', () => {
  const field = (error: unknown) => {
    expect(ValidationError.isInstance(error), String(error)).toBe(true);
    return (error as ValidationError).field;
  };
  const thrownBy = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error;
    }
    return expect.unreachable('expected a throw');
  };
  const counters = {
    rxPackets: 0,
    rxBytes: 0,
    rxDropped: 0,
    rxErrors: 0,
    txPackets: 0,
    txBytes: 0,
    driver: {},
  };

  test('results that are not objects are ValidationErrors naming the argument', () => {
    expect(field(thrownBy(() => counterDelta(undefined as never, counters as never)))).toBe('before');
    expect(
      field(thrownBy(() => counterDelta(counters as never, { ...counters, driver: null } as never))),
    ).toBe('after.driver');
    expect(field(thrownBy(() => predictPagePool(null as never)))).toBe('facts');
    expect(field(thrownBy(() => deliveryVerdict(undefined as never)))).toBe('evidence');
    expect(field(thrownBy(() => setDevmapEntry(undefined as never, 0, { name: 'lo' })))).toBe('map');
  });

  test('devices are { name, netns? } with a device name, before any command runs', async () => {
    expect(field(await readDeviceCounters({ name: '' }).catch((e: unknown) => e))).toBe('device.name');
    expect(field(await readDeviceCounters({ name: 'lo', netns: 5 as never }).catch((e: unknown) => e))).toBe(
      'device.netns',
    );
    expect(field(await checkXdpReceive(undefined as never).catch((e: unknown) => e))).toBe('transmit');
    expect(field(await checkXdpReceive({ name: 'lo' }, null as never).catch((e: unknown) => e))).toBe(
      'options',
    );
  });

  test('namespaces and topologies take an options object and an AbortSignal, before any command runs', async () => {
    expect(field(await Netns.create({ signal: 5 as never }).catch((e: unknown) => e))).toBe('options.signal');
    expect(field(await VethTopology.create(null as never).catch((e: unknown) => e))).toBe('options');
    expect(field(await VethTopology.create({ signal: 'x' as never }).catch((e: unknown) => e))).toBe(
      'options.signal',
    );
  });
});
