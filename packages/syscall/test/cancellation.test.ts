// Cancellation of the async test runs (issue "never hang"): a long repeat runs in chunks of a few
// milliseconds, so an AbortSignal stops runAsync, benchmarkAsync, runEachAsync and runStream at the next
// chunk, and process.exit() never waits for more than one. The chunks' mean durations recombine into the
// run's.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TcAction } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { bpfProgTestRun, bpfProgTestRunAsync, type RunEachEntry } from '../src/index.js';
import { busyLoop, load, returns } from './helpers/programs.js';

const packet = Buffer.alloc(64, 0x5a);
/** The largest repeat: minutes of kernel time even for the shortest program. */
const FOREVER = 2 ** 32 - 1;
const dist = pathToFileURL(resolve(import.meta.dirname, '../dist/index.js')).href;

/** Resolves with 'timer' after `ms`, unless `promise` settles first (then with how it settled). */
function settlesBefore(promise: Promise<unknown>, ms: number): Promise<string> {
  return Promise.race([
    promise.then(
      () => 'resolved',
      (reason: unknown) => reason,
    ),
    new Promise<string>((done) => setTimeout(() => done('timer'), ms)),
  ]) as Promise<string>;
}

describe('AbortSignal', { tags: ['privileged'] }, () => {
  test('stops a runAsync of 2^32-1 runs: it rejects with the signal’s reason long before the run could end', async () => {
    using prog = load('SCHED_CLS', returns(TcAction.OK));
    const controller = new AbortController();
    const reason = new Error('enough');
    const pending = prog.runAsync({ data: packet, repeat: FOREVER, signal: controller.signal });
    setTimeout(() => controller.abort(reason), 30);
    // The whole run would take minutes; a timer of a few seconds must lose to the rejection.
    expect(await settlesBefore(pending, 3000)).toBe(reason);
    // The pool thread is free again: a new run completes.
    expect((await prog.runAsync({ data: packet })).retval).toBe(TcAction.OK);
  });

  test('an aborted signal rejects at once without running; a signal that never aborts changes nothing', async () => {
    using prog = load('SCHED_CLS', returns(TcAction.OK));
    const reason = new Error('before');
    await expect(prog.runAsync({ data: packet, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(prog.runEachAsync([packet], { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    const never = new AbortController().signal;
    expect((await prog.runAsync({ data: packet, repeat: 1000, signal: never })).retval).toBe(TcAction.OK);
    expect((await prog.benchmarkAsync(packet, 1000, { signal: never })).repeat).toBe(1000);
    expect(() => prog.runAsync({ data: packet, signal: {} as never })).toThrow(/options\.signal/);
  });

  test('stops benchmarkAsync and runEachAsync', async () => {
    using prog = load('SCHED_CLS', returns(TcAction.OK));
    const controller = new AbortController();
    const benchmark = prog.benchmarkAsync(packet, FOREVER, { signal: controller.signal });
    const each = prog.runEachAsync([packet, packet, packet], {
      repeat: FOREVER,
      concurrency: 1,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 30);
    const [benchmarkOutcome, eachOutcome] = await Promise.all([
      settlesBefore(benchmark, 3000),
      settlesBefore(each, 3000),
    ]);
    expect(benchmarkOutcome).toBe(controller.signal.reason);
    expect(eachOutcome).toBe(controller.signal.reason);
  });

  test('stops runStream; entries already yielded stay readable', async () => {
    using prog = load('XDP', returns(2));
    const controller = new AbortController();
    async function* forever() {
      for (let i = 0; ; i++) yield Buffer.alloc(64, i & 0xff);
    }
    const seen: RunEachEntry[] = [];
    const consume = (async () => {
      for await (const entry of prog.runStream(forever(), {
        inputsPerBatch: 16,
        signal: controller.signal,
      })) {
        seen.push(entry);
        if (seen.length === 40) controller.abort();
      }
    })();
    const outcome = await consume.catch((error: unknown) => error);
    expect(outcome).toBe(controller.signal.reason);
    expect(seen.length).toBeGreaterThanOrEqual(40);
    seen.forEach((entry, i) => {
      expect(entry.ok && entry.result.dataOut).toEqual(Buffer.alloc(64, i & 0xff));
    });
  });
});

describe('chunked repeats', { tags: ['privileged'] }, () => {
  test('an async repeat runs in several kernel calls; its mean matches the one-call mean', async () => {
    using prog = load('SCHED_CLS', busyLoop(20, TcAction.OK));
    const repeat = 2_000_000;
    const chunked = await bpfProgTestRunAsync({ progFd: prog.fd, dataIn: packet, repeat });
    const whole = bpfProgTestRun({ progFd: prog.fd, dataIn: packet, repeat });
    expect(chunked.chunks).toBeGreaterThan(1);
    expect(chunked.retval).toBe(TcAction.OK);
    expect(Number.isInteger(chunked.duration)).toBe(true);
    // Same program, same runs: the recombined mean is the kernel's mean up to timing noise.
    expect(chunked.duration / whole.duration).toBeGreaterThan(0.6);
    expect(chunked.duration / whole.duration).toBeLessThan(1.6);
    // A repeat the first chunk covers is one call.
    expect((await bpfProgTestRunAsync({ progFd: prog.fd, dataIn: packet, repeat: 10 })).chunks).toBe(1);
  });

  test('process.exit() with a runAsync of 2^32-1 runs in flight exits at the next chunk', (t) => {
    if (!existsSync(new URL(dist)))
      execFileSync('npx', ['tsc', '-b'], { cwd: resolve(import.meta.dirname, '..') });
    const script = `
      const { asm, Program } = await import(${JSON.stringify(dist)});
      const prog = Program.load({ type: 'SCHED_CLS', instructions: asm.assemble([asm.mov64('r0', 0), asm.exit()]), license: 'GPL' });
      prog.runAsync({ data: Buffer.alloc(64), repeat: ${FOREVER} }).then(() => console.log('finished'));
      setTimeout(() => { console.log('exiting'); process.exit(0); }, 100);
    `;
    // The run alone would take minutes: a child still alive at the test's own deadline (scaled in a guest
    // under TCG, where starting Node.js alone takes tens of seconds) is killed and fails here.
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: t.task.timeout,
    });
    expect({ status: child.status, signal: child.signal, stdout: child.stdout.trim() }).toEqual({
      status: 0,
      signal: null,
      stdout: 'exiting',
    });
  });
});
