import { machine, release } from 'node:os';
import type { Feature, FeatureResult } from '@progrun/syscall/features';
import { importNeedingAddon } from '../cli/addon-unavailable.js';
import type { Command, CommandInput } from '../cli/command.js';
import { ExitCode, exitCodesHelp } from '../cli/exit-codes.js';
import { schemaUrl } from '../cli/json-schema.js';
import { renderTable } from '../render/table.js';

const help = `progrun probe: what this kernel's BPF_PROG_RUN can do, probed by loading and running tiny programs.

Usage: progrun probe [--json]

Probes the test run of every program type the kernel documentation lists (plus TRACING, NETFILTER and
SOCK_OPS, which it omits), XDP live-frame mode (with a probe that a pre-5.18 kernel, which silently
ignores the flag, cannot fool), whether XDP rejects unknown flags, BPF_F_TEST_RUN_ON_CPU,
BPF_F_TEST_SKB_CHECKSUM_COMPLETE, xdp_md as ctx_in, data_size_out and short XDP input.
Each answer is yes, no (with the first kernel that has it), or inconclusive (with the reason).
Probing needs root, or CAP_BPF with CAP_NET_ADMIN and CAP_PERFMON.

Options:
  --json        one JSON document: the kernel, and per feature its id, status, minimum kernel and reason
  -h, --help    this help

Examples:
  progrun probe
  progrun probe --json | jq '.features[] | select(.status != "supported")'

${exitCodesHelp([0, 2, 6], { 2: 'usage error: unknown option' })}`;

interface ProbeRow {
  readonly id: string;
  readonly description: string;
  readonly status: FeatureResult['status'];
  readonly minKernel: string | undefined;
  readonly removedIn: string | undefined;
  readonly reason: string | undefined;
}

function probeOne(feature: Feature): ProbeRow {
  const result = feature.probe();
  let reason: string | undefined;
  if (result.status !== 'supported') {
    const error = result.error as Error & { hint?: string };
    reason = error.hint ?? error.message;
  }
  return {
    id: feature.id,
    description: feature.description,
    status: result.status,
    minKernel: feature.minKernel,
    removedIn: feature.removedIn,
    reason,
  };
}

async function execute({ out }: CommandInput): Promise<number> {
  // Imported here, not above: it loads the native addon, and `progrun probe --help` works without it.
  const { allFeatures } = await importNeedingAddon('probe', () => import('@progrun/syscall/features'));
  const rows = allFeatures().map(probeOne);
  const kernel = { release: release(), arch: machine() };
  if (out.json) {
    out.writeJson({ $schema: schemaUrl('probe'), ok: true, kernel, features: rows });
    return ExitCode.Ok;
  }
  const style = out.style;
  const mark = (row: ProbeRow) =>
    row.status === 'supported'
      ? style.green('yes')
      : row.status === 'unsupported'
        ? style.red('no')
        : style.yellow('inconclusive');
  const since = (row: ProbeRow) =>
    row.minKernel === undefined
      ? style.dim('never')
      : row.removedIn
        ? `${row.minKernel}-${row.removedIn}`
        : row.minKernel;
  const table = [
    ['feature', 'here', 'since', 'why not'].map((text) => style.dim(text)),
    ...rows.map((row) => [
      row.id,
      mark(row),
      since(row),
      row.reason ? style.dim(withoutFeature(row.reason)) : '',
    ]),
  ];
  out.line(`${style.bold('BPF_PROG_RUN on this kernel')}: Linux ${kernel.release} (${kernel.arch})`);
  out.line();
  out.line(renderTable(table));
  const counts = { supported: 0, unsupported: 0, inconclusive: 0 };
  for (const row of rows) counts[row.status]++;
  out.line();
  const root = process.getuid?.() === 0;
  out.line(
    `${counts.supported} supported, ${counts.unsupported} not supported, ${counts.inconclusive} inconclusive` +
      (counts.inconclusive === 0
        ? ''
        : style.dim(
            root
              ? ' (each inconclusive row says why)'
              : ' (inconclusive probes usually mean missing privileges: run as root)',
          )),
  );
  return ExitCode.Ok;
}

// The reason without the feature's description, which the row already names; whole, since the end of
// a reason is often what to do.
function withoutFeature(text: string): string {
  const first = text.split('\n')[0] ?? '';
  const inconclusive = /^cannot tell whether the kernel supports [^:]*: /;
  const separator = first.indexOf('): ');
  const line = inconclusive.test(first)
    ? first.replace(inconclusive, '')
    : separator >= 0
      ? first.slice(separator + 3)
      : first;
  return line;
}

/** `progrun probe`. */
export const probeCommand: Command = {
  name: 'probe',
  help,
  positionals: false,
  options: {},
  execute,
};
