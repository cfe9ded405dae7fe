// Registered as a setup file of the syscall project: every test file must close every BPF object it
// opens. BPF fds are anonymous inodes named bpf-prog, bpf-map, bpf_link, bpf-stats, btf...
import { readdirSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';

function bpfFds(): Map<number, string> {
  const fds = new Map<number, string>();
  for (const entry of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${entry}`);
    } catch {
      continue; // the directory's own fd, closed meanwhile
    }
    if (/^anon_inode:\[?(bpf|btf)/.test(target)) fds.set(Number(entry), target);
  }
  return fds;
}

let before = new Map<number, string>();

beforeAll(() => {
  before = bpfFds();
});

afterAll(() => {
  const leaked = [...bpfFds()].filter(([fd, target]) => before.get(fd) !== target);
  if (leaked.length > 0) {
    throw new Error(
      `this test file leaked ${leaked.length} BPF fd(s): ${leaked.map(([fd, target]) => `${fd} (${target})`).join(', ')}`,
    );
  }
});
