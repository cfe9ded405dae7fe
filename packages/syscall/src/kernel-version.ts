import { release } from 'node:os';

/** A kernel version as major.minor, compared numerically. */
export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
}

/** Parses `'6.18'` or a release string (`'6.18.44-fc-v769'`) into major.minor; undefined if it cannot. */
export function parseKernelVersion(text: string): KernelVersion | undefined {
  const match = /^(\d+)\.(\d+)/.exec(text);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

let running: KernelVersion | undefined | null = null;

/** The running kernel's version (from uname's release), or undefined when unparseable. */
export function runningKernel(): KernelVersion | undefined {
  if (running === null) running = parseKernelVersion(release());
  return running;
}

/**
 * True when the running kernel is older than `version` (`'5.13'`). Used only to classify a failure that
 * already happened (distribution kernels backport features, so versions never gate a call); false when
 * the running version is unknown.
 */
export function kernelOlderThan(version: string): boolean {
  const wanted = parseKernelVersion(version);
  const have = runningKernel();
  if (wanted === undefined || have === undefined) return false;
  return have.major < wanted.major || (have.major === wanted.major && have.minor < wanted.minor);
}
