import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { packageDir, repoRoot } from '../generator/paths.js';

test('the README example runs and prints what its comments say', { timeout: 60_000 }, () => {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  const expected = [...example!.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
  expect(expected.length).toBeGreaterThanOrEqual(5);

  const dir = mkdtempSync(join(tmpdir(), 'uapi-readme-'));
  try {
    const file = join(dir, 'example.ts');
    const source = resolve(packageDir, 'src', 'index.ts');
    writeFileSync(file, example!.replace("from '@progrun/uapi'", `from ${JSON.stringify(source)}`));
    const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
    const output = execFileSync(tsx, [file], { encoding: 'utf8' }).trim().split('\n');
    expect(output).toEqual(expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
