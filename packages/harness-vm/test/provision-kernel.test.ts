import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  findKernel,
  kernelInventory,
  listCachedKernels,
  type ProvisioningStep,
  provisionKernel,
} from '../src/index.js';
import type { DebianKernelEntry } from '../src/kernels/catalogue.js';

// Provisioning from scratch into a fresh cache: the Debian archive over the network (about 56 MB
// for bullseye's kernel), apt through its private configuration, extraction, depmod.
let cacheDir: string;
beforeAll(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'hvm-provision-'));
});
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const bullseye = findKernel('5.10') as DebianKernelEntry;

describe('kernel provisioning', { tags: ['slow'] }, () => {
  test('two concurrent runs download and extract once; a third reuses the cache', async () => {
    const steps: ProvisioningStep[][] = [[], [], []];
    const provision = (i: number) =>
      provisionKernel(bullseye, { cacheDir, onStep: (step) => steps[i]!.push(step) });
    const [a, b] = await Promise.all([provision(0), provision(1)]);
    expect(a).toEqual(b);
    const downloads = steps.flat().filter((step) => step === 'download').length;
    const extractions = steps.flat().filter((step) => step === 'extract').length;
    expect({ downloads, extractions }).toEqual({ downloads: 1, extractions: 1 });

    const c = await provision(2);
    expect(c).toEqual(a);
    expect(steps[2]).toEqual(['lists-cached', 'resolved', 'cached', 'ready']);
  });

  test('the tree is content-addressed, bootable by vng, and nothing else is left in the cache', async () => {
    const [kernel] = listCachedKernels(cacheDir);
    expect(kernel).toMatchObject({
      name: '5.10',
      suite: 'bullseye',
      package: expect.stringMatching(/^linux-image-5\.10\./),
    });
    expect(kernel!.dir).toBe(join(cacheDir, 'kernels', kernel!.sha256!));
    expect(kernel!.image).toBe(join(kernel!.dir, 'boot', `vmlinuz-${kernel!.release}`));
    expect(existsSync(join(kernel!.dir, 'lib/modules', kernel!.release, 'modules.dep.bin'))).toBe(true);
    // No staging directory and no .deb survive a successful provisioning.
    expect(readdirSync(join(cacheDir, 'kernels'))).toEqual([kernel!.sha256]);
    expect(readdirSync(join(cacheDir, 'debs', 'bullseye'))).toEqual([]);
    // The system's own apt state is untouched: everything apt wrote is under the private state dir.
    expect(lstatSync(join(cacheDir, 'apt', 'bullseye', 'etc', 'sources.list')).isFile()).toBe(true);
  });

  test('a damaged image (zero-filled, same size) is removed and provisioned again', async () => {
    const [before] = listCachedKernels(cacheDir);
    writeFileSync(before!.image, Buffer.alloc(statSync(before!.image).size));
    const steps: ProvisioningStep[] = [];
    const after = await provisionKernel(bullseye, { cacheDir, onStep: (step) => steps.push(step) });
    expect(steps).toEqual(expect.arrayContaining(['damaged', 'download', 'extract', 'ready']));
    expect(after).toEqual(before);
    expect(listCachedKernels(cacheDir)).toEqual([before]);
    expect(readdirSync(join(cacheDir, 'kernels'))).toEqual([before!.sha256]);
  });

  test('the inventory lists the extracted release beside the suites not provisioned', () => {
    const [kernel] = listCachedKernels(cacheDir);
    const inventory = kernelInventory(cacheDir);
    expect(inventory.accelerator).toBeUndefined();
    expect(inventory.kernels.map((entry) => [entry.name, entry.releases])).toEqual([
      ['host', [{ release: release() }]],
      ['5.10', [{ release: kernel!.release, packageVersion: kernel!.packageVersion }]],
      ['6.1', []],
      ['6.12', []],
      ['7.2', []],
      ['latest', []],
    ]);
  });
});
