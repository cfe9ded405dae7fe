import { availableParallelism } from 'node:os';
import { BpfError } from '@progrun/syscall';
import { afterEach, describe, expect, test } from 'vitest';
import { inject, type Progress } from '../src/index.js';
import { udpFrame } from './helpers/frames.js';
import { leftoverNetns } from './helpers/leftovers.js';
import { requireLiveFrames } from './helpers/live-frames.js';
import { verdictProgram } from './helpers/programs.js';

const packet = udpFrame();

afterEach(() => {
  expect(leftoverNetns()).toEqual([]);
});

describe('inject() on the loopback device', { tags: ['privileged', 'slow'] }, () => {
  test('injects exactly count frames, kept attached', async (context) => {
    requireLiveFrames(context);
    using program = verdictProgram('drop');
    const result = await inject({ program, packet, ifindex: 'lo', count: 200_000 });
    expect(result.frames).toBe(200_000);
    expect(result.stopped).toBe(false);
    expect(result.dispatcher).toEqual({ kept: true, reason: undefined });
    expect(result.workers).toHaveLength(1);
    expect(result.workers[0]?.frames).toBe(200_000);
    expect(result.workers[0]?.tid).toBeGreaterThan(0);
    expect(result.calls).toBeGreaterThan(1);
    expect(result.packets).toEqual([{ frames: 200_000, verdict: undefined }]);
    expect(result.pps).toBeGreaterThan(0);
  });

  test('splits count over two pinned workers, and over packet templates', async (context) => {
    requireLiveFrames(context);
    if (availableParallelism() < 2) context.skip('two pinned workers need two CPUs; this machine has one');
    using program = verdictProgram('drop');
    const packets = [udpFrame({ dport: 1 }), udpFrame({ dport: 2 })];
    const result = await inject({ program, packets, ifindex: 'lo', count: 300_000, cpus: [0, 1] });
    expect(result.frames).toBe(300_000);
    expect(result.workers.map((worker) => worker.cpu)).toEqual([0, 1]);
    expect(result.workers.reduce((sum, worker) => sum + worker.frames, 0)).toBe(300_000);
    expect(result.packets.reduce((sum, p) => sum + p.frames, 0)).toBe(300_000);
    expect(result.packets.every((p) => p.frames > 0)).toBe(true);
  });

  test('a fixed chunk makes count / chunk calls; without attachment too', async (context) => {
    requireLiveFrames(context);
    using program = verdictProgram('drop');
    const result = await inject({
      program,
      packet,
      ifindex: 1,
      count: 4096,
      chunkFrames: 1024,
      keepAttached: false,
    });
    expect(result).toMatchObject({ frames: 4096, calls: 4, dispatcher: { kept: false } });
  });

  test('a rate splits the run into small paced calls', async (context) => {
    requireLiveFrames(context);
    using program = verdictProgram('drop');
    // 2000 pps paced per 5 ms: 10 frames a call.
    const result = await inject({ program, packet, ifindex: 'lo', count: 100, rate: 2000 });
    expect(result.frames).toBe(100);
    expect(result.calls).toBe(10);
  });

  test('a duration bound ends the run by itself', async (context) => {
    requireLiveFrames(context);
    using program = verdictProgram('drop');
    const result = await inject({ program, packet, ifindex: 'lo', duration: 50 });
    expect(result.frames).toBeGreaterThan(0);
    expect(result.stopped).toBe(false);
  });

  test('progress arrives as events and through the async iterator, which ends with the run', async (context) => {
    requireLiveFrames(context);
    using program = verdictProgram('drop');
    const injection = inject({ program, packet, ifindex: 'lo', duration: 120, progressInterval: 20 });
    const events: Progress[] = [];
    injection.on('progress', (progress) => events.push(progress));
    const iterated: Progress[] = [];
    for await (const progress of injection) iterated.push(progress);
    const result = await injection;
    expect(iterated.length).toBeGreaterThan(1);
    expect(iterated.at(-1)?.frames).toBe(result.frames);
    expect(events.length).toBe(iterated.length);
    const frames = iterated.map((progress) => progress.frames);
    expect(frames).toEqual([...frames].sort((x, y) => x - y));
  });

  test('stop() ends an unbounded run and resolves with stopped: true', async (context) => {
    requireLiveFrames(context);
    using program = verdictProgram('drop');
    const injection = inject({ program, packet, ifindex: 'lo', progressInterval: 10 });
    injection.once('progress', () => injection.stop());
    const result = await injection;
    expect(result.stopped).toBe(true);
    expect(result.frames).toBeGreaterThan(0);
  });

  test('an AbortSignal stops every worker and rejects with its reason', async (context) => {
    requireLiveFrames(context);
    using program = verdictProgram('drop');
    const controller = new AbortController();
    const injection = inject({
      program,
      packet,
      ifindex: 'lo',
      // Every CPU there is (a guest may have one): the abort must reach each pinned worker.
      cpus: availableParallelism() < 2 ? [0] : [0, 1],
      signal: controller.signal,
      progressInterval: 10,
    });
    let lastProgress: Progress | undefined;
    injection.on('progress', (progress) => {
      lastProgress = progress;
      controller.abort();
    });
    await expect(injection).rejects.toMatchObject({ name: 'AbortError' });
    expect(lastProgress?.workers.every((worker) => worker.state === 'done')).toBe(true);
  });

  test('an abort while the injection is being set up is honoured before any frame, not at the end of its duration', async (context) => {
    requireLiveFrames(context);
    using program = verdictProgram('drop');
    const controller = new AbortController();
    // The statistics set-up awaits commands (device counters): the abort lands while it runs.
    const injection = inject({
      program,
      packet,
      ifindex: 'lo',
      duration: 600_000,
      stats: true,
      signal: controller.signal,
    });
    setImmediate(() => controller.abort());
    await expect(injection).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('stop() while the injection is being set up ends it as soon as it starts', async (context) => {
    requireLiveFrames(context);
    using program = verdictProgram('drop');
    const injection = inject({ program, packet, ifindex: 'lo', duration: 600_000, stats: true });
    setImmediate(() => injection.stop());
    const result = await injection;
    expect(result.stopped).toBe(true);
  });

  test('closing the program while injecting does not disturb the run (its fd was duplicated)', async (context) => {
    requireLiveFrames(context);
    const program = verdictProgram('drop');
    const injection = inject({ program, packet, ifindex: 'lo', count: 500_000 });
    injection.once('start', () => program.close());
    const result = await injection;
    expect(program.closed).toBe(true);
    expect(result.frames).toBe(500_000);
  });

  test('a call the kernel refuses rejects with a BpfError whose hint says what to change', async (context) => {
    requireLiveFrames(context);
    using program = verdictProgram('drop');
    // lo has one receive queue: rx_queue_index 7 is EINVAL.
    const error = await inject({ program, packet, ifindex: 'lo', count: 1000, rxQueue: 7 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(BpfError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'EINVAL', command: 'BPF_PROG_TEST_RUN' });
    expect((error as Error).message).toContain('receive queue 7');
  });

  test('an fd that is not open is refused with EBADF before any worker starts', async (context) => {
    requireLiveFrames(context);
    const error = await inject({
      program: { fd: 2 ** 20 },
      packet,
      ifindex: 'lo',
      count: 1,
      keepAttached: false,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'EBADF', command: 'BPF_PROG_TEST_RUN' });
  });

  test('an iterator of a failed injection throws its error', async (context) => {
    requireLiveFrames(context);
    const iterate = async () => {
      for await (const _ of inject({ program: { fd: 0 }, packet, ifindex: 'lo', batchSize: 999 })) {
        // nothing arrives
      }
    };
    await expect(iterate()).rejects.toMatchObject({ field: 'options.batchSize' });
  });
});
