import { join } from 'node:path';
import {
  renderKernelMatrixDocument,
  renderMatrixJunit,
  renderMatrixMarkdown,
  runMatrix,
} from '@progrun/harness-vm';
import type { Command, CommandInput } from '../../cli/command.js';
import { ExitCode, exitCodesHelp } from '../../cli/exit-codes.js';
import { schemaUrl } from '../../cli/json-schema.js';
import { stringOption } from '../../cli/option-values.js';
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
import { reportFiles, writeReports, writeTextFile } from './report-files.js';

const help = `progrun vm matrix: the BPF_PROG_RUN probe suite on several kernels, booted in QEMU (virtme-ng).

Usage: progrun vm matrix [--kernels host,5.10,6.1,6.12] [options]
       progrun matrix ...   (the same command)

Runs the probes of @progrun/harness-vm (test run per program type, XDP live frames and unknown flags,
batch_size rules, xdp_md ctx, RUN_ON_CPU, SKB_CHECKSUM_COMPLETE, short XDP data...) in each kernel and
compares every answer with what the probe declares for that kernel version: a contradiction fails the
matrix. Prints the kernel x probe table and a table of the runs; matrix.json, matrix.md, junit.xml,
report.json and the logs go to the output directory. Without --kernel or --kernels, every kernel of
the catalogue is probed.

Options:
${harnessFlagsHelp}
      --report FILE     also write a report to FILE: .json ({ matrix, report }), .md (the table as
                        Markdown) or .xml (JUnit); repeatable
      --strict          inconclusive probes fail the matrix too
      --docs FILE       write the full kernel-matrix document (as the repository's docs/kernel-matrix.md)
      --json            one JSON document on stdout, { ok, matrix, report }, and no progress on stderr
  -h, --help            this help

Examples:
  progrun vm matrix --kernels host,5.10,6.1
  progrun vm matrix --kernel 6.12 --strict --report matrix.xml
  progrun vm matrix --kernels host,5.10,6.1,6.12 --shard 1/2 --out matrix-out
  progrun probe                      the running kernel only, without VMs

${exitCodesHelp([0, 1, 2, 130], {
  2: 'usage error: unknown option, a bad value, an unknown kernel',
  0: 'no probe contradicted what it declares for its kernel',
  1: 'a probe contradicted it (with --strict, also an inconclusive probe), or a kernel did not run the suite',
})}`;

async function execute({ values, out, signal }: CommandInput): Promise<number> {
  return harnessCall('vm matrix', signal, out, async () => {
    const kernels = kernelNames(values);
    const options = harnessOptions(values, 'vm matrix');
    const reports = reportFiles(values, 'vm matrix', ['json', 'markdown', 'junit']);
    const docs = stringOption(values, 'docs');
    const progress = createVmProgress(out);
    const { matrix, report } = await runMatrix({
      ...options,
      ...(kernels.length > 0 ? { kernels } : {}),
      strict: values.strict === true,
      signal,
      onEvent: progress.onEvent,
    }).finally(() => progress.stop());
    const markdown = renderMatrixMarkdown(matrix);
    const junit = renderMatrixJunit(matrix);
    writeTextFile(join(report.outDir, 'matrix.md'), markdown);
    writeTextFile(join(report.outDir, 'junit.xml'), junit);
    writeReports(reports, (format) =>
      format === 'markdown'
        ? markdown
        : format === 'junit'
          ? junit
          : `${JSON.stringify({ matrix, report }, null, 2)}\n`,
    );
    if (docs !== undefined) {
      const kernelList = matrix.columns.map((column) => column.kernel).join(',');
      const regenerate = `progrun vm matrix --kernels ${kernelList} --docs ${docs}`;
      writeTextFile(docs, renderKernelMatrixDocument(matrix, report, regenerate));
    }

    const code = matrix.passed ? ExitCode.Ok : ExitCode.RunFailed;
    if (out.json) {
      out.writeJson({ $schema: schemaUrl('vm-matrix'), ok: matrix.passed, matrix, report });
      return code;
    }
    const style = out.style;
    const empty = emptyShardLine(report);
    if (empty !== undefined) {
      out.line(`${empty}; reports and logs in ${report.outDir}`);
      return code;
    }
    out.line(markdown);
    out.line(renderKernelRuns(report.results, style));
    out.line();
    const counts = Object.entries(matrix.counts)
      .map(([verdict, count]) => `${count} ${verdict}`)
      .join(', ');
    const verdict = matrix.passed
      ? style.green(style.bold('matrix passed'))
      : style.red(style.bold('matrix FAILED'));
    out.line(`${verdict}: ${counts}; reports and logs in ${report.outDir}`);
    return code;
  });
}

/** `progrun vm matrix` (also `progrun matrix`): @progrun/harness-vm's kernel matrix. */
export const vmMatrixCommand: Command = {
  name: 'vm matrix',
  help,
  positionals: false,
  options: { ...harnessFlags, strict: { type: 'boolean' }, docs: { type: 'string' } },
  execute,
};
