import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { thrown } from '../../../tests/helpers/thrown.js';
import { requireFeature, testRunFeature } from '../src/features/index.js';
import { BpfMap, BpfObject, BtfHandle, Program, withUserPointers } from '../src/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = (name: string) => join(root, 'fixtures', 'build', `${name}.bpf.o`);

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'fixtures', 'build.mjs')], { stdio: 'pipe' });
});

/** struct args of the kernel's SYSCALL selftest: log_buf, log_size, max_entries, map_fd, prog_fd, btf_fd. */
const ARGS_SIZE = 32;
function selftestArgs(logSize: number): Buffer {
  const ctx = Buffer.alloc(ARGS_SIZE);
  ctx.writeUInt32LE(logSize, 8);
  ctx.writeInt32LE(1024, 12); // max_entries
  return ctx;
}
const createdFds = (ctx: Buffer) => ({
  mapFd: ctx.readInt32LE(16),
  progFd: ctx.readInt32LE(20),
  btfFd: ctx.readInt32LE(24),
});

/** Wraps what the program created, so that every fd is closed whatever the assertions find. */
function adopt(ctx: Buffer) {
  const { mapFd, progFd, btfFd } = createdFds(ctx);
  const handles = {
    btf: btfFd > 0 ? BtfHandle.fromFd(btfFd) : undefined,
    map: mapFd > 0 ? BpfMap.fromFd(mapFd) : undefined,
    program: progFd > 0 ? Program.fromFd(progFd) : undefined,
    [Symbol.dispose]() {
      handles.btf?.close();
      handles.map?.close();
      handles.program?.close();
    },
  };
  return handles;
}

