/**
 * How one run of a command on one kernel ended.
 * - `pass`: the command exited 0.
 * - `fail`: the command exited non-zero (or the guest stopped without its exit status).
 * - `timeout`: the command was still running at its deadline and was killed.
 * - `panic`: the kernel panicked while the command ran.
 * - `boot-failure`: the kernel never reached userspace (panic or hang during boot).
 * - `infra-error`: the harness could not run the kernel at all (vng or qemu failed before the
 *   kernel started, a tool is missing, provisioning failed).
 */
export type RunOutcome = 'pass' | 'fail' | 'timeout' | 'panic' | 'boot-failure' | 'infra-error';

/** Every outcome, in report order. */
export const runOutcomes: readonly RunOutcome[] = [
  'pass',
  'fail',
  'timeout',
  'panic',
  'boot-failure',
  'infra-error',
];
