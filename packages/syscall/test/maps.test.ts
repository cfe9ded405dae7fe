import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { thrown } from '../../../tests/helpers/thrown.js';
import { asm, BpfError, BpfMap, possibleCpus, ValidationError } from '../src/index.js';
import { bpffsDir } from './helpers/bpffs.js';
import { load } from './helpers/programs.js';

const u32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
};
const u64 = (value: number) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return bytes;
};

const pins: string[] = [];
afterEach(() => {
  for (const path of pins.splice(0)) rmSync(path, { force: true });
});

describe('maps', { tags: ['privileged'] }, () => {
  test('hash: update, lookup, delete, next key, iteration', () => {
    using map = BpfMap.create({ type: 'HASH', keySize: 4, valueSize: 8, maxEntries: 16, name: 'counts' });
    expect(map).toMatchObject({
      keySize: 4,
      valueSize: 8,
      maxEntries: 16,
      name: 'counts',
      perCpu: false,
      valueSlotSize: 8,
      fullValueSize: 8,
    });
    expect(map.lookup(u32(1))).toBeUndefined();
    map.update(u32(1), u64(10));
    map.update(u32(2), u64(20), 'noexist');
    expect(map.lookup(u32(1))).toEqual(u64(10));
    expect(() => map.update(u32(2), u64(21), 'noexist')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(() => map.update(u32(3), u64(30), 'exist')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    const keys = [...map.keys()].map((key) => key.readUInt32LE()).sort();
    expect(keys).toEqual([1, 2]);
    const entries = new Map([...map].map(([key, value]) => [key.readUInt32LE(), value.readBigUInt64LE()]));
    expect(entries).toEqual(
      new Map([
        [1, 10n],
        [2, 20n],
      ]),
    );
    expect(map.delete(u32(1))).toBe(true);
    expect(map.delete(u32(1))).toBe(false);
    expect(map.nextKey()).toEqual(u32(2));
    expect(map.nextKey(u32(2))).toBeUndefined();
    expect(map.info()).toMatchObject({
      type: map.type,
      keySize: 4,
      valueSize: 8,
      maxEntries: 16,
      name: 'counts',
    });
  });

  test('array: elements exist from the start and cannot be deleted', () => {
    using map = BpfMap.create({ type: 'ARRAY', keySize: 4, valueSize: 4, maxEntries: 4 });
    expect(map.lookup(u32(3))).toEqual(u32(0));
    expect(map.lookup(u32(4))).toBeUndefined();
    expect(() => map.delete(u32(0))).toThrow(
      expect.objectContaining({ code: 'EINVAL', command: 'BPF_MAP_DELETE_ELEM' }),
    );
  });

  test('per-CPU array: one 8-byte-aligned slot per possible CPU', () => {
    using map = BpfMap.create({ type: 'PERCPU_ARRAY', keySize: 4, valueSize: 4, maxEntries: 1 });
    expect(map).toMatchObject({ perCpu: true, valueSize: 4, valueSlotSize: 8 });
    expect(map.fullValueSize).toBe(8 * possibleCpus());
    const value = Buffer.alloc(map.fullValueSize);
    for (let cpu = 0; cpu < possibleCpus(); cpu++) value.writeUInt32LE(cpu + 100, cpu * 8);
    map.update(u32(0), value);
    expect(map.lookup(u32(0))).toEqual(value);
    expect(() => map.update(u32(0), u32(1))).toThrow(ValidationError);
  });

  test('per-CPU hash: lookupPerCpu returns one value per possible CPU, updatePerCpu takes one each', () => {
    // valueSize 12: each CPU's slot is 16 bytes, so a reader stepping by the value size would misread CPU 1.
    using map = BpfMap.create({ type: 'PERCPU_HASH', keySize: 4, valueSize: 12, maxEntries: 4 });
    expect(map.valueSlotSize).toBe(16);
    const values = Array.from({ length: possibleCpus() }, (_, cpu) => {
      const value = Buffer.alloc(12);
      value.writeUInt32LE(cpu + 1, 0);
      value.writeUInt32LE(0xabc00 + cpu, 8);
      return value;
    });
    expect(map.lookupPerCpu(u32(7))).toBeUndefined();
    map.updatePerCpu(u32(7), values);
    expect(map.lookupPerCpu(u32(7))).toEqual(values);
    const raw = map.lookup(u32(7))!;
    expect(raw.readUInt32LE(16 * (possibleCpus() - 1) + 8)).toBe(0xabc00 + possibleCpus() - 1);
    expect(thrown(() => map.updatePerCpu(u32(7), values.slice(1)))).toMatchObject({ field: 'values' });
    expect(thrown(() => map.updatePerCpu(u32(7), [Buffer.alloc(8), ...values.slice(1)]))).toMatchObject({
      field: 'values[0]',
    });
    using plain = BpfMap.create({ type: 'HASH', keySize: 4, valueSize: 4, maxEntries: 1 });
    expect(thrown(() => plain.lookupPerCpu(u32(0)))).toMatchObject({ field: 'map' });
  });

  test('queue: push with a null key, peek, pop in FIFO order', () => {
    using queue = BpfMap.create({ type: 'QUEUE', keySize: 0, valueSize: 4, maxEntries: 8 });
    queue.update(null, u32(1));
    queue.update(null, u32(2));
    expect(queue.lookup(null)).toEqual(u32(1));
    expect(queue.lookupAndDelete(null)).toEqual(u32(1));
    expect(queue.lookupAndDelete(null)).toEqual(u32(2));
    expect(queue.lookupAndDelete(null)).toBeUndefined();
  });

  test('batch operations walk, update and delete in pages (Linux 5.6+)', () => {
    using map = BpfMap.create({ type: 'HASH', keySize: 4, valueSize: 8, maxEntries: 128 });
    const keys = Array.from({ length: 100 }, (_, i) => u32(i));
    expect(
      map.updateBatch(
        keys,
        keys.map((_, i) => u64(i * 3)),
      ),
    ).toBe(100);
    const seen = new Map<number, bigint>();
    let from: Buffer | undefined;
    let pages = 0;
    do {
      const page = map.lookupBatch(7, from);
      for (const [i, key] of page.keys.entries())
        seen.set(key.readUInt32LE(), page.values[i]!.readBigUInt64LE());
      from = page.next;
      pages++;
    } while (from !== undefined && pages < 100);
    expect(seen.size).toBe(100);
    expect(seen.get(33)).toBe(99n);
    expect(map.deleteBatch(keys.slice(0, 50))).toBe(50);
    const rest = map.lookupAndDeleteBatch(100);
    expect(rest.keys.length).toBe(50);
    expect(map.nextKey()).toBeUndefined();
  });

  test('pin, open again by path and by id, freeze', () => {
    using map = BpfMap.create({ type: 'ARRAY', keySize: 4, valueSize: 4, maxEntries: 1 });
    using bpffs = bpffsDir();
    const path = `${bpffs.path}/pr-sc-${process.pid}-map`;
    map.pin(path);
    pins.push(path);
    expect(() => map.pin(path)).toThrow(
      expect.objectContaining({ code: 'EEXIST', command: 'BPF_OBJ_PIN', path }),
    );
    using again = BpfMap.fromPin(path);
    using byId = BpfMap.fromId(map.info().id);
    expect(again.info().id).toBe(map.info().id);
    expect(byId).toMatchObject({ type: map.type, keySize: 4, valueSize: 4 });
    using readOnly = BpfMap.fromPin(path, { access: 'ro' });
    expect(() => readOnly.update(u32(0), u32(1))).toThrow(expect.objectContaining({ code: 'EPERM' }));
    map.freeze();
    expect(() => map.update(u32(0), u32(1))).toThrow(expect.objectContaining({ code: 'EPERM' }));
    expect(() => BpfMap.fromPin(`${path}-missing`)).toThrow(
      expect.objectContaining({ code: 'ENOENT', command: 'BPF_OBJ_GET' }),
    );
  });

  test('a pin outside a bpf filesystem says so', () => {
    using map = BpfMap.create({ type: 'ARRAY', keySize: 4, valueSize: 4, maxEntries: 1 });
    const path = join(tmpdir(), `pr-sc-${process.pid}-not-bpffs`);
    expect(() => map.pin(path)).toThrow(
      expect.objectContaining({
        command: 'BPF_OBJ_PIN',
        path,
        message: expect.stringContaining(`'${tmpdir()}' is not on a bpf filesystem`),
      }),
    );
  });

  test('map of maps takes an inner map template', () => {
    using inner = BpfMap.create({ type: 'ARRAY', keySize: 4, valueSize: 4, maxEntries: 1 });
    using outer = BpfMap.create({
      type: 'ARRAY_OF_MAPS',
      keySize: 4,
      valueSize: 4,
      maxEntries: 2,
      innerMap: inner,
    });
    outer.update(u32(0), u32(inner.fd));
    expect(outer.lookup(u32(0))?.readUInt32LE()).toBe(inner.info().id);
  });

  test('a program updates a map on every run: 100 runs count to 100', () => {
    using counts = BpfMap.create({ type: 'ARRAY', keySize: 4, valueSize: 8, maxEntries: 1 });
    using prog = load('XDP', [
      asm.st('u32', 'r10', -4, 0),
      asm.mov64('r2', 'r10'),
      asm.add64('r2', -4),
      asm.ldMapFd('r1', counts),
      asm.call('map_lookup_elem'),
      asm.jmp('jeq', 'r0', 0, 'out'),
      asm.mov64('r1', 1),
      asm.atomicAdd('u64', 'r0', 'r1', 0),
      asm.label('out'),
      asm.mov64('r0', 2),
      asm.exit(),
    ]);
    prog.benchmark(Buffer.alloc(64), 100);
    expect(counts.lookup(u32(0))).toEqual(u64(100));
  });

  test('keys and values of the wrong size are refused before the syscall, naming the size', () => {
    using map = BpfMap.create({ type: 'HASH', keySize: 4, valueSize: 8, maxEntries: 1 });
    expect(() => map.lookup(Buffer.alloc(3))).toThrow(
      new ValidationError('key', "4 bytes (the map's keySize)", { received: Buffer.alloc(3) }),
    );
    expect(() => map.update(u32(0), Buffer.alloc(4))).toThrow(/value must be 8 bytes/);
    expect(() => map.lookup('key' as unknown as Uint8Array)).toThrow(ValidationError);
  });

  test('a closed map answers EBADF, fromFd refuses what is not a map', () => {
    const map = BpfMap.create({ type: 'HASH', keySize: 4, valueSize: 4, maxEntries: 1 });
    const fd = map.fd;
    map.close();
    map.close();
    expect(map.closed).toBe(true);
    expect(() => map.lookup(u32(0))).toThrow(expect.objectContaining({ code: 'EBADF' }));
    expect(() => BpfMap.fromFd(fd)).toThrow(BpfError);
    expect(() => BpfMap.fromFd(0)).toThrow(/the fd of a BPF map/);
  });
});
