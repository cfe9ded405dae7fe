// Work is bounded on any input: sizes are checked against the kernel's limits before per-instruction
// work, lengths come from real typed arrays (a Proxy is refused, not walked), and table lookups never
// convert an argument to a string.
import { describe, expect, test } from 'vitest';
import { thrown } from '../../../tests/helpers/thrown.js';
import { asm } from '../src/index.js';

type AsmError = asm.AsmError;

/** An array-like Proxy claiming 2^32-1 elements: walking it would never end. */
const huge = new Proxy([], {
  get: (target, key) => (key === 'length' ? 2 ** 32 - 1 : Reflect.get(target, key)),
});

function asmError(fn: () => unknown): AsmError {
  const error = thrown(fn);
  expect(asm.AsmError.isInstance(error)).toBe(true);
  return error as AsmError;
}

describe('asm', () => {
  test('formatProgram and disassemble refuse a program above the kernel limit of 1 million instructions', () => {
    const big = Buffer.alloc(64 * 1024 * 1024);
    expect(asmError(() => asm.formatProgram(big)).rule).toContain('at most 1000000 instructions');
    expect(asmError(() => asm.disassemble(big)).field).toBe('bytes');
    expect(asm.MAX_PROGRAM_SLOTS).toBe(1_000_000);
  });

  test('a Proxy around a Buffer is refused as a program, an array-like Proxy as a listing', () => {
    const program = asm.assemble([asm.mov64('r0', 0), asm.exit()]);
    expect(asmError(() => asm.disassemble(new Proxy(program, {}))).rule).toContain('not a Proxy');
    expect(asmError(() => asm.assemble(huge)).rule).toContain('at most 1000000 instructions');
    expect(asmError(() => asm.formatProgram(huge)).field).toBe('code');
  });

  test('operators, widths and helpers that are not their names are AsmErrors, never a walk of the value', () => {
    expect(asmError(() => asm.jmp(huge as never, 'r0', 0, 1)).field).toBe('op');
    expect(asmError(() => asm.alu64(Object.create(null), 'r0', 0)).field).toBe('op');
    expect(asmError(() => asm.ldx(Object.create(null), 'r0', 'r1', 0)).field).toBe('size');
    expect(asmError(() => asm.atomic(huge as never, 'u64', 'r0', 'r1', 0)).field).toBe('op');
    for (const helper of [undefined, null, -1n, -1, 1.5, Object.create(null), huge])
      expect(asmError(() => asm.call(helper as never)).field).toBe('imm');
    const store = asm.st('u32', 'r10', -4, Object.create(null));
    expect(asmError(() => asm.assemble([store, asm.exit()])).field).toBe('imm');
  });

  test('formatProgram checks its options', () => {
    const program = asm.assemble([asm.mov64('r0', 0), asm.exit()]);
    expect(asmError(() => asm.formatProgram(program, null as never)).rule).toContain('options');
    expect(asmError(() => asm.formatProgram(program, { highlight: -1 })).rule).toContain('highlight');
  });
});
