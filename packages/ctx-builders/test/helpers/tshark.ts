import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePcap } from '../../src/index.js';

/** Per packet: every requested field with all its occurrences, as tshark prints them. */
export type TsharkPacket = Record<string, string[]>;

/**
 * Writes the packets to a pcap file and decodes it with tshark, checksum validation on, returning the
 * requested fields of every packet. tshark is installed by scripts/setup.sh.
 */
export function tsharkFields(packets: Uint8Array[], fields: string[], linkType?: number): TsharkPacket[] {
  const dir = mkdtempSync(join(tmpdir(), 'pr-cb-tshark-'));
  try {
    const file = join(dir, 'packets.pcap');
    writeFileSync(file, encodePcap(packets, linkType === undefined ? {} : { linkType }));
    const args = ['-r', file, '-n', '-T', 'json'];
    for (const proto of ['ip', 'udp', 'tcp']) args.push('-o', `${proto}.check_checksum:TRUE`);
    for (const f of fields) args.push('-e', f);
    const out = execFileSync('tshark', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
    });
    const parsed = JSON.parse(out) as { _source: { layers: TsharkPacket } }[];
    return parsed.map((p) => p._source.layers);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** tshark's checksum status values. */
export const CHECKSUM_BAD = '0';
export const CHECKSUM_GOOD = '1';
