import { availableParallelism, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@progrun/uapi';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { prepareOutDir } from '../harness/output-dir.js';
import { defaultCacheDir } from '../kernels/cache-layout.js';
import { findKernel } from '../kernels/catalogue.js';
import { arrayArgument, objectArgument } from '../util/argument-checks.js';
import type { Accelerator } from '../vm/vng-arguments.js';
import type { GuestHarnessOptions } from './guest-harness-options.js';
import { hostTarget } from './host-target.js';
import { guestPoolRunner, hostPoolRunner, KernelSessionGroup } from './kernel-pool.js';
import { KernelSession } from './kernel-session.js';

/** The test options a kernel project takes (everything vitest's project `test` takes but `name` and `pool`). */
export type KernelProjectTestOptions = Omit<
  NonNullable<TestProjectInlineConfiguration['test']>,
  'name' | 'pool'
>;

/** Options of {@link defineKernelProjects}. Only the test files are yours to give; the rest has defaults. */
export interface KernelProjectsOptions extends Partial<GuestHarnessOptions> {
  /**
   * Catalogue names (`host`, `5.10`, `6.1`, `6.12`), one project each, named `kernel:<name>`; default
   * the comma-separated `PROGRUN_KERNELS`, else all four.
   */
  readonly kernels?: readonly string[];
  /** The projects' shared test options (`include`, `setupFiles`, `tags`...), as in any vitest project. */
  readonly test?: KernelProjectTestOptions;
  /** Inherit the root config's options (vitest's `extends`: true or a config file); default true. */
  readonly extends?: true | string;
  /**
   * What default test and hook deadlines are multiplied by in a guest, per accelerator; default
   * `{ kvm: 2, tcg: 20 }` (TCG emulates the CPU: a test that starts a Node.js child process took 40-55 s
   * in a 5.10 guest on a loaded 2-core host, against 5 s of default deadline).
   */
  readonly timeoutScale?: Partial<Readonly<Record<Accelerator, number>>>;
  /** Test files the host kernel's project runs at once; default one fewer than the host's cores. */
  readonly hostWorkers?: number;
  /**
   * vitest's `sequence.groupOrder` of the kernel projects; default 1, so that they run after the
   * config's other projects (group 0) with their own worker slots.
   */
  readonly groupOrder?: number;
}

const defaultKernels = ['host', '5.10', '6.1', '6.12'];
/**
 * vitest's worker slots for the kernel projects: more than any suite has files, so that vitest hands
 * every file to its kernel's pool at once and each kernel's own slots (its CPUs) decide what runs.
 * A waiting file costs nothing: its process starts when its kernel has a free slot.
 */
const vitestSlots = 1024;
const globalSetupPath = fileURLToPath(new URL('./kernel-global-setup.js', import.meta.url));

/**
 * vitest projects that run the same test files on several kernels, for `test.projects` of a
 * `vitest.config.ts`: `kernel:host` runs them on the running kernel as any project does; each other
 * kernel's project runs them in a guest of that kernel (virtme-ng), booted once per `vitest run` when the
 * run has files for it, and shut down when the run ends. Results arrive in the host's vitest like any
 * project's, so every reporter shows each test once per kernel, and `-t`, file filters, `--project
 * kernel:5.10`, `--shard` and watch mode work as usual.
 *
 * In a guest the host's root is read-only; the project directory and the home directory are writable
 * overlays (writes vanish with the guest), TMPDIR is a per-run directory removed afterwards, and default
 * test and hook timeouts are scaled for the accelerator (`timeoutScale`). A guest that fails to boot,
 * panics, falls silent or whose kernel prints an Oops fails the test files it was running or still
 * had to run, naming them and quoting the console.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * import { defineKernelProjects } from '@progrun/harness-vm/vitest';
 * import { defineConfig } from 'vitest/config';
 *
 * export default defineConfig({
 *   test: { projects: defineKernelProjects({ kernels: ['host', '5.10'], test: { include: ['test/*.test.ts'] } }) },
 * });
 * ```
 * @throws {ValidationError} naming the field for a name not in the catalogue, a duplicate kernel or a
 *   non-positive timeout scale.
 * @throws {ValidationError} naming an argument of the wrong kind.
 */
export function defineKernelProjects(options: KernelProjectsOptions = {}): TestProjectInlineConfiguration[] {
  objectArgument('options', options, 'an options object');
  const kernels = arrayArgument(
    'kernels',
    options.kernels ?? process.env.PROGRUN_KERNELS?.split(',').filter(Boolean) ?? defaultKernels,
  );
  kernels.forEach((name, index) => {
    findKernel(name, options.catalogue, `kernels[${index}]`);
    if (kernels.indexOf(name) !== index) {
      throw new ValidationError(`kernels[${index}]`, 'unique', { message: `${name} is listed twice` });
    }
  });
  const timeoutScale = { kvm: 2, tcg: 20, ...options.timeoutScale };
  for (const [accelerator, factor] of Object.entries(timeoutScale)) {
    if (!(factor > 0)) {
      throw new ValidationError(`timeoutScale.${accelerator}`, 'a positive number', { received: factor });
    }
  }
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const harness: GuestHarnessOptions = { ...options, root: options.root ?? process.cwd(), cacheDir };
  let logDir: string | undefined;
  const group = new KernelSessionGroup((kernel) => {
    logDir ??= prepareOutDir(undefined, cacheDir);
    return new KernelSession(kernel, logDir, harness, timeoutScale);
  });
  const host = hostTarget(options.hostWorkers ?? Math.max(1, availableParallelism() - 1));
  const sequence = { ...options.test?.sequence, groupOrder: options.groupOrder ?? 1 };
  const test = { ...options.test, maxWorkers: vitestSlots, sequence };
  const globalSetup = test.globalSetup === undefined ? [] : [test.globalSetup].flat();
  return kernels.map((kernel) => {
    const name = `kernel:${kernel}`;
    if (findKernel(kernel, options.catalogue).kind === 'host') {
      return {
        extends: options.extends ?? true,
        test: {
          ...test,
          name,
          pool: hostPoolRunner(host),
          env: { ...test.env, PROGRUN_KERNEL: kernel, PROGRUN_KERNEL_RELEASE: release() },
        },
      };
    }
    return {
      extends: options.extends ?? true,
      test: {
        ...test,
        name,
        pool: guestPoolRunner(kernel, group),
        globalSetup: [...globalSetup, globalSetupPath],
      },
    };
  });
}
