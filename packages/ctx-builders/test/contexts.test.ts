import { BPF_F_TEST_RUN_ON_CPU, BPF_F_TEST_XDP_LIVE_FRAMES } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import {
  decodeFlowKeys,
  decodeNfHookState,
  eth,
  flowKeys,
  netfilterHookState,
  rawTracepointArgs,
  SkBuffContext,
  skBuff,
  skLookup,
  structOpsArgs,
  syscallStruct,
  testRunInputFor,
  XdpMdContext,
  xdpMd,
} from '../src/index.js';
import { rejection } from './helpers/caught.js';

const packet = eth().ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }).udp({ dport: 53 }).payload('hello').build();

describe('xdp_md', () => {
  test('data/data_end from metadata and packet; data_in carries the metadata first', () => {
    const meta = Buffer.from('metadata');
    const ctx = xdpMd({ packet, metadata: meta, ingress_ifindex: 1, rx_queue_index: 0 });
    expect(ctx.fields).toEqual({
      data: 8,
      data_end: 8 + packet.length,
      data_meta: 0,
      ingress_ifindex: 1,
      rx_queue_index: 0,
      egress_ifindex: 0,
    });
    expect(ctx.decode({ retval: 0, ctxOut: ctx.ctxIn }).ctx).toEqual(ctx.fields);
    expect(Buffer.from(ctx.dataIn).equals(Buffer.concat([meta, packet]))).toBe(true);
    const split = ctx.split(ctx.dataIn, ctx.ctxIn);
    expect(Buffer.from(split.metadata).toString()).toBe('metadata');
    expect(Buffer.from(split.packet).equals(packet)).toBe(true);
    expect(xdpMd({ packet }).dataIn).toBe(packet);
  });

  test('the kernel rules, with errno and minimum kernel', () => {
    expect(rejection(() => xdpMd({ packet, target: '5.10' }))).toMatchObject({
      rule: 'min-kernel',
      minKernel: '5.15',
      kernelCode: 'EINVAL',
    });
    expect(rejection(() => xdpMd({ packet, metadata: 6 }))).toMatchObject({
      field: 'xdp_md.data',
      rule: 'multiple-of-4',
    });
    expect(rejection(() => xdpMd({ packet, metadata: 256 }))).toMatchObject({
      field: 'xdp_md.data',
      rule: 'max-metadata',
    });
    expect(() => xdpMd({ packet, metadata: 32, target: '6.1' })).not.toThrow();
    expect(rejection(() => xdpMd({ packet, metadata: 36, target: '6.1' }))).toMatchObject({
      rule: 'max-metadata',
      minKernel: '6.8',
    });
    expect(() => xdpMd({ packet, metadata: 252, target: '6.10' })).not.toThrow();
    expect(() => xdpMd({ packet, metadata: 216, target: '6.12.48' })).not.toThrow();
    expect(rejection(() => xdpMd({ packet, metadata: 220, target: '6.12.48' })).rule).toBe('max-metadata');
    expect(rejection(() => xdpMd({ packet, metadata: 220 })).minKernel).toBeUndefined();
    expect(rejection(() => xdpMd({ packet, rx_queue_index: 1 }))).toMatchObject({
      field: 'xdp_md.rx_queue_index',
      rule: 'needs-ingress-ifindex',
    });
    expect(rejection(() => xdpMd({ packet, egress_ifindex: 2 }))).toMatchObject({
      field: 'xdp_md.egress_ifindex',
      rule: 'must-be-zero',
    });
    expect(rejection(() => xdpMd({ packet: new Uint8Array(10) }))).toMatchObject({
      field: 'packet',
      rule: 'min-length',
    });
    expect(rejection(() => xdpMd({ packet: new Uint8Array(3409), live: true }))).toMatchObject({
      rule: 'max-live-frame',
    });
    expect(rejection(() => xdpMd({ packet, live: true, target: '5.17' }))).toMatchObject({
      rule: 'min-kernel',
      minKernel: '5.18',
    });
    expect(rejection(() => xdpMd({ packet: new Uint8Array(4000), target: '5.15' }))).toMatchObject({
      rule: 'max-linear-frame',
      minKernel: '5.18',
    });
    expect(() => xdpMd({ packet: new Uint8Array(4000), target: '6.1' })).not.toThrow();
    expect(rejection(() => xdpMd({ packet, data_meta: 4 } as never))).toMatchObject({
      field: 'xdp_md.data_meta',
      rule: 'unknown-field',
    });
    expect(rejection(() => xdpMd({ packet, target: 'latest' }))).toMatchObject({
      field: 'target',
      rule: 'kernel-version',
    });
  });
});

