import { firstLayerOf, parsePacketSpec, readCaptureFile } from '@progrun/ctx-builders';
import { usageError } from '../cli/cli-error.js';

/** One input packet and where it came from. */
export interface InputPacket {
  /** The frame, starting with its Ethernet header. */
  readonly bytes: Uint8Array;
  /** Where it came from, for messages: the spec, `pcap #3`, `--data`. */
  readonly origin: string;
}

/** The default input of packet programs when none is given: a small UDP datagram. */
export const defaultPacketSpec = 'eth()/ipv4()/udp(dport=7)/payload("progrun")';

/** What the user passed to choose the input packets. */
export interface PacketOptions {
  readonly packet?: string;
  readonly data?: string;
  readonly pcap?: string;
}

// A header for captures of bare IP (LINKTYPE_RAW): XDP and tc programs expect Ethernet.
function withEthernet(ip: Uint8Array): Uint8Array {
  const frame = new Uint8Array(14 + ip.length);
  frame.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1], 0);
  const ipv6 = ip[0] !== undefined && ip[0] >> 4 === 6;
  frame.set(ipv6 ? [0x86, 0xdd] : [0x08, 0x00], 12);
  frame.set(ip, 14);
  return frame;
}

/**
 * Checks that at most one of `--packet`, `--data` and `--pcap` is given.
 * @throws CliError (usage) naming the options given together
 */
export function checkOnePacketSource(options: PacketOptions, command: string): void {
  const given = (['packet', 'data', 'pcap'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 1) {
    throw usageError(
      `--${given[0]}`,
      'the only packet source',
      `--${given.join(' and --')} cannot be combined; give one packet source`,
      command,
    );
  }
}

/**
 * The packets to run: from `--packet` (a spec such as `eth()/ipv4(ttl=1)/udp(dport=53)`), `--data`
 * (hex bytes) or `--pcap` (every packet of a pcap or pcapng file; bare-IP captures get an Ethernet
 * header); none when no option is given.
 * @throws CliError (usage) for more than one source or bad hex; SpecSyntaxError / PacketError from the
 *   spec parser and the capture reader.
 */
export function readInputPackets(options: PacketOptions, command: string): InputPacket[] {
  checkOnePacketSource(options, command);
  if (options.packet !== undefined) {
    return [{ bytes: parsePacketSpec(options.packet).build(), origin: options.packet }];
  }
  if (options.data !== undefined) {
    const hex = options.data.replace(/^0x/i, '').replace(/[\s:]/g, '');
    if (!/^([0-9a-f]{2})+$/i.test(hex)) {
      throw usageError(
        '--data',
        'bytes in hex, an even number of digits',
        '--data must be bytes in hex (e.g. 0200000000010200...), an even number of digits',
        command,
      );
    }
    return [{ bytes: Buffer.from(hex, 'hex'), origin: '--data' }];
  }
  if (options.pcap !== undefined) {
    const packets = readCaptureFile(options.pcap);
    if (packets.length === 0)
      throw usageError('--pcap', 'a capture with packets', `${options.pcap} holds no packets`, command);
    return packets.map((packet, index) => {
      const first = firstLayerOf(packet.linkType);
      if (first === undefined) {
        throw usageError(
          '--pcap',
          'a capture of Ethernet or raw IP packets',
          `${options.pcap}: packet ${index + 1} has link type ${packet.linkType}, which is neither Ethernet nor raw IP`,
          command,
        );
      }
      return {
        bytes: first === 'eth' ? packet.data : withEthernet(packet.data),
        origin: `${options.pcap} #${index + 1}`,
      };
    });
  }
  return [];
}
