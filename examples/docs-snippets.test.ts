import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

// The code in the unit-testing guide is the examples' own: a block marked `<!-- example: FILE -->` is
// the whole file, one marked `<!-- from: FILE -->` is an excerpt (lines in order, `// ...` between), and
// one marked `<!-- file: NAME -->` is a file of the reader's own project (the Vitest configuration).

const root = resolve(import.meta.dirname, '..');
const guide = readFileSync(join(root, 'docs', 'unit-testing.md'), 'utf8');
const marked = [...guide.matchAll(/<!-- (example|from|file): (\S+) -->\n```ts\n([\s\S]*?)```/g)].map((m) => ({
  kind: m[1] as 'example' | 'from' | 'file',
  file: m[2]!,
  code: m[3]!,
}));

describe('docs/unit-testing.md shows the examples as they are', () => {
  test('it has the ten-line test and the excerpts', () => {
    expect(marked.filter((block) => block.kind === 'example').map((block) => block.file)).toEqual([
      'examples/xdp-reflector/xdp-reflector.test.ts',
    ]);
    expect(marked.filter((block) => block.kind === 'from').length).toBeGreaterThanOrEqual(4);
    // Every ts block in the guide is one of the marked ones.
    expect(guide.match(/```ts\n/g)?.length).toBe(marked.length);
  });

  test.each(marked.filter((block) => block.kind !== 'file'))('$kind $file', ({ kind, file, code }) => {
    const source = readFileSync(join(root, file), 'utf8');
    if (kind === 'example') {
      expect(code).toBe(source);
      return;
    }
    const lines = source.split('\n');
    let at = 0;
    for (const line of code.split('\n').filter((l) => l.trim() !== '' && l.trim() !== '// ...')) {
      const found = lines.indexOf(line, at);
      expect(found, `"${line}" is not in ${file} (after line ${at})`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
  });

  test('the guide links only to files that exist', () => {
    for (const [, target] of guide.matchAll(/\]\(\.\.\/([^)#]+)\)/g)) {
      expect(existsSync(join(root, target!)), target).toBe(true);
    }
  });
});

/** The guide's block marked `<!-- <kind>: <file> -->`. */
function block(kind: string, file: string): string {
  const found = marked.find((entry) => entry.kind === kind && entry.file === file);
  if (!found) throw new Error(`docs/unit-testing.md has no block marked ${kind}: ${file}`);
  return found.code;
}

describe('the ten-line test runs in an empty project outside the repository', {
  tags: ['privileged'],
}, () => {
  test('with the vitest.config.ts the guide shows, and not without it', { timeout: 180_000 }, () => {
    // The project holds what the guide says and nothing else; the packages it installs are this
    // repository's (linked), the way npm would lay them out.
    const project = mkdtempSync(join(tmpdir(), 'progrun-guide-'));
    try {
      const modules = join(project, 'node_modules');
      mkdirSync(join(modules, '@progrun'), { recursive: true });
      for (const name of ['compile', 'ctx-builders', 'syscall', 'uapi']) {
        symlinkSync(join(root, 'packages', name), join(modules, '@progrun', name));
      }
      symlinkSync(join(root, 'node_modules', 'vitest'), join(modules, 'vitest'));
      writeFileSync(
        join(project, 'package.json'),
        `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`,
      );
      writeFileSync(
        join(project, 'xdp-reflector.test.ts'),
        block('example', 'examples/xdp-reflector/xdp-reflector.test.ts'),
      );
      copyFileSync(
        join(root, 'examples', 'xdp-reflector', 'xdp-reflector.bpf.c'),
        join(project, 'xdp-reflector.bpf.c'),
      );
      const vitest = () =>
        spawnSync(process.execPath, [join(modules, 'vitest', 'vitest.mjs'), 'run'], {
          cwd: project,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: join(project, '.cache') },
        });

      const without = vitest();
      expect(without.status).not.toBe(0);
      expect(`${without.stdout}${without.stderr}`).toMatch(/define any "?tags"?/);

      writeFileSync(join(project, 'vitest.config.ts'), block('file', 'vitest.config.ts'));
      const withConfig = vitest();
      expect(withConfig.status, `${withConfig.stdout}${withConfig.stderr}`).toBe(0);
      expect(withConfig.stdout).toMatch(/1 passed/);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
