import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Parses every `*.json` file the command under test wrote into its results directory, by file
 * name. A file that is not valid JSON is reported as `{ error }` rather than dropped, so a probe
 * that crashed half-way shows up.
 */
export function readGuestResults(dir: string): Record<string, unknown> {
  const results: Record<string, unknown> = {};
  if (!existsSync(dir)) return results;
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    try {
      results[name] = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch (error) {
      results[name] = { error: `${name} is not valid JSON: ${(error as Error).message}` };
    }
  }
  return results;
}
