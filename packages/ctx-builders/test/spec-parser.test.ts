import { describe, expect, test } from 'vitest';
import { decodePacket, eth, parsePacketSpec, SpecSyntaxError } from '../src/index.js';

function errorOf(spec: string): SpecSyntaxError {
  try {
    parsePacketSpec(spec);
  } catch (err) {
    if (SpecSyntaxError.isInstance(err)) return err;
    throw err;
  }
  throw new Error(`'${spec}' parsed`);
}

describe('packet spec strings', () => {
  test('the issue example builds the same bytes as the compact notation', () => {
    const fromSpec = parsePacketSpec(
      'eth(dst=ff:ff:ff:ff:ff:ff)/ipv4(src=10.0.0.1,dst=10.0.0.2,ttl=64)/udp(dport=53)/payload("hi")',
    ).build();
    const fromCode = eth({ dst: 'ff:ff:ff:ff:ff:ff' })
      .ipv4({ src: '10.0.0.1', dst: '10.0.0.2', ttl: 64 })
      .udp({ dport: 53 })
      .payload('hi')
      .build();
    expect(fromSpec.equals(fromCode)).toBe(true);
  });

  test('whitespace, lists, hex, escapes, flags and bare layers', () => {
    const b = parsePacketSpec(
      ' eth / vlan( vid = 0x10 ) / ipv6 / routing(addresses=[2001:db8::1, 2001:db8::2]) / tcp(flags=SA, options=[mss:1460,nop]) / payload("a\\x00\\"\\n") ',
    ).build();
    const d = decodePacket(b);
    expect(d.get('vlan')?.vid).toBe(16);
    expect(d.get('routing')?.addresses).toEqual(['2001:db8::1', '2001:db8::2']);
    expect(d.get('tcp')).toMatchObject({ flags: 'SA', options: ['mss:1460', 'nop', 'eol', 'eol', 'eol'] });
    expect([...d.get('payload')!.data]).toEqual([0x61, 0, 0x22, 0x0a]);
    expect([...decodePacket(parsePacketSpec('eth/payload(0xdead)').build()).get('payload')!.data]).toEqual([
      0xde, 0xad,
    ]);
    expect(
      Buffer.from(decodePacket(parsePacketSpec('eth/payload("é")').build()).get('payload')!.data).toString(),
    ).toBe('é');
  });

  test('errors name the position and the rule', () => {
    expect(errorOf('eth()/ipv4(ttl=300)')).toMatchObject({
      position: 15,
      field: 'ipv4.ttl',
      rule: 'u8-range',
    });
    expect(errorOf('eth()/ipv4(ttl=3')).toMatchObject({ position: 16, rule: 'args' });
    expect(errorOf('eth()/ipx()')).toMatchObject({ position: 6, rule: 'layer' });
    expect(errorOf('eth()/ipv4(hops=1)')).toMatchObject({ position: 11, rule: 'field' });
    expect(errorOf('eth() ipv4()')).toMatchObject({ position: 6, rule: 'packet' });
    expect(errorOf('eth()/payload("abc')).toMatchObject({ position: 14, rule: 'string' });
    expect(errorOf('eth()/payload("\\q")')).toMatchObject({ position: 15, rule: 'string-escape' });
    expect(errorOf('eth()/ipv4(ttl=1,ttl=2)')).toMatchObject({ position: 17, rule: 'field' });
    expect(errorOf('eth()/udp(1)')).toMatchObject({ position: 10, rule: 'arg' });
    expect(errorOf('eth()/ipv4(src=[1])')).toMatchObject({ position: 15, field: 'ipv4.src' });
    expect(errorOf('')).toMatchObject({ position: 0, rule: 'layer' });
    const e = errorOf('eth()/ipv4(ttl=300)');
    expect(e.message).toContain('position 15');
    expect(e.message).toContain('rule: u8-range');
  });

  test('toSpec gives only the fields that were set', () => {
    expect(eth().ipv4({ ttl: 1, flags: 'DF' }).udp({ dport: 53 }).payload('hi').toSpec()).toBe(
      'eth/ipv4(flags=DF,ttl=1)/udp(dport=53)/payload("hi")',
    );
  });
});
