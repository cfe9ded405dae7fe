/**
 * The type of one layer field. It drives validation, the spec-string parser (how `ttl=64` or
 * `flags=SA` is read) and how values are shown in packet diffs.
 */
export type FieldType =
  | { readonly type: 'uint'; readonly bits: number; readonly hex?: boolean }
  | { readonly type: 'bool' }
  | { readonly type: 'mac' }
  | { readonly type: 'ipv4' }
  | { readonly type: 'ipv6' }
  | { readonly type: 'ipv6-list' }
  | { readonly type: 'bytes' }
  | { readonly type: 'ipv4-flags' }
  | { readonly type: 'tcp-flags' }
  | { readonly type: 'ipv4-options' }
  | { readonly type: 'ipv6-options' }
  | { readonly type: 'tcp-options' };

/** An unsigned integer field of `bits` bits, shown in hex when `hex`. */
export const U = (bits: number, hex = false): FieldType => ({ type: 'uint', bits, hex });
/** A boolean field. */
export const BOOL: FieldType = { type: 'bool' };
/** A MAC address field. */
export const MAC: FieldType = { type: 'mac' };
/** An IPv4 address field. */
export const IPV4: FieldType = { type: 'ipv4' };
/** An IPv6 address field. */
export const IPV6: FieldType = { type: 'ipv6' };
/** A bytes field. */
export const BYTES: FieldType = { type: 'bytes' };
