import { readdirSync } from 'node:fs';
import { liveNetnsNames } from '../../src/topology/cleanup-registry.js';

/** Network namespaces this test process created that still exist (tracked, or still under /run/netns). */
export function leftoverNetns(): string[] {
  let present: string[] = [];
  try {
    present = readdirSync('/run/netns').filter((name) => name.startsWith(`pr-xl-${process.pid}-`));
  } catch {
    present = [];
  }
  return [...new Set([...liveNetnsNames(), ...present])];
}
