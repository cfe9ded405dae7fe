import type {
  ArrayType,
  CharsType,
  FieldLayout,
  FieldType,
  IntType,
  PointerType,
  RecordType,
  StructLayout,
} from './layout-types.js';

/** What `decode` returns for a field type: 8-byte integers and pointers as bigint, `char[N]` as string. */
export type TypeValue<T extends FieldType> = T extends IntType
  ? T['size'] extends 8
    ? bigint
    : number
  : T extends PointerType
    ? bigint
    : T extends CharsType
      ? string
      : T extends ArrayType
        ? T['element'] extends IntType
          ? T['element']['size'] extends 1
            ? Uint8Array
            : T['element']['size'] extends 8
              ? bigint[]
              : number[]
          : TypeValue<T['element']>[]
        : T extends RecordType
          ? LayoutValue<T['layout']>
          : never;

/** What `encode` accepts for a field type: numbers where exact for 8-byte fields, bytes or arrays for arrays. */
export type TypeInput<T extends FieldType> = T extends IntType
  ? T['size'] extends 8
    ? bigint | number
    : number
  : T extends PointerType
    ? bigint | number
    : T extends CharsType
      ? string | Uint8Array
      : T extends ArrayType
        ? T['element'] extends IntType
          ? T['element']['size'] extends 1
            ? Uint8Array | readonly number[]
            : T['element']['size'] extends 8
              ? readonly (bigint | number)[]
              : readonly number[]
          : readonly TypeInput<T['element']>[]
        : T extends RecordType
          ? LayoutInput<T['layout']>
          : never;

type FieldValue<F extends FieldLayout> = F extends { readonly bitWidth: number }
  ? number
  : TypeValue<F['type']>;
type FieldInput<F extends FieldLayout> = F extends { readonly bitWidth: number }
  ? number
  : TypeInput<F['type']>;

/** The decoded value of a layout: every field, by name. */
export type LayoutValue<L extends StructLayout> = {
  [F in L['fields'][number] as F['name']]: FieldValue<F>;
};

/** What `encode` accepts for a layout: any subset of the fields; the rest are zero. */
export type LayoutInput<L extends StructLayout> = {
  [F in L['fields'][number] as F['name']]?: FieldInput<F>;
};
