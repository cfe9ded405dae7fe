import { EventEmitter } from 'node:events';
import { relative, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { ProgrunErrorCode } from '@progrun/uapi';
import type { PoolOptions, PoolWorker, WorkerRequest } from 'vitest/node';
import { HarnessError } from '../errors.js';
import type { Accelerator } from '../vm/vng-arguments.js';
import type { GuestWorkerLink } from './guest-channel.js';
import type { KernelSession, ReadyGuest } from './kernel-session.js';
import { scaleConfigTimeouts } from './scale-config-timeouts.js';

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
 * A vitest pool worker whose process runs in a kernel's guest: vitest's own forks worker, started by
 * the guest's agent, with every message relayed over the guest's serial port (v8-serialized, as the
 * forks pool's IPC is). Vitest therefore drives it like a local fork: collection, filtering, RPC for
 * module transforms, snapshots and results all take vitest's own paths.
 *
 * Starting is decoupled from booting: the guest boots once per run while vitest's start deadlines
 * (90 s) are shorter than a loaded TCG boot, so the worker answers vitest's `start` itself and
 * forwards it, with the test timeouts scaled for the guest's accelerator, once the guest is up. A
 * failure of the guest is reported as an error of the test file that was running or waiting, naming
 * the file, the kernel and the console's last lines.
 */
export class GuestPoolWorker implements PoolWorker {
  readonly name: string;
  readonly #events = new EventEmitter();
  readonly #options: PoolOptions;
  readonly #session: KernelSession;
  readonly #timeoutScale: Readonly<Record<Accelerator, number>>;
  readonly #queue: WorkerRequest[] = [];
  #link: GuestWorkerLink | undefined;
  /** The guest's worker has not answered `start` yet: vitest sends nothing else before that. */
  #starting = true;
  #factor = 1;
  #files: readonly string[] = [];
  #taskActive = false;
  #stopping = false;
  #exited = false;
  #exitWaiters: (() => void)[] = [];
  #offFailure: (() => void) | undefined;

  constructor(
    name: string,
    options: PoolOptions,
    session: KernelSession,
    timeoutScale: Readonly<Record<Accelerator, number>>,
  ) {
    this.name = name;
    this.#options = options;
    this.#session = session;
    this.#timeoutScale = timeoutScale;
  }

  on(event: string, callback: Parameters<PoolWorker['on']>[1]): void {
    this.#events.on(event, callback);
  }

  off(event: string, callback: Parameters<PoolWorker['on']>[1]): void {
    this.#events.off(event, callback);
  }

  /** Resolves at once; the guest is booted (once per run) in the background. */
  async start(): Promise<void> {
    this.#offFailure = this.#session.onFailure((error) => this.#failTask(error));
    this.#session.start().then(
      (guest) => this.#connect(guest),
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
      const failure = this.#session.failure;
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
    if (!this.#link || this.#exited || this.#session.failure) return;
    const exited = new Promise<void>((done) => this.#exitWaiters.push(done));
    this.#link.kill();
    await Promise.race([exited, new Promise((done) => setTimeout(done, stopGraceMs).unref())]);
  }

  #connect(guest: ReadyGuest): void {
    if (this.#stopping) return;
    const { project } = this.#options;
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.#options.env)) if (value !== undefined) env[name] = value;
    const link = guest.channel.spawn({
      entrypoint: resolve(this.#options.distPath, 'workers/forks.js'),
      execArgv: this.#options.execArgv,
      env: {
        ...env,
        TMPDIR: guest.tmpDir,
        PROGRUN_KERNEL: this.#session.kernel,
        PROGRUN_KERNEL_RELEASE: guest.hello.release,
      },
      cwd: process.cwd(),
    });
    this.#link = link;
    link.on('message', (payload) => this.#receive(deserialize(payload)));
    link.on('stdout', (chunk) => project.vitest.logger.outputStream.write(chunk));
    link.on('stderr', (chunk) => project.vitest.logger.errorStream.write(chunk));
    link.on('exit', (exit) => {
      this.#exited = true;
      for (const done of this.#exitWaiters.splice(0)) done();
      if (this.#stopping || !this.#taskActive) return;
      const how =
        exit.error ?? (exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`);
      this.#failTask(
        new HarnessError(
          ProgrunErrorCode.GUEST_FAILED,
          `kernel ${this.#session.kernel}: the test worker in the guest ${how}`,
        ),
      );
    });
    this.#factor = this.#timeoutScale[guest.accelerator];
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
    this.#link!.send(serialize(scaled));
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
        const warnings = this.#session.takeKernelWarnings();
        if (warnings.length > 0 && !message.error) {
          message.error = new HarnessError(
            ProgrunErrorCode.GUEST_FAILED,
            `kernel ${this.#session.kernel} complained while ${this.#describeFiles()} ran:\n${warnings.map((line) => `  ${line}`).join('\n')}`,
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
