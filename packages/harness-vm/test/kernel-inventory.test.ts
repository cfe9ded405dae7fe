import { mkdtempSync, rmSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { kernelInventory } from '../src/index.js';

let cacheDir: string;
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'hvm-inventory-'));
});
afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

test('an empty cache: the catalogue, the running kernel for host, no accelerator verdict', () => {
  expect(kernelInventory(cacheDir)).toEqual({
    cacheDir,
    accelerator: undefined,
    kernels: [
      { name: 'host', source: 'running kernel', releases: [{ release: release() }] },
      { name: '5.10', source: 'debian bullseye linux-image-amd64', releases: [] },
      { name: '6.1', source: 'debian bookworm linux-image-amd64', releases: [] },
      { name: '6.12', source: 'debian trixie linux-image-amd64', releases: [] },
      { name: '7.2', source: 'debian forky linux-image-amd64', releases: [] },
      { name: 'latest', source: 'debian sid linux-image-amd64', releases: [] },
    ],
  });
});

test('a cache directory that does not exist reads as empty', () => {
  const missing = join(cacheDir, 'not-there');
  expect(kernelInventory(missing).kernels.flatMap((kernel) => kernel.releases)).toEqual([
    { release: release() },
  ]);
});
