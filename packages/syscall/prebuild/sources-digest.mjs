// Prints the digest of everything a prebuilt addon is made from: the addon's sources, its CMakeLists,
// the build scripts and the Node-API headers' versions. prebuild/build.sh records it beside the
// binaries (prebuilds/sources.sha256); packing compares it, so a binary older than its sources is
// never shipped.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const pkg = join(import.meta.dirname, '..');
const require = createRequire(join(pkg, 'package.json'));

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const inputs = [
  join(pkg, 'CMakeLists.txt'),
  ...files(join(pkg, 'native')),
  // The scripts that choose the compilers, libraries and flags (not the ones that only run or check).
  ...['build.sh', 'build-deps.sh', 'build-addon.sh'].map((name) => join(pkg, 'prebuild', name)),
].sort();
const hash = createHash('sha256');
for (const file of inputs)
  hash
    .update(`${relative(pkg, file)}\0`)
    .update(readFileSync(file))
    .update('\0');
for (const dep of ['node-addon-api', 'node-api-headers']) {
  hash.update(`${dep}@${require(`${dep}/package.json`).version}\0`);
}
console.log(hash.digest('hex'));
