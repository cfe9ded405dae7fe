import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { kernelCatalogue, renderMatrixJunit, renderMatrixMarkdown, runMatrix } from '@progrun/harness-vm';
import { usageError } from '../cli/cli-error.js';
import type { Command, CommandInput } from '../cli/command.js';
import { ExitCode, exitCodeHelp } from '../cli/exit-codes.js';
import { integerOption, stringOption, stringsOption } from '../cli/option-values.js';
import { describeHarnessEvent } from '../render/harness-event.js';

const kernelNames = kernelCatalogue.map((entry) => entry.name);

const help = `progrun matrix: the BPF_PROG_RUN probe suite on several kernels, booted in QEMU (virtme-ng).

Usage: progrun matrix [--kernel NAME]... [options]

Runs the probes of @progrun/harness-vm (test run per program type, XDP live frames and unknown flags,
batch_size rules, xdp_md ctx, RUN_ON_CPU, SKB_CHECKSUM_COMPLETE, short XDP data...) in each kernel and
compares every answer with what the probe declares for that kernel version: a contradiction fails the
matrix. Kernels are downloaded once into a cache; guests use KVM when it works and TCG otherwise.
Prints the kernel x probe table; matrix.md, junit.xml and the logs go to the output directory.

Options:
  --kernel NAME      a kernel to probe (repeatable): ${kernelNames.join(', ')}; default all of them
  --out DIR          where logs and reports go (default: a new directory in harness-vm's cache)
  --markdown FILE    also write the table as Markdown to FILE
  --junit FILE       also write JUnit XML to FILE
  --strict           inconclusive probes fail the matrix too
  --concurrency N    guests at once (default: from cores and free memory)
  --json             one JSON document with the matrix and the run report
  -h, --help         this help

Examples:
  progrun matrix --kernel host --kernel 5.10 --kernel 6.1
  progrun matrix --kernel 6.12 --strict --junit matrix.xml
  progrun probe                      the running kernel only, without VMs

${exitCodeHelp}`;

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

async function execute({ values, out, signal }: CommandInput): Promise<number> {
  const kernels = stringsOption(values, 'kernel');
  const unknown = kernels.filter((name) => !kernelNames.includes(name));
  if (unknown.length > 0) {
    throw usageError(
      `unknown kernel ${unknown.join(', ')}; the catalogue has ${kernelNames.join(', ')}`,
      'matrix',
    );
  }
  const concurrency = integerOption(values, 'concurrency', 'matrix', { min: 1, max: 64 });
  const outDir = stringOption(values, 'out');
  const { matrix, report } = await runMatrix({
    ...(kernels.length > 0 ? { kernels } : {}),
    ...(outDir === undefined ? {} : { outDir }),
    ...(concurrency === undefined ? {} : { concurrency }),
    strict: values.strict === true,
    signal,
    onEvent: (event) => {
      if (!out.json) out.errorLine(out.errStyle.dim(describeHarnessEvent(event)));
    },
  });
  const markdown = renderMatrixMarkdown(matrix);
  const junit = renderMatrixJunit(matrix);
  write(join(report.outDir, 'matrix.md'), markdown);
  write(join(report.outDir, 'junit.xml'), junit);
  const markdownFile = stringOption(values, 'markdown');
  const junitFile = stringOption(values, 'junit');
  if (markdownFile !== undefined) write(markdownFile, markdown);
  if (junitFile !== undefined) write(junitFile, junit);

  const code = matrix.passed ? ExitCode.Ok : ExitCode.RunFailed;
  if (out.json) {
    out.writeJson({ ok: matrix.passed, matrix, report });
    return code;
  }
  const style = out.style;
  out.line(markdown);
  const counts = Object.entries(matrix.counts)
    .map(([verdict, count]) => `${count} ${verdict}`)
    .join(', ');
  out.line(
    `${matrix.passed ? style.green(style.bold('matrix passed')) : style.red(style.bold('matrix FAILED'))}: ${counts}; reports and logs in ${report.outDir}`,
  );
  return code;
}

/** `progrun matrix`: @progrun/harness-vm's kernel matrix. */
export const matrixCommand: Command = {
  name: 'matrix',
  summary: 'the probe suite on several kernels in QEMU: the kernel x behaviour matrix',
  help,
  positionals: false,
  options: {
    kernel: { type: 'string', multiple: true },
    out: { type: 'string' },
    markdown: { type: 'string' },
    junit: { type: 'string' },
    strict: { type: 'boolean' },
    concurrency: { type: 'string' },
  },
  execute,
};
