import { describe, expect, test } from 'vitest';
import { decodePacket, encodePacket, eth, ipv6, PacketError, packet } from '../src/index.js';

describe('packet builder', () => {
  test('the compact notation computes lengths, types and checksums', () => {
    const bytes = eth().ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }).udp({ dport: 53 }).payload('hi').build();
    expect(bytes.length).toBe(14 + 20 + 8 + 2);
    const d = decodePacket(bytes);
    expect(d.get('eth')).toMatchObject({ dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', type: 0x0800 });
    expect(d.get('ipv4')).toMatchObject({
      ihl: 5,
      totalLength: 30,
      ttl: 64,
      protocol: 17,
      src: '10.0.0.1',
      dst: '10.0.0.2',
    });
    expect(d.get('udp')).toMatchObject({ sport: 49152, dport: 53, length: 10 });
    expect(Buffer.from(d.get('payload')!.data).toString()).toBe('hi');
    expect(d.valid).toBe(true);
  });

  test('a builder is immutable: a prefix is a reusable template', () => {
    const base = eth().ipv4();
    const a = base.udp({ dport: 1 }).build();
    const b = base.tcp().build();
    expect(base.layers).toHaveLength(2);
    expect(decodePacket(a).get('udp')?.dport).toBe(1);
    expect(decodePacket(b).get('tcp')?.flags).toBe('S');
  });

  test('any field can be overridden to build a broken packet', () => {
    const bytes = eth({ type: 0x86dd })
      .ipv4({ version: 5, ihl: 7, totalLength: 9, protocol: 99, checksum: 0xbeef })
      .udp({ length: 3, checksum: 0 })
      .build();
    expect(bytes.readUInt16BE(12)).toBe(0x86dd);
    expect(bytes[14]).toBe(0x57);
    expect(bytes.readUInt16BE(16)).toBe(9);
    expect(bytes[23]).toBe(99);
    expect(bytes.readUInt16BE(24)).toBe(0xbeef);
    expect(bytes.readUInt16BE(38)).toBe(3);
    expect(bytes.readUInt16BE(40)).toBe(0);
    const ok = decodePacket(eth().ipv4({ checksum: 0xbeef }).udp({ checksum: 1 }).build());
    expect(ok.check('ipv4.checksum')).toMatchObject({ status: 'invalid', actual: 0xbeef });
    expect(ok.check('udp.checksum')).toMatchObject({ status: 'invalid', actual: 1 });
    expect(ok.valid).toBe(false);
  });

  test('QinQ: the outer tag is an S-tag unless its TPID is given', () => {
    const d = decodePacket(eth().vlan({ vid: 10 }).vlan({ vid: 20 }).ipv4().build());
    expect(d.get('eth')?.type).toBe(0x88a8);
    expect(d.get('vlan', 0)).toMatchObject({ vid: 10, tpid: 0x88a8, type: 0x8100 });
    expect(d.get('vlan', 1)).toMatchObject({ vid: 20, tpid: 0x8100, type: 0x0800 });
    const custom = decodePacket(eth().vlan({ vid: 1, tpid: 0x9100 }).vlan({ vid: 2 }).build());
    expect(custom.get('eth')?.type).toBe(0x9100);
  });

  test('a raw payload is announced with the experimental EtherType and IP protocol; nothing after IPv6 is next header 59', () => {
    expect(eth().payload('x').build().readUInt16BE(12)).toBe(0x88b5);
    expect(eth().ipv4().payload('x').build()[23]).toBe(253);
    expect(ipv6().build()[6]).toBe(59);
  });

  test('padding pads the frame without counting in IP and UDP lengths', () => {
    const bytes = eth().ipv4().udp().payload('a').padding({ to: 60 }).build();
    expect(bytes.length).toBe(60);
    const d = decodePacket(bytes);
    expect(d.get('ipv4')?.totalLength).toBe(29);
    expect(d.get('padding')?.data.length).toBe(60 - 43);
    expect(d.valid).toBe(true);
  });

  test('IPv4 and TCP options are padded to 4 bytes, IPv6 options to 8', () => {
    const d = decodePacket(
      eth()
        .ipv4({ options: ['nop'] })
        .tcp({ options: ['mss:1400', 'wscale:2'] })
        .build(),
    );
    expect(d.get('ipv4')).toMatchObject({ ihl: 6, options: ['nop', 'eol', 'eol', 'eol'] });
    expect(d.get('tcp')).toMatchObject({ dataOffset: 7, options: ['mss:1400', 'wscale:2', 'eol'] });
    const v6 = decodePacket(
      eth()
        .ipv6()
        .hopopts({ options: ['ra:0'] })
        .build(),
    );
    expect(v6.get('hopopts')).toMatchObject({ hdrExtLen: 0, options: ['ra:0', 'padn:2'] });
  });

  test('malformed options round-trip as raw bytes', () => {
    const bytes = eth()
      .ipv4()
      .tcp({ options: [{ kind: 2, data: [5, 180], length: 9 }] })
      .build();
    const tcp = decodePacket(bytes).get('tcp')!;
    expect(tcp.options).toBeInstanceOf(Uint8Array);
    expect(Buffer.compare(encodePacket(decodePacket(bytes).layers as never), bytes)).toBe(0);
  });

  test('bad values are typed errors naming the field and the rule', () => {
    const cases: [() => unknown, string, string][] = [
      [() => eth().ipv4({ ttl: 256 }).build(), 'ipv4.ttl', 'u8-range'],
      [() => eth().ipv4({ src: '10.0.0.256' }).build(), 'ipv4.src', 'ipv4-address'],
      [() => eth({ dst: 'zz:00:00:00:00:00' }).build(), 'eth.dst', 'mac-address'],
      [() => ipv6({ dst: '2001:db8::1::2' }).build(), 'ipv6.dst', 'ipv6-address'],
      [() => eth().ipv4({ flags: 'XF' }).build(), 'ipv4.flags', 'ipv4-flags'],
      [() => eth().ipv4().tcp({ flags: 'SQ' }).build(), 'tcp.flags', 'tcp-flags'],
      [
        () =>
          eth()
            .ipv4()
            .tcp({ options: ['mss:70000'] })
            .build(),
        'tcp.options[0]',
        'u16-range',
      ],
      [
        () =>
          eth()
            .ipv4({ options: new Uint8Array(44) })
            .build(),
        'ipv4.options',
        'max-40-bytes',
      ],
      [() => eth({ colour: 'red' } as never), 'eth.colour', 'unknown-field'],
      [() => packet().layer({ kind: 'ipx' } as never), 'layer.kind', 'layer-kind'],
      [() => eth().payload(42 as never), 'payload', 'layer'],
    ];
    for (const [fn, field, rule] of cases) {
      let caught: unknown;
      try {
        fn();
      } catch (err) {
        caught = err;
      }
      expect(PacketError.isInstance(caught), `${field}: ${String(caught)}`).toBe(true);
      expect({ field: (caught as PacketError).field, rule: (caught as PacketError).rule }).toEqual({
        field,
        rule,
      });
    }
  });
});
