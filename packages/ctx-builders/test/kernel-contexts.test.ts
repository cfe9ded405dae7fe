// Real programs read the contexts and packets built here and report what they saw: the kernel, not
// this package, confirms the layouts and the rules.

import { release } from 'node:os';
import { asm, BpfError, kernelOlderThan, Program, vmlinuxBtfType } from '@progrun/syscall';
import {
  BPF_F_SLEEPABLE,
  BpfAttachType,
  Errno,
  fieldOf,
  kernelInternalLayouts,
  kernelLimitFor,
  layouts,
  programTypes,
} from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import {
  decodePacket,
  diffPackets,
  eth,
  flowKeys,
  netfilterHookState,
  rawTracepointArgs,
  skBuff,
  skLookup,
  structOpsArgs,
  syscallStruct,
  xdpMd,
} from '../src/index.js';
import { rejection } from './helpers/caught.js';

type Items = Parameters<typeof asm.assemble>[0];
const load = (type: Parameters<typeof Program.load>[0]['type'], items: Items, extra: object = {}) =>
  Program.load({ type, instructions: asm.assemble(items), license: 'GPL', ...extra });
const xdp = (f: (typeof layouts.xdp_md.fields)[number]['name']) => fieldOf(layouts.xdp_md, f).offset;
const skb = (f: (typeof layouts.__sk_buff.fields)[number]['name']) => fieldOf(layouts.__sk_buff, f).offset;
const keys = (f: (typeof layouts.bpf_flow_keys.fields)[number]['name']) =>
  fieldOf(layouts.bpf_flow_keys, f).offset;
const lookup = (f: (typeof layouts.bpf_sk_lookup.fields)[number]['name']) =>
  fieldOf(layouts.bpf_sk_lookup, f).offset;

const packet = eth()
  .ipv4({ src: '10.0.0.1', dst: '10.0.0.2', ttl: 64 })
  .udp({ sport: 1000, dport: 7777 })
  .payload('hello')
  .build();

function errnoOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (BpfError.isInstance(err)) return (err as BpfError).code;
    throw err;
  }
  return undefined;
}

