import { types } from 'node:util';
import { PacketError } from '../errors/packet-error.js';
import { DecodedPacket } from './decoded-packet.js';
import { describe } from './field-checks.js';
import { formatFieldValue } from './field-format.js';
import type { FieldType } from './field-type.js';
import type { DecodedLayer } from './layer.js';
import { layerCodecs } from './layer-registry.js';
import type { PacketCheck } from './packet-check.js';
import { type DecodeOptions, decodePacket } from './packet-decoder.js';
import { formatSpec } from './spec-format.js';

/** One difference between two packets. */
export interface PacketChange {
  /**
   * What changed: a field path (`eth.dst`, `ipv4#2.ttl`), `+kind`/`-kind` for a layer that appeared or
   * disappeared, or `length` for the packet size.
   */
  readonly path: string;
  /** The value before, in spec text form (empty for an added layer). */
  readonly before: string;
  /** The value after, in spec text form (empty for a removed layer). */
  readonly after: string;
  /** For checksum and length fields: `now valid`, `now invalid`, `still valid`, `still invalid`, `unverified`. */
  readonly status?: string;
  /** False when only the validity changed (a checksum left as it was over changed bytes). */
  readonly valueChanged: boolean;
}

/** What a program changed in a packet: the list of changes and their one-line text forms. */
export interface PacketDiff {
  /** The changes, outermost layer first. */
  readonly changes: readonly PacketChange[];
  /** True when nothing changed. */
  readonly unchanged: boolean;
  /** One line per change: `eth.dst: 02:00:00:00:00:01 -> ff:ff:ff:ff:ff:ff`, `ipv4.ttl: 64 -> 63`. */
  lines(): string[];
  /** The lines joined with newlines. */
  toString(): string;
}

const LONG_BYTES = 32;

function pathsOf(layers: readonly DecodedLayer[]): string[] {
  const seen = new Map<string, number>();
  return layers.map((l) => {
    const n = (seen.get(l.kind) ?? 0) + 1;
    seen.set(l.kind, n);
    return n === 1 ? l.kind : `${l.kind}#${n}`;
  });
}

// Longest common subsequence of the layer kinds: pairs the layers both packets have.
function alignLayers(a: readonly DecodedLayer[], b: readonly DecodedLayer[]): [number, number][] {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table = new Uint16Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * cols + j] =
        a[i]!.kind === b[j]!.kind
          ? table[(i + 1) * cols + j + 1]! + 1
          : Math.max(table[(i + 1) * cols + j]!, table[i * cols + j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]!.kind === b[j]!.kind) pairs.push([i++, j++]);
    else if (table[(i + 1) * cols + j]! >= table[i * cols + j + 1]!) pairs.push([i++, -1]);
    else pairs.push([-1, j++]);
  }
  while (i < a.length) pairs.push([i++, -1]);
  while (j < b.length) pairs.push([-1, j++]);
  return pairs;
}

function formatValue(type: FieldType, value: unknown): string {
  if (types.isUint8Array(value) && value.length > LONG_BYTES) return `${value.length} bytes`;
  return formatFieldValue(type, value);
}

function bytesNote(before: unknown, after: unknown): string | undefined {
  if (!types.isUint8Array(before) || !types.isUint8Array(after)) return undefined;
  if (before.length <= LONG_BYTES && after.length <= LONG_BYTES) return undefined;
  let first = 0;
  while (first < before.length && first < after.length && before[first] === after[first]) first++;
  return `first difference at byte ${first}`;
}

function statusNote(before: PacketCheck | undefined, after: PacketCheck | undefined): string | undefined {
  if (!after) return undefined;
  if (after.status === 'unverified') return 'unverified';
  if (!before || before.status === 'unverified') return `now ${after.status}`;
  return before.status === after.status ? `still ${after.status}` : `now ${after.status}`;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (types.isUint8Array(a) && types.isUint8Array(b)) return Buffer.compare(a, b) === 0;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  return a === b;
}

