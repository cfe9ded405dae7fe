import fc from 'fast-check';
import { PacketError } from '../errors/packet-error.js';
import { formatIpv4, parseIpv4 } from '../packet/ipv4-address.js';
import { formatIpv6, parseIpv6 } from '../packet/ipv6-address.js';

/**
 * Addresses of one family drawn from prefixes (`10.0.0.0/8`, `2001:db8::/32`, or single addresses), as
 * text; any address of the family when `prefixes` is undefined. Shrinks towards each prefix's first address.
 * @throws PacketError (`field[N]`) for a malformed address or prefix length
 */
export function addressArbitrary(
  family: 'ipv4' | 'ipv6',
  prefixes: readonly string[] | undefined,
  field: string,
): fc.Arbitrary<string> {
  const size = family === 'ipv4' ? 4 : 16;
  const format = family === 'ipv4' ? formatIpv4 : formatIpv6;
  const each = (prefixes ?? [family === 'ipv4' ? '0.0.0.0/0' : '::/0']).map((text, i) => {
    const [address, bits, ...rest] = text.split('/');
    const length = bits === undefined ? size * 8 : Number(bits);
    if (rest.length > 0 || !Number.isInteger(length) || length < 0 || length > size * 8 || bits === '') {
      throw new PacketError(
        `${field}[${i}]`,
        'prefix',
        `expected an ${family} address or prefix, got ${JSON.stringify(text)}`,
      );
    }
    const network =
      family === 'ipv4' ? parseIpv4(address, `${field}[${i}]`) : parseIpv6(address, `${field}[${i}]`);
    const mask = Uint8Array.from({ length: size }, (_, b) => {
      const left = length - b * 8;
      return left >= 8 ? 0xff : left <= 0 ? 0 : (0xff << (8 - left)) & 0xff;
    });
    return fc.uint8Array({ minLength: size, maxLength: size }).map((host) => {
      const out = new Uint8Array(size);
      for (let b = 0; b < size; b++) out[b] = (network[b]! & mask[b]!) | (host[b]! & ~mask[b]!);
      return format(out);
    });
  });
  return each.length === 1 ? each[0]! : fc.oneof(...each);
}
