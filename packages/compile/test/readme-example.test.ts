// The README's example runs as written, against the package's source, and prints what its comments say.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';

const packageDir = resolve(import.meta.dirname, '..');
const repoRoot = resolve(packageDir, '..', '..');

test('the README example runs and prints what its comments say', { timeout: 60_000 }, () => {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const example = /## Example\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  const expected = [...example!.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
  expect(expected.length).toBeGreaterThanOrEqual(3);

  const dir = mkdtempSync(join(tmpdir(), 'compile-readme-'));
  try {
    const file = join(dir, 'example.mts');
    const entry = join(packageDir, 'src', 'index.ts');
    writeFileSync(file, example!.replace("from '@progrun/compile'", `from ${JSON.stringify(entry)}`));
    const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
    // TMPDIR inside `dir`: what the example writes to tmpdir() goes with it.
    const env = { ...process.env, TMPDIR: dir };
    const output = execFileSync(tsx, [file], { encoding: 'utf8', env }).trim().split('\n');
    expect(output).toEqual(expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
