import { type InventoryRelease, kernelInventory } from '@progrun/harness-vm';
import type { Command, CommandInput } from '../../cli/command.js';
import { ExitCode, exitCodesHelp } from '../../cli/exit-codes.js';
import { schemaUrl } from '../../cli/json-schema.js';
import { stringOption } from '../../cli/option-values.js';
import { renderTable } from '../../render/table.js';

const help = `progrun vm kernels: the kernels \`progrun vm run\` and \`progrun vm matrix\` can boot.

Usage: progrun vm kernels [--cache-dir DIR] [--json]

Lists @progrun/harness-vm's kernel catalogue beside what the cache holds: the releases already
downloaded and extracted (a kernel is fetched on its first run), how long each took to boot recently,
and the accelerator guests use on this machine (decided on the first run after each host boot). Reads
the cache only: nothing is downloaded or booted.

Options:
      --cache-dir DIR   the cache (default: $PROGRUN_CACHE/harness-vm or ~/.cache/progrun/harness-vm)
      --json            one JSON document on stdout: { cacheDir, accelerator, kernels }
  -h, --help            this help

Examples:
  progrun vm kernels
  progrun vm kernels --json | jq '.kernels[].releases'

${exitCodesHelp([0, 2], { 2: 'usage error: unknown option or a bad value' })}`;

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const describeRelease = (release: InventoryRelease) =>
  release.packageVersion === undefined ? release.release : `${release.release} (${release.packageVersion})`;

async function execute({ values, out }: CommandInput): Promise<number> {
  const inventory = kernelInventory(stringOption(values, 'cache-dir'));
  if (out.json) {
    out.writeJson({ $schema: schemaUrl('vm-kernels'), ok: true, ...inventory });
    return ExitCode.Ok;
  }
  const style = out.style;
  const rows = [
    ['name', 'source', 'ready', 'recent boot'].map(style.dim),
    ...inventory.kernels.map((kernel) => [
      kernel.name,
      kernel.source,
      kernel.releases.map(describeRelease).join(', ') || style.dim('(not yet provisioned)'),
      kernel.releases.map((release) => seconds(release.expectedBootMs)).join(', ') || '-',
    ]),
  ];
  const { accelerator } = inventory;
  out.line(renderTable(rows));
  out.line();
  out.line(`cache: ${inventory.cacheDir}`);
  out.line(
    `accelerator: ${accelerator ? `${accelerator.accelerator} (${accelerator.reason})` : 'not yet probed on this boot'}`,
  );
  return ExitCode.Ok;
}

/** `progrun vm kernels`: the catalogue and the cache, from @progrun/harness-vm. */
export const vmKernelsCommand: Command = {
  name: 'vm kernels',
  help,
  positionals: false,
  options: { 'cache-dir': { type: 'string' } },
  execute,
};
