import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { cachePaths, detectAccelerator, type ProvisionedKernel } from '../src/index.js';

let cacheDir: string;
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'hvm-accel-'));
});
afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

// A kernel image that does not exist: the KVM probe fails at once, as a broken KVM would.
const bogus: ProvisionedKernel = {
  name: '5.10',
  kind: 'debian',
  release: '5.10.0-0-amd64',
  version: { major: 5, minor: 10, patch: 0 },
  dir: '/nonexistent',
  image: '/nonexistent/boot/vmlinuz-5.10.0-0-amd64',
};

describe('accelerator detection', () => {
  test('a failing KVM probe falls back to TCG, and the verdict is cached for this host boot', async () => {
    let probes = 0;
    const first = await detectAccelerator({ cacheDir, kernel: bogus, onProbe: () => probes++ });
    expect(first).toMatchObject({ accelerator: 'tcg', cached: false });
    expect(first.reason).toMatch(/KVM is unusable|\/dev\/kvm is not usable/);
    const second = await detectAccelerator({ cacheDir, kernel: bogus, onProbe: () => probes++ });
    expect(second).toMatchObject({ accelerator: 'tcg', cached: true, decidedAt: first.decidedAt });
    expect(probes).toBeLessThanOrEqual(1);
  });

  test('a verdict recorded on another host boot is not trusted', async () => {
    const first = await detectAccelerator({ cacheDir, kernel: bogus });
    const path = cachePaths.accelerator(cacheDir);
    const stale = { ...JSON.parse(readFileSync(path, 'utf8')), key: 'another-boot|qemu', accelerator: 'kvm' };
    writeFileSync(path, JSON.stringify(stale));
    const again = await detectAccelerator({ cacheDir, kernel: bogus });
    expect(again).toMatchObject({ accelerator: 'tcg', cached: false });
    expect(again.key).toBe(first.key);
  });
});
