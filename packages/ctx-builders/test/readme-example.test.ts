import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { kernelOlderThan } from '@progrun/syscall';
import { afterAll, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..');
const dir = join(root, '.cache');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.skipIf(kernelOlderThan('5.15'))(
  'the README example runs (XDP with an xdp_md ctx_in, Linux 5.15+) and prints what its comments say',
  { tags: ['privileged'] },
  async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const code = /## Example[^\n]*\n+```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const expected = [...code.matchAll(/console\.log\([^\n]*\); \/\/ ([^\s:]+)/g)].map((m) => m[1]);
    const diffLines = [...code.matchAll(/^\/\/ (ipv4\..*)$/gm)].map((m) => m[1]);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'readme-example.ts');
    const printed: string[] = [];
    writeFileSync(
      file,
      code
        .replace("'@progrun/ctx-builders'", `'${pathToFileURL(join(root, 'src/index.ts')).href}'`)
        .replaceAll('console.log(', 'globalThis.__readmeLog(')
        .concat('\nexport {};\n'),
    );
    (globalThis as Record<string, unknown>).__readmeLog = (v: unknown) => printed.push(String(v));
    await import(pathToFileURL(file).href);
    expect(printed.slice(0, 3)).toEqual(expected);
    expect(printed[3]!.split('\n')).toEqual(diffLines);
  },
);
