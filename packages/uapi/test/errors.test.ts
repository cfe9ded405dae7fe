import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { thrown } from '../../../tests/helpers/thrown.js';
import {
  encode,
  layoutFor,
  layouts,
  ProgrunError,
  ProgrunErrorCode,
  UapiLookupError,
  ValidationError,
} from '../src/index.js';

// A second copy of the package, as two versions in one node_modules tree would load: every class in it
// is a distinct object, so `instanceof` across the two copies fails and only the markers can tell.
const copyDir = mkdtempSync(join(tmpdir(), 'uapi-copy-'));
cpSync(fileURLToPath(new URL('../src', import.meta.url)), copyDir, { recursive: true });
const copy: typeof import('../src/index.js') = await import(pathToFileURL(join(copyDir, 'index.ts')).href);
afterAll(() => rmSync(copyDir, { recursive: true, force: true }));

describe('the error family', () => {
  test('the second copy is a different class, yet its errors are recognised', () => {
    expect(copy.ValidationError).not.toBe(ValidationError);
    const foreign = new copy.ValidationError('options.repeat', 'an integer in [0, 2^32)', { received: -1 });
    expect(foreign instanceof ValidationError).toBe(false);
    expect(ValidationError.isInstance(foreign)).toBe(true);
    expect(ProgrunError.isInstance(foreign)).toBe(true);
    expect(UapiLookupError.isInstance(foreign)).toBe(false);

    const lookup = new copy.UapiLookupError('field xdp_md.nope', 'not a field of struct xdp_md');
    expect(UapiLookupError.isInstance(lookup)).toBe(true);
    expect(ProgrunError.isInstance(lookup)).toBe(true);
    expect(ValidationError.isInstance(lookup)).toBe(false);
    expect(copy.ProgrunError).not.toBe(ProgrunError);
    expect(foreign instanceof ProgrunError).toBe(false);
    expect(copy.ProgrunError.isInstance(new ValidationError('x', 'y'))).toBe(true);
    expect(copy.ValidationError.isInstance(new ValidationError('x', 'y'))).toBe(true);
  });

  test('plain errors, look-alikes and non-objects are not progrun errors', () => {
    for (const value of [
      new Error('x'),
      new TypeError('x'),
      Object.assign(new Error('x'), { code: 'ERR_PROGRUN_VALIDATION', field: 'a', rule: 'b' }),
      { [Symbol.for('progrun.error')]: 'yes' },
      null,
      undefined,
      'ERR_PROGRUN_VALIDATION',
      42,
    ]) {
      expect(ProgrunError.isInstance(value)).toBe(false);
      expect(ValidationError.isInstance(value)).toBe(false);
    }
  });

  test('markers stay out of the error as printed and serialised', () => {
    const error = new ValidationError('a', 'b');
    expect(Object.getOwnPropertySymbols(error)).toEqual([]);
    expect(Object.keys(error)).not.toContain('cause');
  });

  test('one validation shape: field, rule, code, and the kernel answer as errno name and negative number', () => {
    const error = new ValidationError('xdp_md.egress_ifindex', 'must-be-zero', {
      message: 'is an output field; the kernel refuses a non-zero value',
      kernelCode: 'EINVAL',
      minKernel: '5.15',
    });
    expect(error).toMatchObject({
      name: 'ValidationError',
      code: ProgrunErrorCode.VALIDATION,
      field: 'xdp_md.egress_ifindex',
      rule: 'must-be-zero',
      kernelCode: 'EINVAL',
      kernelErrno: -22,
      minKernel: '5.15',
      message: 'xdp_md.egress_ifindex: is an output field; the kernel refuses a non-zero value',
    });
    expect(error.code).toBe('ERR_PROGRUN_VALIDATION');
    expect(new ValidationError('a', 'b').kernelErrno).toBeUndefined();
  });

  test('the message says the rule and describes the value received, even undefined', () => {
    expect(new ValidationError('options.repeat', 'an integer', { received: 1.5 }).message).toBe(
      'options.repeat must be an integer; received 1.5',
    );
    expect(new ValidationError('options.data', 'bytes', { received: undefined }).message).toBe(
      'options.data must be bytes; received undefined',
    );
    expect(new ValidationError('options.data', 'bytes', { received: new Uint8Array(3) }).message).toBe(
      'options.data must be bytes; received Uint8Array(3 bytes)',
    );
    expect(new ValidationError('name', 'short', { received: 'x'.repeat(50) }).message).toBe(
      `name must be short; received "${'x'.repeat(40)}..."`,
    );
    expect(new ValidationError('a', 'b').message).toBe('a must be b');
  });

  test('cause is kept when given and absent otherwise', () => {
    const cause = new Error('inner');
    expect(new ValidationError('a', 'b', { cause }).cause).toBe(cause);
    expect('cause' in new ValidationError('a', 'b')).toBe(false);
  });

  test("the other copy's own throws are recognised too", () => {
    const error = thrown(() => copy.encode(copy.layouts.xdp_md, { ingress_ifindex: -1 }));
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(ProgrunError.isInstance(error)).toBe(true);
    expect(UapiLookupError.isInstance(thrown(() => copy.layoutFor('bpf_attr_token_create', '5.10')))).toBe(
      true,
    );
  });

  test('the package throws them: a layout value, a lookup', () => {
    const error = thrown(() => encode(layouts.xdp_md, { ingress_ifindex: 2 ** 32 }));
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      field: 'xdp_md.ingress_ifindex',
      rule: 'in 0..4294967295',
      message: 'xdp_md.ingress_ifindex must be in 0..4294967295; received 4294967296',
    });
    const lookup = thrown(() => layoutFor('bpf_attr_token_create', '5.10'));
    expect(UapiLookupError.isInstance(lookup)).toBe(true);
    expect(lookup).toMatchObject({
      code: ProgrunErrorCode.UAPI_LOOKUP,
      subject: 'layout bpf_attr_token_create in 5.10',
    });
  });

  test('every code of our own is ERR_PROGRUN_ and unique', () => {
    const codes = Object.values(ProgrunErrorCode);
    for (const code of codes) expect(code).toMatch(/^ERR_PROGRUN_[A-Z_]+$/);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
