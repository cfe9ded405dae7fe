import { randomBytes } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  type DebianKernelEntry,
  findKernel,
  type KernelEntry,
  listCachedKernels,
  type ProvisioningStep,
  provisionKernel,
  runKernels,
} from '../src/index.js';
import { inspectCachedKernel } from '../src/kernels/provision-kernel.js';

// Kernel trees as a cache holds them, made here: an image with the x86 boot header and a kernel.json of
// the format written before digests were recorded (absolute paths). No download, no guest.
const release = '5.10.0-99-amd64';
const sha256 = 'ab'.repeat(32);
const bullseye = findKernel('5.10') as DebianKernelEntry;
// Nothing listens on port 9: package lists cannot be fetched, as on a machine without network (apt
// retries for several seconds: those tests are slow).
const unreachableMirror = 'http://127.0.0.1:9/debian';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hvm-cache-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function bzImage(size = 64 * 1024): Buffer {
  const image = randomBytes(size);
  image.write('HdrS', 0x202, 'latin1');
  return image;
}

/** A cache directory holding one provisioned 5.10 tree, its kernel.json in the old, absolute-path format. */
function makeCache(name: string): { cacheDir: string; treeDir: string; image: string } {
  const cacheDir = join(root, name);
  const treeDir = join(cacheDir, 'kernels', sha256);
  const image = join(treeDir, 'boot', `vmlinuz-${release}`);
  mkdirSync(join(treeDir, 'boot'), { recursive: true });
  mkdirSync(join(treeDir, 'lib/modules', release), { recursive: true });
  writeFileSync(image, bzImage());
  const identity = {
    name: '5.10',
    kind: 'debian',
    release,
    version: { major: 5, minor: 10, patch: 999 },
    suite: 'bullseye',
    package: `linux-image-${release}`,
    packageVersion: '5.10.999-1',
    sha256,
  };
  writeFileSync(
    join(treeDir, 'kernel.json'),
    JSON.stringify({ ...identity, dir: treeDir, image, provisionedAt: '2026-01-01T00:00:00.000Z' }),
  );
  return { cacheDir, treeDir, image };
}

describe('cached kernel trees', () => {
  test('paths come from where the cache is: a copy boots its own image, not the original', () => {
    const original = makeCache('original');
    const copy = join(root, 'copy');
    cpSync(original.cacheDir, copy, { recursive: true });
    const [kernel] = listCachedKernels(copy);
    expect(kernel).toMatchObject({
      name: '5.10',
      release,
      dir: join(copy, 'kernels', sha256),
      image: join(copy, 'kernels', sha256, 'boot', `vmlinuz-${release}`),
    });
  });

  test('a cache restored at another path (the original gone) is used as it is', () => {
    const original = makeCache('home-a');
    const restored = join(root, 'home-b');
    renameSync(original.cacheDir, restored);
    expect(listCachedKernels(restored).map((kernel) => kernel.image)).toEqual([
      join(restored, 'kernels', sha256, 'boot', `vmlinuz-${release}`),
    ]);
  });

  test('the first read records the image size and SHA-256; kernel.json then holds no path', () => {
    const { cacheDir, treeDir, image } = makeCache('c');
    listCachedKernels(cacheDir);
    const recorded = JSON.parse(readFileSync(join(treeDir, 'kernel.json'), 'utf8'));
    expect(recorded.imageDigest).toEqual({
      size: 64 * 1024,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(recorded).not.toHaveProperty('dir');
    expect(recorded).not.toHaveProperty('image');
    expect(recorded.provisionedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(inspectCachedKernel(treeDir)).toEqual({ kernel: expect.objectContaining({ image }) });
  });

  test('a truncated image is damaged: named with its size then and now', () => {
    const { cacheDir, treeDir, image } = makeCache('c');
    listCachedKernels(cacheDir);
    truncateSync(image, 1000);
    expect(inspectCachedKernel(treeDir)).toEqual({
      damage: `the cached kernel image ${image} has 1000 bytes, ${64 * 1024} when provisioned`,
    });
    expect(listCachedKernels(cacheDir)).toEqual([]);
  });

  test('a zero-filled image of the right size is damaged: its SHA-256 differs', () => {
    const { cacheDir, treeDir, image } = makeCache('c');
    listCachedKernels(cacheDir);
    writeFileSync(image, Buffer.alloc(64 * 1024));
    expect(inspectCachedKernel(treeDir)).toEqual({
      damage: expect.stringMatching(
        new RegExp(
          `^the cached kernel image ${image} has SHA-256 [0-9a-f]{64}, [0-9a-f]{64} when provisioned$`,
        ),
      ),
    });
  });

  test('a tree from before digests were recorded is checked for the x86 boot header', () => {
    const { treeDir, image } = makeCache('c');
    writeFileSync(image, Buffer.alloc(64 * 1024));
    expect(inspectCachedKernel(treeDir)).toEqual({
      damage: `the cached kernel image ${image} has no x86 boot header (65536 bytes)`,
    });
  });
});

describe('provisioning from a damaged or moved cache, offline', { tags: ['slow'] }, () => {
  test('offline, an intact tree of the suite is used where the cache is, under the name asked for', async () => {
    const { cacheDir } = makeCache('c');
    const alias: DebianKernelEntry = { ...bullseye, name: 'bullseye' };
    const steps: ProvisioningStep[] = [];
    const kernel = await provisionKernel(alias, {
      cacheDir,
      mirror: unreachableMirror,
      onStep: (step) => steps.push(step),
    });
    expect(steps.at(-1)).toBe('offline-fallback');
    expect(steps).not.toContain('download');
    expect(kernel).toMatchObject({ name: 'bullseye', release, dir: join(cacheDir, 'kernels', sha256) });
  });

  test('offline, a damaged tree is not booted: provisioning fails instead', async () => {
    const { cacheDir, image } = makeCache('c');
    listCachedKernels(cacheDir);
    writeFileSync(image, Buffer.alloc(64 * 1024));
    await expect(provisionKernel(bullseye, { cacheDir, mirror: unreachableMirror })).rejects.toMatchObject({
      code: 'ERR_PROGRUN_PROVISIONING_FAILED',
    });
  });
});

describe('runKernels', { tags: ['slow'] }, () => {
  test('one result per requested kernel, by the catalogue name, also for a kernel cached under another', async () => {
    const { cacheDir } = makeCache('c');
    vi.stubEnv('PROGRUN_DEBIAN_MIRROR', unreachableMirror);
    const catalogue: KernelEntry[] = [findKernel('host'), { ...bullseye, name: 'bullseye' }];
    try {
      const report = await runKernels({
        kernels: ['bullseye', 'host'],
        catalogue,
        command: ['true'],
        cacheDir,
        outDir: join(root, 'out'),
        // Without vng the guest is an infrastructure error; what matters is that it has its own result.
        vng: join(root, 'no-vng'),
      });
      expect(report.results.map((result) => [result.kernel.name, result.outcome])).toEqual([
        ['bullseye', 'infra-error'],
        ['host', 'pass'],
      ]);
      expect(report.kernels).toEqual(['bullseye', 'host']);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  test('a shard that selects no kernel returns no result and says which kernels were asked for', async () => {
    const report = await runKernels({
      kernels: ['host'],
      shard: { index: 2, count: 2 },
      command: ['true'],
      cacheDir: join(root, 'cache'),
      outDir: join(root, 'out'),
    });
    expect(report.results).toEqual([]);
    expect(report.kernels).toEqual(['host']);
    expect(readdirSync(join(root, 'out'))).toContain('report.json');
  });
});
