// Bad input of every kind gets a typed error naming the field, before any syscall; nothing reaches the
// kernel that could make it touch memory outside a buffer.
import { layouts, offsetOfEnd } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { asm, BpfError, BpfMap, Program, ProgrunError, ValidationError } from '../src/index.js';
import { native, TestRunSlot } from '../src/native.js';
import { load, returns } from './helpers/programs.js';

const pass = asm.assemble(returns(2));
const valid = { type: 'XDP', instructions: pass, license: 'GPL' } as const;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('the addon', () => {
  test('passes exactly the union bpf_attr prefix the generated layouts give', () => {
    expect(native.TEST_RUN_ATTR_SIZE).toBe(offsetOfEnd(layouts.bpf_attr_test, 'batch_size'));
    expect(native.PROG_LOAD_ATTR_SIZE).toBe(offsetOfEnd(layouts.bpf_attr_prog_load, 'attach_prog_fd'));
  });
});

describe('Program.load validation', () => {
  test.each([
    [{ ...valid, type: undefined }, 'options.type'],
    [{ ...valid, type: 'NOT_A_TYPE' }, 'options.type'],
    [{ ...valid, type: -1 }, 'options.type'],
    [{ ...valid, instructions: 'r0 = 2' }, 'options.instructions'],
    [{ ...valid, instructions: new Uint8Array(7) }, 'options.instructions'],
    [{ ...valid, instructions: new Uint8Array(0) }, 'options.instructions'],
    [{ ...valid, license: 3 }, 'options.license'],
    [{ ...valid, license: 'GPL\0x' }, 'options.license'],
    [{ ...valid, name: 'sixteen-bytes-xx' }, 'options.name'],
    [{ ...valid, logLevel: -1 }, 'options.logLevel'],
    [{ ...valid, logLevel: 1, logSize: 12 }, 'options.logSize'],
    [{ ...valid, flags: 1.5 }, 'options.flags'],
    [{ ...valid, attachProgFd: -3 }, 'options.attachProgFd'],
    [{ ...valid, attachBtfObjFd: 3, attachProgFd: 4 }, 'options.attachProgFd'],
    [{ ...valid, instruction: pass }, 'options.instruction'],
  ])('%# %s -> ValidationError on %s', (options, field) => {
    const error = thrown(() => Program.load(options as never));
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(ProgrunError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ field, code: 'ERR_PROGRUN_VALIDATION' });
  });

  test('a null options object and a non-object are refused', () => {
    expect(() => Program.load(null as never)).toThrow(ValidationError);
    expect(() => Program.load('XDP' as never)).toThrow(ValidationError);
  });
});

