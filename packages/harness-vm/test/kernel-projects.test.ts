import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@progrun/uapi';
import type { SerializedConfig } from 'vitest';
import { describe, expect, test } from 'vitest';
import { encodeFrame, encodeJsonFrame, FrameDecoder, FrameKind } from '../src/vitest/agent-frames.js';
import { defineKernelProjects } from '../src/vitest/define-kernel-projects.js';
import { KernelSession } from '../src/vitest/kernel-session.js';
import { scaleConfigTimeouts } from '../src/vitest/scale-config-timeouts.js';
import { SlotGate } from '../src/vitest/slot-gate.js';

const rejection = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('defineKernelProjects', () => {
  test('one project per kernel: the host as a plain project, each guest kernel on its own pool', () => {
    const projects = defineKernelProjects({
      kernels: ['host', '5.10', '6.1'],
      test: { include: ['t/*.test.ts'] },
    });
    expect(projects.map((p) => p.test?.name)).toEqual(['kernel:host', 'kernel:5.10', 'kernel:6.1']);
    expect(projects.every((p) => p.extends === true)).toBe(true);
    expect(projects.every((p) => p.test?.include?.[0] === 't/*.test.ts')).toBe(true);
    // Their own group, where vitest hands every file to its kernel's pool at once.
    expect(new Set(projects.map((p) => p.test?.sequence?.groupOrder))).toEqual(new Set([1]));
    expect(new Set(projects.map((p) => p.test?.maxWorkers))).toEqual(new Set([1024]));
    expect(projects[0]!.test?.pool).toMatchObject({ name: 'progrun-host' });
    expect(projects[0]!.test?.env).toMatchObject({ PROGRUN_KERNEL: 'host' });
    const guest = projects[1]!.test!;
    expect(guest.pool).toMatchObject({ name: 'progrun-vm:5.10' });
    expect(typeof (guest.pool as { createPoolWorker: unknown }).createPoolWorker).toBe('function');
    expect([guest.globalSetup].flat().at(-1)).toMatch(/kernel-global-setup\.js$/);
  });

  test('an unknown or repeated kernel, or a non-positive timeout scale, is a ValidationError naming the field', () => {
    expect(rejection(() => defineKernelProjects({ kernels: ['host', 'linux-4.19'] }))).toMatchObject({
      code: 'ERR_PROGRUN_VALIDATION',
      field: 'kernels[1]',
      message: expect.stringContaining('unknown kernel "linux-4.19"'),
    });
    expect(rejection(() => defineKernelProjects({ kernels: ['5.10', '5.10'] }))).toMatchObject({
      code: 'ERR_PROGRUN_VALIDATION',
      field: 'kernels[1]',
      rule: 'unique',
    });
    const scale = rejection(() => defineKernelProjects({ kernels: ['host'], timeoutScale: { tcg: 0 } }));
    expect(ValidationError.isInstance(scale)).toBe(true);
    expect(scale).toMatchObject({ code: 'ERR_PROGRUN_VALIDATION', field: 'timeoutScale.tcg' });
  });
});

describe('kernel warnings during a test file', () => {
  // The session reads its guest's console log; no guest is booted here.
  function sessionWithConsole(allowKernelWarnings: boolean) {
    const logDir = mkdtempSync(join(tmpdir(), 'hvm-session-'));
    const session = new KernelSession(
      '5.10',
      logDir,
      { root: logDir, cacheDir: logDir, allowKernelWarnings },
      {
        kvm: 2,
        tcg: 20,
      },
    );
    mkdirSync(session.logDir, { recursive: true });
    const print = (line: string) => appendFileSync(join(session.logDir, 'console.log'), `${line}\n`);
    return { session, print, [Symbol.dispose]: () => rmSync(logDir, { recursive: true, force: true }) };
  }

  test('each file gets the warnings printed while it ran, once', () => {
    using guest = sessionWithConsole(false);
    guest.print('[    3.1] virtme-init: starting script');
    expect(guest.session.takeKernelWarnings()).toEqual([]);
    guest.print('[    9.2] WARNING: CPU: 0 PID: 77 at net/core/filter.c:1 bpf_warn+0x1/0x2');
    expect(guest.session.takeKernelWarnings()).toEqual([
      'WARNING: CPU: 0 PID: 77 at net/core/filter.c:1 bpf_warn+0x1/0x2',
    ]);
    expect(guest.session.takeKernelWarnings()).toEqual([]);
  });

  test('allowKernelWarnings: no file fails for them', () => {
    using guest = sessionWithConsole(true);
    guest.print('[    9.2] BUG: kernel NULL pointer dereference, address: 0000000000000008');
    expect(guest.session.takeKernelWarnings()).toEqual([]);
  });
});

describe('SlotGate', () => {
  test('hands out its slots, then serves waiters in order as slots come back', async () => {
    const gate = new SlotGate(2);
    const order: string[] = [];
    const first = await gate.acquire();
    const second = await gate.acquire();
    const third = gate.acquire().then((release) => {
      order.push('third');
      return release;
    });
    const fourth = gate.acquire().then((release) => {
      order.push('fourth');
      return release;
    });
    await Promise.resolve();
    expect(order).toEqual([]);
    first();
    first(); // idempotent: frees one slot, not two
    (await third)();
    second();
    (await fourth)();
    expect(order).toEqual(['third', 'fourth']);
  });
});

describe('scaleConfigTimeouts', () => {
  test('multiplies the default test, hook and tag deadlines; disabled (0) ones stay off', () => {
    const config = {
      testTimeout: 5000,
      hookTimeout: 0,
      tags: [{ name: 'slow', timeout: 120_000 }, { name: 'vm' }],
    } as unknown as SerializedConfig;
    expect(scaleConfigTimeouts(config, 10)).toMatchObject({
      testTimeout: 50_000,
      hookTimeout: 0,
      tags: [{ name: 'slow', timeout: 1_200_000 }, { name: 'vm' }],
    });
    expect(scaleConfigTimeouts(config, 1)).toBe(config);
  });
});

describe('agent frames', () => {
  test('frames split across chunks and several per chunk come out whole and in order', () => {
    const frames = Buffer.concat([
      encodeJsonFrame(FrameKind.hello, 0, { release: '5.10.0-32-amd64', node: 'v20' }),
      encodeFrame(FrameKind.message, 7, Buffer.from('abc')),
      encodeFrame(FrameKind.heartbeat, 0),
    ]);
    const decoder = new FrameDecoder();
    const out = [
      ...decoder.push(frames.subarray(0, 5)),
      ...decoder.push(frames.subarray(5, 40)),
      ...decoder.push(frames.subarray(40)),
    ];
    expect(out.map((f) => [f.kind, f.worker, f.payload.toString()])).toEqual([
      [FrameKind.hello, 0, '{"release":"5.10.0-32-amd64","node":"v20"}'],
      [FrameKind.message, 7, 'abc'],
      [FrameKind.heartbeat, 0, ''],
    ]);
  });
});
