import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { thrown } from '../../../tests/helpers/thrown.js';
import { BpfMap, BpfObject, possibleCpus } from '../src/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = join(root, 'fixtures', 'build', 'typed-values.bpf.o');

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'fixtures', 'build.mjs')], { stdio: 'pipe' });
});

const key = { addr: 0x0a000001, port: 53, proto: 17, pad: 0 };

describe('globals and typed maps through BTF', { tags: ['privileged'] }, () => {
  test('globals: listed from the BTF data sections, read and written before load as initial values', () => {
    using obj = BpfObject.open(fixture);
    expect(obj.globals.map((g) => [g.section, g.name])).toEqual([
      ['.bss', 'runs'],
      ['.bss', 'last_key'],
      ['.data', 'offset_by'],
      ['.data.custom', 'custom_counter'],
      ['.rodata', 'multiplier'],
    ]);
    expect(obj.global('runs').get()).toBe(0n);
    expect(obj.global('offset_by').get()).toBe(-5);
    expect(obj.global('multiplier').get()).toBe(3);
    expect(obj.global('custom_counter').get()).toBe(7);
    expect(obj.global('last_key').get()).toEqual({ addr: 0, port: 0, proto: 0, pad: 0 });
    obj.global('multiplier').set(10);
    obj.global('last_key').set(key);
    obj.global('offset_by').setBytes(Buffer.from([0xfe, 0xff, 0xff, 0xff]));
    expect(obj.global('multiplier').get()).toBe(10);
    expect(obj.global('offset_by').get()).toBe(-2);
    expect(obj.global('last_key').bytes()).toEqual(Buffer.from([1, 0, 0, 10, 53, 0, 17, 0]));
    expect(obj.map('.rodata').initialValue()).toEqual(Buffer.from([10, 0, 0, 0]));
  });

  test('globals after load: the live variables, written through the map; .rodata is read-only', () => {
    using obj = BpfObject.open(fixture);
    obj.global('multiplier').set(4);
    obj.global('last_key').set(key);
    obj.load();
    using prog = obj.program('record_flow').toProgram();
    using flows = obj.map('flows').toMap();
    const typedFlows = flows.typed<typeof key, Record<string, unknown>>();
    typedFlows.set(key, { packets: 5n, delta: 100n });
    prog.run({});
    prog.run({});
    expect(obj.global('runs').get()).toBe(2n);
    expect(obj.global('custom_counter').get()).toBe(7 + 2 * 4);
    expect(typedFlows.get(key)).toMatchObject({ packets: 80n, delta: 90n });
    obj.global('custom_counter').set(1);
    obj.global('offset_by').set(1000);
    prog.run({});
    expect(obj.global('custom_counter').get()).toBe(5);
    expect(typedFlows.get(key)).toMatchObject({ delta: 1090n });
    expect(thrown(() => obj.global('multiplier').set(1))).toMatchObject({
      code: 'ERR_PROGRUN_BPF_OBJECT_LOADED',
    });
    expect(obj.global('multiplier').get()).toBe(4);
  });

  test('typed maps: structs, nested anonymous structs, bitfields, arrays, signed and 64-bit members', () => {
    using obj = BpfObject.open(fixture).load();
    using flows = obj.map('flows').toMap();
    const typed = flows.typed();
    expect(typed.get(key)).toBeUndefined();
    typed.set(key, {
      packets: 2n ** 40n,
      delta: -3n,
      sizes: [1, 2, 3],
      flags: { seen: 1, level: 5 },
      tag: Buffer.from('abc'),
    });
    expect(typed.get(key)).toEqual({
      packets: 2n ** 40n,
      delta: -3n,
      sizes: [1, 2, 3],
      flags: { seen: 1, level: 5 },
      tag: [97, 98, 99, 0],
    });
    // The bytes stay available, laid out as C lays them out.
    const raw = flows.lookup(typed.keyCodec!.encode(key))!;
    expect(raw.readBigUInt64LE(0)).toBe(2n ** 40n);
    expect(raw.readBigInt64LE(8)).toBe(-3n);
    expect(raw[28]).toBe(1 | (5 << 1));
    typed.set({ ...key, port: 80 }, { packets: 1n });
    expect([...typed.keys()].map((k) => (k as typeof key).port).sort()).toEqual([53, 80]);
    expect(
      new Map(
        [...typed.entries()].map(([k, v]) => [(k as typeof key).port, (v as { packets: bigint }).packets]),
      ),
    ).toEqual(
      new Map([
        [53, 2n ** 40n],
        [80, 1n],
      ]),
    );
    expect(typed.delete({ ...key, port: 80 })).toBe(true);
    expect(typed.delete({ ...key, port: 80 })).toBe(false);
  });

  test('typed values are validated, naming the part that does not fit', () => {
    using obj = BpfObject.open(fixture).load();
    using flows = obj.map('flows').toMap();
    const typed = flows.typed();
    expect(thrown(() => typed.set({ ...key, port: 70000 }, {}))).toMatchObject({ field: 'key.port' });
    expect(thrown(() => typed.set(key, { packets: 1.5 }))).toMatchObject({ field: 'value.packets' });
    expect(thrown(() => typed.set(key, { sizes: [1, 2, 3, 4] }))).toMatchObject({ field: 'value.sizes' });
    expect(thrown(() => typed.set(key, { flags: { level: 8 } }))).toMatchObject({
      field: 'value.flags.level',
    });
    expect(thrown(() => typed.set(key, { bogus: 1 }))).toMatchObject({ field: 'value.bogus' });
    expect(thrown(() => typed.get(7 as never))).toMatchObject({ field: 'key' });
    expect(thrown(() => obj.global('runs').set(-1n))).toMatchObject({ field: 'runs' });
    expect(thrown(() => obj.global('last_key').set({ port: 'x' }))).toMatchObject({ field: 'last_key.port' });
    expect(thrown(() => obj.global('runs').setBytes(new Uint8Array(4)))).toMatchObject({ field: 'bytes' });
    expect(thrown(() => obj.global('nope'))).toMatchObject({ field: 'name' });
    using plain = BpfMap.create({ type: 'HASH', keySize: 4, valueSize: 4, maxEntries: 1 });
    expect(thrown(() => plain.typed())).toMatchObject({ name: 'ValidationError', field: 'map' });
  });

  test('per-CPU maps: one typed value per possible CPU', () => {
    using obj = BpfObject.open(fixture).load();
    using prog = obj.program('record_flow').toProgram();
    using hits = obj.map('hits').toMap();
    const typed = hits.typed<number, bigint[]>();
    const start = Array.from({ length: possibleCpus() }, (_, cpu) => BigInt(cpu * 10));
    typed.set(0, start);
    prog.run({ flags: 1, cpu: 0 }); // BPF_F_TEST_RUN_ON_CPU: CPU 0's value counts the run
    const after = typed.get(0)!;
    expect(after).toHaveLength(possibleCpus());
    expect(after[0]).toBe(1n);
    expect(after.slice(1)).toEqual(start.slice(1));
    expect(thrown(() => typed.set(0, [...start, 1n]))).toMatchObject({ field: 'value' });
    if (possibleCpus() > 1) {
      expect(
        thrown(() =>
          typed.set(
            0,
            start.map((v, cpu) => (cpu === 1 ? -1n : v)),
          ),
        ),
      ).toMatchObject({
        field: 'value[1]',
      });
    }
  });
});
