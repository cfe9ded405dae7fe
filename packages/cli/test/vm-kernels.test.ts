import { mkdtempSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { progrun } from './helpers/run-progrun.js';

describe('progrun vm kernels', () => {
  const cacheDir = () => mkdtempSync(join(tmpdir(), 'progrun-cli-vm-kernels-'));

  test('--json lists the catalogue beside an empty cache', async () => {
    const { code, stdout } = await progrun(['vm', 'kernels', '--json', '--cache-dir', cacheDir()]);
    expect(code).toBe(0);
    const listing = JSON.parse(stdout) as { kernels: { name: string; releases: { release: string }[] }[] };
    expect(listing.kernels.map((kernel) => kernel.name)).toEqual([
      'host',
      '5.10',
      '6.1',
      '6.12',
      '7.2',
      'latest',
    ]);
    expect(listing.kernels.map((kernel) => kernel.releases)).toEqual([
      [{ release: release() }],
      [],
      [],
      [],
      [],
      [],
    ]);
  });

  test('a table of the catalogue, the cache and the accelerator', async () => {
    const dir = cacheDir();
    const { code, stdout } = await progrun(['vm', 'kernels', '--cache-dir', dir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^name\s+source\s+ready\s+recent boot$/m);
    expect(stdout).toMatch(
      new RegExp(`^host\\s+running kernel\\s+${release().replace(/\./g, '\\.')}\\s+-$`, 'm'),
    );
    expect(stdout).toMatch(/^5\.10\s+debian bullseye linux-image-amd64\s+\(not yet provisioned\)\s+-$/m);
    expect(stdout).toContain(`cache: ${dir}`);
    expect(stdout).toContain('accelerator: not yet probed on this boot');
  });
});
