import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { shellQuote } from '../util/shell-quote.js';

/**
 * The shell command that runs the probe runner in a guest (or on the host): the compiled runner
 * next to this module, or, when the package runs from its TypeScript sources (tests), the source
 * file through tsx. The guest sees the host's tree read-only, so the same path works inside.
 * `ulimit -l` is raised first: before Linux 5.11 BPF memory is charged to RLIMIT_MEMLOCK.
 */
export function probeRunnerCommand(node: string = process.execPath): string {
  const compiled = fileURLToPath(new URL('./guest/run-probes.js', import.meta.url));
  const source = fileURLToPath(new URL('./guest/run-probes.ts', import.meta.url));
  const runner = existsSync(compiled) ? shellQuote(compiled) : `--import tsx ${shellQuote(source)}`;
  return `ulimit -l unlimited 2>/dev/null; exec ${shellQuote(node)} ${runner}`;
}
