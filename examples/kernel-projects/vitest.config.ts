import { defineKernelProjects } from '@progrun/harness-vm/vitest';
import { defineConfig } from 'vitest/config';

// One project per kernel: `npx vitest run` runs test/*.test.ts on the host and in a guest of each
// kernel (one boot per kernel per run); `--project kernel:5.10` picks one. PROGRUN_KERNELS overrides.
export default defineConfig({
  test: {
    projects: defineKernelProjects({
      kernels: process.env.PROGRUN_KERNELS?.split(',') ?? ['host', '5.10'],
      test: { include: ['test/**/*.test.ts'] },
    }),
  },
});
