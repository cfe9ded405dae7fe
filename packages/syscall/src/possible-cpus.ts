import { readFileSync } from 'node:fs';

let cached: number | undefined;

/**
 * The number of possible CPUs (the kernel's num_possible_cpus()): per-CPU maps hold one value slot for
 * each. Read once from /sys/devices/system/cpu/possible.
 * @throws {Error} when sysfs is not mounted.
 */
export function possibleCpus(): number {
  if (cached === undefined) {
    let count = 0;
    for (const range of readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim().split(',')) {
      const [first, last = first] = range.split('-').map(Number);
      count += (last ?? 0) - (first ?? 0) + 1;
    }
    cached = count;
  }
  return cached;
}
