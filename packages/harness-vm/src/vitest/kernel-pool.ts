import type { PoolRunnerInitializer } from 'vitest/node';
import { KernelPoolWorker } from './kernel-pool-worker.js';
import type { KernelSession, SessionSummary } from './kernel-session.js';
import type { KernelTarget } from './kernel-target.js';

/**
 * The pool of one kernel's project: vitest's {@link PoolRunnerInitializer} plus the two hooks the
 * project's global setup calls to boot the guest when the run starts and to shut every guest of the
 * group down when it ends. Plain function properties, so they survive vitest's copying of configs.
 */
export interface KernelPoolRunner extends PoolRunnerInitializer {
  /** The kernel's session for this run (created on first use). */
  readonly progrunSession: () => KernelSession;
  /** Shuts down every guest of the same `defineKernelProjects` call, at once. */
  readonly progrunCloseAll: () => Promise<readonly SessionSummary[]>;
}

/** The guests of one `defineKernelProjects` call: one session per kernel per run. */
export class KernelSessionGroup {
  readonly #sessions = new Map<string, KernelSession>();
  readonly #create: (kernel: string) => KernelSession;
  #closing: Promise<readonly SessionSummary[]> | undefined;

  constructor(create: (kernel: string) => KernelSession) {
    this.#create = create;
  }

  session(kernel: string): KernelSession {
    let session = this.#sessions.get(kernel);
    if (!session) {
      session = this.#create(kernel);
      this.#sessions.set(kernel, session);
      this.#closing = undefined;
    }
    return session;
  }

  /** Closes every session in parallel (a TCG guest takes seconds to power off); the next run boots anew. */
  closeAll(): Promise<readonly SessionSummary[]> {
    if (!this.#closing) {
      const sessions = [...this.#sessions.values()];
      this.#sessions.clear();
      this.#closing = Promise.all(sessions.map((session) => session.close()));
    }
    return this.#closing;
  }
}

/** The pool runner of a guest kernel's project. */
export function guestPoolRunner(kernel: string, group: KernelSessionGroup): KernelPoolRunner {
  const name = `progrun-vm:${kernel}`;
  return {
    name,
    createPoolWorker: (options) => new KernelPoolWorker(name, options, group.session(kernel)),
    progrunSession: () => group.session(kernel),
    progrunCloseAll: () => group.closeAll(),
  };
}

/** The pool runner of the host kernel's project: local forks, as many at once as `target` allows. */
export function hostPoolRunner(target: KernelTarget): PoolRunnerInitializer {
  const name = 'progrun-host';
  return { name, createPoolWorker: (options) => new KernelPoolWorker(name, options, target) };
}
