import { readFileSync } from 'node:fs';
import { renderRunJunit, runKernels } from '@progrun/harness-vm';
import { usageError } from '../../cli/cli-error.js';
import type { Command, CommandInput } from '../../cli/command.js';
import { ExitCode, exitCodesHelp } from '../../cli/exit-codes.js';
import { schemaUrl } from '../../cli/json-schema.js';
import { renderKernelRuns } from '../../render/kernel-runs-table.js';
import { createVmProgress } from '../../render/vm-progress.js';
import { harnessCall } from './harness-call.js';
import {
  emptyShardLine,
  harnessFlags,
  harnessFlagsHelp,
  harnessOptions,
  kernelNames,
} from './harness-flags.js';
import { reportFiles, writeReports } from './report-files.js';

/** How much of each kernel's stdout and stderr is printed: the end, where failures show. */
const echoedChars = 4000;

const help = `progrun vm run: run a command on each of several kernels, booted in QEMU (virtme-ng).

Usage: progrun vm run --kernels 5.10,6.1 [options] -- <command> [args...]

Runs the command (a test suite, a script: anything the guest can run; guests see the host's root
read-only and start in the current directory) on each kernel, as many guests at once as fit, and
classifies each run: pass, fail (with the exit status), timeout, panic, boot-failure or infra-error.
The command can leave JSON results in $PROGRUN_RESULTS_DIR; $PROGRUN_KERNEL names the kernel. Prints
the end of each kernel's stdout and stderr, then a table of the runs; the console logs, the outputs
and report.json stay in the output directory. \`host\` runs on the running kernel, without a VM.

Options:
${harnessFlagsHelp}
      --report FILE     also write the report to FILE: .json (the run report) or .xml (JUnit);
                        repeatable
  -q, --quiet           do not print the commands' stdout and stderr
      --json            one JSON document on stdout, { ok, report }, and no progress on stderr
  -h, --help            this help

Examples:
  progrun vm run --kernels 5.10,6.1 -- uname -r
  progrun vm run --kernels host,5.10,6.1 --timeout 600 --report junit.xml -- npx vitest run --project syscall test/xdp.test.ts
  progrun vm run --kernel 6.12 --shard 2/3 -- ./test.sh

${exitCodesHelp([0, 1, 2, 130], {
  2: 'usage error: unknown option, a bad value, an unknown kernel',
  0: 'the command passed on every kernel',
  1: 'it did not pass on one kernel or more (fail, timeout, panic, boot-failure, infra-error)',
})}`;

// The end of a log file, or nothing when the run never wrote it.
function tail(path: string | undefined): string {
  if (path === undefined) return '';
  try {
    const text = readFileSync(path, 'utf8');
    return text.length > echoedChars ? `...${text.slice(-echoedChars)}` : text;
  } catch {
    return '';
  }
}

async function execute({ values, positionals, out, signal }: CommandInput): Promise<number> {
  return harnessCall('vm run', signal, out, async () => {
    const kernels = kernelNames(values);
    if (kernels.length === 0)
      throw usageError(
        '--kernel',
        'at least one kernel',
        'name at least one kernel with --kernel or --kernels',
        'vm run',
      );
    if (positionals.length === 0)
      throw usageError(
        'command',
        'a command after --',
        'give the command after --, e.g. -- uname -r',
        'vm run',
      );
    const options = harnessOptions(values, 'vm run');
    const reports = reportFiles(values, 'vm run', ['json', 'junit']);
    const progress = createVmProgress(out);
    const report = await runKernels({
      ...options,
      kernels,
      command: positionals,
      signal,
      onEvent: progress.onEvent,
    }).finally(() => progress.stop());
    writeReports(reports, (format) =>
      format === 'junit' ? renderRunJunit(report) : `${JSON.stringify(report, null, 2)}\n`,
    );
    const passed = report.results.every((result) => result.outcome === 'pass');
    if (out.json) {
      out.writeJson({ $schema: schemaUrl('vm-run'), ok: passed, report });
    } else {
      if (values.quiet !== true) {
        for (const result of report.results) {
          for (const stream of ['stdout', 'stderr'] as const) {
            const text = tail(result.logs[stream]);
            if (text === '') continue;
            out.line(out.style.dim(`--- ${result.kernel.name} ${stream}`));
            out.line(text.endsWith('\n') ? text.slice(0, -1) : text);
          }
        }
      }
      out.line(emptyShardLine(report) ?? renderKernelRuns(report.results, out.style));
      out.line(`logs: ${report.outDir}`);
    }
    return passed ? ExitCode.Ok : ExitCode.RunFailed;
  });
}

/** `progrun vm run`: one command on each of several kernels, through @progrun/harness-vm. */
export const vmRunCommand: Command = {
  name: 'vm run',
  help,
  positionals: true,
  options: { ...harnessFlags, quiet: { type: 'boolean', short: 'q' } },
  execute,
};
