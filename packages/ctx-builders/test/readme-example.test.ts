import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireFeature, xdpMdContext } from '@progrun/syscall/features';
import { afterAll, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..');
// A temporary directory, not the package's: the tree may be read-only (a guest kernel's run). The example's
// imports are rewritten to absolute URLs, so it resolves them from anywhere.
const dir = mkdtempSync(join(tmpdir(), 'progrun-ctx-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const syscallEntry = pathToFileURL(createRequire(import.meta.url).resolve('@progrun/syscall')).href;

test('the README example runs (XDP with an xdp_md ctx_in, Linux 5.15+) and prints what its comments say', {
  tags: ['privileged'],
}, async (t) => {
  requireFeature(t, xdpMdContext);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const code = /## Example[^\n]*\n+```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  const expected = [...code.matchAll(/console\.log\([^\n]*\); \/\/ ([^\s:]+)/g)].map((m) => m[1]);
  const diffLines = [...code.matchAll(/^\/\/ (ipv4\..*)$/gm)].map((m) => m[1]);
  const file = join(dir, 'readme-example.ts');
  const printed: string[] = [];
  writeFileSync(
    file,
    code
      .replace("'@progrun/ctx-builders'", `'${pathToFileURL(join(root, 'src/index.ts')).href}'`)
      .replace("'@progrun/syscall'", `'${syscallEntry}'`)
      .replaceAll('console.log(', 'globalThis.__readmeLog(')
      .concat('\nexport {};\n'),
  );
  (globalThis as Record<string, unknown>).__readmeLog = (v: unknown) => printed.push(String(v));
  await import(pathToFileURL(file).href);
  expect(printed.slice(0, 3)).toEqual(expected);
  expect(printed[3]!.split('\n')).toEqual(diffLines);
});
