import type { HeaderVersion } from './header-version.js';

/**
 * An integer field. `size` 8 decodes as bigint, smaller sizes as number. `endian` is 'big' for the
 * kernel's `__be16`/`__be32` types (network byte order by type); fields typed `__u32` but documented
 * as network byte order (`__sk_buff.remote_ip4`) stay 'little', as the compiler sees them.
 */
export interface IntType {
  readonly kind: 'int';
  readonly size: 1 | 2 | 4 | 8;
  readonly signed: boolean;
  readonly endian: 'little' | 'big';
}

/** A pointer (as in `__bpf_md_ptr` members): an address, decoded as bigint. */
export interface PointerType {
  readonly kind: 'pointer';
  readonly size: 8;
}

/** A `char[N]` array: a NUL-padded string (`prog_name`, `map_name`). */
export interface CharsType {
  readonly kind: 'chars';
  readonly length: number;
}

/** A fixed-size array. Arrays of 1-byte integers decode as Uint8Array. */
export interface ArrayType {
  readonly kind: 'array';
  readonly length: number;
  readonly element: FieldType;
}

/** A nested, named struct or union member (anonymous members are lifted into their parent). */
export interface RecordType {
  readonly kind: 'record';
  readonly layout: StructLayout;
}

export type FieldType = IntType | PointerType | CharsType | ArrayType | RecordType;

/** One field, with its position as the compiler laid it out. */
export interface FieldLayout {
  readonly name: string;
  /** Byte offset from the start of the record. For a bitfield: the first byte holding its bits. */
  readonly offset: number;
  /** Size in bytes. For a bitfield: the number of bytes its bits touch. */
  readonly size: number;
  /** The C type as written in the header (`__u32`, `char[16]`, `struct bpf_sock *`). */
  readonly cType: string;
  /**
   * The oldest header set with this field at this offset: a header set, not the mainline kernel that
   * added the field (which may be older).
   */
  readonly firstHeaderSet: HeaderVersion;
  /** Bitfields only: first bit within the byte at `offset` (bit 0 is the least significant). */
  readonly bitOffset?: number;
  /** Bitfields only: width in bits. */
  readonly bitWidth?: number;
  readonly type: FieldType;
}

/**
 * A struct or union as the compiler laid it out for x86-64. Fields of anonymous members are
 * lifted into the record, as C lets you access them; fields of union members overlap.
 */
export interface StructLayout {
  /** The layout's name: `xdp_md`, `__sk_buff`, `bpf_attr_test`, `bpf_attr_prog_load`... */
  readonly name: string;
  /** The C type: `struct xdp_md`, or for a union member the union and the member. */
  readonly cName: string;
  /** For layouts of one member of a union (`union bpf_attr`): the union and the member, null if anonymous. */
  readonly container?: { readonly cName: string; readonly member: string | null };
  readonly kind: 'struct' | 'union';
  /** sizeof, in bytes. */
  readonly size: number;
  /** _Alignof, in bytes. */
  readonly align: number;
  /** The oldest header set that has this record (a header set, not a mainline kernel version). */
  readonly firstHeaderSet: HeaderVersion;
  readonly fields: readonly FieldLayout[];
}
