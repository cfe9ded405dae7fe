import { compileBpfC } from '@progrun/compile';
import { eth, skBuff, xdpMd } from '@progrun/ctx-builders';
import { BpfObject, type Program } from '@progrun/syscall';
import { requireFeature, xdpMdContext } from '@progrun/syscall/features';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

describe('ifindex-stamp: typed runs, decoded contexts and verdicts by name', { tags: ['privileged'] }, () => {
  let object: BpfObject;
  let xdp: Program;
  let tc: Program;

  beforeAll(async () => {
    const { objectPath } = await compileBpfC(new URL('./ifindex-stamp.bpf.c', import.meta.url));
    object = BpfObject.open(objectPath).load();
    xdp = object.program('xdp_stamp').toProgram();
    tc = object.program('tc_stamp').toProgram();
  });

  afterAll(() => {
    xdp?.close();
    tc?.close();
    object?.close();
  });

  const udp = eth().ipv4().udp({ dport: 53 }).payload('query').build();

  test('XDP: the ingress ifindex lands in the metadata, and the xdp_md says where the packet starts', (t) => {
    requireFeature(t, xdpMdContext); // an xdp_md ctx_in needs Linux 5.15
    const { verdict, ctx, metadata, packet } = xdp.run(xdpMd({ packet: udp, ingress_ifindex: 1 }));
    expect(verdict).toBe('XDP_PASS');
    expect(ctx).toEqual({
      data: 4,
      data_end: 4 + udp.length,
      data_meta: 0,
      ingress_ifindex: 1,
      rx_queue_index: 0,
      egress_ifindex: 0,
    });
    expect(Buffer.from(metadata!).readUInt32LE(0)).toBe(1);
    expect(Buffer.from(packet!)).toEqual(udp);
  });

  test('XDP: a frame that is not IP is dropped, without metadata', (t) => {
    requireFeature(t, xdpMdContext);
    const { verdict, metadata } = xdp.run(xdpMd({ packet: eth().arp().build() }));
    expect(verdict).toBe('XDP_DROP');
    expect(metadata).toHaveLength(0);
  });

  test('SCHED_CLS: the __sk_buff comes back with the mark and priority the program set', () => {
    const { verdict, ctx, packet } = tc.run(skBuff({ packet: udp, ifindex: 1, mark: 0 }));
    expect(verdict).toBe('TC_ACT_OK');
    expect(ctx).toMatchObject({ mark: 1, priority: 6, ifindex: 1 });
    expect(Buffer.from(packet!)).toEqual(udp);
  });

  test('SCHED_CLS: a frame that is not IP is shot', () => {
    expect(tc.run(skBuff({ packet: eth().arp().build() })).verdict).toBe('TC_ACT_SHOT');
  });
});
