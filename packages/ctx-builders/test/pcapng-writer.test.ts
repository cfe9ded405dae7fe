import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import {
  decodeCapture,
  decodePcapng,
  encodePcapng,
  eth,
  LinkType,
  PacketError,
  PcapngWriter,
  readPcapngFile,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pr-cb-pcapng-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('pcapng writer', () => {
  test('the bytes of a one-packet file, block by block', () => {
    const file = encodePcapng([
      { data: Uint8Array.of(1, 2, 3), timestampNs: 0x1_0000_0002n, comments: ['ok'] },
    ]);
    expect(hex(file)).toBe(
      [
        // section header: type, length 28, byte-order magic, version 1.0, section length -1, length
        '0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000',
        // interface: type 1, length 32, Ethernet, reserved, snap length 0, if_tsresol=9 (padded), end, length
        '01000000 20000000 0100 0000 00000000 0900 0100 09000000 00000000 20000000',
        // enhanced packet: type 6, length 48, interface 0, timestamp high/low, captured 3, original 3,
        // data padded to 4, opt_comment "ok" (padded), end of options, length
        '06000000 30000000 00000000 01000000 02000000 03000000 03000000 01020300 0100 0200 6f6b0000 00000000 30000000',
      ]
        .join(' ')
        .replace(/ /g, ''),
    );
  });

  test('several interfaces, comments, timestamps and original lengths read back as written', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            data: fc.uint8Array({ maxLength: 80 }),
            timestampNs: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
            interfaceId: fc.integer({ min: 0, max: 2 }),
            comments: fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { maxLength: 2 }),
            extra: fc.nat(100),
          }),
          { maxLength: 20 },
        ),
        (packets) => {
          const interfaces = [
            { name: 'eth0' },
            { linkType: LinkType.RAW, description: 'tunnel' },
            { linkType: LinkType.ETHERNET, snapLength: 40 },
          ];
          const file = decodePcapng(
            encodePcapng(
              packets.map((p) => ({ ...p, originalLength: p.data.length + p.extra })),
              { interfaces, application: 'progrun test', comment: 'section' },
            ),
          );
          expect(file.interfaces).toEqual([
            { linkType: 1, snapLength: 0, unitsPerSecond: 1_000_000_000n, name: 'eth0' },
            { linkType: 101, snapLength: 0, unitsPerSecond: 1_000_000_000n, description: 'tunnel' },
            { linkType: 1, snapLength: 40, unitsPerSecond: 1_000_000_000n },
          ]);
          expect(file.packets).toHaveLength(packets.length);
          file.packets.forEach((read, i) => {
            const p = packets[i]!;
            const kept = p.interfaceId === 2 ? p.data.subarray(0, 40) : p.data;
            expect(hex(read.data)).toBe(hex(kept));
            expect(read.timestampNs).toBe(p.timestampNs);
            expect(read.interfaceId).toBe(p.interfaceId);
            expect(read.linkType).toBe(interfaces[p.interfaceId]!.linkType ?? 1);
            expect(read.originalLength).toBe(p.data.length + p.extra);
            expect(read.comments ?? []).toEqual(p.comments);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  test('a packet read from a pcapng file is written again as it was', () => {
    const first = encodePcapng(
      [{ data: eth().ipv4().udp().build(), timestampNs: 5n, interfaceId: 1, comments: ['a', 'b'] }],
      { interfaces: [{}, { name: 'lo' }] },
    );
    const again = encodePcapng(decodePcapng(first).packets, { interfaces: [{}, { name: 'lo' }] });
    expect(hex(again)).toBe(hex(first));
  });

  test('PcapngWriter writes a file tshark reads with its comments and interfaces', () => {
    const path = join(dir, 'w.pcapng');
    {
      using w = PcapngWriter.open(path, { interfaces: [{ name: 'in' }, { name: 'out' }] });
      w.write({ data: eth().ipv4().udp({ dport: 53 }).build(), comments: ['XDP_DROP'] });
      w.write({ data: eth().ipv6().tcp().build(), interfaceId: 1, comments: ['XDP_PASS', 'second'] });
      w.write(eth().arp().build());
      w.close();
      expect(() => w.write(new Uint8Array(1))).toThrow(PacketError);
    }
    expect(readPcapngFile(path).packets).toHaveLength(3);
    expect(decodeCapture(readFileSync(path))).toHaveLength(3);
    const out = execFileSync(
      'tshark',
      [
        '-r',
        path,
        '-T',
        'fields',
        '-E',
        'separator=|',
        '-e',
        'frame.interface_name',
        '-e',
        'frame.protocols',
        '-e',
        'frame.comment',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    expect(out.trim().split('\n')).toEqual([
      'in|eth:ethertype:ip:udp|XDP_DROP',
      'out|eth:ethertype:ipv6:tcp|XDP_PASS,second',
      'in|eth:ethertype:arp|',
    ]);
  });

  test('bad packets and options are typed errors naming the field', () => {
    expect(() => encodePcapng([{ data: new Uint8Array(1), interfaceId: 1 }])).toThrow(
      expect.objectContaining({ field: 'packets[0].interfaceId', rule: 'pcapng-interface' }),
    );
    expect(() => encodePcapng([{ data: new Uint8Array(1), comments: [7 as unknown as string] }])).toThrow(
      expect.objectContaining({ field: 'packets[0].comments[0]', rule: 'string' }),
    );
    expect(() => encodePcapng([], { interfaces: [] })).toThrow(
      expect.objectContaining({ field: 'pcapng.interfaces', rule: 'non-empty' }),
    );
    expect(() => encodePcapng([], { interfaces: [{ linkType: -1 }] })).toThrow(
      expect.objectContaining({ field: 'pcapng.interfaces[0].linkType' }),
    );
    expect(() => PcapngWriter.open(2 as unknown as string)).toThrow(
      expect.objectContaining({ field: 'path', rule: 'file-path' }),
    );
  });
});