function toDecoded(value: Uint8Array | DecodedPacket, name: string, options: DecodeOptions): DecodedPacket {
  if (value instanceof DecodedPacket) return value;
  if (types.isUint8Array(value)) return decodePacket(value, options);
  throw new PacketError(name, 'bytes', `expected packet bytes or a DecodedPacket, got ${describe(value)}`);
}

/**
 * Describes what changed between an input packet and a program's output (`data_out`): every field whose
 * value differs, layers added or removed (a pushed VLAN tag, a decapsulated header), the packet length,
 * and for checksums and length fields whether they are now valid or invalid, including a checksum the
 * program left unchanged while changing what it covers.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @param before the input packet (bytes or decoded)
 * @param after the output packet (bytes or decoded)
 * @param options how to decode bytes (`first` layer; default Ethernet)
 * @throws PacketError when an argument is neither bytes nor a DecodedPacket
 * @example
 * ```ts
 * diffPackets(input, result.dataOut).lines();
 * // [ 'eth.dst: 02:00:00:00:00:02 -> ff:ff:ff:ff:ff:ff', 'ipv4.ttl: 64 -> 63',
 * //   'ipv4.checksum: 0x66cd -> 0x67cd (still valid)' ]
 * ```
 */
export function diffPackets(
  before: Uint8Array | DecodedPacket,
  after: Uint8Array | DecodedPacket,
  options: DecodeOptions = {},
): PacketDiff {
  const a = toDecoded(before, 'before', options);
  const b = toDecoded(after, 'after', options);
  const changes: PacketChange[] = [];
  if (a.bytes.length !== b.bytes.length) {
    changes.push({
      path: 'length',
      before: String(a.bytes.length),
      after: String(b.bytes.length),
      valueChanged: true,
    });
  }
  const aPaths = pathsOf(a.layers);
  const bPaths = pathsOf(b.layers);
  for (const [i, j] of alignLayers(a.layers, b.layers)) {
    if (j < 0) {
      changes.push({
        path: `-${aPaths[i]}`,
        before: formatSpec([a.layers[i]!]),
        after: '',
        valueChanged: true,
      });
      continue;
    }
    if (i < 0) {
      changes.push({
        path: `+${bPaths[j]}`,
        before: '',
        after: formatSpec([b.layers[j]!]),
        valueChanged: true,
      });
      continue;
    }
    const la = a.layers[i] as unknown as Record<string, unknown>;
    const lb = b.layers[j] as unknown as Record<string, unknown>;
    const codec = layerCodecs[b.layers[j]!.kind];
    for (const [field, type] of Object.entries(codec.fields)) {
      if (!(field in la) && !(field in lb)) continue;
      const path = `${bPaths[j]}.${field}`;
      const status = statusNote(a.check(`${aPaths[i]}.${field}`), b.check(path));
      const changed = !sameValue(la[field], lb[field]);
      const statusChanged = status?.startsWith('now') === true;
      if (!changed && !statusChanged) continue;
      const note = changed ? (bytesNote(la[field], lb[field]) ?? status) : status;
      changes.push({
        path,
        before: formatValue(type, la[field]),
        after: formatValue(type, lb[field]),
        valueChanged: changed,
        ...(note === undefined ? {} : { status: note }),
      });
    }
  }
  return {
    changes,
    unchanged: changes.length === 0,
    lines: () =>
      changes.map((c) => {
        if (c.path.startsWith('+')) return `${c.path}: ${c.after}`;
        if (c.path.startsWith('-')) return `${c.path}: ${c.before}`;
        if (!c.valueChanged) return `${c.path}: ${c.before} (unchanged, ${c.status})`;
        return `${c.path}: ${c.before} -> ${c.after}${c.status ? ` (${c.status})` : ''}`;
      }),
    toString() {
      return this.lines().join('\n');
    },
  };
}
