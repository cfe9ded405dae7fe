import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  type DebianKernelEntry,
  findKernel,
  kernelOutsideCatalogue,
  type ProvisioningStep,
  provisionKernel,
  searchedSuites,
} from '../src/index.js';

// Image package names as the suites serve them (sid, forky, trixie, bookworm, flavours).
const names = [
  'linux-image-7.2.13+deb14-amd64',
  'linux-image-7.2.13+deb14-cloud-amd64',
  'linux-image-7.2.13+deb14-rt-amd64',
  'linux-image-7.2.12+deb14-amd64',
  'linux-image-7.20.1+deb14-amd64',
  'linux-image-6.1.0-37-amd64',
  'linux-image-6.12.43+deb13-amd64',
  'linux-image-7.2.13+deb14-amd64-dbg',
  'linux-image-7.2.13+deb14-amd64-unsigned',
];
const matching = (name: string) => {
  const entry = kernelOutsideCatalogue(name);
  if (!entry) throw new Error(`${name} is not a kernel outside the catalogue`);
  return names.filter((candidate) => entry.imagePackagePattern.test(candidate));
};

describe('kernels named outside the catalogue', () => {
  test('an image package name matches that package only', () => {
    expect(matching('linux-image-7.2.13+deb14-amd64')).toEqual(['linux-image-7.2.13+deb14-amd64']);
  });

  test('a version matches the standard flavour of that version, never a longer one', () => {
    expect(matching('7.2.13')).toEqual(['linux-image-7.2.13+deb14-amd64']);
    expect(matching('7.2')).toEqual(['linux-image-7.2.13+deb14-amd64', 'linux-image-7.2.12+deb14-amd64']);
    expect(matching('6.1')).toEqual(['linux-image-6.1.0-37-amd64']);
  });

  test('findKernel searches the suites for them; other names stay an error', () => {
    expect(findKernel('7.3.4')).toMatchObject({
      kind: 'debian',
      name: '7.3.4',
      series: '7.3',
      searchSuites: searchedSuites,
    });
    expect(findKernel('7.2')).toMatchObject({ suite: 'forky' });
    expect(() => findKernel('linux-2.6', undefined, 'kernels[0]')).toThrow(/unknown kernel "linux-2.6"/);
    expect(kernelOutsideCatalogue('linux-image-amd64')).toBeUndefined();
  });
});

// A cache holding a 7.x tree from trixie-backports and no network (nothing listens on port 9): the
// kernel named by its package is found in the cache's suite, as provisioning would find it online.
describe('provisioning a kernel outside the catalogue offline', { tags: ['slow'] }, () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hvm-outside-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('the cached tree of the package is used, under the name asked for', async () => {
    const release = '7.3.4+bpo-amd64';
    const sha256 = 'cd'.repeat(32);
    const treeDir = join(root, 'kernels', sha256);
    mkdirSync(join(treeDir, 'boot'), { recursive: true });
    mkdirSync(join(treeDir, 'lib/modules', release), { recursive: true });
    const image = randomBytes(64 * 1024);
    image.write('HdrS', 0x202, 'latin1');
    writeFileSync(join(treeDir, 'boot', `vmlinuz-${release}`), image);
    writeFileSync(
      join(treeDir, 'kernel.json'),
      JSON.stringify({
        name: '7.3.4',
        kind: 'debian',
        release,
        version: { major: 7, minor: 3, patch: 4 },
        suite: 'trixie-backports',
        package: `linux-image-${release}`,
        packageVersion: '7.3.4-1~bpo13+1',
        sha256,
        provisionedAt: '2026-12-01T00:00:00.000Z',
      }),
    );
    const steps: ProvisioningStep[] = [];
    const kernel = await provisionKernel(findKernel(`linux-image-${release}`) as DebianKernelEntry, {
      cacheDir: root,
      mirror: 'http://127.0.0.1:9/debian',
      onStep: (step) => steps.push(step),
    });
    expect(steps.at(-1)).toBe('offline-fallback');
    expect(kernel).toMatchObject({
      name: `linux-image-${release}`,
      release,
      suite: 'trixie-backports',
      dir: treeDir,
    });
  });
});