describe('contexts and packets read by real programs', { tags: ['privileged'] }, () => {
  test.skipIf(kernelOlderThan('5.15'))(
    'XDP (xdp_md ctx_in, Linux 5.15+): metadata, ifindex, queue and packet as the program sees them',
    () => {
      // Copies ingress_ifindex and rx_queue_index into the metadata, decrements the IPv4 TTL without fixing
      // the checksum, and returns data_end - data.
      using prog = load('XDP', [
        asm.ldx('u32', 'r2', 'r1', xdp('data')),
        asm.ldx('u32', 'r3', 'r1', xdp('data_end')),
        asm.ldx('u32', 'r4', 'r1', xdp('data_meta')),
        asm.ldx('u32', 'r5', 'r1', xdp('ingress_ifindex')),
        asm.ldx('u32', 'r6', 'r1', xdp('rx_queue_index')),
        asm.mov64('r0', 0),
        asm.mov64('r7', 'r4'),
        asm.add64('r7', 8),
        asm.jmp('jgt', 'r7', 'r2', 'out'),
        asm.stx('u32', 'r4', 'r5', 0),
        asm.stx('u32', 'r4', 'r6', 4),
        asm.mov64('r7', 'r2'),
        asm.add64('r7', 23),
        asm.jmp('jgt', 'r7', 'r3', 'out'),
        asm.ldx('u8', 'r8', 'r2', 22),
        asm.sub64('r8', 1),
        asm.stx('u8', 'r2', 'r8', 22),
        asm.mov64('r0', 'r3'),
        asm.sub64('r0', 'r2'),
        asm.label('out'),
        asm.exit(),
      ]);
      const {
        retval,
        ctx,
        metadata,
        packet: output,
      } = prog.run(xdpMd({ packet, metadata: 8, ingress_ifindex: 1, rx_queue_index: 0 }));
      expect(retval).toBe(packet.length);
      expect(ctx).toMatchObject({
        data: 8,
        data_end: 8 + packet.length,
        data_meta: 0,
        ingress_ifindex: 1,
      });
      const out = output!;
      expect(Buffer.from(metadata!).readUInt32LE(0)).toBe(1);
      expect(Buffer.from(metadata!).readUInt32LE(4)).toBe(0);
      expect(diffPackets(packet, out).lines()).toEqual([
        'ipv4.ttl: 64 -> 63',
        `ipv4.checksum: 0x${decodePacket(packet).get('ipv4')!.checksum.toString(16).padStart(4, '0')} (unchanged, now invalid)`,
      ]);
    },
  );

  test.skipIf(kernelOlderThan('5.15'))('XDP: the kernel rejects exactly what xdpMd rejects', () => {
    using prog = load('XDP', [asm.mov64('r0', 2), asm.exit()]);
    const good = xdpMd({ packet, metadata: 8, ingress_ifindex: 1 });
    expect(prog.run({ data: good.dataIn, ctx: good.ctxIn }).retval).toBe(2);
    const raw = (patch: (b: Buffer) => void, data: Uint8Array = good.dataIn) => {
      const b = Buffer.from(good.ctxIn);
      patch(b);
      return errnoOf(() => prog.run({ data, ctx: b }));
    };
    expect(raw((b) => b.writeUInt32LE(1, xdp('egress_ifindex')))).toBe('EINVAL');
    expect(rejection(() => xdpMd({ packet, egress_ifindex: 1 })).kernelCode).toBe('EINVAL');
    expect(rejection(() => xdpMd({ packet, egress_ifindex: 1 })).kernelErrno).toBe(-Errno.EINVAL);
    expect(rejection(() => xdpMd({ packet, egress_ifindex: 1 })).kernelErrno).toBe(-Errno.EINVAL);
    expect(
      raw((b) => b.writeUInt32LE(0, xdp('ingress_ifindex')) && b.writeUInt32LE(1, xdp('rx_queue_index'))),
    ).toBe('EINVAL');
    expect(rejection(() => xdpMd({ packet, rx_queue_index: 1 })).kernelCode).toBe('EINVAL');
    expect(raw((b) => b.writeUInt32LE(6, xdp('data')), Buffer.concat([Buffer.alloc(6), packet]))).toBe(
      'EINVAL',
    );
    expect(rejection(() => xdpMd({ packet, metadata: 6 })).kernelCode).toBe('EINVAL');
  });

  test.skipIf(kernelOlderThan('5.15'))(
    'XDP metadata: the running kernel takes its table limit and refuses 4 bytes more, as xdpMd({ target }) says',
    () => {
      using prog = load('XDP', [asm.mov64('r0', 2), asm.exit()]);
      const target = release();
      const { max } = kernelLimitFor(programTypes.XDP.testRun.context.metadataLimits, target);
      const fits = xdpMd({ packet, metadata: max, target });
      expect(prog.run({ data: fits.dataIn, ctx: fits.ctxIn }).retval).toBe(2);
      expect(rejection(() => xdpMd({ packet, metadata: max + 4, target })).rule).toBe('max-metadata');
      const over = Buffer.from(fits.ctxIn);
      over.writeUInt32LE(max + 4, xdp('data'));
      over.writeUInt32LE(max + 4 + packet.length, xdp('data_end'));
      const data = Buffer.concat([Buffer.alloc(max + 4), packet]);
      expect(errnoOf(() => prog.run({ data, ctx: over }))).toBe('EINVAL');
    },
  );

  test.skipIf(kernelOlderThan('5.16'))(
    'SCHED_CLS (__sk_buff ctx_in with ingress_ifindex and hwtstamp, Linux 5.16+): the settable fields and the derived protocol as the program sees them',
    () => {
      using prog = load('SCHED_CLS', [
        asm.ldx('u32', 'r2', 'r1', skb('protocol')),
        asm.stx('u32', 'r1', 'r2', skb('cb')),
        asm.ldx('u32', 'r2', 'r1', skb('len')),
        asm.stx('u32', 'r1', 'r2', skb('cb') + 4),
        asm.ldx('u32', 'r2', 'r1', skb('ingress_ifindex')),
        asm.stx('u32', 'r1', 'r2', skb('cb') + 8),
        asm.ldx('u32', 'r2', 'r1', skb('gso_size')),
        asm.stx('u32', 'r1', 'r2', skb('cb') + 12),
        asm.ldx('u32', 'r2', 'r1', skb('wire_len')),
        asm.stx('u32', 'r1', 'r2', skb('cb') + 16),
        asm.ldx('u32', 'r2', 'r1', skb('mark')),
        asm.add64('r2', 1),
        asm.stx('u32', 'r1', 'r2', skb('mark')),
        asm.ldx('u32', 'r2', 'r1', skb('gso_segs')),
        asm.stx('u32', 'r1', 'r2', skb('priority')),
        asm.ldx('u64', 'r0', 'r1', skb('hwtstamp')),
        asm.exit(),
      ]);
      const ctx = skBuff({
        packet,
        mark: 41,
        ingress_ifindex: 1,
        ifindex: 1,
        wire_len: 1500,
        gso_segs: 2,
        gso_size: 1400,
        hwtstamp: 0x1_0000_0005n,
      });
      const run = prog.run(ctx);
      expect(run.retval).toBe(5);
      const networkOrder = ((ctx.protocol & 0xff) << 8) | (ctx.protocol >> 8);
      expect(run.ctx).toMatchObject({
        mark: 42,
        priority: 2,
        cb: [networkOrder, packet.length, 1, 1400, 1500],
        ingress_ifindex: 1,
        ifindex: 1,
        wire_len: 1500,
        gso_segs: 2,
        hwtstamp: 0x1_0000_0005n,
      });
    },
  );

  test.skipIf(kernelOlderThan('5.2'))(
    'SCHED_CLS: every non-settable __sk_buff field the kernel refuses is refused here too, naming it',
    () => {
      using prog = load('SCHED_CLS', [asm.mov64('r0', 0), asm.exit()]);
      const base = skBuff({ packet });
      expect(prog.run({ data: packet, ctx: base.ctxIn }).retval).toBe(0);
      for (const field of [
        'len',
        'pkt_type',
        'queue_mapping',
        'protocol',
        'vlan_tci',
        'tc_index',
        'hash',
        'data',
        'napi_id',
        'local_port',
        'tstamp_type',
      ] as const) {
        const b = Buffer.from(base.ctxIn);
        b[skb(field)] = 1;
        expect(
          errnoOf(() => prog.run({ data: packet, ctx: b })),
          field,
        ).toBe('EINVAL');
        expect(
          rejection(() => skBuff({ packet, [field]: 1 })),
          field,
        ).toMatchObject({ field: `__sk_buff.${field}`, rule: 'not-settable', kernelCode: 'EINVAL' });
      }
      const wire = Buffer.from(base.ctxIn);
      wire.writeUInt32LE(packet.length - 1, skb('wire_len'));
      expect(errnoOf(() => prog.run({ data: packet, ctx: wire }))).toBe('EINVAL');
      expect(rejection(() => skBuff({ packet, wire_len: packet.length - 1 })).rule).toBe('wire-len-range');
    },
  );

  test.skipIf(kernelOlderThan('5.4'))(
    'FLOW_DISSECTOR (ctx_in flags, Linux 5.4+): data_out is the keys the program filled in',
    () => {
      using prog = load('FLOW_DISSECTOR', [
        asm.ldx('u64', 'r2', 'r1', skb('flow_keys')),
        asm.ldx('u32', 'r3', 'r2', keys('flags')),
        asm.be('r3', 16),
        asm.stx('u16', 'r2', 'r3', keys('dport')),
        asm.st('u8', 'r2', keys('ip_proto'), 99),
        asm.mov64('r0', 0),
        asm.exit(),
      ]);
      const { retval, verdict, flowKeys: keysOut } = prog.run(flowKeys({ packet, flags: 1 }));
      // Before 6.1 retval says whether the program returned BPF_OK (1); the verdict is BPF_OK either way.
      expect(retval).toBe(kernelOlderThan('6.1') ? 1 : 0);
      expect(verdict).toBe('BPF_OK');
      expect(keysOut).toMatchObject({
        nhoff: 14,
        thoff: 14,
        n_proto: 0x0800,
        flags: 1,
        dport: 1,
        ip_proto: 99,
      });
    },
  );

  test.skipIf(kernelOlderThan('5.13'))(
    'SK_LOOKUP (Linux 5.13+): family, protocol, addresses and ports as the program sees them',
    () => {
      using prog = load(
        'SK_LOOKUP',
        [
          asm.mov64('r0', 0),
          asm.ldx('u32', 'r2', 'r1', lookup('family')),
          asm.jmp('jne', 'r2', 2, 'out'),
          asm.ldx('u32', 'r2', 'r1', lookup('protocol')),
          asm.jmp('jne', 'r2', 17, 'out'),
          asm.ldx('u32', 'r2', 'r1', lookup('local_port')),
          asm.jmp('jne', 'r2', 53, 'out'),
          asm.ldx('u16', 'r2', 'r1', lookup('remote_port')),
          asm.jmp('jne', 'r2', 0x409c, 'out'), // 40000 in network order, read little-endian
          asm.ldx('u32', 'r2', 'r1', lookup('local_ip4')),
          asm.jmp('jne', 'r2', 0x020200c0, 'out'), // 192.0.2.2 in network order, read little-endian
          asm.mov64('r0', 1),
          asm.label('out'),
          asm.exit(),
        ],
        { expectedAttachType: BpfAttachType.SK_LOOKUP },
      );
      const hit = skLookup({
        protocol: 'udp',
        remote_ip: '192.0.2.1',
        remote_port: 40000,
        local_ip: '192.0.2.2',
        local_port: 53,
      });
      const result = prog.run(hit);
      expect(result).toMatchObject({ retval: 1, verdict: 'SK_PASS' });
      expect(result.ctx).toMatchObject({ cookie: 0n, local_port: 53, remote_port: 40000 });
      const miss = skLookup({
        protocol: 'udp',
        remote_ip: '192.0.2.1',
        remote_port: 40000,
        local_ip: '192.0.2.2',
        local_port: 54,
      });
      expect(prog.run({ ctx: miss.ctxIn }).retval).toBe(0);
      const tooBig = Buffer.from(hit.ctxIn);
      tooBig.writeUInt32LE(70000, lookup('local_port'));
      expect(errnoOf(() => prog.run({ ctx: tooBig }))).toBe('ERANGE');
    },
  );

  test.skipIf(kernelOlderThan('5.10'))(
    'RAW_TRACEPOINT (Linux 5.10+): the arguments as the program sees them',
    () => {
      using prog = load('RAW_TRACEPOINT', [
        asm.ldx('u64', 'r2', 'r1', 0),
        asm.ldx('u64', 'r3', 'r1', 8),
        asm.mov64('r0', 'r2'),
        asm.add64('r0', 'r3'),
        asm.exit(),
      ]);
      expect(prog.run({ ctx: rawTracepointArgs({ args: [40, 2] }).ctxIn }).retval).toBe(42);
      expect(errnoOf(() => prog.run({ ctx: rawTracepointArgs({ args: [40] }).ctxIn }))).toBe('EINVAL');
      expect(rejection(() => rawTracepointArgs({ args: [40], minSize: 16 })).kernelCode).toBe('EINVAL');
    },
  );

  test.skipIf(kernelOlderThan('5.17'))(
    "STRUCT_OPS (Linux 5.17+): bpf_dummy_ops' test_1 gets its one argument, a NULL state",
    () => {
      const dummyOps = vmlinuxBtfType('struct', 'bpf_dummy_ops')!;
      // The state's val, or 42 when the state pointer is NULL.
      using prog = load(
        'STRUCT_OPS',
        [
          asm.ldx('u64', 'r2', 'r1', 0),
          asm.mov64('r0', 42),
          asm.jeq('r2', 0, 'out'),
          asm.ldx('u32', 'r0', 'r2', 0),
          asm.label('out'),
          asm.exit(),
        ],
        { attachBtfId: dummyOps.id, expectedAttachType: dummyOps.members.indexOf('test_1') },
      );
      expect(prog.run({ ctx: structOpsArgs({ args: [0], argCount: 1 }).ctxIn }).retval).toBe(42);
      expect(errnoOf(() => prog.run({ ctx: structOpsArgs({ args: [0, 0] }).ctxIn }))).toBe('EINVAL');
    },
  );

  test.skipIf(kernelOlderThan('5.14'))('SYSCALL (Linux 5.14+): the argument struct is written back', () => {
    const Args = syscallStruct({ input: 'u32', result: 'u64' });
    using prog = load(
      'SYSCALL',
      [
        asm.ldx('u32', 'r2', 'r1', Args.offsets.input),
        asm.add64('r2', 1),
        asm.stx('u64', 'r1', 'r2', Args.offsets.result),
        asm.mov64('r0', 7),
        asm.exit(),
      ],
      // SYSCALL programs must be loaded sleepable.
      { flags: BPF_F_SLEEPABLE },
    );
    const { retval, verdict, ctx } = prog.run(Args.build({ input: 41 }));
    expect(retval).toBe(7);
    expect(verdict).toBeUndefined();
    expect(ctx).toEqual({ input: 41, result: 42n });
  });

  test.skipIf(kernelOlderThan('6.4'))('NETFILTER (Linux 6.4+): the hook state as the program sees it', () => {
    // Accepts (1) only at PRE_ROUTING, reading state->hook through the context's state pointer.
    using prog = load(
      'NETFILTER',
      [
        asm.ldx('u64', 'r2', 'r1', fieldOf(kernelInternalLayouts.bpf_nf_ctx, 'state').offset),
        asm.ldx('u8', 'r3', 'r2', fieldOf(kernelInternalLayouts.nf_hook_state, 'hook').offset),
        asm.mov64('r0', 0),
        asm.jmp('jne', 'r3', 0, 'out'),
        asm.mov64('r0', 1),
        asm.label('out'),
        asm.exit(),
      ],
      { expectedAttachType: BpfAttachType.NETFILTER },
    );
    const pre = netfilterHookState({ packet, hook: 'pre_routing' });
    expect(prog.run({ data: pre.dataIn, ctx: pre.ctxIn }).retval).toBe(1);
    const localIn = netfilterHookState({ packet, hook: 'local_in' });
    expect(prog.run({ data: localIn.dataIn, ctx: localIn.ctxIn }).retval).toBe(0);
    const v6 = netfilterHookState({ packet, hook: 'pre_routing' });
    const wrongFamily = Buffer.from(v6.ctxIn);
    wrongFamily[fieldOf(kernelInternalLayouts.nf_hook_state, 'pf').offset] = 10;
    expect(errnoOf(() => prog.run({ data: packet, ctx: wrongFamily }))).toBe('EINVAL');
    expect(rejection(() => netfilterHookState({ packet, hook: 'pre_routing', pf: 'ipv6' })).kernelCode).toBe(
      'EINVAL',
    );
  });
});
