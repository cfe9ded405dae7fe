// Packs every package as `npm publish` would (its prepack build first) and checks each tarball with
// `publint --strict` and `attw` (@arethetypeswrong/cli), then prints the tarball sizes. Run by
// `npm run publint` and in CI. Exits 1 if any tarball has a problem.
//
// attw runs with its esm-only profile: the packages are ESM only, and CommonJS callers load them with
// require(esm), which the Node versions in `engines` have (20.19+, 22.12+) but attw does not model.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const out = mkdtempSync(join(tmpdir(), 'progrun-packed-'));
const failed = [];
const rows = [];
try {
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const [info] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', out], {
        cwd: join(root, 'packages', dir),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    const tarball = join(out, info.filename);
    rows.push([info.name, info.size, info.unpackedSize, info.entryCount]);
    for (const [tool, args] of [
      ['publint', ['--strict', tarball]],
      ['attw', [tarball, '--profile', 'esm-only', '--format', 'table-flipped', '--no-emoji']],
    ]) {
      const run = spawnSync(bin(tool), args, { encoding: 'utf8' });
      if (run.status !== 0) {
        failed.push(`${info.name}: ${tool}`);
        process.stdout.write(`${info.name}: ${tool} failed\n${run.stdout}${run.stderr}\n`);
      }
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
const width = Math.max(...rows.map(([name]) => name.length));
process.stdout.write(`${'package'.padEnd(width)}  tarball   unpacked  files\n`);
for (const [name, size, unpacked, files] of rows) {
  process.stdout.write(
    `${name.padEnd(width)}  ${String(size).padStart(7)}  ${String(unpacked).padStart(9)}  ${String(files).padStart(5)}\n`,
  );
}
if (failed.length > 0) {
  process.stdout.write(`problems: ${failed.join(', ')}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(`${rows.length} tarballs: publint --strict and attw (esm-only) clean\n`);
}
