import { accessSync, constants } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/** The absolute path of an executable, searched on PATH (or checked as is when absolute). */
export function findOnPath(binary: string, path: string = process.env.PATH ?? ''): string | undefined {
  const candidates = isAbsolute(binary)
    ? [binary]
    : path
        .split(':')
        .filter(Boolean)
        .map((dir) => join(dir, binary));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}
