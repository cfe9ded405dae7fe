import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { generateFiles } from '../generator/generate.js';
import { generatedDir } from '../generator/paths.js';
import { headerSets } from '../src/generated/header-sets.js';

/** Lines that name the .deb packages: they move when Debian publishes a new point release. */
const PACKAGE_LINES = /^\/\/ {3}linux-libc-dev .*$|^ {4}(packageVersion|sha256): .*$/gm;

describe('npm run generate', { tags: ['slow'] }, () => {
  test('is reproducible and matches the committed src/generated', { timeout: 300_000 }, () => {
    const first = generateFiles();
    const second = generateFiles();
    expect(second).toEqual(first);

    const sameDebs = headerSets.every((committed) => first['header-sets.ts']?.includes(committed.sha256));
    for (const [name, text] of Object.entries(first)) {
      const committed = readFileSync(join(generatedDir, name), 'utf8');
      if (sameDebs) {
        expect(text, `${name} drifted from a fresh generation`).toBe(committed);
      } else {
        // Debian moved on: the packages differ, the UAPI they describe must not.
        expect(text.replace(PACKAGE_LINES, ''), `${name} content drifted`).toBe(
          committed.replace(PACKAGE_LINES, ''),
        );
      }
    }
  });
});