describe('user-space pointers in a context', { tags: ['privileged'] }, () => {
  // The kernel's prog_tests/syscall.c: 6.1 refuses log_level 1 without a log buffer, so this passes only
  // when the pointer in the context reaches the kernel.
  test("the kernel's SYSCALL selftest: log_buf through the context, fds the program created", (t) => {
    requireFeature(t, testRunFeature('SYSCALL'));
    using obj = BpfObject.open(fixture('syscall-selftest')).load();
    using prog = obj.program('bpf_prog').toProgram();
    const verifierLog = Buffer.alloc(8192);
    const result = prog.run(
      withUserPointers(selftestArgs(verifierLog.length), [{ offset: 0, buffer: verifierLog }]),
    );
    using created = adopt(result.ctxOut as Buffer);
    expect(result.syscallReturn).toBe(0);
    expect(result.retval).toBe(1);
    expect(createdFds(result.ctxOut as Buffer).mapFd).toBeGreaterThan(0);
    expect(createdFds(result.ctxOut as Buffer).progFd).toBeGreaterThan(0);
    expect(verifierLog.subarray(0, 'processed'.length).toString()).toBe('processed');

    // bpf_map_lookup_elem(ctx.map_fd, &key 12) == 34, through bytes and through the map's BTF (long -> unsigned long).
    const key = Buffer.alloc(8);
    key.writeBigUInt64LE(12n);
    expect(created.map!.lookup(key)!.readBigUInt64LE()).toBe(34n);
    expect(created.map!.typed<bigint, bigint>().get(12n)).toBe(34n);
    expect(created.program!.type).toBe(6); // BPF_PROG_TYPE_XDP
    const info = created.btf!.info();
    expect(info).toMatchObject({ kernelBtf: false });
    expect(info.id).toBe(created.map!.info().btfId);
    expect(created.btf!.types().typeInfo(1)).toMatchObject({ kind: 'int', size: 8, signed: true });
  });

  test('runAsync keeps the pointed-at memory alive and pinned, and copies it back when it resolves', async (t) => {
    requireFeature(t, testRunFeature('SYSCALL'));
    using obj = BpfObject.open(fixture('syscall-selftest')).load();
    using prog = obj.program('bpf_prog').toProgram();
    const verifierLog = Buffer.alloc(4096);
    const pending = prog.runAsync(
      withUserPointers(selftestArgs(verifierLog.length), [{ offset: 0, buffer: verifierLog }]),
    );
    // The caller's buffer is not what the kernel writes: it gets the log once the run is decoded.
    const result = await pending;
    using created = adopt(result.ctxOut as Buffer);
    expect(result.retval).toBe(1);
    expect(created.map).toBeDefined();
    expect(verifierLog.toString('latin1')).toMatch(/^processed \d+ insns/);
  });

  test('each run copies the buffer in as it starts and back when it ends', (t) => {
    requireFeature(t, testRunFeature('SYSCALL'));
    using obj = BpfObject.open(fixture('syscall-selftest')).load();
    using prog = obj.program('bpf_prog').toProgram();
    const verifierLog = Buffer.alloc(4096);
    const input = withUserPointers(selftestArgs(verifierLog.length), [{ offset: 0, buffer: verifierLog }]);
    const first = prog.run(input);
    using firstFds = adopt(first.ctxOut as Buffer);
    expect(first.retval).toBe(1);
    expect(verifierLog.toString('latin1')).toMatch(/^processed \d+ insns/);
    // The kernel writes its short log only: the bytes past it are what the run started with, which the
    // second run takes from the buffer as it is then.
    verifierLog.fill(0x2a);
    const second = prog.run(input);
    using secondFds = adopt(second.ctxOut as Buffer);
    expect(second.retval).toBe(1);
    expect(secondFds.map!.info().id).not.toBe(firstFds.map!.info().id);
    expect(verifierLog.toString('latin1')).toMatch(/^processed \d+ insns/);
    expect(verifierLog.at(-1)).toBe(0x2a);
  });

  test('bad pointers are typed errors naming the field', () => {
    const ctx = Buffer.alloc(16);
    const buffer = Buffer.alloc(8);
    expect(thrown(() => withUserPointers(Buffer.alloc(4), [{ offset: 0, buffer }]))).toMatchObject({
      name: 'ValidationError',
      field: 'ctx',
    });
    expect(thrown(() => withUserPointers(ctx, []))).toMatchObject({ field: 'pointers' });
    expect(thrown(() => withUserPointers(ctx, [{ offset: 9, buffer }]))).toMatchObject({
      field: 'pointers[0].offset',
    });
    expect(thrown(() => withUserPointers(ctx, [{ offset: 0, buffer: 'log' as never }]))).toMatchObject({
      field: 'pointers[0].buffer',
    });
    expect(thrown(() => withUserPointers(ctx, [{ offset: 0, buffer: Buffer.alloc(0) }]))).toMatchObject({
      field: 'pointers[0].buffer',
    });
    expect(
      thrown(() =>
        withUserPointers(ctx, [
          { offset: 0, buffer },
          { offset: 4, buffer },
        ]),
      ),
    ).toMatchObject({ field: 'pointers[1].offset' });
    expect(thrown(() => withUserPointers(ctx, [{ offset: 0, buffer, size: 8 } as never]))).toMatchObject({
      field: 'pointers[0].size',
    });
  });

  test('the context gets the address of the pinned copy; a typed input keeps its data and decoding', () => {
    const buffer = Buffer.from('hello');
    const input = withUserPointers(
      {
        ctxIn: Buffer.alloc(16, 0xff),
        dataIn: Buffer.alloc(14),
        flags: 1,
        decode: () => ({ decoded: true }),
      },
      [{ offset: 8, buffer }],
    );
    const ctx = Buffer.from(input.ctxIn!);
    expect(ctx.subarray(0, 8)).toEqual(Buffer.alloc(8, 0xff));
    expect(ctx.readBigUInt64LE(8)).not.toBe(0n);
    expect(input).toMatchObject({ dataIn: Buffer.alloc(14), flags: 1 });
    expect(
      input.decode({ retval: 0, durationNs: 0, syscallReturn: 0, dataOut: undefined, ctxOut: undefined }),
    ).toEqual({
      decoded: true,
    });
    expect(buffer.toString()).toBe('hello');
  });
});
