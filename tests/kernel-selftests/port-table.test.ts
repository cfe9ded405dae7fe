// The README's table lists exactly the prog_tests files of the cached source that call the test-run API,
// with every port that exists: `node tests/kernel-selftests/port-table.mjs` rewrites it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { table } from './port-table.mjs';

describe('the port table', () => {
  test('README.md holds the table of the cached source, and every ported file has its test', () => {
    const readme = readFileSync(join(import.meta.dirname, 'README.md'), 'utf8');
    expect(readme).toContain((table as () => string)());
    for (const [, testFile] of readme.matchAll(/ported: \[([^\]]+)\]/g)) {
      expect(existsSync(join(import.meta.dirname, testFile!)), testFile).toBe(true);
    }
  });
});
