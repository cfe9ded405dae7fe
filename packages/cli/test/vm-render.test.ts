import type { HarnessEvent, KernelRunResult } from '@progrun/harness-vm';
import { describe, expect, test } from 'vitest';
import { createOutput } from '../src/cli/output.js';
import { renderKernelRuns } from '../src/render/kernel-runs-table.js';
import { createStyle } from '../src/render/style.js';
import { createVmProgress, describeHarnessEvent } from '../src/render/vm-progress.js';

function result(kernel: string, outcome: KernelRunResult['outcome'], extra: Partial<KernelRunResult> = {}) {
  return {
    kernel: { name: kernel, kind: 'debian', release: `${kernel}.0-1-amd64`, version: [5, 10, 0] },
    accelerator: 'tcg',
    outcome,
    reason: outcome === 'pass' ? 'exit 0' : 'no userspace within 100 s',
    exitCode: outcome === 'pass' ? 0 : undefined,
    bootMs: outcome === 'pass' ? 21_500 : undefined,
    commandMs: outcome === 'pass' ? 1_250 : undefined,
    totalMs: outcome === 'pass' ? 23_000 : 100_000,
    timeouts: { command: 1 },
    panic: undefined,
    kernelWarnings: [],
    consoleTail: [],
    logs: { dir: '/tmp' },
    guestResults: {},
    ...extra,
  } as unknown as KernelRunResult;
}

const events: HarnessEvent[] = [
  { type: 'provisioning', kernel: '5.10', step: 'download', detail: 'linux-image-5.10.0-32-amd64' },
  { type: 'accelerator', phase: 'probing' },
  { type: 'booting', kernel: '5.10', release: '5.10.0-32-amd64', accelerator: 'tcg', bootTimeoutMs: 100_000 },
  { type: 'running', kernel: '5.10', bootMs: 21_500 },
  { type: 'result', kernel: '5.10', result: result('5.10', 'pass') },
];

// An Output over strings, as a terminal of `columns` columns or as a pipe.
function capture(interactive: boolean, columns = 100) {
  const written = { stdout: '', stderr: '' };
  const out = createOutput(
    false,
    {
      stdout: { write: (text: string) => (written.stdout += text) },
      stderr: { isTTY: interactive, columns, write: (text: string) => (written.stderr += text) },
    },
    { NO_COLOR: '1' },
  );
  return { out, written };
}

describe('vm renderers', () => {
  test('each harness event in words, about its kernel', () => {
    expect(events.map(describeHarnessEvent)).toEqual([
      { subject: '5.10', text: 'provisioning: download linux-image-5.10.0-32-amd64' },
      { subject: 'accelerator', text: 'probing KVM with a short deadline' },
      { subject: '5.10', text: 'booting 5.10.0-32-amd64 (tcg, boot deadline 100.0 s)' },
      { subject: '5.10', text: 'running (booted in 21.5 s)' },
      { subject: '5.10', text: 'pass: exit 0 (23.0 s)' },
    ]);
  });

  test('into a pipe, one stamped line per event', () => {
    const { out, written } = capture(false);
    const progress = createVmProgress(out, {});
    for (const event of events) progress.onEvent(event);
    progress.stop();
    const lines = written.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(events.length);
    expect(lines[2]).toMatch(/^\[\s+\d+\.\d s\] 5\.10: booting 5\.10\.0-32-amd64 \(tcg, /);
  });

  test('on a terminal, one line per kernel redrawn in place and cut to the width; plain lines under CI', () => {
    const { out, written } = capture(true, 40);
    const progress = createVmProgress(out, {});
    for (const event of events.slice(0, 3)) progress.onEvent(event);
    progress.stop();
    const frames = written.stderr.split('\u001b[2A');
    const last = frames.at(-1)!.split('\n').filter(Boolean);
    expect(last).toHaveLength(2);
    const clearLine = '\u001b[2K';
    for (const line of last) expect(line.startsWith(clearLine)).toBe(true);
    const visible = last.map((line) => line.slice(clearLine.length));
    expect(visible[0]).toMatch(/^5\.10 {8}booting 5\.10\.0-32-amd \d+\.\d s$/);
    for (const line of visible) expect(line.length).toBeLessThanOrEqual(39);

    const underCi = capture(true);
    const plain = createVmProgress(underCi.out, { CI: 'true' });
    plain.onEvent(events[0]!);
    expect(underCi.written.stderr).toMatch(/^\[\s+\d+\.\d s\] 5\.10: provisioning: download /);
  });

  test('with --json, no progress at all', () => {
    const written: string[] = [];
    const out = createOutput(true, {
      stdout: { write: (text: string) => written.push(text) },
      stderr: { isTTY: true, write: (text: string) => written.push(text) },
    });
    const progress = createVmProgress(out, {});
    for (const event of events) progress.onEvent(event);
    progress.stop();
    expect(written).toEqual([]);
  });

  test('the runs table: one row per kernel, then why each kernel that did not pass failed', () => {
    const text = renderKernelRuns(
      [result('5.10', 'pass'), result('6.1', 'boot-failure')],
      createStyle(false),
    );
    expect(text.split('\n')).toEqual([
      'kernel  release         accel  outcome       exit    boot  command    total',
      '5.10    5.10.0-1-amd64  tcg    pass             0  21.5 s    1.3 s   23.0 s',
      '6.1     6.1.0-1-amd64   tcg    boot-failure     -       -        -  100.0 s',
      '6.1: boot-failure: no userspace within 100 s',
    ]);
  });
});
