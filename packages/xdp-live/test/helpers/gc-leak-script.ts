// Run by fd-owners.test.ts under `node --expose-gc --import tsx`: drops an open DispatcherAnchor (a
// private network namespace and an XDP link) without closing it and reports whether the safety net of
// each fd owner closed its fd and warned.
import { readdirSync, readlinkSync } from 'node:fs';
import { DispatcherAnchor } from '../../src/injection/dispatcher-anchor.js';
import { verdictProgram } from './programs.js';

/** The fds of network namespaces and BPF links this process holds. */
function heldFds(): string[] {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return /^net:\[|^anon_inode:bpf_link/.test(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      return false;
    }
  });
}

const warnings: { code?: string; message: string }[] = [];
process.on('warning', (warning) =>
  warnings.push({ code: (warning as { code?: string }).code, message: warning.message }),
);

const program = verdictProgram('drop');
const before = heldFds();
(() => {
  DispatcherAnchor.attach(program.fd);
})();
const opened = heldFds().filter((fd) => !before.includes(fd));
for (let i = 0; i < 20 && warnings.length < 2; i++) {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 10));
}
program.close();
const held = heldFds();
console.log(
  JSON.stringify({ opened: opened.length, stillOpen: opened.filter((fd) => held.includes(fd)), warnings }),
);
