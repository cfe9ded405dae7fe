// Arguments a hostile caller passes where a program or a map belongs: missing, of the wrong kind, or a
// Proxy around the real object (whose getters cannot reach its private fd) are ValidationErrors naming
// the argument, never a TypeError of the engine.
import { describe, expect, test } from 'vitest';
import { thrown } from '../../../tests/helpers/thrown.js';
import { asm, BpfLink, BpfMap, ValidationError } from '../src/index.js';
import { load, returns } from './helpers/programs.js';

describe('a program argument', { tags: ['privileged'] }, () => {
  test.each([undefined, null, 3, {}, { fd: -1 }])(
    'BpfLink.create and .rawTracepoint refuse %o',
    (program) => {
      for (const attach of [
        () => BpfLink.create(program as never, { attachType: 'XDP', target: 1 }),
        () => BpfLink.rawTracepoint(program as never, 'sched_process_fork'),
      ]) {
        const error = thrown(attach);
        expect(ValidationError.isInstance(error)).toBe(true);
        expect((error as ValidationError).field).toMatch(/^program/);
      }
    },
  );

  test('a Proxy around a Program is refused', () => {
    using prog = load('RAW_TRACEPOINT', returns(0));
    const error = thrown(() => BpfLink.rawTracepoint(new Proxy(prog, {}), 'sched_process_fork'));
    expect(error).toMatchObject({ field: 'program', code: 'ERR_PROGRUN_VALIDATION' });
  });
});

describe('a map operand', { tags: ['privileged'] }, () => {
  test('a Proxy around a BpfMap is an AsmError', () => {
    using map = BpfMap.create({ type: 'ARRAY', keySize: 4, valueSize: 4, maxEntries: 1 });
    const error = thrown(() => asm.ldMapFd('r1', new Proxy(map, {})));
    expect(asm.AsmError.isInstance(error)).toBe(true);
    expect(asm.ldMapFd('r1', map).imm).toBe(map.fd);
  });
});
