/**
 * The kernel header sets the package is generated from: one Debian suite per kernel line.
 * `firstHeaderSet` values name the oldest of these sets in which an item appears, so the order matters.
 */
export const HEADER_SETS = [
  { version: '5.10', suite: 'bullseye' },
  { version: '6.1', suite: 'bookworm' },
  { version: '6.12', suite: 'trixie' },
] as const;

export type HeaderVersion = (typeof HEADER_SETS)[number]['version'];

/** The Debian package holding the kernel's UAPI headers. */
export const HEADER_PACKAGE = 'linux-libc-dev';
