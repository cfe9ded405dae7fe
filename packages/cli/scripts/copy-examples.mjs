// Copies the BPF C sources of the repository's examples into dist/examples, so that `progrun demo`
// works from an installed package too. Tests and other files stay behind.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(packageDir, '..', '..', 'examples');
const target = join(packageDir, 'dist', 'examples');
if (!existsSync(source)) {
  console.error(`copy-examples: ${source} not found; dist/examples left as it is`);
  process.exit(0);
}
rmSync(target, { recursive: true, force: true });
cpSync(source, target, {
  recursive: true,
  filter: (path) => !/\.(test\.ts|o)$/.test(path) && !path.includes('node_modules'),
});
