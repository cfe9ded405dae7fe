import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runKernels } from '../src/index.js';
import { processGone, waitFor } from './helpers/process-gone.js';

// The catalogue's `host` entry runs on the running kernel with the same contract as a guest.
let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'hvm-host-run-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

describe('runs on the host kernel', () => {
  test('pass: exit code, stdout, stderr and JSON results come back', async () => {
    const events: string[] = [];
    const report = await runKernels({
      kernels: ['host'],
      command: [
        'sh',
        '-c',
        'echo out; echo err >&2; echo "{\\"kernel\\":\\"$PROGRUN_KERNEL\\"}" > "$PROGRUN_RESULTS_DIR/r.json"',
      ],
      outDir: out,
      onEvent: (event) => events.push(event.type),
    });
    const [result] = report.results;
    expect(result).toMatchObject({
      outcome: 'pass',
      exitCode: 0,
      accelerator: 'none',
      guestResults: { 'r.json': { kernel: 'host' } },
    });
    expect(result!.kernel).toMatchObject({ name: 'host', kind: 'host', release: release() });
    expect(readFileSync(result!.logs.stdout!, 'utf8')).toBe('out\n');
    expect(readFileSync(result!.logs.stderr!, 'utf8')).toBe('err\n');
    expect(events).toEqual(['booting', 'running', 'result']);
    expect(report.accelerator).toBeUndefined();
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).results[0].outcome).toBe('pass');
  });

  test('fail: the exit status is propagated', async () => {
    const report = await runKernels({ kernels: ['host'], command: 'exit 42', outDir: out });
    expect(report.results[0]).toMatchObject({ outcome: 'fail', exitCode: 42, reason: 'exit 42' });
  });

  test('timeout: the whole process tree is killed at the deadline', async () => {
    const report = await runKernels({
      kernels: ['host'],
      command: 'sleep 300 & echo $! > "$PROGRUN_RESULTS_DIR/child.pid"; wait',
      timeoutMs: 500,
      outDir: out,
    });
    expect(report.results[0]).toMatchObject({ outcome: 'timeout', exitCode: undefined });
    const child = Number(readFileSync(join(out, 'host/results/child.pid'), 'utf8'));
    await waitFor(() => processGone(child), 'the background sleep to be killed');
  });

  test('abort: the call rejects with the reason once the command is gone', async () => {
    const controller = new AbortController();
    const running = runKernels({
      kernels: ['host'],
      command: 'echo $$ > "$PROGRUN_RESULTS_DIR/pid"; exec sleep 300',
      outDir: out,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'running') setTimeout(() => controller.abort(new Error('stop')), 200);
      },
    });
    await expect(running).rejects.toThrow('stop');
    const pid = Number(readFileSync(join(out, 'host/results/pid'), 'utf8'));
    await waitFor(() => processGone(pid), 'the command to be killed');
  });
});
