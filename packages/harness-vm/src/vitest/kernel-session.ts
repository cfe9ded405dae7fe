import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProgrunErrorCode, ValidationError } from '@progrun/uapi';
import { expectedBootMs, recordBootMs } from '../accelerator/boot-times.js';
import { type AcceleratorVerdict, detectAccelerator } from '../accelerator/detect-accelerator.js';
import { scaleTimeouts } from '../accelerator/timeouts.js';
import { HarnessError } from '../errors.js';
import { kernelDirName } from '../harness/output-dir.js';
import { findKernel } from '../kernels/catalogue.js';
import { cachedImageDamage, provisionKernel } from '../kernels/provision-kernel.js';
import type { ProvisionedKernel } from '../kernels/resolved-kernel.js';
import { analyseConsole } from '../vm/console-analysis.js';
import { guestOverlayDirs } from '../vm/guest-overlays.js';
import { missingGuestTools } from '../vm/preflight.js';
import { createRunDir, type RunDir, removeRunDir } from '../vm/run-dir.js';
import { runInVm, type VmRunRecord } from '../vm/run-in-vm.js';
import type { Accelerator } from '../vm/vng-arguments.js';
import type { AgentHello } from './agent-frames.js';
import { GuestChannel } from './guest-channel.js';
import type { GuestHarnessOptions } from './guest-harness-options.js';
import type { KernelTarget, ReadyKernel } from './kernel-target.js';
import { SlotGate } from './slot-gate.js';

/** A guest that booted and whose agent answered. */
export interface ReadyGuest extends ReadyKernel {
  readonly kernel: ProvisionedKernel;
  readonly accelerator: Accelerator;
  readonly hello: AgentHello;
  readonly channel: GuestChannel;
  /** Start to userspace, ms. */
  readonly bootMs: number;
}

/** How a session ended, for the summary printed after the run. */
export interface SessionSummary {
  readonly kernel: string;
  readonly release: string | undefined;
  readonly accelerator: Accelerator | undefined;
  readonly bootMs: number | undefined;
  /** Start of provisioning to the guest's power-off, ms. */
  readonly totalMs: number;
  /** Where the console, stdout and stderr of the guest are kept. */
  readonly logDir: string;
  /** Oops/BUG/WARNING headlines the kernel printed during the run. */
  readonly kernelWarnings: readonly string[];
}

const portName = 'org.progrun.vitest';
const agentPath = fileURLToPath(new URL('./guest/vitest-agent.js', import.meta.url));
const defaultSessionTimeoutMs = 2 * 3600_000;
const silenceCheckMs = 1000;
const workerStopGraceMs = 60_000;

/**
 * One guest for one kernel, booted once per vitest run and shared by every test file of the kernel's
 * project: provisioning, the accelerator verdict and the boot come from the harness's library
 * (`provisionKernel`, `detectAccelerator`, `runInVm`); the guest's command is the agent that starts
 * vitest workers over a virtio-serial port. The user's tree and home are writable overlays in the guest
 * (writes vanish with it); TMPDIR points into a per-run directory on the host that is removed with the
 * session.
 *
 * A failure of the guest (provisioning, boot, panic, the guest falling silent, the agent exiting) is
 * kept as a {@link HarnessError} `ERR_PROGRUN_GUEST_FAILED` whose message carries the console's last lines; the
 * pool reports it for every test file of the kernel that was running or still to run.
 */
export class KernelSession implements KernelTarget {
  readonly kernel: string;
  readonly logDir: string;
  readonly #options: GuestHarnessOptions;
  readonly #timeoutScale: Readonly<Record<Accelerator, number>>;
  readonly #abort = new AbortController();
  readonly #failureListeners = new Set<(error: HarnessError) => void>();
  readonly #started = performance.now();
  #ready: Promise<ReadyGuest> | undefined;
  #guest: ReadyGuest | undefined;
  #vm: Promise<VmRunRecord> | undefined;
  #runDir: RunDir | undefined;
  #failure: HarnessError | undefined;
  #closing = false;
  #closed: Promise<SessionSummary> | undefined;
  #silenceTimer: NodeJS.Timeout | undefined;
  #verdict: AcceleratorVerdict | undefined;
  #release: string | undefined;
  #bootMs: number | undefined;
  #warningsTaken = 0;

  constructor(
    kernel: string,
    logDir: string,
    options: GuestHarnessOptions,
    timeoutScale: Readonly<Record<Accelerator, number>>,
  ) {
    this.kernel = kernel;
    this.logDir = join(logDir, kernelDirName(kernel));
    this.#options = options;
    this.#timeoutScale = timeoutScale;
  }

  /** The failure that ended the guest, if one did. */
  get failure(): HarnessError | undefined {
    return this.#failure;
  }

