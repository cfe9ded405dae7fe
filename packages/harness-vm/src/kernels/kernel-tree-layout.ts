import { existsSync, mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ProgrunErrorCode } from '@progrun/uapi';
import { HarnessError } from '../errors.js';

/**
 * The packages whose files make up a dependency-split kernel: since Debian's 7.x kernels (sid, forky,
 * trixie-backports, experimental), `linux-image-V` holds no files and depends on `linux-binary-V` (the
 * image), `linux-modules-V` and `linux-base-V` (System.map, config, modules.order). Every dependency
 * named `linux-*-V` is one; older image packages have none and hold everything themselves.
 */
export function kernelPartPackages(imagePackage: string, depends: readonly string[]): string[] {
  const release = imagePackage.replace(/^linux-image-/, '');
  return depends.filter(
    (dep) => dep !== imagePackage && dep.startsWith('linux-') && dep.endsWith(`-${release}`),
  );
}

/**
 * Arranges the extracted packages of a kernel as virtme-ng boots it: `boot/vmlinuz-<release>` and
 * `lib/modules/<release>`. Packages that ship modules under `usr/lib/modules` get the merged-/usr
 * symlink a real root has; a split kernel's image, shipped as `usr/lib/modules/<release>/vmlinuz`, is
 * moved to `boot/` (where the image check, the cache and `vng -r` expect it).
 *
 * @throws {HarnessError} `PROVISIONING_FAILED` naming `what` when the tree holds no image or no modules.
 */
export function layOutKernelTree(root: string, release: string, what: string): void {
  if (!existsSync(join(root, 'lib')) && existsSync(join(root, 'usr/lib/modules'))) {
    symlinkSync('usr/lib', join(root, 'lib'));
  }
  const vmlinuz = join('boot', `vmlinuz-${release}`);
  const splitImage = join(root, 'lib/modules', release, 'vmlinuz');
  if (!existsSync(join(root, vmlinuz)) && existsSync(splitImage)) {
    mkdirSync(join(root, 'boot'), { recursive: true });
    renameSync(splitImage, join(root, vmlinuz));
  }
  if (!existsSync(join(root, vmlinuz)) || !existsSync(join(root, 'lib/modules', release))) {
    throw new HarnessError(
      ProgrunErrorCode.PROVISIONING_FAILED,
      `${what}: the packages hold no ${vmlinuz} (nor lib/modules/${release}/vmlinuz) and lib/modules/${release}`,
    );
  }
}
