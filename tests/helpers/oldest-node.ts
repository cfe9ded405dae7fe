import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');

/** The oldest Node.js version the packages' `engines` allow (`^20.19.0 || >=22.12.0`: 20.19.0). */
export const oldestNodeVersion: string = (() => {
  const { engines } = JSON.parse(readFileSync(join(repoRoot, 'packages/uapi/package.json'), 'utf8')) as {
    engines: { node: string };
  };
  const found = /\d+\.\d+\.\d+/.exec(engines.node);
  if (!found) throw new Error(`packages/uapi/package.json: no version in engines.node "${engines.node}"`);
  return found[0];
})();

/**
 * The node binary of {@link oldestNodeVersion}, which `scripts/fetch-oldest-node.sh` (run by
 * `scripts/setup.sh`) puts in the cache directory.
 *
 * @throws Error naming the script when it has not been run.
 */
export function oldestNode(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.PROGRUN_CACHE ?? join(repoRoot, '.cache');
  const node = join(cache, 'node', `v${oldestNodeVersion}-linux-${process.arch}`, 'bin', 'node');
  if (!existsSync(node)) {
    throw new Error(
      `Node.js ${oldestNodeVersion} is not at ${node}: run scripts/fetch-oldest-node.sh (bash scripts/setup.sh does)`,
    );
  }
  return node;
}
