// The native boundary, checked: the generated calling conventions are current and loaded, and for every
// command the addon issues, the bytes of union bpf_attr it would pass (recorded by the addon's attr
// capture instead of reaching the kernel) hold each argument in the field uapi's compiler-derived layout
// gives it. Every argument gets a value of its own, so two swapped arguments fail; every byte no
// argument explains must be zero.
import { readFileSync } from 'node:fs';
import { BpfCmd, decode, type LayoutName, layouts, offsetOfEnd, type StructLayout } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { emitCppHeader } from '../generator/emit-cpp-header.js';
import { emitTypeScript } from '../generator/emit-typescript.js';
import {
  callLinkCreate,
  callMapBatch,
  callMapCreate,
  callProgLoad,
  callProgTestRunAsync,
  callProgTestRunEach,
  callProgTestRunEachAsync,
  NATIVE_BOUNDARY,
  TEST_RUN_SLOT_COUNT,
  TestRunEachHeader,
  TestRunEachHeaderFields,
  TestRunEachInput,
  TestRunEachInputFields,
  TestRunEachResult,
  TestRunEachResultFields,
} from '../src/generated/native-calls.js';
import { BpfMap, bpfProgTestRun, bpfProgTestRunAsync } from '../src/index.js';
import { type NativeAttrRecord, native, TestRunSlot } from '../src/native.js';
import { load, returns } from './helpers/programs.js';

const ENOSYS = 38;

/** Runs `call` with the capture on, answering every bpf() with `ret`; returns what it recorded. */
async function capture(
  ret: number,
  call: () => unknown,
  passThrough: readonly number[] = [],
): Promise<NativeAttrRecord[]> {
  native.attrCaptureStart(ret, new Uint32Array(passThrough));
  try {
    await call();
  } finally {
    // biome-ignore lint/correctness/noUnsafeFinally: the capture must end whatever the call did
    return native.attrCaptureStop();
  }
}

/** The one record of `command` among `records`. */
function only(records: readonly NativeAttrRecord[], command: number): NativeAttrRecord {
  const matching = records.filter((record) => record.command === command);
  expect(matching).toHaveLength(1);
  return matching[0]!;
}

/** A predicate on a decoded field, for values the test cannot know (pointers to copies). */
type Check = (value: unknown) => boolean;

/**
 * Decodes `record` with the layout `name` and compares the `expected` fields (values, or checks); every
 * byte of the passed attr outside those fields must be zero, and the size must end at `lastField`.
 */
function expectAttr(
  record: NativeAttrRecord,
  name: LayoutName,
  lastField: string,
  expected: Record<string, unknown>,
): void {
  const layout = layouts[name] as StructLayout;
  expect(record.size).toBe(offsetOfEnd(layout, lastField as never));
  const fields = decoded(name, record);
  const covered = new Uint8Array(record.size);
  for (const [field, want] of Object.entries(expected)) {
    const got = fields[field];
    if (typeof want === 'function') expect((want as Check)(got), `${name}.${field} = ${got}`).toBe(true);
    else expect(got, `${name}.${field}`).toEqual(want);
    const layoutField = layout.fields.find((f) => f.name === field)!;
    covered.fill(1, layoutField.offset, layoutField.offset + layoutField.size);
  }
  const stray = [...record.attr].flatMap((byte, i) => (byte !== 0 && covered[i] === 0 ? [i] : []));
  expect(stray, `non-zero bytes of ${name} that no argument explains`).toEqual([]);
}

const nonZero: Check = (value) => typeof value === 'bigint' && value !== 0n;

/** `record` decoded with the layout `name` (zero-padded: the addon passes only a prefix). */
function decoded(name: LayoutName, record: NativeAttrRecord): Record<string, unknown> {
  const layout = layouts[name] as StructLayout;
  const padded = Buffer.alloc(Math.max(layout.size, record.size));
  record.attr.copy(padded);
  return decode(layout, padded) as Record<string, unknown>;
}
const pointer = (value: unknown) => value as bigint;

