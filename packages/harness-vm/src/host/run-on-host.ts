import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { abortError } from '../errors.js';
import { shellCommand } from '../util/shell-quote.js';
import { startSupervised } from '../util/supervised-process.js';
import { readGuestResults } from '../vm/read-guest-results.js';
import type { RunOutcome } from '../vm/run-outcome.js';

/** Options of {@link runOnHost}. */
export interface HostRunOptions {
  readonly command: string | readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Receives stdout.log, stderr.log and results/ (the command's `PROGRUN_RESULTS_DIR`). */
  readonly logDir: string;
  readonly signal?: AbortSignal;
}

/** What a run on the host produced. */
export interface HostRunRecord {
  readonly outcome: Extract<RunOutcome, 'pass' | 'fail' | 'timeout' | 'infra-error'>;
  readonly reason: string;
  readonly exitCode: number | undefined;
  readonly commandMs: number;
  readonly guestResults: Readonly<Record<string, unknown>>;
  readonly files: { readonly stdout: string; readonly stderr: string; readonly results: string };
}

const pollMs = 100;

/**
 * Runs a command on the running kernel (the catalogue's `host`), with the same contract as a guest
 * run: `PROGRUN_RESULTS_DIR` for structured results, stdout and stderr kept, a deadline, and the
 * whole process group killed on timeout or abort.
 *
 * @throws the signal's reason when `signal` aborts.
 */
export async function runOnHost(options: HostRunOptions): Promise<HostRunRecord> {
  if (options.signal?.aborted) throw abortError(options.signal);
  const files = {
    stdout: join(options.logDir, 'stdout.log'),
    stderr: join(options.logDir, 'stderr.log'),
    results: join(options.logDir, 'results'),
  };
  mkdirSync(files.results, { recursive: true });
  const stdoutFd = openSync(files.stdout, 'w');
  const stderrFd = openSync(files.stderr, 'w');
  const started = performance.now();
  try {
    const child = startSupervised(['sh', '-c', shellCommand(options.command)], {
      cwd: options.cwd,
      env: { ...options.env, PROGRUN_RESULTS_DIR: files.results },
      stdoutFd,
      stderrFd,
    });
    let timedOut = false;
    while (!child.hasExited()) {
      await Promise.race([child.exit, delay(pollMs)]);
      if (child.hasExited()) break;
      if (options.signal?.aborted) {
        await child.kill();
        throw abortError(options.signal);
      }
      if (performance.now() - started > options.timeoutMs) {
        timedOut = true;
        await child.kill();
      }
    }
    const result = await child.exit;
    const commandMs = performance.now() - started;
    const guestResults = readGuestResults(files.results);
    const base = { commandMs, guestResults, files };
    if (timedOut) {
      return {
        ...base,
        outcome: 'timeout',
        reason: `the command was still running after ${options.timeoutMs / 1000} s and was killed`,
        exitCode: undefined,
      };
    }
    if (result.exitCode === undefined) {
      return {
        ...base,
        outcome: 'infra-error',
        reason: `could not run the command: ${result.shortMessage}`,
        exitCode: undefined,
      };
    }
    return {
      ...base,
      outcome: result.exitCode === 0 ? 'pass' : 'fail',
      reason: `exit ${result.exitCode}`,
      exitCode: result.exitCode,
    };
  } finally {
    closeSync(stdoutFd);
    closeSync(stderrFd);
  }
}
