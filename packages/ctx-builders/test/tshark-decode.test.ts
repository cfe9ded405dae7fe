import { describe, expect, test } from 'vitest';
import { eth, ipv4, ipv6, LinkType, parsePacketSpec } from '../src/index.js';
import { CHECKSUM_BAD, CHECKSUM_GOOD, tsharkFields } from './helpers/tshark.js';

describe('built packets as tshark decodes them', () => {
  test('Ethernet, IPv4 with options, UDP: every field and both checksums', () => {
    const pkt = eth({ dst: 'ff:ff:ff:ff:ff:ff', src: '02:11:22:33:44:55' })
      .ipv4({
        src: '10.0.0.1',
        dst: '10.0.0.2',
        ttl: 17,
        id: 0x1234,
        flags: 'DF',
        dscp: 46,
        ecn: 1,
        options: ['nop', 'ra', 'rr:2'],
      })
      .udp({ sport: 4000, dport: 7777 })
      .payload('hello')
      .build();
    const [p] = tsharkFields(
      [pkt],
      [
        'eth.dst',
        'eth.src',
        'eth.type',
        'ip.version',
        'ip.hdr_len',
        'ip.dsfield.dscp',
        'ip.dsfield.ecn',
        'ip.len',
        'ip.id',
        'ip.flags.df',
        'ip.ttl',
        'ip.proto',
        'ip.checksum.status',
        'ip.src',
        'ip.dst',
        'ip.opt.type',
        'udp.srcport',
        'udp.dstport',
        'udp.length',
        'udp.checksum.status',
        'data.data',
      ],
    );
    expect(p).toEqual({
      'eth.dst': ['ff:ff:ff:ff:ff:ff'],
      'eth.src': ['02:11:22:33:44:55'],
      'eth.type': ['0x0800'],
      'ip.version': ['4'],
      'ip.hdr_len': ['36'],
      'ip.dsfield.dscp': ['46'],
      'ip.dsfield.ecn': ['1'],
      'ip.len': [String(36 + 8 + 5)],
      'ip.id': ['0x1234'],
      'ip.flags.df': ['1'],
      'ip.ttl': ['17'],
      'ip.proto': ['17'],
      'ip.checksum.status': [CHECKSUM_GOOD],
      'ip.src': ['10.0.0.1'],
      'ip.dst': ['10.0.0.2'],
      'ip.opt.type': ['1', '148', '7'],
      'udp.srcport': ['4000'],
      'udp.dstport': ['7777'],
      'udp.length': ['13'],
      'udp.checksum.status': [CHECKSUM_GOOD],
      'data.data': ['68656c6c6f'],
    });
  });

  test('QinQ, IPv6 with hop-by-hop, segment routing and destination options, TCP with options', () => {
    const pkt = eth()
      .vlan({ vid: 100, pcp: 5 })
      .vlan({ vid: 200, dei: true })
      .ipv6({ src: '2001:db8::10', dst: '2001:db8::20', hopLimit: 9, flowLabel: 0xabcde, trafficClass: 0x28 })
      .hopopts({ options: ['ra:0'] })
      .routing({ addresses: ['2001:db8::99', '2001:db8::20'] })
      .dstopts()
      .tcp({
        sport: 12345,
        dport: 443,
        seq: 0xdeadbeef,
        ack: 7,
        flags: 'SA',
        window: 1024,
        options: ['mss:1460', 'nop', 'wscale:7', 'sackok', 'ts:100:200'],
      })
      .payload('data')
      .build();
    const [p] = tsharkFields(
      [pkt],
      [
        'eth.type',
        'ieee8021ad.id',
        'ieee8021ad.priority',
        'vlan.id',
        'vlan.dei',
        'vlan.etype',
        'ipv6.src',
        'ipv6.dst',
        'ipv6.hlim',
        'ipv6.flow',
        'ipv6.tclass',
        'ipv6.plen',
        'ipv6.nxt',
        'ipv6.routing.type',
        'ipv6.routing.segleft',
        'ipv6.routing.srh.addr',
        'tcp.srcport',
        'tcp.dstport',
        'tcp.seq_raw',
        'tcp.ack_raw',
        'tcp.flags',
        'tcp.window_size_value',
        'tcp.hdr_len',
        'tcp.options.mss_val',
        'tcp.options.wscale.shift',
        'tcp.options.sack_perm',
        'tcp.options.timestamp.tsval',
        'tcp.options.timestamp.tsecr',
        'tcp.checksum.status',
      ],
    );
    expect(p).toMatchObject({
      'eth.type': ['0x88a8'],
      'ieee8021ad.id': ['100'],
      'ieee8021ad.priority': ['5'],
      'vlan.id': ['200'],
      'vlan.dei': ['1'],
      'vlan.etype': ['0x86dd'],
      'ipv6.src': ['2001:db8::10'],
      'ipv6.dst': ['2001:db8::20'],
      'ipv6.hlim': ['9'],
      'ipv6.flow': ['0x0abcde'],
      'ipv6.tclass': ['0x00000028'],
      'ipv6.plen': [String(8 + 40 + 8 + 40 + 4)],
      'ipv6.nxt': ['0'],
      'ipv6.routing.type': ['4'],
      'ipv6.routing.segleft': ['1'],
      'ipv6.routing.srh.addr': ['2001:db8::99', '2001:db8::20'],
      'tcp.srcport': ['12345'],
      'tcp.dstport': ['443'],
      'tcp.seq_raw': [String(0xdeadbeef)],
      'tcp.ack_raw': ['7'],
      'tcp.flags': ['0x0012'],
      'tcp.window_size_value': ['1024'],
      'tcp.hdr_len': ['40'],
      'tcp.options.mss_val': ['1460'],
      'tcp.options.wscale.shift': ['7'],
      'tcp.options.timestamp.tsval': ['100'],
      'tcp.options.timestamp.tsecr': ['200'],
      'tcp.checksum.status': [CHECKSUM_GOOD],
    });
    expect(p!['tcp.options.sack_perm']).toHaveLength(1);
  });

  test('ICMP and ICMPv6 echo, ARP, IPv6 fragment, UDP over IPv6', () => {
    const packets = [
      eth().ipv4().icmp({ type: 8, id: 77, seq: 3 }).payload('ping').build(),
      eth().ipv6().icmpv6({ type: 128, id: 77, seq: 3 }).payload('ping').build(),
      eth({ dst: 'ff:ff:ff:ff:ff:ff' }).arp({ op: 1, spa: '192.0.2.7', tpa: '192.0.2.9' }).build(),
      eth()
        .ipv6()
        .fragment({ id: 0x01020304, more: true, fragOffset: 0 })
        .udp({ dport: 5000 })
        .payload('frag')
        .build(),
      eth().ipv6({ src: 'fe80::1', dst: 'ff02::1' }).udp({ sport: 546, dport: 9999 }).payload('x').build(),
    ];
    const out = tsharkFields(packets, [
      'icmp.type',
      'icmp.ident',
      'icmp.seq',
      'icmp.checksum.status',
      'icmpv6.type',
      'icmpv6.echo.identifier',
      'icmpv6.echo.sequence_number',
      'icmpv6.checksum.status',
      'arp.opcode',
      'arp.src.hw_mac',
      'arp.src.proto_ipv4',
      'arp.dst.proto_ipv4',
      'ipv6.fraghdr.ident',
      'ipv6.fraghdr.more',
      'udp.checksum.status',
      'udp.length',
    ]);
    expect(out[0]).toMatchObject({
      'icmp.type': ['8'],
      'icmp.ident': ['77'],
      'icmp.seq': ['3'],
      'icmp.checksum.status': [CHECKSUM_GOOD],
    });
    expect(out[1]).toMatchObject({
      'icmpv6.type': ['128'],
      'icmpv6.echo.identifier': ['0x004d'],
      'icmpv6.echo.sequence_number': ['3'],
      'icmpv6.checksum.status': [CHECKSUM_GOOD],
    });
    expect(out[2]).toMatchObject({
      'arp.opcode': ['1'],
      'arp.src.hw_mac': ['02:00:00:00:00:01'],
      'arp.src.proto_ipv4': ['192.0.2.7'],
      'arp.dst.proto_ipv4': ['192.0.2.9'],
    });
    expect(out[3]).toMatchObject({ 'ipv6.fraghdr.ident': ['0x01020304'], 'ipv6.fraghdr.more': ['1'] });
    expect(out[4]).toMatchObject({ 'udp.checksum.status': [CHECKSUM_GOOD], 'udp.length': ['9'] });
  });

  test('overridden checksums and lengths are written as given and tshark flags them', () => {
    const packets = [
      eth().ipv4({ checksum: 0x1234 }).udp({ checksum: 0x4321, dport: 7777 }).payload('bad').build(),
      eth().ipv4({ ttl: 1 }).tcp({ checksum: 0 }).build(),
      eth().ipv6().icmpv6({ checksum: 0xffff }).build(),
    ];
    const out = tsharkFields(packets, [
      'ip.checksum',
      'ip.checksum.status',
      'udp.checksum',
      'udp.checksum.status',
      'tcp.checksum.status',
      'icmpv6.checksum.status',
    ]);
    expect(out[0]).toMatchObject({
      'ip.checksum': ['0x1234'],
      'ip.checksum.status': [CHECKSUM_BAD],
      'udp.checksum': ['0x4321'],
      'udp.checksum.status': [CHECKSUM_BAD],
    });
    expect(out[1]).toMatchObject({
      'ip.checksum.status': [CHECKSUM_GOOD],
      'tcp.checksum.status': [CHECKSUM_BAD],
    });
    expect(out[2]).toMatchObject({ 'icmpv6.checksum.status': [CHECKSUM_BAD] });
  });

  test('raw IP packets (no link layer) and IP-in-IP tunnels', () => {
    const packets = [
      ipv4({ src: '198.51.100.1', dst: '198.51.100.2' }).udp({ dport: 4789 }).payload('raw').build(),
      ipv6().tcp({ flags: 'FPA' }).payload('raw6').build(),
      ipv4({ src: '192.0.2.1', dst: '192.0.2.2' })
        .ipv4({ src: '10.1.1.1', dst: '10.2.2.2' })
        .udp({ dport: 7777 })
        .build(),
      ipv4().ipv6().icmpv6().build(),
    ];
    const out = tsharkFields(
      packets,
      [
        'ip.src',
        'ip.checksum.status',
        'ipv6.nxt',
        'udp.checksum.status',
        'tcp.flags',
        'tcp.checksum.status',
        'icmpv6.checksum.status',
      ],
      LinkType.RAW,
    );
    expect(out[0]).toMatchObject({ 'ip.src': ['198.51.100.1'], 'udp.checksum.status': [CHECKSUM_GOOD] });
    expect(out[1]).toMatchObject({ 'tcp.flags': ['0x0019'], 'tcp.checksum.status': [CHECKSUM_GOOD] });
    expect(out[2]).toMatchObject({
      'ip.src': ['192.0.2.1', '10.1.1.1'],
      'ip.checksum.status': [CHECKSUM_GOOD, CHECKSUM_GOOD],
      'udp.checksum.status': [CHECKSUM_GOOD],
    });
    expect(out[3]).toMatchObject({ 'ipv6.nxt': ['58'], 'icmpv6.checksum.status': [CHECKSUM_GOOD] });
  });

  test('the spec string form builds what tshark reads back', () => {
    const pkt = parsePacketSpec(
      'eth(dst=ff:ff:ff:ff:ff:ff)/ipv4(src=10.0.0.1,dst=10.0.0.2,ttl=64)/udp(dport=7777)/payload("hi")',
    ).build();
    const [p] = tsharkFields(
      [pkt],
      ['eth.dst', 'ip.src', 'ip.dst', 'ip.ttl', 'udp.dstport', 'udp.checksum.status', 'data.data'],
    );
    expect(p).toEqual({
      'eth.dst': ['ff:ff:ff:ff:ff:ff'],
      'ip.src': ['10.0.0.1'],
      'ip.dst': ['10.0.0.2'],
      'ip.ttl': ['64'],
      'udp.dstport': ['7777'],
      'udp.checksum.status': [CHECKSUM_GOOD],
      'data.data': ['6869'],
    });
  });
});
