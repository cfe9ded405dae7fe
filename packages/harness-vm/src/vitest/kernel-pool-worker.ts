import { EventEmitter } from 'node:events';
import { relative, resolve } from 'node:path';
import { ProgrunErrorCode } from '@progrun/uapi';
import type { PoolOptions, PoolWorker, WorkerRequest } from 'vitest/node';
import { HarnessError } from '../errors.js';
import type { KernelTarget, ReadyKernel } from './kernel-target.js';
import { scaleConfigTimeouts } from './scale-config-timeouts.js';
import type { WorkerLink } from './worker-link.js';

/** A worker's response as vitest's pool reads it (`{ __vitest_worker_response__, type, error? }`). */
interface WorkerResponse {
  readonly __vitest_worker_response__: true;
  readonly type: string;
  error?: unknown;
}

const stopGraceMs = 10_000;

function isResponse(message: unknown): message is WorkerResponse {
  return typeof message === 'object' && message !== null && '__vitest_worker_response__' in message;
}

/**
 * A vitest pool worker that runs on one kernel: vitest's own forks worker, started in the kernel's
 * guest by its agent (messages relayed over the guest's serial port) or on the host. vitest drives it
 * like a local fork: collection, filtering, RPC for module transforms, snapshots and results all take
 * vitest's own paths.
 *
 * vitest starts every file's worker at once (the kernel projects have more worker slots than files);
 * the kernel's {@link SlotGate} decides when each one really starts, so each kernel runs as many files
 * at once as it has CPUs for and a guest's files never hold back the host's. Starting is decoupled from
 * that wait and from booting (vitest's start deadlines, 90 s, are shorter than a loaded TCG boot): the
 * worker answers vitest's `start` itself and forwards it, with the test timeouts scaled for the
 * kernel, once its process is up. A failure of the guest is reported as an error of the test file
 * that was running or waiting, naming the file, the kernel and the console's last lines.
 */
export class KernelPoolWorker implements PoolWorker {
  readonly name: string;
  readonly #events = new EventEmitter();
  readonly #options: PoolOptions;
  readonly #target: KernelTarget;
  readonly #queue: WorkerRequest[] = [];
  #link: WorkerLink | undefined;
  #releaseSlot: (() => void) | undefined;
  /** The worker has not answered `start` yet: vitest sends nothing else before that. */
  #starting = true;
  #factor = 1;
  #files: readonly string[] = [];
  #taskActive = false;
  #stopping = false;
  #exited = false;
  #exitWaiters: (() => void)[] = [];
  #offFailure: (() => void) | undefined;

  constructor(name: string, options: PoolOptions, target: KernelTarget) {
    this.name = name;
    this.#options = options;
    this.#target = target;
  }

  on(event: string, callback: Parameters<PoolWorker['on']>[1]): void {
    this.#events.on(event, callback);
  }

  off(event: string, callback: Parameters<PoolWorker['on']>[1]): void {
    this.#events.off(event, callback);
  }

  /** Resolves at once; the kernel gets ready (a guest boots once per run) and a slot frees in the background. */
  async start(): Promise<void> {
    this.#offFailure = this.#target.onFailure((error) => this.#failTask(error));
    this.#target.start().then(
      async (kernel) => {
        const release = await kernel.slots.acquire();
        if (this.#stopping || this.#target.failure) release();
        else this.#connect(kernel, release);
      },
      () => {
        // Reported through onFailure.
      },
    );
  }

