// The 1:1 command layer: typed wrappers that return fds and raw outputs, for callers who manage fds.
import { BPF_F_SLEEPABLE, BpfMapType, BpfProgType } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { requireFeature, testRunFeature } from '../src/features/index.js';
import {
  asm,
  BpfError,
  bpfGetFdById,
  bpfGetNextId,
  bpfMapCreate,
  bpfMapDeleteElem,
  bpfMapGetNextKey,
  bpfMapLookupBatch,
  bpfMapLookupElem,
  bpfMapUpdateBatch,
  bpfMapUpdateElem,
  bpfObjGetInfoByFd,
  bpfProgLoad,
  bpfProgTestRun,
  bpfProgTestRunAsync,
  ValidationError,
} from '../src/index.js';
import { native } from '../src/native.js';
import { returns } from './helpers/programs.js';

function withFd<T>(fd: number, use: (fd: number) => T): T {
  try {
    return use(fd);
  } finally {
    native.closeFd(fd);
  }
}

const u32 = (value: number) => Buffer.from(new Uint32Array([value]).buffer);

describe('command wrappers', { tags: ['privileged'] }, () => {
  test('bpfProgLoad + bpfProgTestRun: outputs land in the caller buffers, sizes are reported', () => {
    const fd = bpfProgLoad({
      progType: BpfProgType.XDP,
      insns: asm.assemble(returns(2)),
      license: 'GPL',
      name: 'cmd',
    });
    withFd(fd, () => {
      const dataOut = Buffer.alloc(128);
      const output = bpfProgTestRun({ progFd: fd, dataIn: Buffer.alloc(64, 9), dataOut, repeat: 1 });
      expect(output).toMatchObject({ retval: 2, dataSizeOut: 64, ctxSizeOut: 0, restarts: 0 });
      expect(dataOut.subarray(0, 64)).toEqual(Buffer.alloc(64, 9));
      expect(dataOut.subarray(64)).toEqual(Buffer.alloc(64));
      const short = Buffer.alloc(10);
      expect(() => bpfProgTestRun({ progFd: fd, dataIn: Buffer.alloc(64), dataOut: short })).toThrow(
        expect.objectContaining({ code: 'ENOSPC', message: expect.stringMatching(/produced 64 bytes/) }),
      );
      expect(short).toEqual(Buffer.alloc(10, 0));
    });
  });

  test('bpfProgTestRunAsync returns fresh buffers, and SYSCALL context written back in ctxIn', async (t) => {
    requireFeature(t, testRunFeature('SYSCALL'));
    const fd = bpfProgLoad({
      progType: BpfProgType.SYSCALL,
      insns: asm.assemble([
        asm.mov64('r2', 77),
        asm.stx('u32', 'r1', 'r2', 0),
        asm.mov64('r0', 1),
        asm.exit(),
      ]),
      license: 'GPL',
      progFlags: BPF_F_SLEEPABLE,
    });
    await withFd(fd, async () => {
      const output = await bpfProgTestRunAsync({ progFd: fd, ctxIn: Buffer.alloc(4) });
      expect(output.retval).toBe(1);
      expect(output.ctxIn).toEqual(u32(77));
    });
  });

  test('map commands with raw fds; a missing key is ENOENT from the lookup and false from next-key', () => {
    const fd = bpfMapCreate({
      mapType: BpfMapType.HASH,
      keySize: 4,
      valueSize: 4,
      maxEntries: 8,
      name: 'raw',
    });
    withFd(fd, () => {
      const value = Buffer.alloc(4);
      expect(() => bpfMapLookupElem(fd, u32(1), value)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
      bpfMapUpdateElem(fd, u32(1), u32(11));
      bpfMapLookupElem(fd, u32(1), value);
      expect(value).toEqual(u32(11));
      const next = Buffer.alloc(4);
      expect(bpfMapGetNextKey(fd, null, next)).toBe(true);
      expect(next).toEqual(u32(1));
      expect(bpfMapGetNextKey(fd, next, next)).toBe(false);
      expect(
        bpfMapUpdateBatch({
          mapFd: fd,
          keys: Buffer.concat([u32(2), u32(3)]),
          values: Buffer.concat([u32(22), u32(33)]),
          count: 2,
        }),
      ).toEqual({
        count: 2,
        done: false,
      });
      const keys = Buffer.alloc(32);
      const values = Buffer.alloc(32);
      const page = bpfMapLookupBatch({ mapFd: fd, keys, values, count: 8, outBatch: Buffer.alloc(4) });
      expect(page).toEqual({ count: 3, done: true });
      bpfMapDeleteElem(fd, u32(1));
      expect(() => bpfMapDeleteElem(fd, u32(1))).toThrow(BpfError);
    });
  });

  test('ids: walk to a program, open it by id, read its info', () => {
    const fd = bpfProgLoad({
      progType: BpfProgType.XDP,
      insns: asm.assemble(returns(1)),
      license: 'GPL',
      name: 'by_id',
    });
    withFd(fd, () => {
      const info = Buffer.alloc(256);
      expect(bpfObjGetInfoByFd(fd, info)).toBeGreaterThan(0);
      const id = info.readUInt32LE(4);
      expect(bpfGetNextId('prog', id - 1)).toBeLessThanOrEqual(id);
      withFd(bpfGetFdById('prog', id), (again) => {
        expect(bpfProgTestRun({ progFd: again, dataIn: Buffer.alloc(64) }).retval).toBe(1);
      });
      expect(() => bpfGetFdById('prog', 0xffff_fff0)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
      expect(() => bpfGetNextId('program' as never, 0)).toThrow(ValidationError);
    });
  });

  test('wrong arguments are ValidationErrors naming the attribute', () => {
    expect(() => bpfProgLoad({ progType: 6, insns: new Uint8Array(9), license: 'GPL' })).toThrow(
      expect.objectContaining({ field: 'attr.insns' }),
    );
    expect(() => bpfProgTestRun({ progFd: -1 })).toThrow(expect.objectContaining({ field: 'attr.progFd' }));
    expect(() => bpfProgTestRun({ progFd: 3, dataOut: new Uint8Array(new SharedArrayBuffer(8)) })).toThrow(
      expect.objectContaining({ field: 'attr.dataOut' }),
    );
    expect(() => bpfMapCreate({ mapType: 1, keySize: -4, valueSize: 4, maxEntries: 1 })).toThrow(
      expect.objectContaining({ field: 'attr.keySize' }),
    );
  });
});
