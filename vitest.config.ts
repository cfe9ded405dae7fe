import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
 * The syscall suite again on each kernel of PROGRUN_KERNELS (`host`, `5.10`, `6.1`, `6.12`), the guests' in
 * virtme-ng: `PROGRUN_KERNELS=host,5.10 npx vitest run --project 'kernel:*'`. Loaded only when asked for.
 */
const kernelProjects = process.env.PROGRUN_KERNELS
  ? (await import('@progrun/harness-vm/vitest')).defineKernelProjects({
      test: {
        root: 'packages/syscall',
        include: ['test/**/*.test.ts'],
        // npm packaging, the same on every kernel: building the addon under an emulated CPU takes most of an hour.
        exclude: ['test/packed-install.test.ts'],
        setupFiles: setupFiles.syscall,
      },
    })
  : [];

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
      { name: 'vm', description: 'boots kernels in QEMU through virtme-ng', timeout: 600_000 },
      { name: 'slow', description: 'takes more than a few seconds', timeout: 120_000 },
    ],
    projects: [
      ...packages.map((name) => ({
        extends: true,
        test: {
          name,
          root: `packages/${name}`,
          include: ['test/**/*.test.ts'],
          setupFiles: setupFiles[name] ?? [],
        },
      })),
      // Checks of the repository as a whole (packaging, docs), and runs on guest kernels of what the host
      // cannot run.
      { extends: true, test: { name: 'repo', include: ['tests/**/*.test.ts'] } },
      ...kernelProjects,
      // The example BPF programs, each with the unit test a user would write.
      {
        extends: true,
        test: {
          name: 'examples',
          include: ['examples/**/*.test.ts'],
          setupFiles: [fdLeakCheck],
        },
      },
    ],
  },
});