describe('__sk_buff', () => {
  test('settable fields round-trip; protocol is what the kernel derives from the packet', () => {
    const ctx = skBuff({
      packet,
      mark: 7,
      priority: 3,
      ingress_ifindex: 1,
      ifindex: 1,
      cb: [1, 2, 3, 4, 5],
      tstamp: 123n,
      wire_len: 1500,
      gso_segs: 2,
      gso_size: 1400,
      hwtstamp: 99,
    });
    expect(ctx.decode({ retval: 0, ctxOut: ctx.ctxIn }).ctx).toEqual({ ...ctx.fields });
    expect(ctx.fields).toMatchObject({ mark: 7, tstamp: 123n, hwtstamp: 99n, cb: [1, 2, 3, 4, 5] });
    expect(ctx.protocol).toBe(0x0800);
    expect(ctx.ctxIn.length).toBe(192);
    expect(skBuff({ packet: eth({ type: 0x40 }).payload(new Uint8Array(10)).build() }).protocol).toBe(0x0004);
  });

  test('any other non-zero field is rejected naming it; zero is accepted', () => {
    expect(rejection(() => skBuff({ packet, len: 5 }))).toMatchObject({
      field: '__sk_buff.len',
      rule: 'not-settable',
      kernelCode: 'EINVAL',
    });
    expect(rejection(() => skBuff({ packet, protocol: 0x0800 }))).toMatchObject({
      field: '__sk_buff.protocol',
      rule: 'not-settable',
    });
    expect(rejection(() => skBuff({ packet, tstamp_type: 1 }))).toMatchObject({
      field: '__sk_buff.tstamp_type',
      rule: 'not-settable',
    });
    expect(rejection(() => skBuff({ packet, remote_ip6: [0, 0, 1, 0] }))).toMatchObject({
      field: '__sk_buff.remote_ip6',
    });
    expect(() => skBuff({ packet, len: 0, data: 0, vlan_tci: 0 })).not.toThrow();
    expect(rejection(() => skBuff({ packet, colour: 1 }))).toMatchObject({
      field: '__sk_buff.colour',
      rule: 'unknown-field',
    });
  });

  test('per-kernel settable fields', () => {
    expect(rejection(() => skBuff({ packet, target: '5.1' }))).toMatchObject({ minKernel: '5.2' });
    expect(rejection(() => skBuff({ packet, mark: 1, target: '5.5' }))).toMatchObject({
      field: '__sk_buff.mark',
      minKernel: '5.6',
    });
    expect(rejection(() => skBuff({ packet, tstamp: 1, target: '5.4' }))).toMatchObject({
      field: '__sk_buff.tstamp',
      minKernel: '5.5',
    });
    expect(rejection(() => skBuff({ packet, gso_size: 1, target: '5.6' }))).toMatchObject({
      minKernel: '5.7',
    });
    expect(rejection(() => skBuff({ packet, ifindex: 1, target: '5.9' }))).toMatchObject({
      field: '__sk_buff.ifindex',
      minKernel: '5.10',
    });
    expect(rejection(() => skBuff({ packet, ingress_ifindex: 1, target: '5.15' }))).toMatchObject({
      minKernel: '5.16',
      kernelCode: 'EINVAL',
    });
    expect(rejection(() => skBuff({ packet, hwtstamp: 1, target: '5.10' }))).toMatchObject({
      minKernel: '5.16',
      kernelCode: 'E2BIG',
    });
    expect(() => skBuff({ packet, mark: 1, ifindex: 1, target: '5.10.0-30-amd64' })).not.toThrow();
  });

  test('wire_len and gso_segs ranges, packet length', () => {
    expect(rejection(() => skBuff({ packet, wire_len: packet.length - 1 }))).toMatchObject({
      rule: 'wire-len-range',
    });
    expect(() => skBuff({ packet, wire_len: packet.length - 14, progType: 'SOCKET_FILTER' })).not.toThrow();
    expect(rejection(() => skBuff({ packet, wire_len: 65537 }))).toMatchObject({ rule: 'wire-len-range' });
    expect(rejection(() => skBuff({ packet, gso_segs: 65536 }))).toMatchObject({ rule: 'max-gso-segs' });
    expect(rejection(() => skBuff({ packet: new Uint8Array(13) }))).toMatchObject({ rule: 'min-length' });
    expect(rejection(() => skBuff({ packet, cb: [1, 2, 3, 4, 5, 6] }))).toMatchObject({ rule: 'cb-words' });
    expect(rejection(() => skBuff({ packet, progType: 'XDP' as never }))).toMatchObject({
      rule: 'skb-prog-type',
    });
  });

  test('packetOut restores the Ethernet header the kernel zeroes for network-layer program types', () => {
    const out = Buffer.from(packet);
    out.fill(0, 0, 14);
    expect(Buffer.from(skBuff({ packet, progType: 'CGROUP_SKB' }).packetOut(out)).equals(packet)).toBe(true);
    expect(skBuff({ packet }).packetOut(out)).toBe(out);
  });
});

