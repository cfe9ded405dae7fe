import type { FieldType } from './field-type.js';
import type { PacketCheck } from './packet-check.js';

/**
 * Per-build bookkeeping shared by the layer codecs while a packet is written. The arrays are reused
 * from build to build: only the first `count` entries belong to the current packet.
 */
export interface EncodeState {
  /** Number of layers being encoded. */
  count: number;
  /** Kind of every layer, outermost first. */
  readonly kinds: string[];
  /** Field values of every layer (the builder's options objects, or layer objects). */
  readonly layers: object[];
  /** Start offset of every layer in the output. */
  readonly offsets: number[];
  /** Header (or data) length of every layer. */
  readonly lengths: number[];
  /** Per-layer values computed by `length()` for `write()` (encoded options). */
  readonly scratch: unknown[];
  /** Offset where content counted by IP/L4 length fields ends (the first `padding` layer, or the end). */
  contentEnd: number;
}

/** Where the innermost network header of a decoded packet sits: what L4 checksums need. */
export interface NetworkInfo {
  readonly version: 4 | 6;
  readonly srcOffset: number;
  /** Buffer and offset of the pseudo-header destination (the final one when a routing header is present). */
  readonly dst: Uint8Array;
  readonly dstOffset: number;
  /** True for an IPv4/IPv6 fragment other than a complete datagram: L4 checksums cannot be verified. */
  readonly fragmented: boolean;
  /** True when the datagram is shorter than its length field says. */
  readonly truncated: boolean;
}

/** Shared state of one decode pass. */
export interface DecodeState {
  readonly bytes: Uint8Array;
  /** Innermost network header seen so far. */
  network: NetworkInfo | undefined;
  /** Prefix for check field names: `ipv4`, or `ipv4#2` for a second IPv4 header. */
  path(kind: string): string;
}

/** Result of decoding one layer. */
export interface DecodeStep {
  /** The decoded layer with every field explicit, so that encoding it reproduces the bytes. */
  readonly layer: { readonly kind: string };
  /** Bytes consumed by this layer. */
  readonly length: number;
  /** Kind of the next layer, or undefined when the rest is payload. */
  readonly next: string | undefined;
  /** New end of the content (an IP total length), when this layer bounds it. */
  readonly limit?: number;
  /** Checks performed on this layer. */
  readonly checks?: readonly PacketCheck[];
}

/** How one kind of layer is validated, laid out, written, checksummed and decoded. */
export interface LayerCodec<L extends { readonly kind: string } = { readonly kind: string }> {
  readonly kind: L['kind'];
  /** Field names and their types (drives validation, the spec parser and formatting). */
  readonly fields: Readonly<Record<string, FieldType>>;
  /** Bytes this layer occupies; `offset` is where it starts. */
  length(layer: L, index: number, state: EncodeState, offset: number): number;
  /** Writes the layer; checksums that are computed are left for {@link LayerCodec.finish}. */
  write(layer: L, buf: Uint8Array, index: number, state: EncodeState): void;
  /** Fills in computed checksums; called innermost layer first, after every layer is written. */
  finish?(layer: L, buf: Uint8Array, index: number, state: EncodeState): void;
  /** The value the previous layer's type field takes for this layer (EtherType). */
  etherType?(layer: L, index: number, state: EncodeState): number;
  /** The IP protocol / next-header number announcing this layer. */
  readonly ipProtocol?: number;
  /** Decodes the layer at `offset`; returns undefined when the bytes cannot be this layer. */
  decode(bytes: Uint8Array, offset: number, end: number, state: DecodeState): DecodeStep | undefined;
}
