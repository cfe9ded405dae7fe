import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { kernelPartPackages, layOutKernelTree } from '../src/kernels/kernel-tree-layout.js';

// The trees dpkg-deb -x leaves, made here with the paths of real packages (sid's 7.2.13 split, trixie's
// 6.12 in one package, bullseye's 5.10 under /lib).
const release = '7.2.13+deb14-amd64';
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hvm-layout-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function put(path: string, content = 'x'): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), content);
}

describe('dependency-split kernel packages', () => {
  test("the image's linux-*-V dependencies are its parts; alternatives and other packages are not", () => {
    // sid's linux-image-7.2.13+deb14-amd64, as parseStanza reads its Depends.
    const depends = [
      'dracut',
      `linux-base-${release}`,
      `linux-binary-${release}`,
      `linux-modules-${release}`,
    ];
    expect(kernelPartPackages(`linux-image-${release}`, depends)).toEqual([
      `linux-base-${release}`,
      `linux-binary-${release}`,
      `linux-modules-${release}`,
    ]);
    // trixie's 6.12 image holds its files itself.
    expect(
      kernelPartPackages('linux-image-6.12.43+deb13-amd64', ['kmod', 'linux-base', 'initramfs-tools']),
    ).toEqual([]);
  });

  test('a split kernel: the image under usr/lib/modules/V moves to boot/, modules reachable as lib/modules', () => {
    put(`usr/lib/modules/${release}/vmlinuz`, 'image');
    put(`usr/lib/modules/${release}/kernel/net/core/x.ko`);
    put(`usr/lib/modules/${release}/System.map`);
    layOutKernelTree(root, release, `linux-image-${release}`);
    expect(readFileSync(join(root, 'boot', `vmlinuz-${release}`), 'utf8')).toBe('image');
    expect(existsSync(join(root, 'lib/modules', release, 'vmlinuz'))).toBe(false);
    expect(lstatSync(join(root, 'lib')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(root, 'lib/modules', release, 'kernel/net/core/x.ko'))).toBe(true);
  });

  test('a one-package kernel (boot/ and usr/lib/modules) keeps its image where it is', () => {
    const r = '6.12.43+deb13-amd64';
    put(`boot/vmlinuz-${r}`, 'image');
    put(`usr/lib/modules/${r}/modules.order`);
    layOutKernelTree(root, r, `linux-image-${r}`);
    expect(readFileSync(join(root, 'boot', `vmlinuz-${r}`), 'utf8')).toBe('image');
    expect(existsSync(join(root, 'lib/modules', r, 'modules.order'))).toBe(true);
  });

  test('an image package whose parts were not extracted names what it lacks', () => {
    put(`usr/share/doc/linux-image-${release}/copyright`);
    let error: unknown;
    try {
      layOutKernelTree(root, release, `linux-image-${release}`);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ERR_PROGRUN_PROVISIONING_FAILED' });
    expect((error as Error).message).toContain(`hold no boot/vmlinuz-${release}`);
  });
});
