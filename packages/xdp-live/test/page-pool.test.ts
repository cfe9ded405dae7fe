import { kernelOlderThan } from '@progrun/syscall';
import { afterEach, describe, expect, test } from 'vitest';
import { inject } from '../src/index.js';
import { udpFrame } from './helpers/frames.js';
import { leftoverNetns } from './helpers/leftovers.js';
import { requireLiveFrames } from './helpers/live-frames.js';
import { verdictProgram } from './helpers/programs.js';

afterEach(() => {
  expect(leftoverNetns()).toEqual([]);
});

const FRAMES = 100_000;
const packet = udpFrame();

// One call per pool: chunkFrames = count makes the whole run one BPF_PROG_RUN call.
async function onePool(action: 'drop' | 'pass', batchSize: number) {
  using program = verdictProgram(action);
  const result = await inject({
    program,
    packet,
    ifindex: 'lo',
    count: FRAMES,
    chunkFrames: FRAMES,
    batchSize,
    stats: true,
  });
  expect(result.calls).toBe(1);
  const report = result.stats?.pagePool;
  expect(report).toBeDefined();
  return report as NonNullable<typeof report>;
}

describe('page-pool statistics of the run', { tags: ['privileged', 'slow'] }, () => {
  test('XDP_DROP at batch 64: hold and release equal the pool size, as the model says', async (context) => {
    requireLiveFrames(context);
    const report = await onePool('drop', 64);
    expect(report.measured).toMatchObject({
      pools: 1,
      hold: 64,
      release: 64,
      recordHold: 64,
      recordRelease: 64,
      pending: 0,
    });
    expect(report.model).toMatchObject({ pools: 1, hold: 64, release: 64 });
    expect(report.agrees).toBe(true);
    expect(report.findings).toEqual([]);
  });

  test('XDP_DROP at batch 256: one bulk of 64 pages serves every batch; the model says 256', async (context) => {
    requireLiveFrames(context);
    const report = await onePool('drop', 256);
    expect(report.measured).toMatchObject({ pools: 1, hold: 64, release: 64 });
    expect(report.model).toMatchObject({ hold: 256 });
    expect(report.agrees).toBe(false);
    expect(report.findings.join('\n')).toContain('bulks of 64');
  });

  // Until Linux 6.4 ("xdp: recycle Page Pool backed skbs built from XDP frames") an skb built from a frame
  // released its page from the pool, as the documentation says (measured on 6.1); since, the page comes back.
  test('XDP_PASS: the pages come back to the pool (6.4+); before, they are released as documented', async (context) => {
    requireLiveFrames(context);
    const report = await onePool('pass', 64);
    expect(report.model.hold).toBe(64 + FRAMES);
    if (kernelOlderThan('6.4')) {
      expect(report.measured).toMatchObject({ pools: 1, hold: 64 + FRAMES, release: 64 + FRAMES });
      expect(report.agrees).toBe(true);
      expect(report.findings).toEqual([]);
      return;
    }
    expect(report.measured).toMatchObject({ pools: 1, hold: 64, release: 64 });
    expect(report.agrees).toBe(false);
    expect(report.findings.join('\n')).toContain('came back to the pool');
  });

  test('every call has its own pool', async (context) => {
    requireLiveFrames(context);
    using program = verdictProgram('drop');
    const result = await inject({
      program,
      packet,
      ifindex: 'lo',
      count: 4 * 4096,
      chunkFrames: 4096,
      stats: true,
    });
    expect(result.calls).toBe(4);
    expect(result.stats?.pagePool?.measured).toMatchObject({ pools: 4, hold: 4 * 64, release: 4 * 64 });
    expect(result.stats?.pagePool?.agrees).toBe(true);
  });
});
