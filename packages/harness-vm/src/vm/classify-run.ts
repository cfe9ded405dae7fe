import { objectArgument } from '../util/argument-checks.js';
import type { ConsoleAnalysis } from './console-analysis.js';
import type { RunOutcome } from './run-outcome.js';

/** Everything observed about one guest run, as classification sees it. */
export interface RunObservation {
  /** The guest script reported that userspace was reached. */
  readonly started: boolean;
  /** Exit status the guest script reported, when the command finished. */
  readonly exitCode: number | undefined;
  /** Which deadline killed the VM, if one did. */
  readonly deadline: 'boot' | 'command' | 'shutdown' | undefined;
  /** The deadline that fired, in ms (for the reason text). */
  readonly deadlineMs?: number;
  /** Exit code of vng (255 when the guest died without an exit status), null when killed. */
  readonly vngExitCode: number | null | undefined;
  /** vng could not be started at all (ENOENT, EACCES...). */
  readonly spawnError: string | undefined;
  readonly console: ConsoleAnalysis;
  /** The kernel image booted, named by the reasons of runs that never reached the kernel. */
  readonly image?: string;
}

/** The verdict on one run and a sentence saying why. */
export interface Classification {
  readonly outcome: RunOutcome;
  readonly reason: string;
}

function lastLine(console: ConsoleAnalysis): string {
  const line = console.tail.at(-1);
  return line ? `; last console line: ${line}` : '';
}

/** What qemu prints when it cannot load the image it was given (x86 boot protocol checks). */
const imageRefusal =
  /qemu[^:]*: (?:invalid kernel header|could not load kernel|linux kernel too old|error (?:loading|reading)[^\n]*kernel)[^\n]*/i;

function seconds(ms: number | undefined): string {
  return ms === undefined ? 'its deadline' : `${Math.round(ms / 100) / 10} s`;
}

/**
 * Turns what was observed about a run into one of the six outcomes. The order of the checks
 * matters: an exit status written by the guest is the strongest evidence, then the deadlines, then
 * the console. A panic before userspace is a boot failure, not a panic of the command.
 * @throws {ValidationError} naming an argument of the wrong kind.
 */
export function classifyRun(observation: RunObservation): Classification {
  objectArgument('observation', observation, 'a run observation');
  objectArgument('observation.console', observation.console, 'the analysis of the console (analyseConsole)');
  const { console } = observation;
  if (observation.spawnError !== undefined) {
    return { outcome: 'infra-error', reason: `could not start vng: ${observation.spawnError}` };
  }
  if (!observation.started) {
    const image = observation.image === undefined ? 'the kernel image' : observation.image;
    const refusal = console.tail.map((line) => imageRefusal.exec(line)?.[0]).find(Boolean);
    if (refusal) {
      return { outcome: 'boot-failure', reason: `qemu could not load ${image}: ${refusal}` };
    }
    if (console.panic) {
      return { outcome: 'boot-failure', reason: `kernel panicked during boot: ${console.panic}` };
    }
    if (observation.deadline === 'boot') {
      const where = console.kernelStarted
        ? 'the kernel started but userspace was not reached'
        : `the kernel printed nothing (${image}; a hung accelerator stops right after "Probing EDD")`;
      return {
        outcome: 'boot-failure',
        reason: `boot did not finish within ${seconds(observation.deadlineMs)}: ${where}${lastLine(console)}`,
      };
    }
    if (console.kernelStarted) {
      return {
        outcome: 'boot-failure',
        reason: `the guest stopped before userspace (vng exit ${observation.vngExitCode})${lastLine(console)}`,
      };
    }
    return {
      outcome: 'infra-error',
      reason: `vng/qemu exited (${observation.vngExitCode}) before the kernel (${image}) started${lastLine(console)}`,
    };
  }
  if (observation.exitCode !== undefined) {
    const stuck =
      observation.deadline === 'shutdown' ? ' (the guest did not power off afterwards and was killed)' : '';
    if (observation.exitCode === 0) return { outcome: 'pass', reason: `exit 0${stuck}` };
    return { outcome: 'fail', reason: `exit ${observation.exitCode}${stuck}` };
  }
  if (observation.deadline === 'command') {
    return {
      outcome: 'timeout',
      reason: `the command was still running after ${seconds(observation.deadlineMs)} and was killed`,
    };
  }
  if (console.panic) return { outcome: 'panic', reason: console.panic };
  return {
    outcome: 'fail',
    reason: `the guest stopped before the command finished, without a panic (vng exit ${observation.vngExitCode})${lastLine(console)}`,
  };
}
