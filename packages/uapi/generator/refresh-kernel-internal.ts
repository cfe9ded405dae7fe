import { mkdirSync, writeFileSync } from 'node:fs';
import { HEADER_SETS } from './header-sets.js';
import { fetchKernelImageBtf } from './kernel-image-btf.js';
import { kernelInternalHeader } from './kernel-internal-header.js';
import { kernelInternalHeaderDir, kernelInternalHeaderPath } from './kernel-internal-records.js';

/** `npm run refresh-kernel-internal`: rewrites the committed headers from each suite's current kernel. */
function main(): void {
  mkdirSync(kernelInternalHeaderDir, { recursive: true });
  for (const { version } of HEADER_SETS) {
    const { source, btf } = fetchKernelImageBtf(version);
    writeFileSync(kernelInternalHeaderPath(version), kernelInternalHeader(source, btf));
    process.stderr.write(
      `uapi: kernel-internal/${version}.h from ${source.packageName} ${source.packageVersion}\n`,
    );
  }
}

main();
