import type { HeaderSetContents } from './collect-header-set.js';
import { banner } from './emit-common.js';

/** header-sets.ts: which Debian package each kernel line was generated from. */
export function emitHeaderSets(sets: readonly HeaderSetContents[]): string {
  const rows = sets.map(
    ({ set }) =>
      `  {\n    version: '${set.version}',\n    suite: '${set.suite}',\n    packageName: '${set.packageName}',\n` +
      `    packageVersion: '${set.packageVersion}',\n    sha256: '${set.sha256}',\n  },`,
  );
  return [
    banner(sets, 'The header sets this package was generated from, oldest first.'),
    `/** The kernel header sets the package was generated from, oldest first; \`firstHeaderSet\` values name one of them. */`,
    `export const headerSets = [`,
    ...rows,
    `] as const;`,
    ``,
  ].join('\n');
}
