// Work is bounded on any input: the spec parser's recursion is limited, struct declarations are checked
// field by field against the size limit, and lengths come from real typed arrays (Proxies are refused).
import { PassThrough, Readable } from 'node:stream';
import { ProgrunError, ValidationError } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { thrown } from '../../../tests/helpers/thrown.js';
import {
  decodeCapture,
  decodePacket,
  encodePcap,
  encodePcapng,
  formatSpec,
  internetChecksum,
  PacketBuilder,
  PacketError,
  parsePacketSpec,
  readPcapFile,
  SpecSyntaxError,
  skbProtocolOf,
  streamCapture,
  syscallStruct,
  writePcapStream,
} from '../src/index.js';

const huge = new Proxy([], {
  get: (target, key) => (key === 'length' ? 2 ** 32 - 1 : Reflect.get(target, key)),
});

describe('packet specs', () => {
  test('20 000 nested brackets are a SpecSyntaxError naming the depth, not a stack overflow', () => {
    const spec = `ipv4(options=${'['.repeat(20_000)}${']'.repeat(20_000)})`;
    const error = thrown(() => parsePacketSpec(spec));
    expect(SpecSyntaxError.isInstance(error)).toBe(true);
    expect((error as SpecSyntaxError).rule).toBe('nesting');
    expect((error as SpecSyntaxError).message).toContain('at most 32 deep (depth 33 here)');
  });

  test('a spec that is not a string is described, never converted (an array-like Proxy would be joined)', () => {
    const error = thrown(() => parsePacketSpec(huge as never));
    expect(SpecSyntaxError.isInstance(error)).toBe(true);
    expect((error as SpecSyntaxError).message).toContain('an array of 4294967295');
  });
});

describe('PacketBuilder', () => {
  test('an array-like Proxy of layers is a PacketError naming them, never walked', () => {
    expect((thrown(() => new PacketBuilder(huge as never)) as PacketError).field).toBe('layers');
  });
});

describe('decodePacket', () => {
  test('refuses a Proxy, an array-like and a non-string first layer with PacketErrors', () => {
    const frame = parsePacketSpec('eth()/ipv4()/udp()').build();
    for (const input of [new Proxy(frame, {}), huge]) {
      const error = thrown(() => decodePacket(input as never));
      expect(PacketError.isInstance(error)).toBe(true);
    }
    expect((thrown(() => decodePacket(frame, { first: huge as never })) as PacketError).field).toBe('first');
    expect((thrown(() => decodePacket(frame, null as never)) as PacketError).field).toBe('options');
  });
});

describe('syscallStruct', () => {
  test('an 8 MiB Buffer as the declaration is refused at once, a huge declaration at the first field past 65535 bytes', () => {
    const error = thrown(() => syscallStruct(Buffer.alloc(8 * 1024 * 1024) as never));
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).rule).toBe('fields');
    const fields = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`f${i}`, 'u64']));
    const tooBig = thrown(() => syscallStruct(fields as never));
    expect((tooBig as ValidationError).rule).toBe('max-size');
    expect(ProgrunError.isInstance(thrown(() => syscallStruct(new Proxy({ a: 'u8' }, {}) as never)))).toBe(
      true,
    );
  });
});

describe('capture encoders', () => {
  test('packets that are not iterable are a PacketError naming them', () => {
    // A Proxy (around a Buffer, the engine's iteration throws) and bytes (one packet) are no list of packets.
    for (const packets of [-1n, undefined, {}, 3, new Proxy(Buffer.alloc(64), {}), Buffer.alloc(64)]) {
      const error = thrown(() => encodePcap(packets as never));
      expect(PacketError.isInstance(error)).toBe(true);
      expect((error as PacketError).field).toBe('packets');
    }
  });
});

describe('arguments of the wrong kind (found by the fuzz of tests/fuzz)', () => {
  const field = (fn: () => unknown) => {
    const error = thrown(fn);
    expect(PacketError.isInstance(error), String(error)).toBe(true);
    return (error as PacketError).field;
  };

  test('checksums, protocols and spec formatting take what they say', () => {
    expect(field(() => internetChecksum(undefined as never))).toBe('buf');
    expect(field(() => internetChecksum(new Uint8Array(4), 0, 99))).toBe('start');
    expect(field(() => internetChecksum(new Uint8Array(4), 0, 4, -1))).toBe('partial');
    expect(internetChecksum(new Uint8Array([0x45, 0, 0, 0x14]))).toBe(0xbaeb);
    expect(field(() => skbProtocolOf(new Proxy(new Uint8Array(14), {}) as never))).toBe('packet');
    expect(field(() => formatSpec(5 as never))).toBe('layers');
    expect(field(() => formatSpec([{ kind: 'toString' }] as never))).toBe('layers[0]');
  });

  test('capture paths without NUL, packets iterable, signals AbortSignals', async () => {
    expect(field(() => readPcapFile('\0'))).toBe('path');
    const written = (packets: unknown, options: object = {}) =>
      writePcapStream(packets as never, new PassThrough(), options).catch((e: unknown) => e);
    expect(((await written(5)) as PacketError).field).toBe('packets');
    expect(((await written([], { signal: {} })) as PacketError).field).toBe('signal');
  });

  test('capture packets are real bytes (a Proxy around a Buffer is refused), options may be null', async () => {
    const proxy = new Proxy(Buffer.alloc(60), {});
    for (const encode of [encodePcap, encodePcapng]) {
      expect(field(() => encode([proxy]))).toBe('packets[0]');
      expect(field(() => encode([Buffer.alloc(60), { data: proxy }]))).toBe('packets[1]');
      expect(field(() => encode([], 5 as never))).toBe('options');
      expect(decodeCapture(encode([Buffer.alloc(60)], null as never))).toHaveLength(1);
    }
    const capture = encodePcap([Buffer.alloc(60)]);
    const read = async (options: unknown) => {
      const packets = [];
      for await (const packet of streamCapture(Readable.from([capture]), options as never))
        packets.push(packet);
      return packets;
    };
    expect(await read(null)).toHaveLength(1);
    expect(((await read({ signal: 'no' }).catch((e: unknown) => e)) as PacketError).field).toBe('signal');
    expect(((await read(7).catch((e: unknown) => e)) as PacketError).field).toBe('options');
  });
});
