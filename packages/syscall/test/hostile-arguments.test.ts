// Arguments a hostile caller passes where a program or a map belongs: missing, of the wrong kind, or a
// Proxy around the real object (whose getters cannot reach its private fd) are ValidationErrors naming
// the argument, never a TypeError of the engine; so are attrs, logs, names and numbers of the wrong kind
// (found by the fuzz suite of tests/fuzz).
import { describe, expect, test } from 'vitest';
import { thrown } from '../../../tests/helpers/thrown.js';
import { allFeatures, requireFeature } from '../src/features/index.js';
import {
  asm,
  BpfLink,
  BpfMap,
  BpfObject,
  BtfValueCodec,
  bpfLinkCreate,
  bpfMapCreate,
  bpfMapDeleteBatch,
  bpfMapLookupBatch,
  bpfMapUpdateBatch,
  bpfProgLoad,
  bpfProgTestRun,
  bpfProgTestRunAsync,
  errnoName,
  ValidationError,
  withUserPointers,
} from '../src/index.js';
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

describe('arguments of the wrong kind elsewhere', () => {
  const field = (fn: () => unknown) => {
    const error = thrown(fn);
    expect(ValidationError.isInstance(error), String(error)).toBe(true);
    return (error as ValidationError).field;
  };

  test('the raw commands take an attr object', async () => {
    for (const command of [
      bpfLinkCreate,
      bpfMapCreate,
      bpfMapLookupBatch,
      bpfMapUpdateBatch,
      bpfMapDeleteBatch,
      bpfProgLoad,
      bpfProgTestRun,
    ]) {
      expect(
        field(() => command(undefined as never)),
        command.name,
      ).toBe('attr');
    }
    await expect(bpfProgTestRunAsync(null as never)).rejects.toMatchObject({ field: 'attr' });
  });

  test('verifier logs are strings, instructions objects, helper names strings, errnos numbers', () => {
    expect(field(() => asm.verifierErrorSlot(undefined as never))).toBe('log');
    expect(field(() => asm.verifierErrorMessage(5 as never))).toBe('log');
    expect(field(() => asm.explainVerifierLog({} as never))).toBe('log');
    expect(field(() => asm.explainVerifierLog('0: (95) exit', null as never))).toBe('program');
    expect(field(() => asm.helperId(Object.create(null)))).toBe('name');
    expect(field(() => errnoName({} as never))).toBe('errno');
    for (const bad of [null, undefined, { code: 'x' }]) {
      const error = thrown(() => asm.formatInstruction(bad as never));
      expect(asm.AsmError.isInstance(error), String(bad)).toBe(true);
    }
    expect(asm.AsmError.isInstance(thrown(() => asm.insn(undefined as never)))).toBe(true);
    expect(asm.formatInstruction(asm.mov64('r0', 2))).toBe('r0 = 2');
  });

  test('a BTF value codec needs a KernelBtf, a type id and a field name', () => {
    expect(field(() => new BtfValueCodec(new Proxy(Buffer.alloc(8), {}) as never, 1, 'value'))).toBe('btf');
    expect(field(() => new BtfValueCodec(undefined as never, 1, 'value'))).toBe('btf');
  });

  test('requireFeature needs a context with skip() and a Feature', () => {
    expect(field(() => requireFeature(undefined as never, allFeatures()[0]!))).toBe('context');
    expect(field(() => requireFeature({ skip: () => undefined }, {} as never))).toBe('feature');
  });

  test('runEach: an array-like Proxy claiming 2^32-1 inputs is refused, not sized', {
    tags: ['privileged'],
  }, () => {
    using prog = load('XDP', returns(2));
    const endless = new Proxy([], {
      get: (target, key) => (key === 'length' ? 2 ** 32 - 1 : Reflect.get(target, key)),
    });
    expect(field(() => prog.runEach(endless))).toBe('inputs');
  });

  test('runStream and runEach: a Proxy around a packet is that input’s ValidationError', {
    tags: ['privileged'],
  }, async () => {
    using prog = load('XDP', returns(2));
    for (const input of [new Proxy(Buffer.alloc(64), {}), { data: new Proxy(Buffer.alloc(64), {}) }]) {
      const entries = [];
      for await (const entry of prog.runStream([input, Buffer.alloc(64)])) entries.push(entry);
      expect(entries.map((entry) => entry.ok)).toEqual([false, true]);
      const error = entries[0]!.ok ? undefined : entries[0]!.error;
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as ValidationError).field).toBe('inputs[0].data');
      expect(prog.runEach([input]).ok(0)).toBe(false);
    }
    // As the source itself, a Proxy (its iteration runs the caller's traps) or bytes are refused.
    for (const source of [
      new Proxy(Buffer.alloc(64), {}),
      new Proxy([Buffer.alloc(64)], {}),
      Buffer.alloc(64),
    ]) {
      const error = await (async () => {
        for await (const _ of prog.runStream(source as never)) {
        }
      })().catch((e: unknown) => e);
      expect((error as ValidationError).field).toBe('source');
    }
  });

  test('withUserPointers: a Proxy around the context or the pointer list is refused', () => {
    expect(field(() => withUserPointers(new Proxy(Buffer.alloc(64), {}), []))).toBe('ctx');
    const endless = new Proxy([], {
      get: (target, key) => (key === 'length' ? 2 ** 32 - 1 : Reflect.get(target, key)),
    });
    expect(field(() => withUserPointers(Buffer.alloc(64), endless))).toBe('pointers');
  });

  test('BpfObject.open: a path longer than the kernel takes names source, before the addon', () => {
    expect(field(() => BpfObject.open('a'.repeat(5000)))).toBe('source');
    expect(field(() => BpfObject.open(`${'x/'.repeat(3000)}c.o`))).toBe('source');
  });
});