describe('generated calling conventions', () => {
  test('the committed files are what the generator writes from the table', () => {
    const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
    expect(read('native/src/generated/native-calls.h')).toBe(emitCppHeader());
    expect(read('src/generated/native-calls.ts')).toBe(emitTypeScript());
  });

  test('the loaded addon was built from the same table', () => {
    expect(native.nativeBoundary).toBe(NATIVE_BOUNDARY);
    expect(native.testRunSlots.length).toBe(TEST_RUN_SLOT_COUNT);
    expect(Object.values(TestRunSlot)).toEqual([...Array(TEST_RUN_SLOT_COUNT).keys()]);
  });
});

describe('bpf_attr as the addon passes it, against uapi layouts', { tags: ['privileged'] }, () => {
  test('BPF_PROG_LOAD', async () => {
    const memory = new ArrayBuffer(512);
    const insns = new Uint8Array(memory, 8, 16);
    const logBuf = new Uint8Array(memory, 64, 300);
    const records = await capture(-ENOSYS, () =>
      callProgLoad(native.progLoad, {
        progType: 0x10000001,
        insns,
        license: 'Dual MIT/GPL',
        name: 'contract_name',
        expectedAttachType: 0x10000005,
        progFlags: 0x10000006,
        attachBtfId: 0x10000007,
        attachFd: 0x1008,
        kernVersion: 0x10000009,
        progIfindex: 0x1000000a,
        logLevel: 0x1000000b,
        logBuf,
      }),
    );
    const record = only(records, BpfCmd.PROG_LOAD);
    const insnsAt = pointer(decoded('bpf_attr_prog_load', record).insns);
    expectAttr(record, 'bpf_attr_prog_load', 'attach_prog_fd', {
      prog_type: 0x10000001,
      insn_cnt: 2,
      insns: nonZero,
      license: nonZero,
      log_level: 0x1000000b,
      log_size: 300,
      log_buf: (value: unknown) => pointer(value) - insnsAt === 64n - 8n,
      kern_version: 0x10000009,
      prog_flags: 0x10000006,
      prog_name: 'contract_name',
      prog_ifindex: 0x1000000a,
      expected_attach_type: 0x10000005,
      attach_btf_id: 0x10000007,
      attach_prog_fd: 0x1008,
    });
  });

  test('BPF_MAP_CREATE', async () => {
    const records = await capture(-ENOSYS, () =>
      callMapCreate(native.mapCreate, {
        mapType: 0x20000001,
        keySize: 0x20000002,
        valueSize: 0x20000003,
        maxEntries: 0x20000004,
        mapFlags: 0x20000005,
        name: 'contract_map',
        innerMapFd: 0x2007,
        numaNode: 0x20000008,
        mapIfindex: 0x20000009,
        btfFd: 0x200a,
        btfKeyTypeId: 0x2000000b,
        btfValueTypeId: 0x2000000c,
        btfVmlinuxValueTypeId: 0x2000000d,
        mapExtra: 0x20000000_0000000en,
      }),
    );
    expectAttr(only(records, BpfCmd.MAP_CREATE), 'bpf_attr_map_create', 'map_extra', {
      map_type: 0x20000001,
      key_size: 0x20000002,
      value_size: 0x20000003,
      max_entries: 0x20000004,
      map_flags: 0x20000005,
      inner_map_fd: 0x2007,
      numa_node: 0x20000008,
      map_name: 'contract_map',
      map_ifindex: 0x20000009,
      btf_fd: 0x200a,
      btf_key_type_id: 0x2000000b,
      btf_value_type_id: 0x2000000c,
      btf_vmlinux_value_type_id: 0x2000000d,
      map_extra: 0x20000000_0000000en,
    });
  });

  test('BPF_PROG_TEST_RUN, synchronous: slots, buffers and the kernel return value', async () => {
    const memory = new ArrayBuffer(512);
    let output: ReturnType<typeof bpfProgTestRun> | undefined;
    const records = await capture(42, () => {
      output = bpfProgTestRun({
        progFd: 0x3001,
        dataIn: new Uint8Array(memory, 16, 20),
        dataOut: new Uint8Array(memory, 64, 33),
        ctxIn: new Uint8Array(memory, 128, 24),
        ctxOut: new Uint8Array(memory, 192, 40),
        repeat: 0x30000002,
        flags: 0x30000003,
        cpu: 0x30000004,
        batchSize: 0x30000005,
      });
    });
    // A non-negative return of bpf() is the caller's: the addon no longer folds it into 0.
    expect(output!.syscallReturn).toBe(42);
    const record = only(records, BpfCmd.PROG_TEST_RUN);
    const dataIn = pointer(decoded('bpf_attr_test', record).data_in);
    const at = (offset: number) => (value: unknown) => pointer(value) - dataIn === BigInt(offset - 16);
    expectAttr(record, 'bpf_attr_test', 'batch_size', {
      prog_fd: 0x3001,
      data_size_in: 20,
      data_size_out: 33,
      data_in: nonZero,
      data_out: at(64),
      repeat: 0x30000002,
      ctx_size_in: 24,
      ctx_size_out: 40,
      ctx_in: at(128),
      ctx_out: at(192),
      flags: 0x30000003,
      cpu: 0x30000004,
      batch_size: 0x30000005,
    });
  });

  test('BPF_PROG_TEST_RUN: absent buffers are NULL, empty ones non-NULL of size 0, but never data_out', async () => {
    const empty = new Uint8Array(0);
    const records = await capture(0, () => {
      bpfProgTestRun({ progFd: 0x3101 });
      bpfProgTestRun({ progFd: 0x3102, dataIn: empty, dataOut: empty, ctxIn: empty, ctxOut: empty });
    });
    expect(records).toHaveLength(2);
    expectAttr(records[0]!, 'bpf_attr_test', 'batch_size', { prog_fd: 0x3101 });
    expectAttr(records[1]!, 'bpf_attr_test', 'batch_size', {
      prog_fd: 0x3102,
      data_in: nonZero,
      data_size_in: 0,
      data_out: 0n,
      data_size_out: 0,
      ctx_in: nonZero,
      ctx_size_in: 0,
      ctx_out: nonZero,
      ctx_size_out: 0,
    });
  });

  test('BPF_PROG_TEST_RUN through Program.run returns what bpf() returned', async () => {
    using prog = load('SCHED_CLS', returns(0));
    let syscallReturn: number | undefined;
    const records = await capture(42, () => {
      syscallReturn = prog.run({ data: Buffer.alloc(64) }).syscallReturn;
    });
    expect(syscallReturn).toBe(42);
    expect(only(records, BpfCmd.PROG_TEST_RUN).size).toBe(offsetOfEnd(layouts.bpf_attr_test, 'batch_size'));
  });

  test('BPF_PROG_TEST_RUN on the pool: generated argument order, copies and the kernel return value', async () => {
    using prog = load('SCHED_CLS', returns(0));
    let syscallReturn: number | undefined;
    const records = await capture(42, async () => {
      syscallReturn = (
        await bpfProgTestRunAsync({
          progFd: prog.fd,
          dataIn: new Uint8Array(21),
          dataSizeOut: 34,
          ctxIn: new Uint8Array(25),
          ctxSizeOut: 41,
          repeat: 0x3d,
          flags: 0x40000003,
          cpu: 0x40000004,
          batchSize: 0x40000005,
        })
      ).syscallReturn;
    });
    expect(syscallReturn).toBe(42);
    // The pool thread runs on a duplicate of the program fd.
    const isFd = (value: unknown) => typeof value === 'number' && value > 2 && value < 0x10000;
    expectAttr(only(records, BpfCmd.PROG_TEST_RUN), 'bpf_attr_test', 'batch_size', {
      prog_fd: isFd,
      data_size_in: 21,
      data_size_out: 34,
      data_in: nonZero,
      data_out: nonZero,
      repeat: 0x3d,
      ctx_size_in: 25,
      ctx_size_out: 41,
      ctx_in: nonZero,
      ctx_out: nonZero,
      flags: 0x40000003,
      cpu: 0x40000004,
      batch_size: 0x40000005,
    });
    // A long repeat goes to the kernel in chunks whose repeats add up to it.
    const chunked = await capture(0, () =>
      bpfProgTestRunAsync({ progFd: prog.fd, dataIn: new Uint8Array(21), repeat: 0x40000002 }),
    );
    expect(chunked.length).toBeGreaterThan(1);
    const repeats = chunked.map((record) => decoded('bpf_attr_test', record).repeat as number);
    expect(repeats.reduce((sum, repeat) => sum + repeat, 0)).toBe(0x40000002);
    // The raw call's ctxOutSize: -1 passes no ctx_out, 0 an empty one.
    const raw = await capture(0, () =>
      callProgTestRunAsync(native.progTestRunAsync, {
        progFd: prog.fd,
        dataIn: null,
        dataOutSize: 0,
        ctxIn: new Uint8Array(0),
        ctxOutSize: 0,
        repeat: 0,
        flags: 0,
        cpu: 0,
        batchSize: 0,
        returnCtxIn: false,
        cancelId: 0,
      }),
    );
    expectAttr(only(raw, BpfCmd.PROG_TEST_RUN), 'bpf_attr_test', 'batch_size', {
      prog_fd: isFd,
      ctx_in: nonZero,
      ctx_out: nonZero,
    });
  });

  test('BPF_PROG_TEST_RUN per input row, synchronous and on the pool', async () => {
    const memory = new ArrayBuffer(512);
    const other = new ArrayBuffer(64);
    // Two rows: every field its own value, the second input in another ArrayBuffer.
    const rows = new Uint32Array(2 * TestRunEachInputFields);
    const row = (i: number, fields: Partial<Record<keyof typeof TestRunEachInput, number>>) => {
      for (const [name, value] of Object.entries(fields))
        rows[i * TestRunEachInputFields + TestRunEachInput[name as keyof typeof TestRunEachInput]] = value!;
    };
    row(0, { dataBuffer: 0, dataOffset: 16, dataLength: 20, ctxBuffer: 0, ctxOffset: 128, ctxLength: 24 });
    row(0, {
      dataRoom: 33,
      ctxRoom: 40,
      repeat: 5,
      flags: 0x50000003,
      cpu: 0x50000004,
      batchSize: 0x50000005,
    });
    row(1, { dataBuffer: 1, dataOffset: 8, dataLength: 30, ctxBuffer: 0xffffffff, dataRoom: 0, ctxRoom: 0 });
    const results = new Uint32Array(TestRunEachHeaderFields + 2 * TestRunEachResultFields);
    const out = new ArrayBuffer(1024);
    const sync = await capture(42, () =>
      callProgTestRunEach(native.progTestRunEach, {
        progFd: 0x5001,
        count: 2,
        inputs: rows,
        buffers: [memory, other],
        results,
        out,
        outOffset: 8,
      }),
    );
    expect(sync).toHaveLength(2);
    expect(results[TestRunEachHeader.done]).toBe(2);
    expect(results[TestRunEachHeaderFields + TestRunEachResult.ret]).toBe(42);
    const first = decoded('bpf_attr_test', sync[0]!);
    const from = (base: bigint, offset: number) => (value: unknown) =>
      pointer(value) - base === BigInt(offset);
    const dataIn = pointer(first.data_in);
    const dataOut = pointer(first.data_out);
    expectAttr(sync[0]!, 'bpf_attr_test', 'batch_size', {
      prog_fd: 0x5001,
      data_in: nonZero,
      data_size_in: 20,
      data_out: nonZero,
      data_size_out: 33,
      ctx_in: from(dataIn, 128 - 16),
      ctx_size_in: 24,
      // The context's room follows the packet's, rounded up to 8 bytes.
      ctx_out: from(dataOut, 40),
      ctx_size_out: 40,
      repeat: 5,
      flags: 0x50000003,
      cpu: 0x50000004,
      batch_size: 0x50000005,
    });
    expectAttr(sync[1]!, 'bpf_attr_test', 'batch_size', {
      prog_fd: 0x5001,
      data_in: nonZero,
      data_size_in: 30,
    });

    using prog = load('SCHED_CLS', returns(0));
    const pool = await capture(0, () =>
      callProgTestRunEachAsync(native.progTestRunEachAsync, {
        progFd: prog.fd,
        count: 2,
        inputs: rows,
        buffers: [memory, other],
        cancelId: 0,
      }),
    );
    const isFd = (value: unknown) => typeof value === 'number' && value > 2 && value < 0x10000;
    expect(pool).toHaveLength(2);
    expectAttr(pool[0]!, 'bpf_attr_test', 'batch_size', {
      prog_fd: isFd,
      data_in: nonZero,
      data_size_in: 20,
      data_out: nonZero,
      data_size_out: 33,
      ctx_in: nonZero,
      ctx_size_in: 24,
      ctx_out: nonZero,
      ctx_size_out: 40,
      repeat: 5,
      flags: 0x50000003,
      cpu: 0x50000004,
      batch_size: 0x50000005,
    });
    expectAttr(pool[1]!, 'bpf_attr_test', 'batch_size', {
      prog_fd: isFd,
      data_in: nonZero,
      data_size_in: 30,
    });
  });

  describe('map commands (the map sizes come from the kernel)', () => {
    const passThrough = [BpfCmd.OBJ_GET_INFO_BY_FD];

    test('the element commands', async () => {
      using map = BpfMap.create({ type: 'HASH', keySize: 4, valueSize: 8, maxEntries: 4 });
      const memory = new ArrayBuffer(256);
      const key = new Uint8Array(memory, 16, 4);
      const value = new Uint8Array(memory, 40, 8);
      // key and value lie 24 bytes apart in one ArrayBuffer, so must their pointers.
      const check = async (
        call: () => unknown,
        command: number,
        lastField: string,
        fields: (valueAt: bigint) => object,
      ) => {
        const record = only(await capture(0, call, passThrough), command);
        const keyAt = pointer(decoded('bpf_attr_map_elem', record).key);
        expect(keyAt).not.toBe(0n);
        expectAttr(record, 'bpf_attr_map_elem', lastField, {
          map_fd: map.fd,
          key: keyAt,
          ...fields(keyAt + 24n),
        });
      };
      const flags = 0x50000001_00000002n;
      await check(
        () => native.mapLookupElem(map.fd, key, value, flags),
        BpfCmd.MAP_LOOKUP_ELEM,
        'flags',
        (valueAt) => ({
          value: valueAt,
          flags,
        }),
      );
      await check(
        () => native.mapUpdateElem(map.fd, key, value, 3),
        BpfCmd.MAP_UPDATE_ELEM,
        'flags',
        (valueAt) => ({
          value: valueAt,
          flags: 3n,
        }),
      );
      await check(
        () => native.mapLookupAndDeleteElem(map.fd, key, value, 4),
        BpfCmd.MAP_LOOKUP_AND_DELETE_ELEM,
        'flags',
        (valueAt) => ({ value: valueAt, flags: 4n }),
      );
      await check(
        () => native.mapDeleteElem(map.fd, key, 5),
        BpfCmd.MAP_DELETE_ELEM,
        'flags',
        () => ({ flags: 5n }),
      );
      await check(
        () => native.mapGetNextKey(map.fd, key, value),
        BpfCmd.MAP_GET_NEXT_KEY,
        'next_key',
        (valueAt) => ({
          next_key: valueAt,
        }),
      );
      const freeze = await capture(0, () => native.mapFreeze(map.fd), passThrough);
      expectAttr(only(freeze, BpfCmd.MAP_FREEZE), 'bpf_attr_map_elem', 'map_fd', { map_fd: map.fd });
    });

    test('the batch commands', async () => {
      using map = BpfMap.create({ type: 'HASH', keySize: 4, valueSize: 8, maxEntries: 4 });
      const memory = new ArrayBuffer(512);
      const args = {
        mapFd: map.fd,
        inBatch: new Uint8Array(memory, 8, 4),
        outBatch: new Uint8Array(memory, 24, 4),
        keys: new Uint8Array(memory, 64, 12),
        values: new Uint8Array(memory, 128, 24),
        count: 3,
        elemFlags: 0x60000001_00000002n,
        flags: 0x60000003_00000004n,
        results: new Uint32Array(1),
      };
      for (const [name, command, tokens, values] of [
        ['mapLookupBatch', BpfCmd.MAP_LOOKUP_BATCH, true, true],
        ['mapLookupAndDeleteBatch', BpfCmd.MAP_LOOKUP_AND_DELETE_BATCH, true, true],
        ['mapUpdateBatch', BpfCmd.MAP_UPDATE_BATCH, false, true],
        ['mapDeleteBatch', BpfCmd.MAP_DELETE_BATCH, false, false],
      ] as const) {
        const records = await capture(0, () => callMapBatch(native[name], args), passThrough);
        const record = only(records, command);
        const keysAt = pointer(decoded('bpf_attr_batch', record).keys);
        const at = (offset: number) => keysAt + BigInt(offset - 64);
        expectAttr(record, 'bpf_attr_batch', 'flags', {
          ...(tokens ? { in_batch: at(8), out_batch: at(24) } : {}),
          keys: nonZero,
          ...(values ? { values: at(128) } : {}),
          count: 3,
          map_fd: map.fd,
          elem_flags: 0x60000001_00000002n,
          flags: 0x60000003_00000004n,
        });
      }
    });
  });

  test('BPF_OBJ_PIN, BPF_OBJ_GET', async () => {
    let records = await capture(-ENOSYS, () => native.objPin(0x7001, '/sys/fs/bpf/contract', 0x70000002));
    expectAttr(only(records, BpfCmd.OBJ_PIN), 'bpf_attr_obj', 'file_flags', {
      pathname: nonZero,
      bpf_fd: 0x7001,
      file_flags: 0x70000002,
    });
    records = await capture(-ENOSYS, () => native.objGet('/sys/fs/bpf/contract', 0x70000003));
    expectAttr(only(records, BpfCmd.OBJ_GET), 'bpf_attr_obj', 'file_flags', {
      pathname: nonZero,
      file_flags: 0x70000003,
    });
  });

  test('the id commands', async () => {
    for (const [name, command] of [
      ['progGetNextId', BpfCmd.PROG_GET_NEXT_ID],
      ['mapGetNextId', BpfCmd.MAP_GET_NEXT_ID],
      ['linkGetNextId', BpfCmd.LINK_GET_NEXT_ID],
    ] as const) {
      const records = await capture(-ENOSYS, () => native[name](0x80000001));
      expectAttr(only(records, command), 'bpf_attr_get_id', 'open_flags', { start_id: 0x80000001 });
    }
    for (const [name, command] of [
      ['progGetFdById', BpfCmd.PROG_GET_FD_BY_ID],
      ['mapGetFdById', BpfCmd.MAP_GET_FD_BY_ID],
      ['linkGetFdById', BpfCmd.LINK_GET_FD_BY_ID],
    ] as const) {
      const records = await capture(-ENOSYS, () => native[name](0x80000002, 0x80000003));
      expectAttr(only(records, command), 'bpf_attr_get_id', 'open_flags', {
        prog_id: 0x80000002,
        open_flags: 0x80000003,
      });
    }
  });

  test('BPF_OBJ_GET_INFO_BY_FD', async () => {
    const records = await capture(-ENOSYS, () => native.objGetInfoByFd(0x9001, new Uint8Array(88)));
    expectAttr(only(records, BpfCmd.OBJ_GET_INFO_BY_FD), 'bpf_attr_info', 'info', {
      bpf_fd: 0x9001,
      info_len: 88,
      info: nonZero,
    });
  });

  test('BPF_LINK_CREATE, BPF_RAW_TRACEPOINT_OPEN, BPF_ENABLE_STATS', async () => {
    const link = (targetBtfId: number) =>
      capture(-ENOSYS, () =>
        callLinkCreate(native.linkCreate, {
          progFd: 0xa001,
          target: 0xa0000002,
          attachType: 0xa0000003,
          flags: 0xa0000004,
          targetBtfId,
        }),
      );
    const common = { prog_fd: 0xa001, target_fd: 0xa0000002, attach_type: 0xa0000003, flags: 0xa0000004 };
    expectAttr(only(await link(0xa0000005), BpfCmd.LINK_CREATE), 'bpf_attr_link_create', 'target_btf_id', {
      ...common,
      target_btf_id: 0xa0000005,
    });
    // Without a BTF id the attr stops at flags, for kernels before 5.9.
    expectAttr(only(await link(0), BpfCmd.LINK_CREATE), 'bpf_attr_link_create', 'flags', common);

    let records = await capture(-ENOSYS, () => native.rawTracepointOpen('bpf_test_finish', 0xa006));
    expectAttr(only(records, BpfCmd.RAW_TRACEPOINT_OPEN), 'bpf_attr_raw_tracepoint', 'prog_fd', {
      name: nonZero,
      prog_fd: 0xa006,
    });
    records = await capture(-ENOSYS, () => native.enableStats(0xa0000007));
    expectAttr(only(records, BpfCmd.ENABLE_STATS), 'bpf_attr_enable_stats', 'type', { type: 0xa0000007 });
  });
});