describe('run validation and kernel refusals', { tags: ['privileged'] }, () => {
  test.each([
    [{ data: 'packet' }, 'options.data'],
    [{ data: [1, 2, 3] }, 'options.data'],
    [{ data: 42 }, 'options.data'],
    [{ ctx: {} }, 'options.ctx'],
    [{ repeat: -1 }, 'options.repeat'],
    [{ repeat: 1.5 }, 'options.repeat'],
    [{ repeat: 2 ** 32 }, 'options.repeat'],
    [{ repeat: Number.NaN }, 'options.repeat'],
    [{ repeat: '5' }, 'options.repeat'],
    [{ dataSizeOut: 2 ** 33 }, 'options.dataSizeOut'],
    [{ dataSizeOut: 2 ** 25 }, 'options.dataSizeOut'],
    [{ ctxSizeOut: -4 }, 'options.ctxSizeOut'],
    [{ flags: 2n }, 'options.flags'],
    [{ cpu: Number.POSITIVE_INFINITY }, 'options.cpu'],
    [{ batchSize: {} }, 'options.batchSize'],
    [{ dataOut: Buffer.alloc(4) }, 'options.dataOut'],
  ])('%# %o -> ValidationError on %s', (options, field) => {
    using prog = load('XDP', returns(2));
    const error = thrown(() => prog.run({ data: Buffer.alloc(64), ...(options as object) }));
    expect(error).toMatchObject({ name: 'ValidationError', field });
  });

  test('options that are not an object are refused', () => {
    using prog = load('XDP', returns(2));
    expect(() => prog.run(5 as never)).toThrow(ValidationError);
    expect(() => prog.run(Buffer.alloc(64) as never)).toThrow(ValidationError);
  });

  test('a closed program answers EBADF naming what was closed; close is idempotent', () => {
    const prog = load('XDP', returns(2));
    prog.close();
    prog.close();
    expect(prog.fd).toBe(-1);
    const error = thrown(() => prog.run({ data: Buffer.alloc(64) }));
    expect(BpfError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'EBADF', errno: -9, syscall: 'bpf', command: 'BPF_PROG_TEST_RUN' });
    expect((error as Error).message).toMatch(/XDP program was closed/);
    expect(() => prog.info()).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });

  test('fromFd refuses fds that are closed or not programs', () => {
    using map = BpfMap.create({ type: 'ARRAY', keySize: 4, valueSize: 4, maxEntries: 1 });
    expect(() => Program.fromFd(map.fd)).toThrow(/the fd of a BPF program \(fd \d+ refers to a BPF map\)/);
    expect(() => Program.fromFd(0)).toThrow(ValidationError);
    expect(() => Program.fromFd(-1)).toThrow(ValidationError);
    expect(() => Program.fromFd(1.5)).toThrow(ValidationError);
    expect(() => Program.fromFd(2 ** 31 - 1)).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });

  test('a ctx longer than the kernel struct with non-zero bytes past it is E2BIG with what to change', () => {
    using prog = load('SCHED_CLS', returns(0));
    const ctx = Buffer.alloc(4096);
    ctx[4000] = 1;
    expect(() => prog.run({ data: Buffer.alloc(64), ctx })).toThrow(
      expect.objectContaining({
        code: 'E2BIG',
        message: expect.stringMatching(/longer than the kernel's context struct/),
      }),
    );
  });

  test('a verifier rejection carries the log and its last lines in the message', () => {
    const error = thrown(() =>
      Program.load({
        type: 'XDP',
        instructions: asm.assemble([asm.ldx('u64', 'r0', 'r3', 0), asm.exit()]),
        license: 'GPL',
      }),
    );
    expect(BpfError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'EACCES', command: 'BPF_PROG_LOAD' });
    expect((error as BpfError).verifierLog).toMatch(/R3 !read_ok/);
    expect((error as Error).message).toMatch(/verifier rejected the program: .*R3 !read_ok/);
  });

  test('a GPL-only helper without a GPL license is refused with the verifier saying why', () => {
    const error = thrown(() =>
      Program.load({
        type: 'XDP',
        instructions: asm.assemble([asm.call('trace_printk'), asm.mov64('r0', 2), asm.exit()]),
        license: 'Proprietary',
      }),
    );
    expect((error as BpfError).verifierLog).toMatch(/GPL/);
  });

  test('a requested log is kept on success', () => {
    using prog = Program.load({ ...valid, logLevel: 2 });
    expect(prog.verifierLog).toMatch(/processed 2 insns/);
  });
});

