// Port of prog_tests/global_data.c with progs/test_global_data.c: the program copies its .bss, .data and
// .rodata numbers, strings and structs into result maps (relocations of every global section), and the
// .rodata map refuses updates from user space.
import { BpfError, BpfObject } from '@progrun/syscall';
import { beforeAll, describe, expect, test } from 'vitest';
import { thrown } from '../helpers/thrown.js';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

const numbers: [string, number, bigint][] = [
  ['relocate .bss reference', 0, 0n],
  ['relocate .data reference', 1, 42n],
  ['relocate .rodata reference', 2, 24n],
  ['relocate .bss reference', 3, 0n],
  ['relocate .data reference', 4, 0xffeeffn],
  ['relocate .rodata reference', 5, 0xababn],
  ['relocate .bss reference', 6, 1234n],
  ['relocate .bss reference', 7, 0n],
  ['relocate .rodata reference', 8, 0xabn],
  ['relocate .rodata reference', 9, 0x1111111111111111n],
  ['relocate .rodata reference', 10, 0xffffffffffffffffn],
];

/** char[32] values, compared whole as the C test's memcmp does. */
function str32(text: string): Buffer {
  const bytes = Buffer.alloc(32);
  bytes.write(text, 'latin1');
  return bytes;
}

const strings: [string, number, Buffer][] = [
  ['relocate .rodata reference', 0, str32('abcdefghijklmnopqrstuvwxyz')],
  ['relocate .data reference', 1, str32('abcdefghijklmnopqrstuvwxyz')],
  ['relocate .bss reference', 2, str32('')],
  ['relocate .data reference', 3, str32('abcdexghijklmnopqrstuvwxyz')],
  ['relocate .bss reference', 4, str32('\0\0hello')],
];

const structs: [string, number, { a: number; b: number; c: bigint }][] = [
  ['relocate .rodata reference', 0, { a: 42, b: 0xfefeefef, c: 0x1111111111111111n }],
  ['relocate .bss reference', 1, { a: 0, b: 0, c: 0n }],
  ['relocate .rodata reference', 2, { a: 0, b: 0, c: 0n }],
  ['relocate .data reference', 3, { a: 41, b: 0xeeeeefef, c: 0x2111111111111111n }],
];

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('test_global_data');
});

describe('global_data', { tags: ['privileged'] }, () => {
  test('every section relocates, .rodata is read-only', () => {
    // libbpf names the object after its file, test_global_data.bpf.o, and its internal maps after that.
    using obj = BpfObject.open(objectPath, { name: 'test_global_data' });
    obj.load();
    using prog = obj.program('load_static_data').toProgram();
    const run = prog.run({ data: pktV4(), repeat: 1 });
    expect(run.syscallReturn, 'pass global data run err').toBe(0);
    expect(run.retval, 'pass global data run retval').toBe(0);

    using resultNumber = obj.map('result_number').toMap();
    for (const [name, key, num] of numbers) {
      expect(resultNumber.typed<number, bigint>().get(key), name).toBe(num);
    }
    using resultString = obj.map('result_string').toMap();
    for (const [name, key, str] of strings) {
      expect(resultString.lookup(Buffer.from(Uint32Array.of(key).buffer)), name).toEqual(str);
    }
    using resultStruct = obj.map('result_struct').toMap();
    for (const [name, key, val] of structs) {
      expect(resultStruct.typed().get(key), name).toEqual(val);
    }

    const map = obj.map('test_glo.rodata');
    expect(map.internal, 'is_internal').toBe(true);
    // ensure we can lookup internal maps by their ELF names
    expect(obj.map('.rodata'), 'same_maps').toBe(map);
    using rodata = map.toMap();
    const error = thrown(() => rodata.update(Buffer.alloc(4), Buffer.alloc(map.valueSize)));
    expect(BpfError.isInstance(error) && error.code, 'test .rodata read-only map').toBe('EPERM');
  });
});
