import { preprocessKeepingDefines } from './clang.js';
import type { FetchedHeaderSet } from './fetch-headers.js';

/** An object-like `#define` and the header (relative to the include root) that defines it. */
export interface MacroDefinition {
  readonly name: string;
  readonly body: string;
  readonly header: string;
}

function relativeHeader(set: FetchedHeaderSet, path: string): string | undefined {
  for (const dir of set.includeDirs) {
    if (path.startsWith(`${dir}/`)) return path.slice(dir.length + 1);
  }
  return undefined;
}

/**
 * Object-like macros defined by the given headers, in definition order, found by letting the
 * preprocessor expand the includes (`-dD`) and following its line markers to the defining file.
 */
export function collectMacros(set: FetchedHeaderSet, headers: readonly string[]): MacroDefinition[] {
  const source = headers.map((h) => `#include <${h}>\n`).join('');
  const output = preprocessKeepingDefines(set, source);
  const wanted = new Set(headers);
  const macros: MacroDefinition[] = [];
  let current: string | undefined;
  for (const line of output.split('\n')) {
    const marker = /^# \d+ "([^"]+)"/.exec(line);
    if (marker) {
      current = relativeHeader(set, marker[1] ?? '');
      continue;
    }
    if (!current || !wanted.has(current)) continue;
    const define = /^#define ([A-Za-z_][A-Za-z0-9_]*)(\(?)\s*(.*)$/.exec(line);
    if (!define || define[2] === '(') continue;
    macros.push({ name: define[1] ?? '', body: (define[3] ?? '').trim(), header: current });
  }
  return macros;
}
