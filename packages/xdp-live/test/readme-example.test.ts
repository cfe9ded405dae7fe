import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { afterEach, describe, expect, test } from 'vitest';
import { leftoverNetns } from './helpers/leftovers.js';
import { requireLiveFrames } from './helpers/live-frames.js';

const root = new URL('..', import.meta.url);
const example = readFileSync(new URL('examples/inject-with-statistics.ts', root), 'utf8');

afterEach(() => {
  expect(leftoverNetns()).toEqual([]);
});

describe('the README example', () => {
  test('is examples/inject-with-statistics.ts, verbatim', () => {
    expect(readFileSync(new URL('README.md', root), 'utf8')).toContain(example.trim());
  });

  // Runs against the built package (dist), as a user would import it.
  test('runs, and reports delivery and page pools', {
    tags: ['privileged', 'slow'],
  }, async (context) => {
    requireLiveFrames(context);
    const { stdout } = await execa('npx', ['tsx', 'examples/inject-with-statistics.ts'], { cwd: root });
    expect(stdout).toMatch(/^injected \d+ frames at [\d.]+ Mpps$/m);
    expect(stdout).toMatch(/^delivery: delivered: all \d+ frames sent on arrived at pr-xl-/m);
    expect(stdout).toMatch(/^page pools: \d+, pages held \d+ \(model \d+\)$/m);
  });
});