describe('bpf_flow_keys, bpf_sk_lookup, raw tracepoint, STRUCT_OPS, SYSCALL, NETFILTER', () => {
  test('flow keys: flags only in ctx_in; data_out decodes with addresses', () => {
    expect(flowKeys({ packet }).ctxIn).toBeUndefined();
    const ctx = flowKeys({ packet, flags: 1 });
    expect(ctx.ctxIn!.readUInt32LE(48)).toBe(1);
    expect(rejection(() => flowKeys({ packet, flags: 1, target: '5.3' }))).toMatchObject({
      minKernel: '5.4',
    });
    const keys = Buffer.alloc(56);
    keys.writeUInt16LE(14, 0);
    keys.writeUInt16LE(34, 2);
    keys.writeUInt16LE(0x0800, 4);
    keys[9] = 17;
    keys.writeUInt16BE(0x0800, 10);
    keys.writeUInt16BE(1234, 12);
    keys.writeUInt16BE(53, 14);
    Buffer.from([10, 0, 0, 1, 10, 0, 0, 2]).copy(keys, 16);
    expect(decodeFlowKeys(keys)).toMatchObject({
      nhoff: 14,
      thoff: 34,
      ip_proto: 17,
      n_proto: 0x0800,
      sport: 1234,
      dport: 53,
      src: '10.0.0.1',
      dst: '10.0.0.2',
    });
  });

  test('sk_lookup: family from the addresses, ports, errno per rule', () => {
    const v4 = skLookup({
      remote_ip: '192.0.2.1',
      remote_port: 40000,
      local_ip: '192.0.2.2',
      local_port: 80,
    });
    expect(v4.fields).toEqual({
      cookie: 0n,
      family: 2,
      protocol: 6,
      remote_ip: '192.0.2.1',
      remote_port: 40000,
      local_ip: '192.0.2.2',
      local_port: 80,
      ingress_ifindex: 0,
    });
    const v6 = skLookup({
      protocol: 'udp',
      remote_ip: '2001:db8::1',
      local_ip: '2001:db8::2',
      local_port: 53,
    });
    expect(v6.decode({ retval: 0, ctxOut: v6.ctxIn }).ctx).toMatchObject({
      family: 10,
      protocol: 17,
      remote_ip: '2001:db8::1',
      local_ip: '2001:db8::2',
    });
    expect(rejection(() => skLookup({ local_port: 70000 }))).toMatchObject({
      rule: 'port-range',
      kernelCode: 'ERANGE',
    });
    expect(rejection(() => skLookup({ family: 1 }))).toMatchObject({ kernelCode: 'EAFNOSUPPORT' });
    expect(rejection(() => skLookup({ family: 'ipv4', remote_ip: '2001:db8::1' }))).toMatchObject({
      field: 'bpf_sk_lookup.remote_ip',
    });
    expect(rejection(() => skLookup({ target: '5.12' }))).toMatchObject({ minKernel: '5.13' });
  });

  test('raw tracepoint and STRUCT_OPS arguments', () => {
    const ctx = rawTracepointArgs({ args: [1, -1n, 2n ** 63n] });
    expect(ctx.args).toEqual([1n, 2n ** 64n - 1n, 2n ** 63n]);
    expect(ctx.ctxIn.length).toBe(24);
    expect(rejection(() => rawTracepointArgs({ args: new Array(13).fill(0) }))).toMatchObject({
      rule: 'max-args',
    });
    expect(rejection(() => rawTracepointArgs({ args: [1], minSize: 16 }))).toMatchObject({
      rule: 'min-size',
    });
    expect(rejection(() => rawTracepointArgs({ args: [2n ** 64n] }))).toMatchObject({ rule: 'u64-range' });
    expect(rejection(() => structOpsArgs({ args: [0, 1], argCount: 3 }))).toMatchObject({
      rule: 'arg-count',
    });
    expect(rejection(() => structOpsArgs({ args: [0], target: '5.16' }))).toMatchObject({
      minKernel: '5.17',
    });
  });

  test('SYSCALL struct: natural alignment, round trip, ranges', () => {
    const Args = syscallStruct({
      a: 'u8',
      b: 'u64',
      c: 's16',
      d: { bytes: 3 },
      e: { array: 'u32', length: 2 },
    });
    expect(Args.offsets).toEqual({ a: 0, b: 8, c: 16, d: 18, e: 24 });
    expect(Args.size).toBe(32);
    const ctx = Args.build({ a: 255, b: 2n ** 64n - 1n, c: -2, d: Uint8Array.of(1, 2), e: [7, 8] });
    expect(ctx.fields).toEqual({
      a: 255,
      b: 2n ** 64n - 1n,
      c: -2,
      d: Uint8Array.of(1, 2, 0),
      e: [7, 8],
    });
    expect(rejection(() => Args.build({ a: 256 }))).toMatchObject({ field: 'syscall.a', rule: 'u8-range' });
    expect(rejection(() => Args.build({ z: 1 } as never))).toMatchObject({
      field: 'syscall.z',
      rule: 'unknown-field',
    });
    expect(rejection(() => Args.build({}, { target: '5.13' }))).toMatchObject({ minKernel: '5.14' });
    expect(rejection(() => syscallStruct({ big: { bytes: 70000 } }))).toMatchObject({ rule: 'max-size' });
    expect(rejection(() => syscallStruct({ f: 'float' as never }))).toMatchObject({ rule: 'field-type' });
  });

  test('NETFILTER: hook and family, packet checks, errno per rule', () => {
    const l3 = packet.subarray(14);
    const ctx = netfilterHookState({ packet: l3 });
    expect(ctx.fields).toEqual({ hook: 3, pf: 2 });
    expect(decodeNfHookState(ctx.ctxIn)).toEqual({ hook: 3, pf: 2 });
    expect(ctx.decode({ retval: 1 })).toEqual({});
    expect(netfilterHookState({ packet, hook: 'pre_routing' }).fields).toEqual({ hook: 0, pf: 2 });
    expect(rejection(() => netfilterHookState({ packet, hook: 'local_in', pf: 'ipv6' }))).toMatchObject({
      rule: 'pf-matches-packet',
      kernelCode: 'EINVAL',
    });
    expect(
      rejection(() => netfilterHookState({ packet: eth().arp().build(), hook: 'forward' })),
    ).toMatchObject({ kernelCode: 'EPROTO' });
    expect(rejection(() => netfilterHookState({ packet: new Uint8Array(19) }))).toMatchObject({
      rule: 'min-length',
    });
    expect(rejection(() => netfilterHookState({ packet: l3, pf: 7 }))).toMatchObject({ rule: 'nf-proto' });
    expect(rejection(() => netfilterHookState({ packet: l3, target: '6.3' }))).toMatchObject({
      minKernel: '6.4',
    });
  });
});

