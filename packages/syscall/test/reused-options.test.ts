// A hot loop passes the same options object run after run; the validated plan is reused only while the
// object still says the same thing.
import { describe, expect, test } from 'vitest';
import { ValidationError } from '../src/index.js';
import { load, returns, xdpRewrite } from './helpers/programs.js';

describe('reused options objects', { tags: ['privileged'] }, () => {
  test('changes to a reused options object are seen by the next run', () => {
    using prog = load('XDP', xdpRewrite);
    const options: { data: Buffer; repeat?: number; dataSizeOut?: number } = { data: Buffer.alloc(64, 1) };
    expect(prog.run(options).dataOut?.[1]).toBe(1);
    options.data = Buffer.alloc(32, 2);
    const second = prog.run(options);
    expect(second.dataOut?.length).toBe(32);
    expect(second.dataOut?.[1]).toBe(2);
    options.dataSizeOut = 0;
    expect(prog.run(options).dataOut).toBeUndefined();
    options.repeat = 10;
    expect(prog.run(options).retval).toBe(3);
    options.repeat = -1;
    expect(() => prog.run(options)).toThrow(ValidationError);
  });

  test('a field added to a reused options object is validated, so a misspelt one is caught', () => {
    using prog = load('XDP', returns(2));
    const options: Record<string, unknown> = { data: Buffer.alloc(64) };
    prog.run(options);
    options.repaet = 5;
    expect(() => prog.run(options)).toThrow(expect.objectContaining({ field: 'options.repaet' }));
  });

  test('the contents of a reused input buffer are read afresh every run', () => {
    using prog = load('XDP', returns(2));
    const data = Buffer.alloc(64, 5);
    const options = { data };
    expect(prog.run(options).dataOut).toEqual(Buffer.alloc(64, 5));
    data.fill(6);
    expect(prog.run(options).dataOut).toEqual(Buffer.alloc(64, 6));
  });

  test('results of earlier runs are not overwritten by later ones', () => {
    using prog = load('XDP', returns(2));
    const options = { data: Buffer.alloc(64, 7) };
    const first = prog.run(options).dataOut;
    options.data.fill(8);
    prog.run(options);
    expect(first).toEqual(Buffer.alloc(64, 7));
  });
});
