import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { RunTimeouts } from '../accelerator/timeouts.js';
import { abortError } from '../errors.js';
import { processesMentioning, signalGroup } from '../util/processes.js';
import { startSupervised } from '../util/supervised-process.js';
import { classifyRun } from './classify-run.js';
import { analyseConsole, type ConsoleAnalysis } from './console-analysis.js';
import { controlFiles, renderGuestScript } from './guest-script.js';
import { readGuestResults } from './read-guest-results.js';
import { createRunDir, removeRunDir } from './run-dir.js';
import type { RunOutcome } from './run-outcome.js';
import { type VngArgumentsOptions, vngArguments } from './vng-arguments.js';

/** Options of {@link runInVm}: the guest (as vng gets it), the command and its deadlines. */
export interface VmRunOptions
  extends Pick<
      VngArgumentsOptions,
      | 'image'
      | 'accelerator'
      | 'cpus'
      | 'memoryMiB'
      | 'kernelArgs'
      | 'qemuArgs'
      | 'writableDirs'
      | 'overlayDirs'
    >,
    RunTimeouts {
  /** `uname -r` the guest must report; a different kernel is an infrastructure error. */
  readonly expectedRelease?: string;
  readonly command: string | readonly string[];
  /** Guest working directory (the host's, seen read-only through the shared root). */
  readonly cwd: string;
  /** Extra environment of the command; PATH and HOME come from the host. */
  readonly env?: Readonly<Record<string, string>>;
  /** Persistent directory that receives console.log, stdout.log, stderr.log and results/. */
  readonly logDir: string;
  /** vng binary; default `vng` from PATH. */
  readonly vng?: string;
  readonly signal?: AbortSignal;
  /** Called once userspace is reached, with the boot time. */
  readonly onRunning?: (bootMs: number) => void;
  /**
   * Checks the image again when the guest never reached userspace: returns why it is damaged (then the
   * run is a boot failure for that reason), or undefined.
   */
  readonly imageDamage?: () => string | undefined;
}

/** What one guest run produced. */
export interface VmRunRecord {
  readonly outcome: RunOutcome;
  readonly reason: string;
  /** The command's exit status, when it finished. */
  readonly exitCode: number | undefined;
  readonly vngExitCode: number | null | undefined;
  /** Start to userspace, ms. */
  readonly bootMs: number | undefined;
  /** Userspace to the command's exit, ms. */
  readonly commandMs: number | undefined;
  /** Start to the end of the VM, ms. */
  readonly totalMs: number;
  /** `uname -r` reported from inside the guest. */
  readonly guestRelease: string | undefined;
  readonly console: Pick<ConsoleAnalysis, 'panic' | 'warnings' | 'tail'>;
  /** Every `*.json` the command wrote into `PROGRUN_RESULTS_DIR`, parsed, by file name. */
  readonly guestResults: Readonly<Record<string, unknown>>;
  readonly files: {
    readonly console: string;
    readonly stdout: string;
    readonly stderr: string;
    readonly results: string;
  };
}

const pollMs = 100;
const killGraceMs = 3000;

/**
 * Boots a kernel with virtme-ng, runs one command in it and classifies the result. The run gets a
 * private directory shared read-write into the guest (the control files and the command's results
 * dir); vng's stdout and stderr are files (vng refuses sockets), its stdin /dev/null. vng, qemu and
 * everything they start live in one process group led by a supervisor; the group is killed on
 * timeout, on abort and when this process dies, and the run directory is always removed.
 *
 * @throws the signal's reason when `signal` aborts (after the VM is gone and the directory removed).
 */
