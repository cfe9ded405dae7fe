import { headerSets } from './generated/header-sets.js';

/**
 * A kernel header set the package was generated from: '5.10' (Debian bullseye), '6.1' (bookworm)
 * or '6.12' (trixie). A `firstHeaderSet` of '6.1' means "absent from the 5.10 headers, present in
 * 6.1": the item appeared in some mainline kernel after 5.10 and up to 6.1. Mainline versions
 * (`minKernel`) and their comparison are in kernel-version.ts.
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