describe('typed test-run inputs', () => {
  test('testRunInputFor picks the builder from the program-type table', () => {
    expect(testRunInputFor('XDP', { packet })).toBeInstanceOf(XdpMdContext);
    const skb = testRunInputFor('CGROUP_SKB', { packet, mark: 3 });
    expect(skb).toBeInstanceOf(SkBuffContext);
    expect(skb).toMatchObject({ progType: 'CGROUP_SKB', fields: { mark: 3 } });
    expect(testRunInputFor('RAW_TRACEPOINT', { args: [1] }).fields).toEqual({ args: [1n] });
    expect(rejection(() => testRunInputFor('SYSCALL', {}))).toMatchObject({
      field: 'type',
      rule: 'has-context-builder',
    });
    expect(rejection(() => testRunInputFor('KPROBE', {})).rule).toBe('has-context-builder');
    expect(rejection(() => testRunInputFor('XDP', { packet, bogus: 1 })).field).toBe('xdp_md.bogus');
  });

  test('the run options an input needs: live frames, a CPU', () => {
    expect(xdpMd({ packet, live: true })).toMatchObject({
      flags: BPF_F_TEST_XDP_LIVE_FRAMES,
      dataSizeOut: 0,
      ctxSizeOut: 0,
    });
    expect(xdpMd({ packet })).toMatchObject({ flags: undefined, dataSizeOut: undefined });
    expect(rawTracepointArgs({ args: [], cpu: 1 })).toMatchObject({ flags: BPF_F_TEST_RUN_ON_CPU, cpu: 1 });
    expect(rejection(() => rawTracepointArgs({ args: [], cpu: -1 })).field).toBe('raw_tracepoint.cpu');
    // The flow dissector's own flags are not run flags.
    expect(flowKeys({ packet, flags: 1 })).toMatchObject({ dissectorFlags: 1, fields: { flags: 1 } });
    expect(flowKeys({ packet, flags: 1 })).not.toHaveProperty('flags');
  });

  test('decode reads what came back, and copes with what did not', () => {
    const ctx = xdpMd({ packet, metadata: 4 });
    expect(ctx.decode({ retval: 2 })).toEqual({ packet: undefined, metadata: undefined, ctx: undefined });
    expect(ctx.decode({ retval: 2, dataOut: packet })).toMatchObject({ packet, metadata: undefined });
    const both = ctx.decode({ retval: 2, dataOut: ctx.dataIn, ctxOut: ctx.ctxIn });
    expect(Buffer.from(both.packet!)).toEqual(packet);
    expect(both.metadata).toHaveLength(4);
    expect(both.ctx).toMatchObject({ data: 4, data_end: 4 + packet.length });
    expect(skBuff({ packet }).decode({ retval: 0 })).toEqual({ packet: undefined, ctx: undefined });
    expect(flowKeys({ packet }).decode({ retval: 0 })).toEqual({ flowKeys: undefined });
  });
});
