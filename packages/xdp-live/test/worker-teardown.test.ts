// An injection running in a worker_thread that is terminated leaves nothing behind: its program, the
// private network namespace and XDP link of the kept attachment are closed with the worker's
// environment, so the attachment is gone too.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { requireLiveFrames } from './helpers/live-frames.js';

const dist = (path: string) => pathToFileURL(resolve(import.meta.dirname, path)).href;

test('terminating workers mid-injection leaves no fd, network namespace or XDP attachment', {
  tags: ['privileged', 'slow'],
  timeout: 60_000,
}, (context) => {
  requireLiveFrames(context);
  const script = resolve(import.meta.dirname, 'helpers/worker-inject-script.mjs');
  const child = spawnSync(
    process.execPath,
    [script, dist('../../syscall/dist/index.js'), dist('../dist/index.js')],
    { encoding: 'utf8', timeout: 50_000 },
  );
  expect(child.stderr).toBe('');
  const report = JSON.parse(child.stdout) as Record<string, number>;
  expect(report.during).toBeGreaterThan(report.before!);
  expect(report.linksDuring).toBeGreaterThan(0);
  expect(report).toMatchObject({ after: report.before, linksAfter: 0 });
});
