import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runMatrix } from '../matrix/run-matrix.js';
import { renderKernelMatrixDocument } from '../report/kernel-matrix-document.js';
import { renderMatrixJunit } from '../report/matrix-junit.js';
import { renderMatrixMarkdown } from '../report/matrix-markdown.js';
import { kernelNames, parseCommandLine, runOptionsFrom } from './common-options.js';
import { createProgressReporter } from './progress-reporter.js';
import { renderSummaryTable } from './summary-table.js';

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/**
 * `harness-vm matrix`: the probe suite on each kernel, compared with the expectations. Writes
 * matrix.json, matrix.md and junit.xml into the output directory, plus any file asked for.
 * Returns 0 when the matrix passed.
 */
export async function matrixCommand(args: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    markdown: { type: 'string' },
    docs: { type: 'string' },
    strict: { type: 'boolean' },
  });
  if (positionals.length > 0) {
    process.stderr.write(`harness-vm matrix: unexpected arguments: ${positionals.join(' ')}\n`);
    return 2;
  }
  const progress = createProgressReporter();
  const { matrix, report } = await runMatrix({
    ...runOptionsFrom(values),
    kernels: kernelNames(values),
    strict: values.strict === true,
    signal,
    onEvent: progress.onEvent,
  }).finally(() => progress.stop());
  const markdown = renderMatrixMarkdown(matrix);
  const junit = renderMatrixJunit(matrix);
  write(join(report.outDir, 'matrix.md'), markdown);
  write(join(report.outDir, 'junit.xml'), junit);
  if (typeof values.markdown === 'string') write(values.markdown, markdown);
  if (typeof values.junit === 'string') write(values.junit, junit);
  if (typeof values.json === 'string') write(values.json, `${JSON.stringify({ matrix, report }, null, 2)}\n`);
  if (typeof values.docs === 'string') {
    write(
      values.docs,
      renderKernelMatrixDocument(matrix, report, 'npm run matrix:docs -w @progrun/harness-vm'),
    );
  }
  process.stdout.write(
    `${markdown}\n${renderSummaryTable(report.results)}\nlogs and reports: ${report.outDir}\n`,
  );
  return matrix.passed ? 0 : 1;
}