  send(message: WorkerRequest): void {
    if (message.type === 'start') {
      // Answered here: the guest may still be booting (see the class comment).
      setImmediate(() => this.#events.emit('message', { __vitest_worker_response__: true, type: 'started' }));
      if (this.#link) this.#forward(message);
      else this.#queue.unshift(message);
      return;
    }
    if (message.type === 'run' || message.type === 'collect') {
      this.#files = message.context.files.map((file) => file.filepath);
      this.#taskActive = true;
      const failure = this.#target.failure;
      if (failure) {
        setImmediate(() => this.#failTask(failure));
        return;
      }
    } else if (message.type === 'stop' && (this.#link === undefined || this.#exited)) {
      setImmediate(() => this.#events.emit('message', { __vitest_worker_response__: true, type: 'stopped' }));
      return;
    }
    if (this.#link && !this.#starting) this.#forward(message);
    else this.#queue.push(message);
  }

  deserialize(data: unknown): unknown {
    return data;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#offFailure?.();
    if (this.#link && !this.#exited && !this.#target.failure) {
      const exited = new Promise<void>((done) => this.#exitWaiters.push(done));
      this.#link.kill();
      await Promise.race([exited, new Promise((done) => setTimeout(done, stopGraceMs).unref())]);
    }
    // A worker that never exited (its guest is gone) gives its slot back all the same.
    this.#releaseSlot?.();
  }

  #connect(kernel: ReadyKernel, releaseSlot: () => void): void {
    const { project } = this.#options;
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.#options.env)) if (value !== undefined) env[name] = value;
    const link = kernel.spawn({
      entrypoint: resolve(this.#options.distPath, 'workers/forks.js'),
      execArgv: this.#options.execArgv,
      env: { ...env, ...kernel.env },
      cwd: process.cwd(),
    });
    this.#link = link;
    this.#releaseSlot = releaseSlot;
    link.on('message', (message) => this.#receive(message));
    link.on('stdout', (chunk) => project.vitest.logger.outputStream.write(chunk));
    link.on('stderr', (chunk) => project.vitest.logger.errorStream.write(chunk));
    link.on('exit', (exit) => {
      this.#exited = true;
      releaseSlot();
      for (const done of this.#exitWaiters.splice(0)) done();
      if (this.#stopping || !this.#taskActive) return;
      const how =
        exit.error ?? (exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`);
      this.#failTask(
        new HarnessError(
          ProgrunErrorCode.GUEST_FAILED,
          `kernel ${this.#target.kernel}: the test worker ${how}`,
        ),
      );
    });
    this.#factor = kernel.timeoutFactor;
    // vitest's `start` goes first (it may not have been sent yet); the rest waits for the guest
    // worker's answer to it.
    if (this.#queue[0]?.type === 'start') this.#forward(this.#queue.shift()!);
  }

  #forward(message: WorkerRequest): void {
    const scaled =
      message.type === 'start'
        ? {
            ...message,
            context: {
              ...message.context,
              config: scaleConfigTimeouts(message.context.config, this.#factor),
            },
          }
        : message;
    this.#link!.send(scaled);
  }

  #receive(message: unknown): void {
    if (isResponse(message)) {
      if (message.type === 'started') {
        // vitest heard 'started' from us already; only a failure to start matters now.
        if (message.error) this.#failTask(message.error);
        this.#starting = false;
        for (const queued of this.#queue.splice(0)) this.#forward(queued);
        return;
      }
      if (message.type === 'testfileFinished') {
        this.#taskActive = false;
        const warnings = this.#target.takeKernelWarnings();
        if (warnings.length > 0 && !message.error) {
          message.error = new HarnessError(
            ProgrunErrorCode.GUEST_FAILED,
            `kernel ${this.#target.kernel} complained while ${this.#describeFiles()} ran:\n${warnings.map((line) => `  ${line}`).join('\n')}`,
          );
        }
      }
    }
    this.#events.emit('message', message);
  }

  #failTask(error: unknown): void {
    if (!this.#taskActive) return;
    this.#taskActive = false;
    const reason = error instanceof Error ? error.message : String(error);
    this.#events.emit(
      'error',
      new HarnessError(ProgrunErrorCode.GUEST_FAILED, `${this.#describeFiles()} did not finish: ${reason}`, {
        cause: error,
      }),
    );
  }

  #describeFiles(): string {
    const root = this.#options.project.config.root;
    return this.#files.map((file) => relative(root, file)).join(', ');
  }
}
