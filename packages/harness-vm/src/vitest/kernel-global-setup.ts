import { ValidationError } from '@progrun/uapi';
/**
 * The global setup of every guest kernel's project (added by `defineKernelProjects`). vitest runs it
 * only for projects that have test files to run, before any test file starts: the guest starts
 * booting then, while other projects' files already run, and is shut down when the run ends.
 */
import type { TestProject } from 'vitest/node';
import type { KernelPoolRunner } from './kernel-pool.js';
import type { SessionSummary } from './kernel-session.js';

function describe(summary: SessionSummary): string {
  const seconds = (ms: number | undefined) => (ms === undefined ? '?' : `${(ms / 1000).toFixed(1)} s`);
  const what = [summary.release, summary.accelerator].filter(Boolean).join(' under ');
  return `kernel:${summary.kernel} ${what}: boot ${seconds(summary.bootMs)} of ${seconds(summary.totalMs)} up; logs ${summary.logDir}`;
}

/**
 * Starts the project's guest booting; returns the teardown that shuts the guests down.
 *
 * @throws {ValidationError} when the project's pool is not a kernel pool.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const pool = project.config.poolRunner as Partial<KernelPoolRunner> | undefined;
  if (typeof pool?.progrunSession !== 'function' || typeof pool.progrunCloseAll !== 'function') {
    throw new ValidationError('globalSetup', 'the global setup of a kernel project', {
      message: `project ${project.name}: this global setup belongs to the projects of defineKernelProjects`,
    });
  }
  const closeAll = pool.progrunCloseAll;
  const session = pool.progrunSession();
  // A boot failure is reported by the pool, for each test file of the kernel.
  session.start().catch(() => {});
  return async () => {
    const summary = (await closeAll()).find((each) => each.kernel === session.kernel);
    if (summary) project.vitest.logger.log(describe(summary));
  };
}