export async function runInVm(options: VmRunOptions): Promise<VmRunRecord> {
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal);
  mkdirSync(options.logDir, { recursive: true });
  const files = {
    console: join(options.logDir, 'console.log'),
    stdout: join(options.logDir, 'stdout.log'),
    stderr: join(options.logDir, 'stderr.log'),
    results: join(options.logDir, 'results'),
  };
  const runDir = await createRunDir();
  const consoleFd = openSync(files.console, 'w');
  const stdoutFd = openSync(files.stdout, 'w');
  const started = performance.now();
  try {
    writeFileSync(
      join(runDir.controlDir, controlFiles.script),
      renderGuestScript({
        controlDir: runDir.controlDir,
        cwd: options.cwd,
        command: options.command,
        env: {
          PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
          HOME: process.env.HOME ?? '/root',
          ...options.env,
          PROGRUN_RESULTS_DIR: runDir.resultsDir,
        },
      }),
    );
    const args = vngArguments({
      image: options.image,
      accelerator: options.accelerator,
      cpus: options.cpus,
      memoryMiB: options.memoryMiB,
      sharedDir: runDir.path,
      cwd: options.cwd,
      exec: `sh ${join(runDir.controlDir, controlFiles.script)}`,
      kernelArgs: options.kernelArgs,
      qemuArgs: options.qemuArgs,
      writableDirs: options.writableDirs,
      overlayDirs: options.overlayDirs,
    });
    const child = startSupervised([options.vng ?? 'vng', ...args], {
      cwd: options.cwd,
      env: { TMPDIR: runDir.tmpDir },
      stdoutFd,
      stderrFd: consoleFd,
    });

    let deadline: 'boot' | 'command' | 'shutdown' | undefined;
    let deadlineMs: number | undefined;
    let bootMs: number | undefined;
    let commandMs: number | undefined;
    let aborted = false;
    const onAbort = () => {
      aborted = true;
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      while (!child.hasExited()) {
        await Promise.race([child.exit, delay(pollMs)]);
        const now = performance.now() - started;
        if (bootMs === undefined && existsSync(join(runDir.controlDir, controlFiles.started))) {
          bootMs = now;
          options.onRunning?.(bootMs);
        }
        if (
          commandMs === undefined &&
          bootMs !== undefined &&
          existsSync(join(runDir.controlDir, controlFiles.exit))
        ) {
          commandMs = now - bootMs;
        }
        if (child.hasExited()) break;
        if (aborted) {
          await child.kill(killGraceMs);
          break;
        }
        if (bootMs === undefined && now > options.bootTimeoutMs) {
          [deadline, deadlineMs] = ['boot', options.bootTimeoutMs];
        } else if (
          bootMs !== undefined &&
          commandMs === undefined &&
          now - bootMs > options.commandTimeoutMs
        ) {
          [deadline, deadlineMs] = ['command', options.commandTimeoutMs];
        } else if (commandMs !== undefined && now - bootMs! - commandMs > options.shutdownTimeoutMs) {
          [deadline, deadlineMs] = ['shutdown', options.shutdownTimeoutMs];
        }
        if (deadline) {
          await child.kill(killGraceMs);
          break;
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    const result = await child.exit;
    // Anything vng left running (it normally leaves nothing) still names our directory.
    for (const pid of processesMentioning(runDir.path)) signalGroupOrProcess(pid);
    if (aborted) throw abortError(signal);

    const totalMs = performance.now() - started;
    const consoleAnalysis = analyseConsole(readFileSync(files.console, 'utf8'));
    const exitInfo = readJson<{ exitCode: number }>(join(runDir.controlDir, controlFiles.exit));
    const startInfo = readJson<{ release: string }>(join(runDir.controlDir, controlFiles.started));
    copyIfExists(join(runDir.controlDir, controlFiles.stderr), files.stderr);
    cpSync(runDir.resultsDir, files.results, { recursive: true });
    const spawnError =
      result.failed && result.exitCode === undefined && result.signal === undefined && !deadline
        ? result.shortMessage
        : undefined;
    let { outcome, reason } = classifyRun({
      started: startInfo !== undefined,
      exitCode: exitInfo?.exitCode,
      deadline,
      deadlineMs,
      vngExitCode: result.exitCode ?? null,
      spawnError,
      console: consoleAnalysis,
      image: options.image,
    });
    const damage = startInfo || spawnError !== undefined ? undefined : options.imageDamage?.();
    if (damage) {
      outcome = 'boot-failure';
      reason = `${damage}; the next run provisions it again (${reason})`;
    }
    if (startInfo && options.expectedRelease && startInfo.release !== options.expectedRelease) {
      outcome = 'infra-error';
      reason = `the guest runs ${startInfo.release}, not ${options.expectedRelease}`;
    }
    return {
      outcome,
      reason,
      exitCode: exitInfo?.exitCode,
      vngExitCode: result.exitCode ?? null,
      bootMs,
      commandMs,
      totalMs,
      guestRelease: startInfo?.release,
      console: {
        panic: consoleAnalysis.panic,
        warnings: consoleAnalysis.warnings,
        tail: consoleAnalysis.tail,
      },
      guestResults: readGuestResults(files.results),
      files,
    };
  } finally {
    closeSync(consoleFd);
    closeSync(stdoutFd);
    removeRunDir(runDir);
  }
}

function signalGroupOrProcess(pid: number): void {
  if (!signalGroup(pid, 'SIGKILL')) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function copyIfExists(from: string, to: string): void {
  if (existsSync(from)) cpSync(from, to);
  else writeFileSync(to, '');
}
