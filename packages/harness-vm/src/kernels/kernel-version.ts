/** An upstream kernel version, e.g. 5.10.223. */
export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

const leadingVersion = /^(\d+)\.(\d+)(?:\.(\d+))?/;

/**
 * Parses the leading `major.minor[.patch]` of a kernel release or a Debian package version
 * (`5.10.0-32-amd64`, `5.10.223-1`, `6.18.44-fc`).
 *
 * @throws {TypeError} when the text does not start with a version.
 */
export function parseKernelVersion(text: string): KernelVersion {
  const match = leadingVersion.exec(text.trim());
  if (!match) throw new TypeError(`kernel version: "${text}" does not start with major.minor`);
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
export function compareKernelVersions(a: KernelVersion, b: KernelVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** True when `version` is at least `minimum` (`'5.18'` or `'6.1.60'`). */
export function kernelAtLeast(version: KernelVersion, minimum: string): boolean {
  return compareKernelVersions(version, parseKernelVersion(minimum)) >= 0;
}

/** `5.10.223`. */
export function formatKernelVersion(version: KernelVersion): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}
