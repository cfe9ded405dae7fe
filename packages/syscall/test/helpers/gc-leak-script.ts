// Run by fd-lifetime.test.ts under `node --expose-gc --import tsx`: drops an open Program without closing
// it and reports whether the safety net closed its fd and warned.
import { existsSync } from 'node:fs';
import { load, returns } from './programs.js';

const warnings: { code?: string; message: string }[] = [];
process.on('warning', (warning) =>
  warnings.push({ code: (warning as { code?: string }).code, message: warning.message }),
);

let fd = -1;
(() => {
  const prog = load('XDP', returns(2));
  fd = prog.fd;
})();
for (let i = 0; i < 20 && warnings.length === 0; i++) {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 10));
}
console.log(JSON.stringify({ fd, stillOpen: existsSync(`/proc/self/fd/${fd}`), warnings }));
