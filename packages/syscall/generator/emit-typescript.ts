import { boundaryDigest, GENERATED_BY } from './names.js';
import {
  type ArgKind,
  type NativeCall,
  nativeCalls,
  type RowLayout,
  testRunEachRows,
  testRunSlots,
} from './native-calls.js';

function tsType(type: ArgKind): string {
  switch (type.kind) {
    case 'u32':
    case 'i32':
    case 'fd':
      return 'number';
    case 'u64':
      return 'bigint | number';
    case 'bytes':
      return type.nullable ? 'NativeBytes | null' : 'NativeBytes';
    case 'string':
      return type.nullable ? 'string | null' : 'string';
    case 'bool':
      return 'boolean';
    case 'u32array':
    case 'u32table':
      return 'Uint32Array';
    case 'arraybuffers':
      return 'readonly ArrayBufferLike[]';
  }
}

function emitRow(row: RowLayout): string {
  return [
    `/** ${row.doc} Indices into a row. @internal */`,
    `export const ${row.name} = {`,
    ...row.fields.flatMap((field, index) => [`  /** ${field.doc} */`, `  ${field.name}: ${index},`]),
    '} as const;',
    '',
    `/** Fields of one \`${row.name}\` row. @internal */`,
    `export const ${row.name}Fields = ${row.fields.length};`,
  ].join('\n');
}

function emitCall(call: NativeCall): string {
  const fields = call.args.flatMap((arg) => [
    `  /** ${arg.doc} */`,
    `  readonly ${arg.name}: ${tsType(arg.type)};`,
  ]);
  const params = call.args.map((arg) => `  ${arg.name}: ${tsType(arg.type)},`);
  const values = call.args.map((arg) => `    args.${arg.name},`);
  return [
    `/** The arguments of the addon's ${call.exports.join(', ')}, by name. */`,
    `export interface ${call.name}Args {`,
    ...fields,
    '}',
    '',
    `/** ${call.doc} */`,
    `export type Native${call.name} = (`,
    ...params,
    `) => ${call.returns};`,
    '',
    `/** Calls \`fn\` (${call.exports.join(', ')}) with \`args\` in the addon's order. */`,
    `export function call${call.name}(fn: Native${call.name}, args: ${call.name}Args): ${call.returns} {`,
    '  return fn(',
    ...values,
    '  );',
    '}',
  ].join('\n');
}

/** src/generated/native-calls.ts */
export function emitTypeScript(): string {
  const exportsOf = nativeCalls.flatMap((call) =>
    call.exports.map((name) => `  readonly ${name}: Native${call.name};`),
  );
  const slots = testRunSlots.flatMap((slot, index) => [`  /** ${slot.doc} */`, `  ${slot.name}: ${index},`]);
  return [
    `// ${GENERATED_BY}`,
    "// How the TypeScript side calls the addon's native functions, and the slots of the synchronous test run.",
    '// native/src/generated/native-calls.h, which the addon reads its arguments with, is generated from the',
    '// same table.',
    '',
    "import type { NativeBytes, NativeTestRunResult } from '../native.js';",
    '',
    '/** Digest of the table the addon must have been built from (its `nativeBoundary`). @internal */',
    `export const NATIVE_BOUNDARY = '${boundaryDigest()}';`,
    '',
    ...nativeCalls.flatMap((call) => [emitCall(call), '']),
    '/** The addon functions whose arguments the table orders. @internal */',
    'export interface TabledNativeCalls {',
    ...exportsOf,
    '}',
    '',
    "/** Indices into the addon's `testRunSlots`. @internal */",
    'export const TestRunSlot = {',
    ...slots,
    '} as const;',
    '',
    '/** Number of `testRunSlots`. @internal */',
    `export const TEST_RUN_SLOT_COUNT = ${testRunSlots.length};`,
    '',
    ...testRunEachRows.flatMap((row) => [emitRow(row), '']),
  ].join('\n');
}
