import type { RunReport } from '../harness/run-kernels.js';
import { arrayArgument, objectArgument } from '../util/argument-checks.js';
import { type JunitCase, renderJunit } from './xml.js';

/**
 * A `harness-vm run` report as JUnit XML: one test case per kernel. A command that failed, timed
 * out or panicked the kernel is a `failure`; a boot failure or infrastructure error is an `error`.
 * @throws {ValidationError} naming an argument of the wrong kind.
 */
export function renderRunJunit(report: RunReport): string {
  objectArgument('report', report, 'a run report');
  arrayArgument('report.results', report.results);
  const cases = report.results.map((result): JunitCase => {
    const release = 'release' in result.kernel ? ` (${result.kernel.release})` : '';
    const details = [result.reason, result.panic, ...result.consoleTail].filter(Boolean).join('\n');
    const verdict = { type: result.outcome, message: result.reason, details };
    return {
      name: `${result.kernel.name}${release}`,
      classname: 'harness-vm.run',
      seconds: result.totalMs / 1000,
      failure: ['fail', 'timeout', 'panic'].includes(result.outcome) ? verdict : undefined,
      error: ['boot-failure', 'infra-error'].includes(result.outcome) ? verdict : undefined,
      output: `logs: ${result.logs.dir}`,
    };
  });
  const command = typeof report.command === 'string' ? report.command : report.command.join(' ');
  return renderJunit([{ name: `harness-vm run: ${command}`, cases }]);
}
