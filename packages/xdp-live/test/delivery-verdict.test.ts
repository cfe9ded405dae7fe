import { describe, expect, test } from 'vitest';
import { type DeviceCounters, deliveryVerdict, type XdpEventCounts } from '../src/index.js';

const quiet: DeviceCounters = {
  rxPackets: 0,
  rxBytes: 0,
  rxDropped: 0,
  rxErrors: 0,
  txPackets: 0,
  txBytes: 0,
  txDropped: 0,
  txErrors: 0,
  xdpXmit: 0,
  xdpXmitErrors: 0,
  driver: {},
};
const noEvents: XdpEventCounts = {
  redirected: 0,
  redirectErrors: 0,
  xmitSent: 0,
  xmitDrops: 0,
  xmitFlushes: 0,
  xmitErrorFlushes: 0,
  redirectErrno: {},
  xmitErrno: {},
  workers: [],
};
const tx = (n: number) => ({ aborted: 0, drop: 0, pass: 0, tx: n, redirect: 0, invalid: 0 });
const base = { batchSize: 64, transmit: undefined, receiveName: 'b', notReadyReason: undefined };

describe('deliveryVerdict', () => {
  test('all frames sent on arrived: delivered', () => {
    const verdict = deliveryVerdict({
      ...base,
      injected: 1000,
      actions: tx(1000),
      xdp: { ...noEvents, redirected: 1000, xmitSent: 1000 },
      receive: { ...quiet, rxPackets: 1000 },
    });
    expect(verdict).toMatchObject({ status: 'delivered', expected: 1000, arrived: 1000, lost: 0 });
  });

  test('nothing arrived while the driver refused everything: no-delivery, with the errno as cause', () => {
    const verdict = deliveryVerdict({
      ...base,
      injected: 640,
      actions: tx(640),
      xdp: { ...noEvents, redirected: 640, xmitDrops: 640, xmitErrno: { ENXIO: 640 } },
      receive: quiet,
    });
    expect(verdict.status).toBe('no-delivery');
    expect(verdict.lost).toBe(640);
    expect(verdict.causes[0]?.cause).toContain('ENXIO x640');
    expect(verdict.message).toContain('640 lost silently');
  });

  test('ring overflow at batch 256 is named as the cause of a partial loss', () => {
    const verdict = deliveryVerdict({
      ...base,
      batchSize: 256,
      injected: 100_000,
      actions: tx(100_000),
      xdp: { ...noEvents, redirected: 100_000, xmitSent: 99_990, xmitDrops: 10, xmitErrno: { partial: 10 } },
      receive: { ...quiet, rxPackets: 99_990 },
    });
    expect(verdict).toMatchObject({ status: 'loss', lost: 10 });
    expect(verdict.causes[0]).toMatchObject({ frames: 10 });
    expect(verdict.causes[0]?.cause).toContain('receive ring overflowed');
    expect(verdict.message).not.toContain('unexplained');
  });

  test('a loss no counter explains is called unexplained', () => {
    const verdict = deliveryVerdict({
      ...base,
      injected: 100,
      actions: tx(100),
      xdp: { ...noEvents, redirected: 100, xmitSent: 100 },
      receive: { ...quiet, rxPackets: 90 },
    });
    expect(verdict.status).toBe('loss');
    expect(verdict.message).toContain('10 of them unexplained');
  });

  test('more arrivals than sent frames: surplus', () => {
    const verdict = deliveryVerdict({
      ...base,
      injected: 10,
      actions: tx(10),
      xdp: undefined,
      receive: { ...quiet, rxPackets: 12 },
    });
    expect(verdict.status).toBe('surplus');
  });

  test('a program that sends nothing on is not judged', () => {
    const verdict = deliveryVerdict({
      ...base,
      injected: 10,
      actions: { ...tx(0), drop: 10 },
      xdp: noEvents,
      receive: undefined,
    });
    expect(verdict).toMatchObject({ status: 'not-checked', expected: 0 });
  });

  test('without a receive device, refused redirects still reveal the loss', () => {
    const verdict = deliveryVerdict({
      ...base,
      injected: 50,
      actions: undefined,
      xdp: { ...noEvents, redirectErrors: 50, redirectErrno: { ENETDOWN: 50 } },
      receive: undefined,
    });
    expect(verdict).toMatchObject({ status: 'no-delivery', expected: 50, lost: 50 });
  });
});
