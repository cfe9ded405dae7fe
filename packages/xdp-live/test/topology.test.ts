import { existsSync } from 'node:fs';
import { availableParallelism, release } from 'node:os';
import { kernelOlderThan, ValidationError } from '@progrun/syscall';
import { afterEach, describe, expect, test } from 'vitest';
import { thrown } from '../../../tests/helpers/thrown.js';
import { CommandError, checkXdpReceive, Netns, readDeviceCounters, VethTopology } from '../src/index.js';
import { VETH_GRO_RECEIVE_SINCE } from '../src/topology/receive-readiness.js';
import { leftoverNetns } from './helpers/leftovers.js';

afterEach(() => {
  expect(leftoverNetns()).toEqual([]);
});

describe('topology helpers', { tags: ['privileged', 'slow'] }, () => {
  test('a veth topology: two namespaces, addressed, up, pr-xl- names; gone after close()', async () => {
    const topology = await VethTopology.create();
    const { a, b } = topology;
    try {
      expect(a.name).toMatch(/^pr-xl-[0-9a-z]+a$/);
      expect(b.name.length).toBeLessThanOrEqual(15);
      expect(a.netns.name).toMatch(new RegExp(`^pr-xl-${process.pid}-\\d+$`));
      expect(a.ipv4).toBe('10.199.0.1');
      expect(b.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      expect(existsSync(a.netns.path) && existsSync(b.netns.path)).toBe(true);
      await expect(topology.checkReceive('a')).resolves.toEqual({
        ready: true,
        reason: expect.stringContaining('has an XDP program'),
      });
      const counters = await readDeviceCounters(b);
      expect(counters.rxPackets).toBe(0);
      expect(counters.xdpXmit).toBe(0);
    } finally {
      await topology.close();
    }
    expect(existsSync(a.netns.path) || existsSync(b.netns.path)).toBe(false);
    await topology.close();
  });

  test('a queue per CPU on both ends by default (per-CPU rings for XDP_TX), or as many as asked', async () => {
    const queuesOf = async (end: { netns: Netns; name: string }) => {
      const [link] = JSON.parse(await end.netns.ip(['-j', '-d', 'link', 'show', 'dev', end.name], 'inspect'));
      return [link.num_rx_queues, link.num_tx_queues];
    };
    {
      await using topology = await VethTopology.create();
      const cpus = availableParallelism();
      expect(await queuesOf(topology.a)).toEqual([cpus, cpus]);
      expect(await queuesOf(topology.b)).toEqual([cpus, cpus]);
    }
    await using three = await VethTopology.create({ queues: 3 });
    expect(await queuesOf(three.b)).toEqual([3, 3]);
    await expect(VethTopology.create({ queues: 0 })).rejects.toMatchObject({ field: 'options.queues' });
  });

  test(`GRO as the receive path (Linux ${VETH_GRO_RECEIVE_SINCE}+)`, async (t) => {
    if (kernelOlderThan(VETH_GRO_RECEIVE_SINCE))
      t.skip(
        `needs GRO as a veth's receive path for XDP frames (Linux ${VETH_GRO_RECEIVE_SINCE}+); running ${release()}`,
      );
    await using topology = await VethTopology.create({ receive: 'gro' });
    await expect(topology.checkReceive('a')).resolves.toEqual({
      ready: true,
      reason: expect.stringContaining('GRO'),
    });
  });

  test('no receive path: the check says why frames cannot arrive', async () => {
    await using topology = await VethTopology.create({ receive: 'none' });
    const readiness = await topology.checkReceive('a');
    expect(readiness.ready).toBe(false);
    expect(readiness.reason).toContain('neither an XDP program nor GRO');
    expect(readiness.reason).toContain(topology.b.name);
  });

  test('frames larger than the peer MTU cannot arrive', async () => {
    await using topology = await VethTopology.create({ mtu: 1000 });
    const readiness = await topology.checkReceive('a', 1500);
    expect(readiness).toMatchObject({ ready: false, reason: expect.stringContaining('MTU 1000') });
  });

  test('the loopback device never accepts XDP frames; other drivers are not judged', async () => {
    await using netns = await Netns.create();
    await expect(checkXdpReceive({ netns, name: 'lo' })).resolves.toMatchObject({ ready: false });
  });

  test('a failed creation leaves nothing behind', async () => {
    const error = await VethTopology.create({ mtu: 10 }).catch((e: unknown) => e);
    expect(CommandError.isInstance(error)).toBe(true);
    expect((error as CommandError).purpose).toContain('set MTU');
  });

  test('an abort during creation leaves nothing behind and rejects with the reason', async () => {
    const controller = new AbortController();
    const creating = VethTopology.create({ signal: controller.signal });
    setImmediate(() => controller.abort());
    await expect(creating).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('an abort after creation deletes the topology', async () => {
    const controller = new AbortController();
    const topology = await VethTopology.create({ signal: controller.signal });
    controller.abort();
    // close() runs on abort; awaiting it again returns once it is done.
    await topology.close();
    expect(topology.closed).toBe(true);
    expect(existsSync(topology.a.netns.path)).toBe(false);
  });

  test('a name in use is refused and that namespace stays; a name that is a path is refused', async () => {
    await using mine = await Netns.create();
    const error = await Netns.create({ name: mine.name }).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error) && error.field).toBe('options.name');
    expect(existsSync(mine.path)).toBe(true);
    for (const name of ['../x', '', '..', 5]) {
      expect((thrown(() => Netns.open(name as never)) as ValidationError).field, String(name)).toBe('name');
    }
  });

  test('a namespace of a dead process is removed by the next creation', async () => {
    const stale = `pr-xl-${2 ** 22 + 1}-0`;
    const orphan = await Netns.create({ name: stale });
    // Forget it as if its process had been killed: a borrowed handle closes only the fd.
    await Netns.open(stale).close();
    expect(existsSync(orphan.path)).toBe(true);
    const { removeStaleNetns } = await import('../src/index.js');
    expect(removeStaleNetns()).toContain(stale);
    expect(existsSync(orphan.path)).toBe(false);
    await orphan.close().catch(() => undefined);
  });
});
