import { EventEmitter } from 'node:events';
import { BpfError } from '@progrun/syscall';
import { type NativeLiveRun, type NativeLiveRunConfig, native } from '@progrun/syscall/native';
import { BpfProgType, Errno, ValidationError } from '@progrun/uapi';
import { WorkerError } from '../errors/worker-error.js';
import { LiveStatisticsSession } from '../stats/live-statistics.js';
import { DispatcherAnchor } from './dispatcher-anchor.js';
import type { InjectOptions } from './inject-options.js';
import type { DispatcherState, InjectionResult } from './injection-result.js';
import { requireLiveFrames } from './live-frames-support.js';
import type { Progress } from './progress.js';
import { type Snapshot, takeSnapshot } from './snapshot.js';
import { type ValidatedInjection, validateInjectOptions } from './validate-options.js';

/** Wanted length of one call: bounds how long stop() takes once the dispatcher cost is gone. */
const CALL_TARGET_NS_ATTACHED = 5e6;
/** Without the program attached each call pays 16-24 ms of dispatcher update: make calls long. */
const CALL_TARGET_NS_DETACHED = 250e6;

/** What `'start'` events carry. */
export interface InjectionStart {
  readonly cpus: readonly number[];
  readonly ifindex: number;
  readonly ifname: string;
  readonly batchSize: number;
  readonly dispatcher: DispatcherState;
}

/** Events of an {@link Injection}. */
export interface InjectionEvents {
  /** Workers are starting. */
  start: [InjectionStart];
  /** Every `progressInterval` ms, and once at the end. */
  progress: [Progress];
  /** The injection finished successfully (the promise resolves with the same result). */
  end: [InjectionResult];
}

function hintFor(errno: number, v: ValidatedInjection): string {
  switch (errno) {
    case Errno.EINVAL:
      return (
        `the kernel refused the live-frame run on ${v.ifname} (ifindex ${v.ifindex}): its receive queue ${v.rxQueue} ` +
        'must exist and be registered for XDP (a veth needs an XDP program or GRO), the frame must fit one page, ' +
        'and the program must not be a devmap/cpumap program'
      );
    case Errno.ENODEV:
      return `device ${v.ifindex} vanished from the worker's network namespace`;
    case Errno.ENOMEM:
      return 'the kernel could not allocate the page pool or frames for a batch';
    default:
      return 'the live-frame test run failed';
  }
}

function workerFailure(snapshot: Snapshot, v: ValidatedInjection): Error | undefined {
  const failed = snapshot.workers.find((worker) => worker.state === 'failed');
  if (failed === undefined) return undefined;
  switch (failed.failedStep) {
    case 'setns':
      return new WorkerError(
        'setns',
        failed.errno,
        failed.cpu,
        `entering network namespace ${v.netns?.name ?? ''}`,
      );
    case 'affinity':
      return new WorkerError('sched_setaffinity', failed.errno, failed.cpu, 'pinning the worker to its CPU');
    default:
      return new BpfError({
        errno: failed.errno,
        command: 'BPF_PROG_TEST_RUN',
        hint: `${hintFor(failed.errno, v)} (worker on CPU ${failed.cpu})`,
      });
  }
}

/**
 * Starts the engine. It fails only when it cannot duplicate the program fd (EBADF: not an open fd) or
 * start a thread.
 */
function startRun(config: NativeLiveRunConfig, onDone: () => void, cpus: readonly number[]): NativeLiveRun {
  const run = new native.LiveRun(config);
  const ret = run.start(onDone);
  if (ret === -Errno.EBADF) {
    throw new BpfError({
      errno: -ret,
      command: 'BPF_PROG_TEST_RUN',
      hint: `options.program's fd ${config.progFd} is not open`,
    });
  }
  if (ret < 0) throw new WorkerError('pthread_create', -ret, cpus[0] ?? -1, 'starting the worker threads');
  return run;
}

function elapsedNs(snapshot: Snapshot): number {
  const started = snapshot.workers.filter((worker) => worker.startNs > 0);
  if (started.length === 0) return 0;
  const start = Math.min(...started.map((worker) => worker.startNs));
  const end = Math.max(...started.map((worker) => (worker.endNs > 0 ? worker.endNs : snapshot.nowNs)));
  return Math.max(0, end - start);
}

function rate(frames: number, ns: number): number {
  return ns > 0 ? (frames * 1e9) / ns : 0;
}

