import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { KernelBtf } from '../src/kernel-btf.js';
import { debField, downloadDeb, sha256Of } from './fetch-headers.js';
import { HEADER_SETS, type HeaderVersion } from './header-sets.js';
import type { KernelImageSource } from './kernel-internal-inputs.js';
import { KERNEL_IMAGE_META_PACKAGE } from './kernel-internal-records.js';
import { cacheDir } from './paths.js';
import { elfSection, vmlinuxOfBzImage } from './vmlinuz-btf.js';

/** A kernel line's current image package and its BTF (the suite's `linux-image-amd64` names the package). */
export function fetchKernelImageBtf(version: HeaderVersion): { source: KernelImageSource; btf: KernelBtf } {
  const set = HEADER_SETS.find((s) => s.version === version);
  if (!set) throw new Error(`unknown kernel line ${version}`);
  const debDir = join(cacheDir, 'debs', set.suite);
  const meta = downloadDeb(set.suite, debDir, KERNEL_IMAGE_META_PACKAGE);
  const image = /^(linux-image-\S+-amd64)\b/.exec(debField(meta, 'Depends'))?.[1];
  if (!image) throw new Error(`${meta} depends on no linux-image-*-amd64 package`);
  const deb = downloadDeb(set.suite, debDir, image);
  // Only the bzImage is read: the package's modules are hundreds of megabytes.
  const bzImage = execFileSync(
    'bash',
    [
      '-o',
      'pipefail',
      '-c',
      'dpkg-deb --fsys-tarfile "$1" | tar -xO --wildcards "./boot/vmlinuz-*"',
      '_',
      deb,
    ],
    { maxBuffer: 1 << 30 },
  );
  return {
    source: {
      version,
      suite: set.suite,
      packageName: debField(deb, 'Package'),
      packageVersion: debField(deb, 'Version'),
      sha256: sha256Of(deb),
    },
    btf: new KernelBtf(elfSection(vmlinuxOfBzImage(bzImage), '.BTF')),
  };
}
