import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { validPacket } from '../src/arbitraries/index.js';
import {
  decodePacket,
  encodePacket,
  formatSpec,
  type Layer,
  PacketBuilder,
  PacketError,
  parsePacketSpec,
} from '../src/index.js';
import { parseIpv4Flags } from '../src/packet/ipv4.js';
import { parseIpv4 } from '../src/packet/ipv4-address.js';
import { parseIpv6 } from '../src/packet/ipv6-address.js';
import { parseTcpFlags } from '../src/packet/tcp.js';

const validLayers = validPacket().map((packet) => packet.layers as Layer[]);

function normalized(kind: string, field: string, value: unknown): unknown {
  if (kind === 'ipv4' && (field === 'src' || field === 'dst'))
    return Buffer.from(parseIpv4(value, field)).toString('hex');
  if (kind === 'ipv6' && (field === 'src' || field === 'dst'))
    return Buffer.from(parseIpv6(value, field)).toString('hex');
  if (kind === 'routing' && field === 'addresses') {
    return (value as string[]).map((a) => Buffer.from(parseIpv6(a, field)).toString('hex'));
  }
  if (kind === 'ipv4' && field === 'flags') return parseIpv4Flags(value);
  if (kind === 'tcp' && field === 'flags') return parseTcpFlags(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value))
    return value.map((v) =>
      typeof v === 'object' && v !== null
        ? JSON.stringify({ ...v, data: Buffer.from(v.data).toString('hex') })
        : v,
    );
  return value;
}

describe('packet build/decode properties', () => {
  test('every field given to the builder is what the decoder reads back, and every check is valid', () => {
    fc.assert(
      fc.property(validLayers, (layers) => {
        const bytes = encodePacket(layers);
        const decoded = decodePacket(bytes);
        expect(decoded.layers.map((l) => l.kind)).toEqual(layers.map((l) => l.kind));
        layers.forEach((layer, i) => {
          const out = decoded.layers[i] as unknown as Record<string, unknown>;
          for (const [field, value] of Object.entries(layer)) {
            if (field === 'kind' || field === 'options') continue;
            expect(normalized(layer.kind, field, out[field]), `${layer.kind}.${field}`).toEqual(
              normalized(layer.kind, field, value),
            );
          }
        });
        // Generated fragment headers are atomic (offset 0, no more fragments): every check applies.
        for (const check of decoded.checks) expect(check.status, check.field).toBe('valid');
      }),
      { numRuns: 300 },
    );
  });

  test('decoding any bytes never throws, and encoding the layers gives the same bytes back', () => {
    const mutated = fc
      .tuple(
        validLayers,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
      )
      .map(([layers, edits, cut]) => {
        const bytes = Buffer.from(encodePacket(layers));
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        return bytes.subarray(0, bytes.length - (cut % Math.min(bytes.length, 30)));
      });
    fc.assert(
      fc.property(
        fc.oneof(mutated, fc.uint8Array({ maxLength: 200 })),
        fc.constantFrom('eth', 'ip'),
        (bytes, first) => {
          const decoded = decodePacket(bytes, { first: first as 'eth' });
          expect(Buffer.compare(encodePacket(decoded.layers as Layer[]), bytes)).toBe(0);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('the spec text of any packet parses back to the same bytes', () => {
    fc.assert(
      fc.property(validLayers, (layers) => {
        const bytes = encodePacket(layers);
        expect(Buffer.compare(parsePacketSpec(new PacketBuilder(layers).toSpec()).build(), bytes)).toBe(0);
        const decoded = decodePacket(bytes);
        expect(Buffer.compare(parsePacketSpec(formatSpec(decoded.layers)).build(), bytes)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  test('random layer objects either build or throw a PacketError', () => {
    const kinds = [
      'eth',
      'vlan',
      'arp',
      'ipv4',
      'ipv6',
      'hopopts',
      'routing',
      'fragment',
      'dstopts',
      'udp',
      'tcp',
      'icmp',
      'icmpv6',
      'payload',
      'padding',
      'bogus',
    ];
    const fields = [
      'src',
      'dst',
      'type',
      'ttl',
      'flags',
      'options',
      'data',
      'addresses',
      'vid',
      'length',
      'checksum',
      'to',
      'size',
      'tpid',
    ];
    const layer = fc.record({
      kind: fc.oneof(fc.constantFrom(...kinds), fc.anything()),
      extra: fc.dictionary(fc.constantFrom(...fields), fc.anything(), { maxKeys: 3 }),
    });
    fc.assert(
      fc.property(fc.array(layer, { maxLength: 5 }), (raw) => {
        const layers = raw.map((r) => ({ ...r.extra, kind: r.kind }));
        try {
          encodePacket(layers as Layer[]);
        } catch (err) {
          expect(PacketError.isInstance(err), String(err)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('random spec strings either parse or throw a PacketError with a position', () => {
    const pieces = fc.constantFrom(
      'eth',
      'ipv4',
      'udp',
      'payload',
      '(',
      ')',
      '=',
      ',',
      '/',
      '"',
      '[',
      ']',
      'ttl',
      'src',
      '10.0.0.1',
      '0x',
      'ff:',
      ' ',
      '\\',
      '1',
      'x',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(pieces, { maxLength: 20 }).map((p) => p.join('')),
        ),
        (spec) => {
          try {
            parsePacketSpec(spec).build();
          } catch (err) {
            expect(PacketError.isInstance(err), String(err)).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
