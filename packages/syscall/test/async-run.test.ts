import { describe, expect, test } from 'vitest';
import { load, returns, xdpAdjustHead } from './helpers/programs.js';

const packet = Buffer.alloc(64, 0x5a);

/** Counts event-loop turns (1 ms interval ticks) while `work` runs. */
async function ticksDuring(work: () => unknown): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    // Let the interval arm before the work starts.
    await new Promise((resolve) => setTimeout(resolve, 5));
    ticks = 0;
    await work();
    return ticks;
  } finally {
    clearInterval(timer);
  }
}

describe('runAsync on the libuv pool', { tags: ['privileged'] }, () => {
  test('the event loop keeps turning during a long async run, and not during the same run sync', async () => {
    using prog = load('SCHED_CLS', returns(0));
    const options = { data: packet, repeat: 5_000_000, dataSizeOut: 0 };
    let asyncResult: Awaited<ReturnType<typeof prog.runAsync>> | undefined;
    const asyncTicks = await ticksDuring(async () => {
      asyncResult = await prog.runAsync(options);
    });
    const syncTicks = await ticksDuring(() => prog.run(options));
    expect(asyncResult?.retval).toBe(0);
    expect(asyncTicks).toBeGreaterThan(0);
    // The synchronous call holds the thread: no tick can run until it returns.
    expect(syncTicks).toBe(0);
  });

  test('closing the program while its async run is in flight is safe; the run completes', async () => {
    const prog = load('SCHED_CLS', returns(0));
    const pending = prog.runAsync({ data: packet, repeat: 200_000 });
    prog.close();
    const result = await pending;
    expect(result.retval).toBe(0);
    expect(() => prog.run({ data: packet })).toThrow(
      expect.objectContaining({ code: 'EBADF', message: expect.stringMatching(/was closed/) }),
    );
  });

  test('the caller may overwrite its input buffer as soon as runAsync returns', async () => {
    using prog = load('XDP', returns(2));
    const data = Buffer.alloc(64, 1);
    const pending = prog.runAsync({ data });
    data.fill(9);
    expect((await pending).dataOut).toEqual(Buffer.alloc(64, 1));
  });

  test('concurrent async runs of one program each get their own result', async () => {
    using prog = load('XDP', returns(2));
    const runs = Array.from({ length: 16 }, (_, i) => prog.runAsync({ data: Buffer.alloc(64 + i, i) }));
    const results = await Promise.all(runs);
    results.forEach((result, i) => {
      expect(result.retval).toBe(2);
      expect(result.dataOut).toEqual(Buffer.alloc(64 + i, i));
    });
  });

  test('benchmarkAsync reports the kernel-measured time per run', async () => {
    using prog = load('SCHED_CLS', returns(0));
    const result = await prog.benchmarkAsync(packet, 10_000);
    expect(result).toMatchObject({ retval: 0, repeat: 10_000 });
    expect(result.durationNs).toBeGreaterThan(0);
  });

  test('async failures reject with the same typed errors', async () => {
    // An output larger than dataSizeOut is ENOSPC on every kernel since 5.0.
    using prog = load('XDP', xdpAdjustHead(-32));
    await expect(prog.runAsync({ data: Buffer.alloc(64), dataSizeOut: 80 })).rejects.toMatchObject({
      code: 'ENOSPC',
      command: 'BPF_PROG_TEST_RUN',
    });
  });
});
