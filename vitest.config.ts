import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const packages = ['uapi', 'compile', 'syscall', 'ctx-builders', 'xdp-live', 'harness-vm', 'cli'];

/** Every test file fails if it leaks a BPF or netns fd; xdp-live's also if it leaves a netns behind. */
const fdLeakCheck = fileURLToPath(new URL('./tests/setup/fd-leak-check.ts', import.meta.url));
const setupFiles: Record<string, string[]> = {
  syscall: [fdLeakCheck],
  'ctx-builders': [fdLeakCheck],
  'xdp-live': [fdLeakCheck, 'test/setup/netns-check.ts'],
  cli: [fdLeakCheck],
};

/**
 * The test files that run on every kernel, per package (globs from the package's root): files whose answers
 * come from the kernel and that have been run and made to pass (or skip, naming the feature) in guests of
 * 5.10 (syscall's also of 6.1). Files that cannot change with the kernel (encoding, decoding, usage, npm
 * packaging: building the addon under an emulated CPU takes most of an hour) stay on the host. So, for CI's
 * time, do kernel-dependent files that would only skip on 5.10 yet cost the guest a test file's start-up
 * (about 20 s under TCG): xdp-live's live-frame runs (5.18), ctx-builders' README example (xdp_md ctx_in,
 * 5.15); and the CLI's program runs (over 5 minutes in a 5.10 guest: a Node.js process and a compile per run)
 * and the examples.
 */
const onEveryKernel: Record<string, { include: string[]; exclude?: string[] }> = {
  syscall: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/packed-install.test.ts'],
  },
  'ctx-builders': { include: ['test/kernel-contexts.test.ts'] },
  'xdp-live': { include: ['test/devmap-entry.test.ts', 'test/inject.test.ts', 'test/topology.test.ts'] },
};

/**
 * With PROGRUN_KERNELS (`host`, `5.10`, `6.1`, `6.12`), the files of `onEveryKernel` run as one project per
 * kernel (`kernel:host`, `kernel:5.10`...), the guests' in virtme-ng, one boot each:
 * `PROGRUN_KERNELS=host,5.10 npx vitest run`. The packages' own projects keep the other files.
 */
const kernels = process.env.PROGRUN_KERNELS;
const inPackage = (name: string, globs: readonly string[] = []) =>
  globs.map((glob) => `packages/${name}/${glob}`);
const kernelProjects = kernels
  ? (await import('@progrun/harness-vm/vitest')).defineKernelProjects({
      test: {
        include: Object.entries(onEveryKernel).flatMap(([name, files]) => inPackage(name, files.include)),
        exclude: [
          ...configDefaults.exclude,
          ...Object.entries(onEveryKernel).flatMap(([name, files]) => inPackage(name, files.exclude)),
        ],
        // Every file must delete the network namespaces it creates (xdp-live's check, for all of them here).
        setupFiles: [
          fdLeakCheck,
          fileURLToPath(new URL('./packages/xdp-live/test/setup/netns-check.ts', import.meta.url)),
        ],
      },
    })
  : [];

const everyFile = 'test/**/*.test.ts';

/** A package's project; with kernel projects, without the files those run (a project left with none is dropped). */
function packageProject(name: string) {
  const onKernels = kernels ? onEveryKernel[name] : undefined;
  const files = !onKernels
    ? { include: [everyFile] }
    : onKernels.include.includes(everyFile)
      ? { include: onKernels.exclude ?? [] }
      : { include: [everyFile], exclude: [...configDefaults.exclude, ...onKernels.include] };
  return {
    extends: true as const,
    test: { name, root: `packages/${name}`, ...files, setupFiles: setupFiles[name] ?? [] },
  };
}

/**
 * One Vitest project per package. Tags select what a machine can run:
 * `privileged` needs CAP_BPF/CAP_SYS_ADMIN/CAP_NET_ADMIN and the real kernel,
 * `vm` boots guests under QEMU, `slow` takes more than a few seconds.
 */
export default defineConfig({
  test: {
    tags: [
      {
        name: 'privileged',
        description: 'needs root (CAP_BPF, CAP_SYS_ADMIN, CAP_NET_ADMIN) and the real kernel',
      },
      // A test that boots a guest is also `slow`: vm's deadline wins (a lower priority number comes first).
      { name: 'vm', description: 'boots kernels in QEMU through virtme-ng', timeout: 600_000, priority: 1 },
      { name: 'slow', description: 'takes more than a few seconds', timeout: 120_000 },
    ],
    projects: [
      ...packages.map(packageProject).filter((project) => project.test.include.length > 0),
      // Checks of the repository as a whole (packaging, docs), and runs on guest kernels of what the host
      // cannot run.
      {
        extends: true,
        test: { name: 'repo', include: ['tests/**/*.test.ts'], exclude: ['tests/kernel-selftests/**'] },
      },
      // The kernel's own test_run selftests, ported to the public API: the kernel's BPF programs compiled
      // from its cached source at test time (scripts/kernel-source.sh).
      {
        extends: true,
        test: {
          name: 'kernel-selftests',
          include: ['tests/kernel-selftests/**/*.test.ts'],
          setupFiles: [fdLeakCheck],
          // A test or hook compiles its programs with clang on a cold object cache: seconds each.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      ...kernelProjects,
      // The example BPF programs, each with the unit test a user would write.
      {
        extends: true,
        test: { name: 'examples', include: ['examples/**/*.test.ts'], setupFiles: [fdLeakCheck] },
      },
    ],
  },
});
