/**
 * `@progrun/cli`: the `progrun` command line, and the pieces of it that are useful from code. Compiling
 * BPF C lives in `@progrun/compile`.
 */

export { CliError } from './cli/cli-error.js';
export { ExitCode } from './cli/exit-codes.js';
