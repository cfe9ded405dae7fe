// What uapi's functions answer a JavaScript caller that passes the wrong kind of value: a ValidationError
// (or UapiLookupError) naming the argument, never a raw TypeError and never a hang (an array-like Proxy
// claiming 2^32-1 elements was joined into a message or walked element by element).
import { describe, expect, test } from 'vitest';
import { thrown } from '../../../tests/helpers/thrown.js';
import {
  compareKernelVersions,
  decode,
  describeEnumValue,
  describeErrno,
  encode,
  encodeInto,
  enumFirstHeaderSetOf,
  fieldOf,
  formatKernelVersion,
  KernelBtf,
  kernelLimitFor,
  layoutFor,
  layouts,
  parseKernelVersion,
  programTypeFromName,
  programTypeProfile,
  sizeOf,
  tryParseKernelVersion,
  UapiLookupError,
  ValidationError,
  verdictName,
  XdpAction,
} from '../src/index.js';

/** An array-like Proxy claiming 2^32-1 elements: stringifying or walking it never ends. */
const endless = () =>
  new Proxy([], { get: (target, key) => (key === 'length' ? 2 ** 32 - 1 : Reflect.get(target, key)) });

const fieldOfError = (fn: () => unknown) => {
  const error = thrown(fn);
  expect(ValidationError.isInstance(error), String(error)).toBe(true);
  return (error as ValidationError).field;
};

describe('hostile arguments to uapi', () => {
  test('an endless array-like ends in a typed error, not a hang', () => {
    expect(UapiLookupError.isInstance(thrown(() => sizeOf('xdp_md', endless() as never)))).toBe(true);
    expect(UapiLookupError.isInstance(thrown(() => layoutFor(endless() as never)))).toBe(true);
    expect(fieldOfError(() => verdictName(endless() as never, 0))).toBe('type');
    expect(fieldOfError(() => kernelLimitFor(endless() as never, '6.1'))).toBe('limits');
    expect(fieldOfError(() => enumFirstHeaderSetOf(XdpAction, endless() as never))).toBe('key');
  });

  test('layouts: only generated ones, by their own names', () => {
    expect(fieldOfError(() => encode({ name: 'x', size: 4, fields: [] } as never, {}))).toBe('layout');
    expect(fieldOfError(() => fieldOf(undefined as never, 'x' as never))).toBe('layout');
    expect(UapiLookupError.isInstance(thrown(() => layoutFor('toString' as never)))).toBe(true);
    expect(layoutFor('xdp_md')).toBe(layouts.xdp_md);
  });

  test('bytes: a Proxy around a Buffer, or no bytes at all, is refused naming the argument', () => {
    expect(fieldOfError(() => decode(layouts.xdp_md, new Proxy(Buffer.alloc(64), {}) as never))).toBe(
      'source',
    );
    expect(fieldOfError(() => encodeInto(layouts.xdp_md, {}, undefined as never))).toBe('target');
    expect(fieldOfError(() => decode(layouts.xdp_md, Buffer.alloc(64), -1))).toBe('byteOffset');
    expect(fieldOfError(() => encode(layouts.xdp_md, new Proxy({}, {}) as never))).toBe('xdp_md');
  });

  test('kernel versions: strings or { major, minor, patch }', () => {
    expect(fieldOfError(() => tryParseKernelVersion(5 as never))).toBe('text');
    expect(fieldOfError(() => parseKernelVersion({} as never, 'kernels[0]'))).toBe('kernels[0]');
    expect(fieldOfError(() => compareKernelVersions('6.1', null as never))).toBe('b');
    expect(fieldOfError(() => formatKernelVersion('6.1' as never))).toBe('version');
    expect(formatKernelVersion({ major: 6, minor: 1, patch: 2 })).toBe('6.1.2');
  });

  test('names and numbers of lookups', () => {
    expect(fieldOfError(() => describeEnumValue(XdpAction, Symbol() as never))).toBe('value');
    expect(fieldOfError(() => describeErrno(Object.create(null)))).toBe('errno');
    expect(fieldOfError(() => programTypeFromName(1 as never))).toBe('text');
    expect(fieldOfError(() => programTypeProfile('__proto__' as never))).toBe('type');
    expect(fieldOfError(() => verdictName('XDP', {} as never))).toBe('retval');
    expect(verdictName('XDP', 2)).toBe('XDP_PASS');
  });

  test('BTF: bytes whose header points past their end, and a path that is a number (an fd)', () => {
    const header = Buffer.alloc(24);
    header.writeUInt16LE(0xeb9f, 0);
    header.writeUInt32LE(24, 4);
    header.writeUInt32LE(1000, 12);
    expect(UapiLookupError.isInstance(thrown(() => new KernelBtf(header)))).toBe(true);
    expect(fieldOfError(() => new KernelBtf('btf' as never))).toBe('bytes');
    expect(fieldOfError(() => KernelBtf.read(2 as never))).toBe('path');
    expect(fieldOfError(() => KernelBtf.read('\0'))).toBe('path');
  });
});
