// The addon is loaded once per thread: each worker thread gets its own argument slots and output slab,
// so synchronous runs in several threads at once do not see each other's arguments.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { expect, test } from 'vitest';

const dist = pathToFileURL(resolve(import.meta.dirname, '../dist/index.js')).href;

const source = `
import { workerData, parentPort } from 'node:worker_threads';
const { asm, Program } = await import(workerData.dist);
const prog = Program.load({ type: 'XDP', instructions: asm.assemble([asm.mov64('r0', workerData.verdict), asm.exit()]), license: 'GPL' });
let ok = 0;
try {
  for (let i = 0; i < 20000; i++) {
    const packet = Buffer.alloc(14 + workerData.verdict, workerData.verdict);
    const { retval, dataOut } = prog.run({ data: packet });
    if (retval === workerData.verdict && dataOut.equals(packet)) ok++;
  }
} finally {
  prog.close();
}
parentPort.postMessage(ok);
`;

/** Builds the package when a bare checkout has no dist yet (`npm test` builds first, through turbo). */
function ensureBuilt(): void {
  if (!existsSync(new URL(dist)))
    execFileSync('npx', ['tsc', '-b'], { cwd: resolve(import.meta.dirname, '..') });
}

// slow: 80 000 test runs take minutes where the CPU is emulated (a TCG guest).
test('synchronous runs in four threads at once each get their own results', {
  tags: ['privileged', 'slow'],
}, async () => {
  ensureBuilt();
  const results = await Promise.all(
    [1, 2, 3, 4].map(
      (verdict) =>
        new Promise<number>((resolvePromise, reject) => {
          const worker = new Worker(source, { eval: true, workerData: { dist, verdict } });
          worker.once('message', resolvePromise);
          worker.once('error', reject);
        }),
    ),
  );
  expect(results).toEqual([20000, 20000, 20000, 20000]);
});

test('terminating a worker thread while its runAsync calls are in the kernel leaves the process running', {
  tags: ['privileged', 'slow'],
}, () => {
  ensureBuilt();
  const script = resolve(import.meta.dirname, 'helpers/terminate-worker-script.mjs');
  const child = spawnSync(process.execPath, [script, dist], { encoding: 'utf8', timeout: 60_000 });
  expect(child.stderr).not.toContain('terminate called');
  expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
  expect(JSON.parse(child.stdout)).toEqual({ terminated: 3 });
});

test('a terminated worker thread closes every fd-owning object it created: no fd, program or link is left', {
  tags: ['privileged', 'slow'],
}, () => {
  ensureBuilt();
  const script = resolve(import.meta.dirname, 'helpers/worker-fds-script.mjs');
  const fixtures = resolve(import.meta.dirname, '../fixtures/build');
  const child = spawnSync(process.execPath, [script, dist, fixtures], { encoding: 'utf8', timeout: 60_000 });
  expect(child.stderr).toBe('');
  const report = JSON.parse(child.stdout) as {
    before: number;
    during: number;
    after: number;
    programsLeft: number;
  };
  expect(report.during).toBeGreaterThan(report.before);
  expect(report).toMatchObject({ after: report.before, programsLeft: 0 });
});
