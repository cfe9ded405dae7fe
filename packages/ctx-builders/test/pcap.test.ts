import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import {
  decodeCapture,
  decodePacket,
  decodePcap,
  decodePcapng,
  encodePcap,
  eth,
  firstLayerOf,
  ipv4,
  LinkType,
  PacketError,
  PcapWriter,
  readCaptureFile,
  readPcapFile,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pr-cb-pcap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const packets = [
  eth().ipv4().udp().payload('one').build(),
  eth().ipv6().tcp({ flags: 'PA' }).payload('two').build(),
  eth().arp().build(),
];

describe('pcap and pcapng', () => {
  test('encodePcap / decodePcap keep bytes and nanosecond timestamps', () => {
    const file = encodePcap(
      packets.map((data, i) => ({ data, timestampNs: 1_700_000_000_123_456_789n + BigInt(i) })),
    );
    const read = decodePcap(file);
    expect(read.linkType).toBe(LinkType.ETHERNET);
    expect(read.nanosecond).toBe(true);
    expect(read.packets.map((p) => Buffer.from(p.data).toString('hex'))).toEqual(
      packets.map((p) => p.toString('hex')),
    );
    expect(read.packets[2]!.timestampNs).toBe(1_700_000_000_123_456_791n);
    const micro = decodePcap(
      encodePcap([{ data: packets[0]!, timestampNs: 1_500_000_000_999_999_999n }], { nanosecond: false }),
    );
    expect(micro.packets[0]!.timestampNs).toBe(1_500_000_000_999_999_000n);
  });

  test('PcapWriter writes a file tshark reads, and closes idempotently', () => {
    const path = join(dir, 'w.pcap');
    {
      using w = PcapWriter.open(path);
      for (const p of packets) w.write(p);
      w.close();
      expect(() => w.write(packets[0]!)).toThrow(PacketError);
    }
    expect(readPcapFile(path).packets).toHaveLength(3);
    const out = execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.protocols'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(out.trim().split('\n')).toEqual([
      'eth:ethertype:ip:udp:data',
      'eth:ethertype:ipv6:tcp',
      'eth:ethertype:arp',
    ]);
  });

  test('pcapng written by editcap reads back the same packets', () => {
    const pcap = join(dir, 'in.pcap');
    const ng = join(dir, 'out.pcapng');
    using w = PcapWriter.open(pcap);
    for (const [i, p] of packets.entries()) {
      w.write({ data: p, timestampNs: 1_600_000_000_000_000_000n + BigInt(i * 1000) });
    }
    w.close();
    execFileSync('editcap', ['-F', 'pcapng', pcap, ng], { stdio: 'ignore' });
    const file = decodePcapng(readFileSync(ng));
    expect(file.interfaces[0]!.linkType).toBe(LinkType.ETHERNET);
    expect(file.packets.map((p) => Buffer.from(p.data).toString('hex'))).toEqual(
      packets.map((p) => p.toString('hex')),
    );
    expect(file.packets[1]!.timestampNs).toBe(1_600_000_000_000_001_000n);
    expect(readCaptureFile(ng)).toHaveLength(3);
    expect(decodeCapture(readFileSync(pcap))).toHaveLength(3);
  });

  test('a big-endian pcapng with nanosecond resolution, simple and obsolete packet blocks and an unknown block', () => {
    const block = (type: number, body: Buffer) => {
      const len = 12 + ((body.length + 3) & ~3);
      const b = Buffer.alloc(len);
      b.writeUInt32BE(type, 0);
      b.writeUInt32BE(len, 4);
      body.copy(b, 8);
      b.writeUInt32BE(len, len - 4);
      return b;
    };
    const shb = Buffer.alloc(16);
    shb.writeUInt32BE(0x1a2b3c4d, 0);
    shb.writeUInt16BE(1, 4);
    shb.writeBigInt64BE(-1n, 8);
    const idb = Buffer.alloc(8 + 8 + 4);
    idb.writeUInt16BE(LinkType.ETHERNET, 0);
    idb.writeUInt32BE(0, 4);
    idb.writeUInt16BE(9, 8); // if_tsresol
    idb.writeUInt16BE(1, 10);
    idb[12] = 9; // 10^-9: nanoseconds
    const [a, b] = [packets[0]!, packets[2]!];
    const epb = Buffer.alloc(20 + a.length);
    epb.writeUInt32BE(0, 0);
    const ts = 1_700_000_000_000_000_123n;
    epb.writeUInt32BE(Number(ts >> 32n), 4);
    epb.writeUInt32BE(Number(ts & 0xffffffffn), 8);
    epb.writeUInt32BE(a.length, 12);
    epb.writeUInt32BE(a.length, 16);
    a.copy(epb, 20);
    const spb = Buffer.alloc(4 + b.length);
    spb.writeUInt32BE(b.length, 0);
    b.copy(spb, 4);
    const opb = Buffer.alloc(20 + a.length);
    opb.writeUInt16BE(0, 0);
    opb.writeUInt32BE(a.length, 12);
    opb.writeUInt32BE(a.length, 16);
    a.copy(opb, 20);
    const file = Buffer.concat([
      block(0x0a0d0d0a, shb),
      block(1, idb),
      block(6, epb),
      block(5, Buffer.alloc(8)),
      block(3, spb),
      block(2, opb),
    ]);
    const read = decodePcapng(file);
    expect(read.interfaces).toEqual([{ linkType: 1, snapLength: 0, unitsPerSecond: 1_000_000_000n }]);
    expect(read.packets.map((p) => Buffer.from(p.data).toString('hex'))).toEqual(
      [a, b, a].map((p) => p.toString('hex')),
    );
    expect(read.packets[0]!.timestampNs).toBe(ts);
    expect(decodeCapture(file)).toHaveLength(3);
  });

  test('raw IP captures decode from the IP header', () => {
    const file = decodePcap(encodePcap([ipv4().udp().build()], { linkType: LinkType.RAW }));
    const p = file.packets[0]!;
    expect(decodePacket(p.data, { first: firstLayerOf(p.linkType)! }).layers.map((l) => l.kind)).toEqual([
      'ipv4',
      'udp',
    ]);
  });

  test('snap length cuts packets and keeps their original length', () => {
    const p = decodePcap(encodePcap([packets[0]!], { snapLength: 20 })).packets[0]!;
    expect(p.data.length).toBe(20);
    expect(p.originalLength).toBe(packets[0]!.length);
  });

  test('garbage and truncated files are typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (noise, cut) => {
        const valid = encodePcap(packets);
        for (const bytes of [noise, valid.subarray(0, cut % valid.length)]) {
          for (const decode of [decodePcap, decodePcapng, decodeCapture]) {
            try {
              decode(bytes);
            } catch (err) {
              expect(PacketError.isInstance(err), String(err)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
