import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

// The code in the unit-testing guide is the examples' own: a block marked `<!-- example: FILE -->` is
// the whole file, one marked `<!-- from: FILE -->` is an excerpt (lines in order, `// ...` between).

const root = resolve(import.meta.dirname, '..');
const guide = readFileSync(join(root, 'docs', 'unit-testing.md'), 'utf8');
const marked = [...guide.matchAll(/<!-- (example|from): (\S+) -->\n```ts\n([\s\S]*?)```/g)].map((m) => ({
  kind: m[1] as 'example' | 'from',
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

  test.each(marked)('$kind $file', ({ kind, file, code }) => {
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
