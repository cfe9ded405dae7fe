import { expectedBootMs } from '../accelerator/boot-times.js';
import { readAcceleratorVerdict } from '../accelerator/detect-accelerator.js';
import { defaultCacheDir } from '../kernels/cache-layout.js';
import { kernelCatalogue } from '../kernels/catalogue.js';
import { listCachedKernels } from '../kernels/provision-kernel.js';
import { resolveHostKernel } from '../kernels/resolve-host-kernel.js';
import { parseCommandLine } from './common-options.js';
import { alignColumns } from './summary-table.js';

/** `harness-vm kernels`: the catalogue and what the cache holds. */
export async function kernelsCommand(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, { json: { type: 'boolean' } });
  const cacheDir = values['cache-dir'] ?? defaultCacheDir();
  const cached = listCachedKernels(cacheDir);
  const verdict = readAcceleratorVerdict(cacheDir);
  const rows = kernelCatalogue.map((entry) => {
    if (entry.kind === 'host') {
      const host = resolveHostKernel();
      return {
        name: 'host',
        source: 'running kernel',
        cached: [host.release],
        bootMs: [] as (number | undefined)[],
      };
    }
    const releases = cached.filter((k) => k.name === entry.name && k.suite === entry.suite);
    return {
      name: entry.name,
      source: `debian ${entry.suite} ${entry.metaPackage}`,
      cached: releases.map((k) => `${k.release} (${k.packageVersion})`),
      bootMs: releases.map((k) =>
        verdict ? expectedBootMs(cacheDir, k.release, verdict.accelerator) : undefined,
      ),
    };
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ cacheDir, accelerator: verdict, kernels: rows }, null, 2)}\n`);
    return 0;
  }
  const table = [
    ['name', 'source', 'cached', 'recent boot'],
    ...rows.map((row) => [
      row.name,
      row.source,
      row.cached.join(', ') || '(not yet provisioned)',
      row.bootMs.map((ms) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`)).join(', ') || '-',
    ]),
  ];
  process.stdout.write(
    `${alignColumns(table)}\ncache: ${cacheDir}\naccelerator: ${verdict ? `${verdict.accelerator} (${verdict.reason})` : 'not yet probed'}\n`,
  );
  return 0;
}
