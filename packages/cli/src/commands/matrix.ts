import { CliError } from '../cli/cli-error.js';
import type { Command } from '../cli/command.js';
import { ExitCode, exitCodeHelp } from '../cli/exit-codes.js';

const help = `progrun matrix: run the BPF_PROG_RUN probe suite on several kernels under QEMU (virtme-ng).

Usage: progrun matrix [--kernel NAME]... [--out DIR] [--json]

Not available yet: it needs the probe suite of @progrun/harness-vm, which is still being written.

Examples:
  progrun matrix --kernel host --kernel 5.10 --kernel 6.1
  progrun probe          this kernel only, meanwhile

${exitCodeHelp}`;

/** `progrun matrix`: waits for @progrun/harness-vm's probe matrix. */
export const matrixCommand: Command = {
  name: 'matrix',
  summary: 'the kernel x behaviour matrix over several kernels in QEMU (harness-vm)',
  help,
  positionals: false,
  options: { kernel: { type: 'string', multiple: true }, out: { type: 'string' } },
  async execute() {
    throw new CliError(
      'not-available',
      ExitCode.RunFailed,
      'progrun matrix is not available yet: @progrun/harness-vm has no probe matrix to run',
      {
        hint: 'Use `progrun probe` for this kernel meanwhile.',
      },
    );
  },
};
