import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, expect, test } from 'vitest';

// The README's library example, run as written (with the host kernel only, to boot nothing).
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvm-readme-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the README library example runs', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  const source = new URL('../src/index.ts', import.meta.url).pathname;
  const file = join(dir, 'example.mts');
  writeFileSync(file, example!.replace("from '@progrun/harness-vm'", `from ${JSON.stringify(source)}`));
  const result = await execa('node', ['--import', 'tsx', file], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { KERNELS: 'host', PROGRUN_CACHE: dir },
    reject: false,
  });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toMatch(/^host pass exit 0$/m);
  expect(result.stdout).toMatch(/^host pass \{ kernel: '[^']+' \}$/m);
  expect(result.stdout).toContain('accelerator: none (host only)');
});
