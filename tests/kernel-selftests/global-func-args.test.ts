// Port of prog_tests/global_func_args.c with progs/test_global_func_args.c: global (non-inlined)
// functions take NULL, local, global and pointer-to-pointer arguments; each saves what it saw in the
// values map.
import { BpfObject } from '@progrun/syscall';
import { beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

const expected: [string, number][] = [
  ['passing NULL pointer', 0],
  ['returning value', 1],
  ['reading local variable', 100],
  ['writing local variable', 101],
  ['reading global variable', 42],
  ['writing global variable', 43],
  ['writing to pointer-to-pointer', 1],
];

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('test_global_func_args');
});

describe('global_func_args', { tags: ['privileged'] }, () => {
  test('every global function saw its argument', () => {
    using obj = BpfObject.open(objectPath).load();
    using prog = obj.program('test_cls').toProgram();
    const run = prog.run({ data: pktV4(), repeat: 1 });
    expect(run.syscallReturn, 'test_run').toBe(0);
    expect(run.retval, 'test_run retval').toBe(0);

    using map = obj.map('values').toMap();
    const values = map.typed<number, number>();
    expected.forEach(([descr, value], i) => {
      expect(values.get(i), descr).toBe(value);
    });
  });
});
