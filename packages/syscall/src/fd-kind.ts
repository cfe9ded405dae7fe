import { readFileSync } from 'node:fs';

/** What an fd refers to, as far as this package cares. */
export type FdKind = 'prog' | 'map' | 'link' | 'other' | 'closed';

/**
 * Tells programs, maps and links apart by the fields the kernel lists in /proc/self/fdinfo: the info
 * command alone cannot, since it fills whichever struct the object has.
 * @internal
 */
export function fdKind(fd: number): FdKind {
  let text: string;
  try {
    text = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
  } catch {
    return 'closed';
  }
  if (/^prog_type:/m.test(text)) return 'prog';
  if (/^map_type:/m.test(text)) return 'map';
  if (/^link_type:/m.test(text)) return 'link';
  return 'other';
}
