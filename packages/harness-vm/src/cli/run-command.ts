import { readFileSync, writeFileSync } from 'node:fs';
import { HarnessError } from '../errors.js';
import { runKernels } from '../harness/run-kernels.js';
import { renderRunJunit } from '../report/run-junit.js';
import { kernelNames, parseCommandLine, runOptionsFrom } from './common-options.js';
import { createProgressReporter } from './progress-reporter.js';
import { renderSummaryTable } from './summary-table.js';

const maxEcho = 4000;

function tail(path: string | undefined): string {
  if (!path) return '';
  try {
    const text = readFileSync(path, 'utf8');
    return text.length > maxEcho ? `...${text.slice(-maxEcho)}` : text;
  } catch {
    return '';
  }
}

/** `harness-vm run`: one command on each kernel. Returns the exit status. */
export async function runCommand(args: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { quiet: { type: 'boolean', short: 'q' } });
  const kernels = kernelNames(values);
  if (!kernels)
    throw new HarnessError('INVALID_OPTION', 'run: name at least one --kernel', { field: 'kernel' });
  if (positionals.length === 0) {
    throw new HarnessError('INVALID_OPTION', 'run: give the command after --, e.g. -- uname -r', {
      field: 'command',
    });
  }
  const progress = createProgressReporter();
  const report = await runKernels({
    ...runOptionsFrom(values),
    kernels,
    command: positionals,
    signal,
    onEvent: progress.onEvent,
  }).finally(() => progress.stop());
  if (!values.quiet) {
    for (const result of report.results) {
      const out = tail(result.logs.stdout);
      const err = tail(result.logs.stderr);
      if (out)
        process.stdout.write(`--- ${result.kernel.name} stdout\n${out}${out.endsWith('\n') ? '' : '\n'}`);
      if (err)
        process.stdout.write(`--- ${result.kernel.name} stderr\n${err}${err.endsWith('\n') ? '' : '\n'}`);
    }
  }
  process.stdout.write(`${renderSummaryTable(report.results)}\nlogs: ${report.outDir}\n`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  if (values.junit) writeFileSync(values.junit, renderRunJunit(report));
  return report.results.every((result) => result.outcome === 'pass') ? 0 : 1;
}
