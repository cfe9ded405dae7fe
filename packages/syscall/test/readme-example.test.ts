// The README's example runs as written (against the built package, dist/).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '..');

test('the README example runs and prints what it says', { tags: ['privileged'] }, () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const example = /```js example\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  // `npm test` builds first (turbo); a bare checkout builds here.
  if (!existsSync(join(root, 'dist/index.js'))) execFileSync('npx', ['tsc', '-b'], { cwd: root });
  const dir = mkdtempSync(join(tmpdir(), 'progrun-readme-'));
  try {
    const file = join(dir, 'example.mjs');
    const entry = pathToFileURL(join(root, 'dist/index.js')).href;
    writeFileSync(file, example!.replace("'@progrun/syscall'", `'${entry}'`));
    const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
    expect(out).toMatch(/^verdict 2 packet back true$/m);
    expect(out).toMatch(/^about \d+ ns per run; 100001 runs counted$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
