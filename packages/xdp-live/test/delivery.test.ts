import { afterEach, describe, expect, test } from 'vitest';
import { type InjectOptions, inject, type ProgramRef, VethTopology } from '../src/index.js';
import { udpFrame } from './helpers/frames.js';
import { leftoverNetns } from './helpers/leftovers.js';
import { requireLiveFrames } from './helpers/live-frames.js';
import { devmapRedirectProgram, redirectProgram, verdictProgram } from './helpers/programs.js';

afterEach(() => {
  expect(leftoverNetns()).toEqual([]);
});

const COUNT = 200_000;

/** Injects UDP frames addressed to b on a, measuring b as the receive device. */
function injectOnA(topology: VethTopology, program: ProgramRef, options: Partial<InjectOptions>) {
  const { a, b } = topology;
  return inject({
    program,
    packet: udpFrame({ dstMac: b.mac }),
    netns: a.netns,
    ifindex: a.name,
    count: COUNT,
    stats: { receive: b },
    ...options,
  });
}

// Generous timeouts: topologies and runs take longer on a loaded machine.
describe('frames sent into a veth arrive at its peer', { tags: ['privileged', 'slow'] }, () => {
  test('XDP_TX: the peer counts exactly the injected frames; events and counters agree', async (context) => {
    requireLiveFrames(context);
    await using topology = await VethTopology.create({ receive: 'xdp-drop' });
    using program = verdictProgram('tx');
    const { b } = topology;
    const result = await injectOnA(topology, program, { stats: { receive: b, countRedirects: true } });
    const stats = result.stats;
    expect(result.frames).toBe(COUNT);
    expect(stats?.actions?.tx).toBe(COUNT);
    expect(stats?.receive?.delta.rxPackets).toBe(COUNT);
    expect(stats?.transmit?.delta.xdpXmit).toBe(COUNT);
    expect(stats?.xdp).toMatchObject({ redirected: COUNT, redirectErrors: 0, xmitSent: COUNT, xmitDrops: 0 });
    expect(stats?.xdp?.workers[0]).toMatchObject({ redirected: COUNT });
    expect(stats?.delivery).toMatchObject({
      status: 'delivered',
      injected: COUNT,
      expected: COUNT,
      arrived: COUNT,
      lost: 0,
    });
    expect(result.warnings).toEqual([]);
  });

  test('XDP_REDIRECT by ifindex and through a devmap: exact counts at the peer', async (context) => {
    requireLiveFrames(context);
    await using topology = await VethTopology.create({ receive: 'xdp-drop' });
    const { a, b } = topology;
    const byIfindex = redirectProgram(a.ifindex);
    const { program: byDevmap, map } = devmapRedirectProgram(a);
    try {
      for (const program of [byIfindex, byDevmap]) {
        const result = await injectOnA(topology, program, { stats: { transmit: a, receive: b } });
        expect(result.stats?.actions?.redirect).toBe(COUNT);
        expect(result.stats?.receive?.delta.rxPackets).toBe(COUNT);
        expect(result.stats?.xdp).toMatchObject({ redirected: undefined, xmitSent: COUNT, xmitDrops: 0 });
        expect(result.stats?.delivery.status).toBe('delivered');
      }
    } finally {
      byIfindex.close();
      byDevmap.close();
      map.close();
    }
  });

  test('batch 256 into a slow receiver: the ring overflow is the only loss, and is reported as such', async (context) => {
    requireLiveFrames(context);
    // XDP_PASS into the peer's stack makes the receiver slower than the sender.
    await using topology = await VethTopology.create({ receive: 'xdp-pass' });
    using program = verdictProgram('tx');
    const result = await injectOnA(topology, program, { batchSize: 256, count: 50_000 });
    const stats = result.stats;
    const arrived = stats?.receive?.delta.rxPackets ?? 0;
    const refused = stats?.xdp?.xmitDrops ?? 0;
    expect(arrived + refused).toBe(50_000);
    expect(stats?.transmit?.delta.xdpXmitErrors).toBe(refused);
    if (refused === 0) {
      expect(stats?.delivery.status).toBe('delivered');
    } else {
      expect(stats?.delivery).toMatchObject({ status: 'loss', lost: refused });
      expect(stats?.xdp?.xmitErrno).toEqual({ partial: refused });
      expect(stats?.delivery.message).toContain('receive ring overflowed');
      expect(stats?.delivery.message).not.toContain('unexplained');
      expect(result.warnings.some((warning) => warning.startsWith('silent loss'))).toBe(true);
    }
  });

  test('no receiver: detected before the run, and the loss is reported with its cause', async (context) => {
    requireLiveFrames(context);
    await using topology = await VethTopology.create({ receive: 'none' });
    using program = verdictProgram('tx');
    const { a } = topology;
    const result = await injectOnA(topology, program, { count: 10_000 });
    expect(result.frames).toBe(10_000);
    const delivery = result.stats?.delivery;
    expect(delivery).toMatchObject({ status: 'no-delivery', arrived: 0, lost: 10_000 });
    expect(delivery?.message).toContain('neither an XDP program nor GRO');
    // Refused when enqueued (EOPNOTSUPP: the veth stops advertising ndo_xdp_xmit, 6.3+) or when flushed
    // (ENXIO from veth_xdp_xmit, before).
    const xdp = result.stats?.xdp;
    expect((xdp?.redirectErrors ?? 0) + (xdp?.xmitDrops ?? 0)).toBe(10_000);
    expect({ ...xdp?.redirectErrno, ...xdp?.xmitErrno }).toEqual(
      (xdp?.redirectErrors ?? 0) > 0 ? { EOPNOTSUPP: 10_000 } : { ENXIO: 10_000 },
    );
    expect(result.warnings[0]).toContain(`frames sent out of ${a.name}`);
    expect(result.warnings[1]).toContain('silent loss');
  });

  test('XDP_TX with GRO as the receive path', async (context) => {
    requireLiveFrames(context);
    await using topology = await VethTopology.create({ receive: 'gro' });
    using program = verdictProgram('tx');
    const result = await injectOnA(topology, program, { count: 20_000 });
    expect(result.stats?.receive?.delta.rxPackets).toBe(20_000);
    expect(result.stats?.delivery.status).toBe('delivered');
  });
});
