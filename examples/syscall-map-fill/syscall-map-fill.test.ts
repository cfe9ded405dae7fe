import { compileBpfC } from '@progrun/compile';
import { syscallStruct } from '@progrun/ctx-builders';
import { BpfMap, BpfObject, type Program } from '@progrun/syscall';
import { requireFeature, testRunFeature } from '@progrun/syscall/features';
import { BpfMapType } from '@progrun/uapi';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';

/** The program's context, struct fill_args, field by field in declaration order. */
const fillArgs = syscallStruct({ max_entries: 'u32', step: 'u32', map_fd: 's32', err: 's32' });

describe('syscall-map-fill: a SYSCALL program creates and fills a map with bpf_sys_bpf()', {
  tags: ['privileged'],
}, () => {
  let object: BpfObject;
  let program: Program;

  // SYSCALL programs and their test run need Linux 5.14: older kernels skip, newer ones that lack it fail.
  const feature = testRunFeature('SYSCALL');
  beforeEach((t) => {
    requireFeature(t, feature);
  });

  beforeAll(async () => {
    if (feature.probe().status !== 'supported') return; // each test then skips or fails, saying why
    const { objectPath } = await compileBpfC(new URL('./syscall-map-fill.bpf.c', import.meta.url));
    object = BpfObject.open(objectPath).load();
    program = object.program('create_and_fill').toProgram();
  });

  afterAll(() => {
    program?.close();
    object?.close();
  });

  function fill(max_entries: number, step: number) {
    const { retval, ctx } = program.run(fillArgs.build({ max_entries, step }));
    return { retval, args: ctx! };
  }

  test('the new map comes back as an fd in this process, created and filled', () => {
    const { retval, args } = fill(16, 3);
    expect(retval).toBe(0);
    expect(args.err).toBe(0);
    using map = BpfMap.fromFd(args.map_fd);
    expect(map.info()).toMatchObject({
      type: BpfMapType.ARRAY,
      keySize: 4,
      valueSize: 8,
      maxEntries: 16,
      name: 'filled',
    });
    const values = Array.from({ length: 16 }, (_, i) => {
      const key = Buffer.alloc(4);
      key.writeUInt32LE(i, 0);
      return map.lookup(key)!.readBigUInt64LE(0);
    });
    expect(values).toEqual(Array.from({ length: 16 }, (_, i) => BigInt(i * 3)));
  });

  test('every run creates a new map', () => {
    const first = fill(1, 1).args.map_fd;
    const second = fill(1, 1).args.map_fd;
    using a = BpfMap.fromFd(first);
    using b = BpfMap.fromFd(second);
    expect(a.info().id).not.toBe(b.info().id);
  });

  test('a size it refuses is reported through the context, and no map is created', () => {
    for (const entries of [0, 257]) {
      const { retval, args } = fill(entries, 1);
      expect(retval).toBe(1);
      expect(args).toMatchObject({ map_fd: -1, err: -22 });
    }
  });
});
