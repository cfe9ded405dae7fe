import { release } from 'node:os';
import { parseKernelVersion } from '@progrun/uapi';
import type { ResolvedKernel } from './resolved-kernel.js';

/** The running kernel as a {@link ResolvedKernel} (`host` in the catalogue). */
export function resolveHostKernel(): ResolvedKernel {
  const hostRelease = release();
  return { name: 'host', kind: 'host', release: hostRelease, version: parseKernelVersion(hostRelease) };
}
