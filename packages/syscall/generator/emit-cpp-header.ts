import { boundaryDigest, enumerator, GENERATED_BY, snakeCase } from './names.js';
import {
  type ArgKind,
  type NativeArg,
  type NativeCall,
  nativeCalls,
  type RowLayout,
  testRunEachRows,
  testRunSlots,
} from './native-calls.js';

function member(type: ArgKind): string {
  switch (type.kind) {
    case 'u32':
      return 'std::uint32_t';
    case 'u64':
      return 'std::uint64_t';
    case 'i32':
      return 'std::int32_t';
    case 'fd':
      return 'int';
    case 'bytes':
      return 'Bytes';
    case 'string':
      return 'std::string';
    case 'bool':
      return 'bool';
    case 'u32array':
      return 'std::uint32_t*';
    case 'u32table':
      return 'U32Table';
    case 'arraybuffers':
      return 'napi_value';
  }
}

function initializer(type: ArgKind): string {
  switch (type.kind) {
    case 'bytes':
    case 'string':
      return '';
    case 'fd':
      return ' = -1';
    case 'bool':
      return ' = false';
    case 'u32array':
    case 'arraybuffers':
      return ' = nullptr';
    case 'u32table':
      return '';
    default:
      return ' = 0';
  }
}

function read(arg: NativeArg, index: number): string {
  const target = `&args->${snakeCase(arg.name)}`;
  const value = `argv[${index}]`;
  const what = JSON.stringify(arg.name);
  switch (arg.type.kind) {
    case 'u32':
      return `ReadU32(env, ${value}, ${what}, ${target})`;
    case 'u64':
      return `ReadU64(env, ${value}, ${what}, ${target})`;
    case 'i32':
      return `ReadI32(env, ${value}, ${what}, ${target})`;
    case 'fd':
      return `ReadFd(env, ${value}, ${what}, ${target})`;
    case 'bytes':
      return `ReadBytes(env, ${value}, ${what}, ${arg.type.nullable}, ${target})`;
    case 'string':
      return `ReadString(env, ${value}, ${what}, ${arg.type.maxBytes}, ${arg.type.nullable}, ${target})`;
    case 'bool':
      return `ReadBool(env, ${value}, ${what}, ${target})`;
    case 'u32array':
      return `ReadU32Array(env, ${value}, ${what}, ${arg.type.minLength}, ${target})`;
    case 'u32table':
      return `ReadU32Table(env, ${value}, ${what}, ${target})`;
    case 'arraybuffers':
      return `ReadArray(env, ${value}, ${what}, ${target})`;
  }
}

function emitRow(row: RowLayout): string {
  return [
    `// ${row.doc}`,
    `enum ${row.name} : std::size_t {`,
    ...row.fields.map((field) => `  ${row.cppPrefix}${enumerator(field.name).slice(1)},  // ${field.doc}`),
    `  ${row.cppPrefix}Count,`,
    '};',
  ].join('\n');
}

function emitCall(call: NativeCall): string {
  const members = call.args.map(
    (arg) => `  ${member(arg.type)} ${snakeCase(arg.name)}${initializer(arg.type)};  // ${arg.doc}`,
  );
  const reads = call.args.map((arg, index) => `         ${read(arg, index)}`);
  return [
    `// ${call.exports.join(', ')}: ${call.doc}`,
    `struct ${call.name}Args {`,
    ...members,
    '};',
    '',
    `// Reads the ${call.args.length} arguments of ${call.exports.join('/')} in their order, and the function's data`,
    '// pointer; false with a pending TypeError/RangeError naming the argument.',
    `inline bool Read${call.name}Args(napi_env env, napi_callback_info info, ${call.name}Args* args,`,
    `                  void** data = nullptr) {`,
    `  napi_value argv[${call.args.length}];`,
    `  return GetArgs(env, info, ${call.args.length}, argv, data) &&`,
    `${reads.join(' &&\n')};`,
    '}',
  ].join('\n');
}

/** native/src/generated/native-calls.h */
export function emitCppHeader(): string {
  const slots = testRunSlots.map((slot) => `  ${enumerator(slot.name)},  // ${slot.doc}`);
  return [
    `// ${GENERATED_BY}`,
    '// How the addon reads the positional arguments of its native functions, and the slots of the synchronous',
    '// test run. src/generated/native-calls.ts, which the TypeScript side calls the addon through, is generated',
    '// from the same table.',
    '#pragma once',
    '',
    '#include <linux/bpf.h>',
    '#include <node_api.h>',
    '',
    '#include <cstddef>',
    '#include <cstdint>',
    '#include <string>',
    '',
    '#include "../js-args.h"',
    '',
    'namespace progrun {',
    '',
    '// Digest of the table; exported as nativeBoundary, and src/native.ts refuses an addon whose digest',
    '// differs from its own.',
    `inline constexpr const char kNativeBoundary[] = "${boundaryDigest()}";`,
    '',
    ...nativeCalls.flatMap((call) => [emitCall(call), '']),
    "// Slots of progTestRun's testRunSlots, a Uint32Array over memory the addon owns.",
    'enum TestRunSlot : std::size_t {',
    ...slots,
    '  kSlotCount,',
    '};',
    '',
    ...testRunEachRows.flatMap((row) => [emitRow(row), '']),
    '}  // namespace progrun',
    '',
  ].join('\n');
}