describe('the addon itself refuses what the TypeScript layer would have caught', {
  tags: ['privileged'],
}, () => {
  test('wrong types and ranges are TypeError/RangeError from the addon, never a crash', () => {
    const slots = native.testRunSlots;
    const buffer = new ArrayBuffer(64);
    slots.fill(0);
    slots[TestRunSlot.progFd] = 2 ** 31;
    expect(() => native.progTestRun(undefined, undefined, undefined, undefined)).toThrow(RangeError);
    slots[TestRunSlot.progFd] = 3;
    slots[TestRunSlot.dataInLength] = 64;
    expect(() => native.progTestRun('x' as never, undefined, undefined, undefined)).toThrow(TypeError);
    expect(() => native.progTestRun(new Uint8Array(64) as never, undefined, undefined, undefined)).toThrow(
      TypeError,
    );
    expect(() => native.progTestRun(new SharedArrayBuffer(64), undefined, undefined, undefined)).toThrow(
      TypeError,
    );
    slots[TestRunSlot.dataInOffset] = 1;
    expect(() => native.progTestRun(buffer, undefined, undefined, undefined)).toThrow(RangeError);
    slots[TestRunSlot.dataInOffset] = 2 ** 32 - 1;
    expect(() => native.progTestRun(buffer, undefined, undefined, undefined)).toThrow(RangeError);
    slots.fill(0);
    slots[TestRunSlot.ctxOutLength] = 1;
    expect(() => native.progTestRun(undefined, undefined, undefined, undefined)).toThrow(TypeError);
    slots.fill(0);
    expect(() => native.progLoad(6, new Uint8Array(12), 'GPL', null, 0, 0, 0, 0, 0, 0, 0, null)).toThrow(
      RangeError,
    );
    expect(() => native.progLoad(6, pass, 'GPL', 'x'.repeat(16), 0, 0, 0, 0, 0, 0, 0, null)).toThrow(
      RangeError,
    );
    expect(() => native.mapCreate(1, 4, 4, 1, 0, null, 0, 0, 0, 0, 0, 0, 0, -1n)).toThrow(RangeError);
  });

  test('map buffers shorter than the map wants are refused by the addon, whatever the caller says', () => {
    using map = BpfMap.create({ type: 'HASH', keySize: 16, valueSize: 64, maxEntries: 4 });
    expect(() => native.mapUpdateElem(map.fd, new Uint8Array(4), new Uint8Array(64), 0)).toThrow(
      /at least 16 bytes/,
    );
    expect(() => native.mapLookupElem(map.fd, new Uint8Array(16), new Uint8Array(8), 0)).toThrow(
      /at least 64 bytes/,
    );
    expect(() => native.mapGetNextKey(map.fd, null, new Uint8Array(1))).toThrow(RangeError);
    const results = new Uint32Array(1);
    expect(() =>
      native.mapLookupBatch(
        map.fd,
        null,
        new Uint8Array(16),
        new Uint8Array(16),
        new Uint8Array(64),
        2,
        0,
        0,
        results,
      ),
    ).toThrow(/count \* key_size/);
    expect(() =>
      native.mapLookupBatch(
        map.fd,
        null,
        new Uint8Array(16),
        new Uint8Array(16),
        new Uint8Array(64),
        2 ** 32 - 1,
        0,
        0,
        results,
      ),
    ).toThrow(RangeError);
  });

  test('closed and foreign fds are errnos, not crashes', () => {
    // BPF_OBJ_GET_INFO_BY_FD (which the map commands start with) answers EBADFD on newer kernels.
    const closed = [-9, -77];
    const slots = native.testRunSlots;
    slots.fill(0);
    slots[TestRunSlot.progFd] = 2 ** 31 - 1;
    native.progTestRun(undefined, undefined, undefined, undefined);
    expect(slots[TestRunSlot.ret]! | 0).toBe(-9);
    slots[TestRunSlot.progFd] = 1;
    native.progTestRun(undefined, undefined, undefined, undefined);
    expect(slots[TestRunSlot.ret]! | 0).toBe(-22);
    expect(closed).toContain(native.mapLookupElem(2 ** 31 - 1, null, new Uint8Array(8), 0));
    expect(closed).toContain(native.objGetInfoByFd(2 ** 31 - 1, new Uint8Array(8)));
    expect(native.closeFd(2 ** 31 - 1)).toBe(-9);
  });

  test('an empty output buffer is passed as no buffer, so the kernel cannot fall back to an unbounded copy', () => {
    using prog = load('XDP', returns(2));
    const slots = native.testRunSlots;
    slots.fill(0);
    slots[TestRunSlot.progFd] = prog.fd;
    slots[TestRunSlot.dataInLength] = 64;
    // A zero length with a buffer: the addon passes NULL and the kernel reports the size without copying.
    native.progTestRun(new ArrayBuffer(64), new ArrayBuffer(0), undefined, undefined);
    expect(slots[TestRunSlot.ret]).toBe(0);
    expect(slots[TestRunSlot.dataSizeOut]).toBe(64);
  });
});
