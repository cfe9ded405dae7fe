// A Vitest setup file (see vitest.config.ts): a test file fails if it ends holding a BPF object's fd
// (anonymous inodes bpf-prog, bpf-map, bpf_link, bpf-stats, btf...) or a network namespace's fd that it
// did not hold when it started. Closing every fd it opens is part of what each package promises.
import { readdirSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';

const WATCHED = /^anon_inode:\[?(bpf|btf)|^net:\[/;

function heldFds(): Map<number, string> {
  const fds = new Map<number, string>();
  for (const entry of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${entry}`);
    } catch {
      continue; // the directory's own fd, closed meanwhile
    }
    if (WATCHED.test(target)) fds.set(Number(entry), target);
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
});