function progressOf(snapshot: Snapshot, previous: Snapshot | undefined): Progress {
  const elapsed = elapsedNs(snapshot);
  const interval = previous ? snapshot.nowNs - previous.nowNs : elapsed;
  return {
    frames: snapshot.frames,
    elapsedMs: elapsed / 1e6,
    pps: rate(snapshot.frames - (previous?.frames ?? 0), interval),
    averagePps: rate(snapshot.frames, elapsed),
    workers: snapshot.workers.map((worker, i) => ({
      cpu: worker.cpu,
      tid: worker.tid,
      state: worker.state,
      frames: worker.frames,
      calls: worker.calls,
      pps: rate(worker.frames - (previous?.workers[i]?.frames ?? 0), interval),
    })),
  };
}

/**
 * A running injection, returned by {@link inject}. It is a promise of the {@link InjectionResult}
 * (`await inject(...)`), an event emitter (`'start'`, `'progress'`, `'end'`), and an async iterable of
 * {@link Progress} (`for await (const p of inject(...))`, which ends with the run and throws its error).
 * Errors (validation, NotSupportedError, a failed call, an abort) reject the promise; they are never
 * emitted as `'error'` events.
 */
export class Injection
  extends EventEmitter<InjectionEvents>
  implements PromiseLike<InjectionResult>, AsyncIterable<Progress>
{
  readonly #result: Promise<InjectionResult>;
  #run: NativeLiveRun | undefined;
  #stopRequested = false;
  #finished = false;
  #failure: unknown;
  readonly #iterators = new Set<() => void>();

  /** @internal Use {@link inject}. */
  constructor(options: InjectOptions) {
    super();
    this.#result = this.#execute(options);
    // The failure is delivered through then() and the iterators; never as an unhandled rejection.
    this.#result.catch(() => undefined);
  }

  /** The result, as a plain promise. */
  get result(): Promise<InjectionResult> {
    return this.#result;
  }

  // biome-ignore lint/suspicious/noThenProperty: deliberately awaitable, like execa's subprocesses
  then<T = InjectionResult, E = never>(
    onFulfilled?: ((value: InjectionResult) => T | PromiseLike<T>) | null,
    onRejected?: ((reason: unknown) => E | PromiseLike<E>) | null,
  ): Promise<T | E> {
    return this.#result.then(onFulfilled, onRejected);
  }

  catch<E = never>(
    onRejected?: ((reason: unknown) => E | PromiseLike<E>) | null,
  ): Promise<InjectionResult | E> {
    return this.#result.catch(onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<InjectionResult> {
    return this.#result.finally(onFinally);
  }

  /**
   * Stops every worker after its current call (a few ms); the injection then resolves normally, with
   * `stopped: true`. Does nothing once finished.
   */
  stop(): void {
    this.#stopRequested = true;
    this.#run?.stop();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Progress> {
    const queue: Progress[] = [];
    let wake: (() => void) | undefined;
    const onProgress = (progress: Progress) => {
      queue.push(progress);
      wake?.();
    };
    const onFinish = () => wake?.();
    this.on('progress', onProgress);
    this.#iterators.add(onFinish);
    try {
      for (;;) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (this.#finished) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      if (this.#failure !== undefined) throw this.#failure;
    } finally {
      this.off('progress', onProgress);
      this.#iterators.delete(onFinish);
    }
  }

  #finish(): void {
    this.#finished = true;
    for (const wake of this.#iterators) wake();
  }

  async #execute(options: InjectOptions): Promise<InjectionResult> {
    // Let the caller attach listeners before anything is emitted.
    await Promise.resolve();
    let v: ValidatedInjection | undefined;
    let anchor: DispatcherAnchor | undefined;
    let stats: LiveStatisticsSession | undefined;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      v = validateInjectOptions(options);
      const valid = v;
      valid.signal?.throwIfAborted();
      const type = (valid.program as { type?: unknown }).type;
      if (typeof type === 'number' && type !== BpfProgType.XDP) {
        throw new ValidationError('options.program', 'an XDP program (BPF_PROG_TYPE_XDP)', {
          received: valid.program,
        });
      }
      requireLiveFrames();

      const warnings: string[] = [];
      const warn = (message: string) => {
        warnings.push(message);
        process.emitWarning(message, { code: 'PROGRUN_XDP_LIVE' });
      };
      let dispatcher: DispatcherState = { kept: false, reason: 'keepAttached is false' };
      if (valid.keepAttached) {
        try {
          anchor = DispatcherAnchor.attach(valid.program.fd);
          dispatcher = { kept: true, reason: undefined };
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          dispatcher = { kept: false, reason };
          warn(
            `the program could not be kept attached, so every call pays the XDP dispatcher update (16-24 ms): ${reason}`,
          );
        }
      }
      if (valid.stats.enabled) stats = await LiveStatisticsSession.start(valid, warn);
      // An abort while setting up ends here, before any frame: the listener below only hears later ones.
      valid.signal?.throwIfAborted();

      let done!: () => void;
      const finished = new Promise<void>((resolve) => {
        done = resolve;
      });
      const run = startRun(
        {
          progFd: valid.program.fd,
          netnsFd: valid.netns ? valid.netns.fd : -1,
          packets: valid.packets,
          ifindex: valid.ifindex,
          rxQueue: valid.rxQueue,
          batchSize: valid.batchSize,
          count: valid.count,
          durationNs: valid.durationNs,
          ratePps: valid.ratePps,
          cpus: valid.cpus,
          chunkFrames: valid.chunkFrames,
          callTargetNs: dispatcher.kept ? CALL_TARGET_NS_ATTACHED : CALL_TARGET_NS_DETACHED,
        },
        () => done(),
        valid.cpus,
      );
      this.#run = run;
      if (valid.signal) {
        onAbort = () => run.stop();
        valid.signal.addEventListener('abort', onAbort, { once: true });
      }
      // stop() or an abort that came while the workers were starting (an aborted signal never fires again).
      if (this.#stopRequested || valid.signal?.aborted) run.stop();
      this.emit('start', {
        cpus: valid.cpus,
        ifindex: valid.ifindex,
        ifname: valid.ifname,
        batchSize: valid.batchSize,
        dispatcher,
      });

      let previous: Snapshot | undefined;
      timer = setInterval(() => {
        const snapshot = takeSnapshot(run, valid.packets.length);
        this.emit('progress', progressOf(snapshot, previous));
        previous = snapshot;
      }, valid.progressIntervalMs);

      await finished;
      run.join();
      clearInterval(timer);
      timer = undefined;
      const final = takeSnapshot(run, valid.packets.length);
      this.emit('progress', progressOf(final, previous));
      anchor?.close();

      const failure = workerFailure(final, valid);
      if (failure) throw failure;
      valid.signal?.throwIfAborted();

      const ns = elapsedNs(final);
      const calls = final.workers.reduce((sum, worker) => sum + worker.calls, 0);
      const cpuNs = final.workers.reduce((sum, worker) => sum + worker.cpuNs, 0);
      const statistics = stats ? await stats.finish(final, calls, this.#stopRequested) : undefined;
      const result: InjectionResult = {
        frames: final.frames,
        calls,
        elapsedMs: ns / 1e6,
        pps: rate(final.frames, ns),
        cpuMs: cpuNs / 1e6,
        ppsPerCpu: rate(final.frames, cpuNs),
        batchSize: valid.batchSize,
        stopped: this.#stopRequested,
        dispatcher,
        workers: final.workers.map((worker) => {
          const workerNs = worker.endNs - worker.startNs;
          return {
            cpu: worker.cpu,
            tid: worker.tid,
            frames: worker.frames,
            calls: worker.calls,
            elapsedMs: workerNs / 1e6,
            pps: rate(worker.frames, workerNs),
            kernelNsPerFrame: worker.frames > 0 ? worker.kernelNs / worker.frames : 0,
            cpuMs: worker.cpuNs / 1e6,
            ppsPerCpu: rate(worker.frames, worker.cpuNs),
          };
        }),
        packets: final.packetFrames.map((frames, i) => ({ frames, verdict: stats?.verdicts?.[i] })),
        stats: statistics,
        warnings: [...warnings, ...(statistics?.warnings ?? [])],
      };
      this.emit('end', result);
      return result;
    } catch (error) {
      this.#failure = error;
      throw error;
    } finally {
      if (timer) clearInterval(timer);
      if (onAbort) v?.signal?.removeEventListener('abort', onAbort);
      // Reached with workers still running only when setting up after the start failed: stop them first.
      this.#run?.stop();
      this.#run?.join();
      anchor?.close();
      stats?.close();
      if (v?.borrowedNetns) await v.netns?.close();
      this.#finish();
    }
  }
}
