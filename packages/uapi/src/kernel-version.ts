import { release } from 'node:os';
import { types } from 'node:util';
import { stringArgument } from './arguments/argument-checks.js';
import { ValidationError } from './errors/validation-error.js';

/** A mainline kernel version, e.g. 5.10.223; `patch` is 0 when the text gave none. */
export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

// The leading major.minor[.patch] of a version, a release (`6.18.44-fc-v769`) or a Debian package
// version (`5.10.223-1`, `5.10.0-32-amd64`); whatever follows is a vendor's and ignored.
const leadingVersion = /^(\d+)\.(\d+)(?:\.(\d+))?/;

/**
 * Parses the leading `major.minor[.patch]` of a kernel version or release, or undefined when the text
 * does not start with one.
 * @throws {ValidationError} when `text` is not a string.
 */
export function tryParseKernelVersion(text: string): KernelVersion | undefined {
  const match = leadingVersion.exec(stringArgument('text', text).trim());
  return match
    ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) }
    : undefined;
}

/**
 * Parses the leading `major.minor[.patch]` of a kernel version or release: `'6.1'`, `'5.10.223-1'`,
 * `'6.18.44-fc-v769'`.
 *
 * @param field the name of the input in the error, e.g. `kernels[1]`
 * @throws {ValidationError} naming `field` when the text is not a string that starts with a version.
 */
export function parseKernelVersion(text: string, field = 'kernel version'): KernelVersion {
  stringArgument('field', field);
  const version = typeof text === 'string' ? tryParseKernelVersion(text) : undefined;
  if (version === undefined)
    throw new ValidationError(field, "a kernel version, major.minor[.patch] (e.g. '6.1')", {
      received: text,
    });
  return version;
}

const isPart = (part: unknown) => typeof part === 'number' && Number.isSafeInteger(part) && part >= 0;

/** A {@link KernelVersion}: an object (not a Proxy) of integers >= 0. */
function versionObject(
  version: unknown,
  field: string,
  rule = '{ major, minor, patch } of integers >= 0',
): KernelVersion {
  if (
    typeof version !== 'object' ||
    version === null ||
    types.isProxy(version) ||
    !isPart((version as KernelVersion).major) ||
    !isPart((version as KernelVersion).minor) ||
    !isPart((version as KernelVersion).patch)
  )
    throw new ValidationError(field, rule, { received: version });
  return version as KernelVersion;
}

/** A version given as a string ({@link parseKernelVersion}) or as a {@link KernelVersion}. */
const asVersion = (version: unknown, field: string): KernelVersion =>
  typeof version === 'string'
    ? parseKernelVersion(version, field)
    : versionObject(version, field, 'a kernel version string or { major, minor, patch } of integers >= 0');

/**
 * Compares two kernel versions numerically (`'6.1' < '6.12'`; a missing patch counts as 0): negative
 * when `a` is older, 0 when equal, positive when newer. Strings are parsed as {@link parseKernelVersion}.
 *
 * @throws {ValidationError} when `a` or `b` is not a kernel version.
 */
export function compareKernelVersions(a: string | KernelVersion, b: string | KernelVersion): number {
  const [x, y] = [asVersion(a, 'a'), asVersion(b, 'b')];
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

/**
 * True when `version` is `minimum` or newer: `kernelAtLeast('5.10.223', '5.10') === true`.
 *
 * @throws {ValidationError} when a string is not a kernel version.
 */
export function kernelAtLeast(version: string | KernelVersion, minimum: string | KernelVersion): boolean {
  const [x, y] = [asVersion(version, 'version'), asVersion(minimum, 'minimum')];
  return compareKernelVersions(x, y) >= 0;
}

/**
 * `major.minor.patch`, e.g. `5.10.223`.
 * @throws {ValidationError} when `version` is not a {@link KernelVersion}.
 */
export function formatKernelVersion(version: KernelVersion): string {
  const { major, minor, patch } = versionObject(version, 'version');
  return `${major}.${minor}.${patch}`;
}

let running: KernelVersion | undefined | null = null;

/** The running kernel's version, from uname's release (read once); undefined when it does not parse. */
export function runningKernel(): KernelVersion | undefined {
  if (running === null) running = tryParseKernelVersion(release());
  return running;
}

/**
 * True when the running kernel is older than `version` (`'5.13'`); false when its version is unknown.
 * For classifying a failure that already happened and for skipping tests: distribution kernels
 * backport features, so a version never gates a call.
 *
 * @throws {ValidationError} when `version` is not a kernel version.
 */
export function kernelOlderThan(version: string | KernelVersion): boolean {
  const wanted = asVersion(version, 'version');
  const have = runningKernel();
  return have !== undefined && compareKernelVersions(have, wanted) < 0;
}
