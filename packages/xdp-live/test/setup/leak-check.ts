// Setup file of the xdp-live project: every test file must close every BPF object and network namespace
// fd it opens, and delete every namespace it creates.
import { readdirSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { leftoverNetns } from '../helpers/leftovers.js';

function heldFds(): Map<number, string> {
  const fds = new Map<number, string>();
  for (const entry of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${entry}`);
    } catch {
      continue; // the directory's own fd, closed meanwhile
    }
    if (/^anon_inode:\[?(bpf|btf)|^net:\[/.test(target)) fds.set(Number(entry), target);
  }
  return fds;
}

let before = new Map<number, string>();

beforeAll(() => {
  before = heldFds();
});

afterAll(() => {
  const leaked = [...heldFds()].filter(([fd, target]) => before.get(fd) !== target);
  if (leaked.length > 0) {
    throw new Error(
      `this test file leaked ${leaked.length} fd(s): ${leaked.map(([fd, target]) => `${fd} (${target})`).join(', ')}`,
    );
  }
  const namespaces = leftoverNetns();
  if (namespaces.length > 0)
    throw new Error(`this test file left network namespaces behind: ${namespaces.join(', ')}`);
});
