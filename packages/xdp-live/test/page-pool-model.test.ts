import { describe, expect, test } from 'vitest';
import { comparePagePool, type PagePoolMeasurement, predictPagePool } from '../src/index.js';

const actions = (drop: number, pass: number) => ({ aborted: 0, drop, pass, tx: 0, redirect: 0, invalid: 0 });
function measured(pools: number, holdPerPool: number): PagePoolMeasurement {
  const hold = pools * holdPerPool;
  return {
    pools,
    hold,
    release: hold,
    recordHold: hold,
    recordRelease: hold,
    holdPerPool: { min: holdPerPool, max: holdPerPool, mean: holdPerPool },
    records: pools,
    recordsInflight: 0,
    inflightMax: 0,
    pending: 0,
  };
}

describe('page-pool model', () => {
  test('one pool per call filled with one batch; XDP_PASS frames each cost a page', () => {
    const model = predictPagePool({ calls: 3, batchSize: 64, batchFrames: 192, actions: actions(0, 1000) });
    expect(model).toMatchObject({ pools: 3, hold: 1192, release: 1192 });
  });

  test('XDP_DROP at batch 64 agrees with the model', () => {
    const facts = { calls: 2, batchSize: 64, batchFrames: 128, actions: actions(100_000, 0) };
    const report = comparePagePool(measured(2, 64), predictPagePool(facts), facts);
    expect(report.agrees).toBe(true);
    expect(report.findings).toEqual([]);
  });

  test('XDP_DROP at batch 256 takes one bulk of 64 pages: disagreement, explained', () => {
    const facts = { calls: 1, batchSize: 256, batchFrames: 256, actions: actions(100_000, 0) };
    const report = comparePagePool(measured(1, 64), predictPagePool(facts), facts);
    expect(report.agrees).toBe(false);
    expect(report.findings.join('\n')).toContain('bulks of 64');
  });

  test('XDP_PASS pages recycled instead of released: disagreement, explained', () => {
    const facts = { calls: 1, batchSize: 64, batchFrames: 64, actions: actions(0, 10_000) };
    const report = comparePagePool(measured(1, 64), predictPagePool(facts), facts);
    expect(report.agrees).toBe(false);
    expect(report.findings.join('\n')).toContain('came back to the pool');
  });

  test('pools still holding pages in flight are reported', () => {
    const facts = { calls: 1, batchSize: 64, batchFrames: 64, actions: undefined };
    const report = comparePagePool({ ...measured(0, 0), pending: 1 }, predictPagePool(facts), facts);
    expect(report.agrees).toBe(false);
    expect(report.findings[0]).toContain('in flight');
  });
});
