export {
  defineKernelProjects,
  type KernelProjectsOptions,
  type KernelProjectTestOptions,
} from './define-kernel-projects.js';
export type { GuestHarnessOptions } from './guest-harness-options.js';
