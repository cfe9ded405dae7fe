import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { malformedPacket, validPacket } from '../src/arbitraries/index.js';
import { decodePacket, PacketError, parsePacketSpec } from '../src/index.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const inPrefix = (address: string, prefix: string) => address.startsWith(prefix);

describe('packet arbitraries', () => {
  test('valid packets: the spec builds the same bytes, and every check of the decoder holds', () => {
    fc.assert(
      fc.property(validPacket(), (packet) => {
        expect(hex(parsePacketSpec(packet.spec).build())).toBe(hex(packet.bytes));
        const decoded = decodePacket(packet.bytes);
        expect(decoded.layers.map((l) => l.kind)).toEqual(packet.layers.map((l) => l.kind));
        for (const check of decoded.checks) expect(check.status, check.field).toBe('valid');
      }),
      { numRuns: 400 },
    );
  });

  test('constraints: VLAN tags, network, transport, address prefixes, ports, frame length', () => {
    const constraints = {
      vlanTags: { min: 1, max: 1 },
      network: ['ipv4', 'ipv6'],
      transport: ['udp', 'tcp'],
      ipv4Dst: ['10.1.0.0/16'],
      ipv6Src: ['2001:db8::/32'],
      dport: [53, { min: 8000, max: 8010 }],
      frameLength: { min: 90, max: 120 },
      ipv6ExtensionHeaders: false,
    } as const;
    fc.assert(
      fc.property(validPacket(constraints), (packet) => {
        const decoded = decodePacket(packet.bytes);
        const kinds = decoded.layers.map((l) => l.kind);
        expect(kinds.filter((k) => k === 'vlan')).toHaveLength(1);
        expect(kinds[2] === 'ipv4' || kinds[2] === 'ipv6').toBe(true);
        expect(['udp', 'tcp']).toContain(kinds[3]);
        const ipv4 = decoded.get('ipv4');
        if (ipv4) expect(inPrefix(ipv4.dst, '10.1.'), ipv4.dst).toBe(true);
        const ipv6 = decoded.get('ipv6');
        if (ipv6) expect(ipv6.src.startsWith('2001:db8:'), ipv6.src).toBe(true);
        const dport = (decoded.get('udp') ?? decoded.get('tcp'))!.dport;
        expect(dport === 53 || (dport >= 8000 && dport <= 8010), String(dport)).toBe(true);
        expect(packet.bytes.length).toBeGreaterThanOrEqual(90);
        expect(packet.bytes.length).toBeLessThanOrEqual(120);
      }),
      { numRuns: 200 },
    );
  });

  test('malformed packets: the spec builds the same bytes, and the defect is what the decoder finds', () => {
    fc.assert(
      fc.property(malformedPacket(), (packet) => {
        expect(hex(parsePacketSpec(packet.spec).build())).toBe(hex(packet.bytes));
        const defect = packet.defect!;
        const decoded = decodePacket(packet.bytes);
        if (defect.kind === 'truncated') {
          // The layers before the cut are whole; the cut header is left as raw bytes.
          const before = packet.layers.filter((l) => l.kind !== 'payload').map((l) => l.kind);
          expect(decoded.layers.map((l) => l.kind).slice(0, before.length)).toEqual(before);
          expect(decoded.layers.slice(before.length).every((l) => l.kind === 'payload')).toBe(true);
          expect(before).not.toContain(undefined);
        } else {
          expect(decoded.check(defect.field)?.status, defect.field).toBe('invalid');
        }
      }),
      { numRuns: 400 },
    );
  });

  test('malformed packets keep to the defects and layers asked for', () => {
    fc.assert(
      fc.property(
        malformedPacket({
          network: ['ipv4'],
          transport: ['udp'],
          defects: ['checksum'],
          defectLayers: ['udp'],
        }),
        (packet) => {
          expect(packet.defect).toEqual({ kind: 'checksum', field: 'udp.checksum' });
          expect(decodePacket(packet.bytes).check('udp.checksum')?.status).toBe('invalid');
        },
      ),
      { numRuns: 200 },
    );
  });

  test('a shrunk counterexample prints as a spec string that builds the failing packet', () => {
    const result = fc.check(
      fc.property(
        validPacket({ network: ['ipv4'], transport: ['udp'] }),
        (packet) => packet.layer('udp')!.dport! < 1000,
      ),
      { seed: 42 },
    );
    expect(result.failed).toBe(true);
    const printed = /Counterexample: \[(.*)\]/.exec(fc.defaultReportMessage(result) ?? '')![1]!;
    expect(printed).toBe(result.counterexample![0]!.spec);
    expect(printed).toMatch(/^eth\(.*\)\/ipv4\(.*\)\/udp\(sport=0,dport=1000\)$/);
    expect(hex(parsePacketSpec(printed).build())).toBe(hex(result.counterexample![0]!.bytes));
  });

  test('bad constraints are PacketErrors naming the constraint', () => {
    const cases: [unknown, string][] = [
      [{ vlanTags: { max: 3 } }, 'constraints.vlanTags'],
      [{ network: [] }, 'constraints.network'],
      [{ transport: ['sctp'] }, 'constraints.transport[0]'],
      [{ ipv4Dst: ['10.0.0.0/33'] }, 'constraints.ipv4Dst[0]'],
      [{ ipv6Src: ['nope/8'] }, 'constraints.ipv6Src[0]'],
      [{ dport: 70000 }, 'constraints.dport[0]'],
      [{ frameLength: { max: 20 } }, 'constraints.frameLength'],
      [{ colour: 'red' }, 'constraints.colour'],
    ];
    for (const [constraints, field] of cases) {
      let error: unknown;
      try {
        validPacket(constraints as never);
      } catch (e) {
        error = e;
      }
      expect(PacketError.isInstance(error), `${JSON.stringify(constraints)}: ${error}`).toBe(true);
      expect((error as PacketError).field).toBe(field);
    }
    expect(() => malformedPacket({ network: ['arp'], defects: ['checksum'] })).toThrow(
      expect.objectContaining({ field: 'constraints.defects' }),
    );
  });
});
