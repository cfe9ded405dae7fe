import type { InjectionResult } from '@progrun/xdp-live';
import { formatCount, formatRate } from './progress-bar.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

/**
 * The end-of-run report of a live injection: totals, one row per worker, frames per verdict, the
 * `xdp:*` tracepoint counts, device counters, the page-pool measurement beside the model, and the
 * delivery verdict (silent loss flagged).
 */
export function renderLiveStatistics(result: InjectionResult, style: Style): string {
  const sections: string[] = [];
  const head = (title: string) => style.bold(title);
  sections.push(
    `${head('injected')} ${formatCount(result.frames)} frames in ${(result.elapsedMs / 1000).toFixed(2)} s: ` +
      `${style.bold(formatRate(result.pps))}, ${formatCount(result.calls)} BPF_PROG_RUN calls, batch ${result.batchSize}` +
      (result.stopped ? style.yellow(' (stopped early)') : '') +
      (result.dispatcher.kept
        ? style.dim(' (program kept attached: no dispatcher cost per call)')
        : style.dim(` (not kept attached: ${result.dispatcher.reason ?? 'off'})`)),
  );
  sections.push(
    renderTable(
      [
        ['cpu', 'frames', 'calls', 'rate', 'kernel ns/frame'].map((text) => style.dim(text)),
        ...result.workers.map((w) => [
          String(w.cpu),
          formatCount(w.frames),
          formatCount(w.calls),
          formatRate(w.pps),
          w.kernelNsPerFrame.toFixed(1),
        ]),
      ],
      ['right', 'right', 'right', 'right', 'right'],
    ),
  );
  const stats = result.stats;
  if (stats?.actions) {
    const rows = Object.entries(stats.actions)
      .filter(([, frames]) => frames > 0)
      .map(([action, frames]) => [`XDP_${action.toUpperCase()}`, formatCount(frames)]);
    if (rows.length > 0) sections.push(`${head('verdicts')}\n${renderTable(rows, ['left', 'right'])}`);
  }
  if (stats?.xdp) {
    const x = stats.xdp;
    const errnos = (byErrno: Readonly<Record<string, number>>) =>
      Object.entries(byErrno)
        .map(([name, n]) => `${name} x${formatCount(n)}`)
        .join(', ');
    sections.push(
      `${head('xdp tracepoints')}\n${renderTable(
        [
          [
            'xdp_redirect',
            x.redirected === undefined
              ? style.dim('not counted (--count-redirects)')
              : formatCount(x.redirected),
            '',
          ],
          ['xdp_redirect_err', formatCount(x.redirectErrors), errnos(x.redirectErrno)],
          ['xdp_devmap_xmit sent', formatCount(x.xmitSent), ''],
          ['xdp_devmap_xmit drops', formatCount(x.xmitDrops), errnos(x.xmitErrno)],
        ],
        ['left', 'right', 'left'],
      )}`,
    );
  }
  for (const report of [stats?.transmit, stats?.receive]) {
    if (!report) continue;
    const rows = Object.entries(report.delta)
      .filter(([, value]) => typeof value === 'number' && value !== 0)
      .map(([name, value]) => [name, formatCount(value as number)]);
    sections.push(
      `${head(`device ${report.device}`)}${rows.length === 0 ? style.dim(' no counter changed') : `\n${renderTable(rows, ['left', 'right'])}`}`,
    );
  }
  if (stats?.pagePool) {
    const { measured, model, agrees, findings } = stats.pagePool;
    sections.push(
      `${head('page pool')} ${agrees ? style.green('matches the model') : style.yellow('differs from the model')}\n${renderTable(
        [
          ['', 'measured', 'model'].map((text) => style.dim(text)),
          ['pools', formatCount(measured.pools), formatCount(model.pools)],
          ['pages held', formatCount(measured.hold), formatCount(model.hold)],
          ['pages released', formatCount(measured.release), formatCount(model.release)],
        ],
        ['left', 'right', 'right'],
      )}${findings.length > 0 ? `\n${findings.map((f) => `  ${style.dim('-')} ${f}`).join('\n')}` : ''}`,
    );
  }
  if (stats) {
    const d = stats.delivery;
    const color = d.status === 'delivered' ? style.green : d.status === 'not-checked' ? style.dim : style.red;
    sections.push(`${head('delivery')} ${color(d.status)}: ${d.message}`);
    sections.push(
      style.dim(
        `statistics cost ${stats.setupMs.toFixed(0)} ms before and ${stats.readMs.toFixed(0)} ms after the run`,
      ),
    );
  }
  // The delivery line above already says what a silent-loss warning would.
  for (const warning of result.warnings) {
    if (stats && warning.startsWith('silent loss:')) continue;
    sections.push(style.yellow(`warning: ${warning}`));
  }
  return sections.join('\n\n');
}
