import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  flowKeys,
  netfilterHookState,
  PacketError,
  rawTracepointArgs,
  skBuff,
  skLookup,
  structOpsArgs,
  syscallStruct,
  ValidationError,
  xdpMd,
} from '../src/index.js';

const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const packet = (min: number) => fc.uint8Array({ minLength: min, maxLength: 200 });

function typedOrOk(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(ValidationError.isInstance(err) && !PacketError.isInstance(err), String(err)).toBe(true);
  }
}

describe('context properties', () => {
  test('xdp_md: what is built decodes to the same fields', () => {
    fc.assert(
      fc.property(
        packet(14),
        fc.integer({ min: 0, max: 54 }).map((n) => n * 4),
        u32,
        u32,
        (pkt, meta, ingress, rxq) => {
          const ctx = xdpMd({
            packet: pkt,
            metadata: meta,
            ingress_ifindex: ingress === 0 ? 1 : ingress,
            rx_queue_index: rxq,
          });
          expect(ctx.decode({ retval: 0, ctxOut: ctx.ctxIn }).ctx).toEqual(ctx.fields);
          expect(ctx.dataIn.length).toBe(meta + pkt.length);
          expect(Buffer.from(ctx.split(ctx.dataIn, ctx.ctxIn).packet).equals(Buffer.from(pkt))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('__sk_buff: the settable fields round-trip', () => {
    const fields = fc.record(
      {
        mark: u32,
        priority: u32,
        ingress_ifindex: u32,
        ifindex: u32,
        cb: fc.array(u32, { maxLength: 5 }),
        tstamp: u64,
        gso_segs: fc.integer({ min: 0, max: 65535 }),
        gso_size: u32,
        hwtstamp: u64,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(packet(14), fields, (pkt, f) => {
        const ctx = skBuff({ packet: pkt, ...f });
        const out = ctx.decode({ retval: 0, ctxOut: ctx.ctxIn }).ctx!;
        expect(out).toEqual(ctx.fields);
        expect(out.cb.slice(0, f.cb?.length ?? 0)).toEqual(f.cb ?? []);
      }),
      { numRuns: 300 },
    );
  });

  test('sk_lookup and SYSCALL structs round-trip', () => {
    fc.assert(
      fc.property(
        fc.ipV4(),
        fc.ipV4(),
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 65535 }),
        (r, l, rp, lp) => {
          const ctx = skLookup({ remote_ip: r, local_ip: l, remote_port: rp, local_port: lp });
          expect(ctx.decode({ retval: 0, ctxOut: ctx.ctxIn }).ctx).toMatchObject({
            remote_port: rp,
            local_port: lp,
            family: 2,
          });
        },
      ),
    );
    const scalar = fc.constantFrom('u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'ptr');
    fc.assert(
      fc.property(fc.array(scalar, { minLength: 1, maxLength: 8 }), fc.nat(), (types, seed) => {
        const fields = Object.fromEntries(types.map((t, i) => [`f${i}`, t]));
        const S = syscallStruct(fields as Record<string, 'u8'>);
        const values = Object.fromEntries(
          types.map((t, i) => {
            const bits = t === 'ptr' ? 64 : Number(t.slice(1));
            const v = BigInt(seed + i) % (1n << BigInt(bits - 1));
            return [`f${i}`, bits === 64 ? (t.startsWith('s') ? -v : v) : Number(t.startsWith('s') ? -v : v)];
          }),
        );
        expect(S.decode(S.build(values).ctxIn)).toEqual(values);
      }),
    );
  });

  test('random input to every builder is built or rejected with a context ValidationError', () => {
    const anyOptions = fc.dictionary(
      fc.constantFrom(
        'packet',
        'metadata',
        'ingress_ifindex',
        'rx_queue_index',
        'egress_ifindex',
        'mark',
        'cb',
        'tstamp',
        'len',
        'flags',
        'family',
        'remote_ip',
        'local_port',
        'args',
        'hook',
        'pf',
        'target',
        'live',
        'progType',
        'wire_len',
        'argCount',
        'minSize',
      ),
      fc.oneof(
        fc.anything(),
        fc.uint8Array({ maxLength: 80 }),
        u32,
        fc.constantFrom('5.10', '6.1', 'ipv6', 'local_in'),
      ),
      { maxKeys: 6 },
    );
    const builders = [
      xdpMd,
      skBuff,
      flowKeys,
      skLookup,
      rawTracepointArgs,
      structOpsArgs,
      netfilterHookState,
    ] as ((o: unknown) => unknown)[];
    fc.assert(
      fc.property(
        fc.oneof(anyOptions, fc.anything()),
        fc.integer({ min: 0, max: builders.length - 1 }),
        (options, which) => {
          typedOrOk(() => builders[which]!(options));
        },
      ),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (fields, values) => {
        typedOrOk(() => syscallStruct(fields as never).build(values as never));
      }),
      { numRuns: 1000 },
    );
  });
});
