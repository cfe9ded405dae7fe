import { headerSets } from './generated/header-sets.js';

/**
 * A kernel header set the package was generated from: '5.10' (Debian bullseye), '6.1' (bookworm)
 * or '6.12' (trixie). A `since` of '6.1' means "absent from the 5.10 headers, present in 6.1": the
 * item appeared in some kernel after 5.10 and up to 6.1.
 */
export type HeaderVersion = (typeof headerSets)[number]['version'];

/** The header sets, oldest first. */
export const headerVersions: readonly HeaderVersion[] = headerSets.map((s) => s.version);

type Last<T extends readonly unknown[]> = T extends readonly [...unknown[], infer L] ? L : never;

/** The newest header set ('6.12'): the default for layout lookups. */
export const latestHeaderVersion = headerSets[headerSets.length - 1]!.version as Last<
  typeof headerSets
>['version'];

/** Whether the string names one of the header sets. */
export function isHeaderVersion(version: string): version is HeaderVersion {
  return (headerVersions as readonly string[]).includes(version);
}

/**
 * Compares two kernel versions (`major.minor[.patch]`, any suffix ignored) numerically:
 * negative when `a` is older, 0 when equal, positive when newer. `'6.1' < '6.12'`.
 * @throws {RangeError} when either is not a kernel version.
 */
export function compareKernelVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
    if (!m) throw new RangeError(`'${v}' is not a kernel version (expected major.minor, e.g. '6.1')`);
    return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  };
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