  /** Boots the guest (once); resolves when its agent answered, rejects with the guest's failure. */
  start(): Promise<ReadyGuest> {
    this.#ready ??= this.#boot().catch((error: unknown) => {
      throw this.#fail(error);
    });
    return this.#ready;
  }

  /**
   * Oops, BUG and WARNING headlines the guest's kernel printed since the last call: a test file during
   * which the kernel complained fails, also when its tests passed (none with `allowKernelWarnings`).
   */
  takeKernelWarnings(): readonly string[] {
    let warnings: readonly string[];
    try {
      warnings = analyseConsole(readFileSync(join(this.logDir, 'console.log'), 'utf8')).warnings;
    } catch {
      return [];
    }
    const fresh = warnings.slice(this.#warningsTaken);
    this.#warningsTaken = warnings.length;
    return this.#options.allowKernelWarnings ? [] : fresh;
  }

  /** Calls `listener` once when the guest fails (at once when it already has). */
  onFailure(listener: (error: HarnessError) => void): () => void {
    if (this.#failure) {
      listener(this.#failure);
      return () => {};
    }
    this.#failureListeners.add(listener);
    return () => this.#failureListeners.delete(listener);
  }

  /**
   * Shuts the guest down (asks the agent to end its workers and exit, then waits for the power-off),
   * and removes the per-run directory. Idempotent.
   */
  close(): Promise<SessionSummary> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  async #boot(): Promise<ReadyGuest> {
    const options = this.#options;
    const entry = findKernel(this.kernel, options.catalogue);
    if (entry.kind !== 'debian') {
      throw new ValidationError('kernels', 'kernels booted in a guest', {
        message: `kernel ${this.kernel} is not booted in a guest`,
      });
    }
    const missing = missingGuestTools(options.vng);
    if (missing) throw new HarnessError(ProgrunErrorCode.MISSING_TOOL, missing);
    const signal = this.#abort.signal;
    const kernel = await provisionKernel(entry, { cacheDir: options.cacheDir, signal });
    this.#release = kernel.release;
    const verdict = await this.#chooseAccelerator(kernel);
    this.#verdict = verdict;
    const { accelerator } = verdict;

    const runDir = await createRunDir();
    this.#runDir = runDir;
    const channel = await GuestChannel.listen(join(runDir.path, 'agent.sock'));
    const timeouts = scaleTimeouts(
      accelerator,
      expectedBootMs(options.cacheDir, kernel.release, accelerator),
      {
        bootTimeoutMs: options.bootTimeoutMs,
        commandTimeoutMs: options.sessionTimeoutMs ?? defaultSessionTimeoutMs,
      },
    );
    let bootMs: number | undefined;
    const cpus = options.cpus ?? (accelerator === 'kvm' ? 2 : 1);
    this.#vm = runInVm({
      image: kernel.image,
      expectedRelease: kernel.release,
      accelerator,
      command: [process.execPath, agentPath, portName],
      cwd: options.root,
      env: { PROGRUN_KERNEL: this.kernel, PROGRUN_KERNEL_RELEASE: kernel.release },
      cpus,
      memoryMiB: options.memoryMiB ?? 1024,
      ...timeouts,
      logDir: this.logDir,
      qemuArgs: [
        '-device',
        'virtio-serial-pci,id=progrunvitest',
        '-chardev',
        `socket,id=progrunagent,path=${channel.path}`,
        '-device',
        `virtserialport,bus=progrunvitest.0,chardev=progrunagent,name=${portName}`,
      ],
      writableDirs: [runDir.tmpDir],
      overlayDirs: guestOverlayDirs(options.root),
      vng: options.vng,
      signal,
      imageDamage: () => cachedImageDamage(kernel),
      onRunning: (ms) => {
        bootMs = ms;
        this.#bootMs = ms;
        recordBootMs(options.cacheDir, kernel.release, accelerator, ms);
      },
    });
    // Until the agent answers, the end of the VM is a failure to start.
    const hello = await Promise.race([
      channel.hello,
      this.#vm.then((record) => {
        throw this.#guestError(record, 'the guest ended before the test agent started');
      }),
    ]);
    const guest: ReadyGuest = {
      kernel,
      accelerator,
      hello,
      channel,
      bootMs: bootMs ?? 0,
      slots: new SlotGate(cpus),
      timeoutFactor: this.#timeoutScale[accelerator],
      // TMPDIR: a per-run directory on the host, shared read-write, removed with the session.
      env: { TMPDIR: runDir.tmpDir, PROGRUN_KERNEL: this.kernel, PROGRUN_KERNEL_RELEASE: hello.release },
      spawn: (request) => channel.spawn(request),
    };
    this.#guest = guest;
    this.#watch(guest, accelerator);
    return guest;
  }

  async #chooseAccelerator(kernel: ProvisionedKernel): Promise<AcceleratorVerdict> {
    const forced = this.#options.accelerator ?? 'auto';
    if (forced !== 'auto') {
      return {
        accelerator: forced,
        reason: 'chosen by the caller',
        cached: false,
        key: 'forced',
        decidedAt: '',
      };
    }
    return detectAccelerator({
      cacheDir: this.#options.cacheDir,
      kernel,
      kvmDeadlineMs: this.#options.kvmDeadlineMs,
      vng: this.#options.vng,
      signal: this.#abort.signal,
    });
  }

  /** After the agent answered: the VM ending before `close`, or the guest falling silent, is a failure. */
  #watch(guest: ReadyGuest, accelerator: Accelerator): void {
    void this.#vm!.then((record) => {
      if (!this.#closing) this.#fail(this.#guestError(record, 'the guest ended while tests were running'));
    });
    const silenceMs = this.#options.silenceTimeoutMs ?? (accelerator === 'tcg' ? 120_000 : 30_000);
    this.#silenceTimer = setInterval(() => {
      const silent = performance.now() - guest.channel.lastHeard;
      if (silent < silenceMs || this.#closing) return;
      this.#fail(
        this.#consoleError(
          `the guest stopped answering (no word from its agent for ${Math.round(silent / 1000)} s) and was stopped`,
        ),
      );
      this.#abort.abort();
    }, silenceCheckMs);
    this.#silenceTimer.unref();
  }

  async #shutdown(): Promise<SessionSummary> {
    this.#closing = true;
    clearInterval(this.#silenceTimer);
    let warnings: readonly string[] = [];
    try {
      if (this.#guest && !this.#failure) {
        // vitest tears its global setups down before it has stopped the last workers; let them finish.
        const { channel } = this.#guest;
        await Promise.race([
          channel.idle(),
          new Promise((done) => setTimeout(done, workerStopGraceMs).unref()),
        ]);
        channel.shutdown();
        const record = await this.#vm!;
        warnings = record.console.warnings;
        if (record.outcome !== 'pass')
          this.#fail(this.#guestError(record, 'the guest did not shut down cleanly'));
      } else {
        this.#abort.abort();
        await this.#vm?.catch(() => undefined);
      }
    } catch (error) {
      // An abort of a hung guest lands here: the failure is already recorded.
      if (!this.#failure) this.#fail(error);
    } finally {
      this.#guest?.channel.close();
      if (this.#runDir) removeRunDir(this.#runDir);
    }
    return {
      kernel: this.kernel,
      release: this.#release,
      accelerator: this.#verdict?.accelerator,
      bootMs: this.#bootMs,
      totalMs: performance.now() - this.#started,
      logDir: this.logDir,
      kernelWarnings: warnings,
    };
  }

  #fail(error: unknown): HarnessError {
    if (this.#failure) return this.#failure;
    const failure =
      HarnessError.isInstance(error) && error.code === ProgrunErrorCode.GUEST_FAILED
        ? error
        : new HarnessError(ProgrunErrorCode.GUEST_FAILED, `${this.#label()}: ${(error as Error).message}`, {
            cause: error,
          });
    this.#failure = failure;
    for (const listener of this.#failureListeners) listener(failure);
    this.#failureListeners.clear();
    return failure;
  }

  #label(): string {
    const details = [this.#release, this.#verdict?.accelerator].filter(Boolean).join(', ');
    return `kernel ${this.kernel}${details ? ` (${details})` : ''}`;
  }

  #guestError(record: VmRunRecord, what: string): HarnessError {
    const tail = record.console.tail.map((line) => `  ${line}`).join('\n');
    return new HarnessError(
      ProgrunErrorCode.GUEST_FAILED,
      `${this.#label()}: ${what}: ${record.outcome}: ${record.reason}\n` +
        `console (last lines):\n${tail}\nlogs: ${this.logDir}`,
    );
  }

  /** A failure described from the console log on disk (the run record is not there after an abort). */
  #consoleError(what: string): HarnessError {
    let tail = '';
    try {
      const analysis = analyseConsole(readFileSync(join(this.logDir, 'console.log'), 'utf8'));
      const panic = analysis.panic ? `\n${analysis.panic}` : '';
      tail = `${panic}\nconsole (last lines):\n${analysis.tail.map((line) => `  ${line}`).join('\n')}`;
    } catch {
      // No console log yet.
    }
    return new HarnessError(
      ProgrunErrorCode.GUEST_FAILED,
      `${this.#label()}: ${what}${tail}\nlogs: ${this.logDir}`,
    );
  }
}
