import { describe, expect, test } from 'vitest';
import { decodePacket, diffPackets, eth } from '../src/index.js';

const input = eth({ dst: '02:00:00:00:00:02' })
  .ipv4({ src: '10.0.0.1', dst: '10.0.0.2' })
  .udp({ dport: 53 })
  .payload('hi')
  .build();

describe('packet diff', () => {
  test('an untouched packet has no changes', () => {
    expect(diffPackets(input, Buffer.from(input)).unchanged).toBe(true);
  });

  test('field changes, and a checksum left stale is reported as now invalid', () => {
    const out = Buffer.from(input);
    out.fill(0xff, 0, 6);
    out[22] = 63;
    expect(diffPackets(input, out).lines()).toEqual([
      'eth.dst: 02:00:00:00:00:02 -> ff:ff:ff:ff:ff:ff',
      'ipv4.ttl: 64 -> 63',
      'ipv4.checksum: 0x66cd (unchanged, now invalid)',
    ]);
  });

  test('a correctly updated checksum stays valid; an UDP payload change invalidates the UDP checksum', () => {
    const out = eth({ dst: '02:00:00:00:00:02' })
      .ipv4({ src: '10.0.0.1', dst: '10.0.0.2', ttl: 63 })
      .udp({ dport: 53 })
      .payload('hi')
      .build();
    const changes = diffPackets(input, out).changes;
    expect(changes.find((c) => c.path === 'ipv4.checksum')).toMatchObject({
      status: 'still valid',
      valueChanged: true,
    });
    const tampered = Buffer.from(input);
    tampered[tampered.length - 1] = 0x6f;
    expect(diffPackets(input, tampered).lines()).toEqual(
      ['payload.data: "hi" -> "ho"', 'udp.checksum: 0xc338 (unchanged, now invalid)'].reverse(),
    );
  });

  test('a pushed VLAN tag and a changed length', () => {
    const out = eth({ dst: '02:00:00:00:00:02' })
      .vlan({ vid: 5 })
      .ipv4({ src: '10.0.0.1', dst: '10.0.0.2' })
      .udp({ dport: 53 })
      .payload('hi')
      .build();
    expect(diffPackets(decodePacket(input), out).lines()).toEqual([
      'length: 44 -> 48',
      'eth.type: 0x0800 -> 0x8100',
      '+vlan: vlan(pcp=0,dei=false,vid=5,type=0x0800,tpid=0x8100)',
    ]);
  });
});
