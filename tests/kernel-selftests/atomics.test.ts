// Port of prog_tests/atomics.c with progs/atomics.c: RAW_TRACEPOINT programs run directly (not attached)
// use the BPF atomic instructions (fetch-and-add/sub/and/or/xor, cmpxchg, xchg) on globals and the stack;
// the globals after the run hold the results.
import { BpfObject } from '@progrun/syscall';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';

/** Per subtest: the program and the globals it leaves, with the C file's labels. */
const subtests: [string, [string, bigint | number, string][]][] = [
  [
    'add',
    [
      ['add64_value', 3n, 'add64_value'],
      ['add64_result', 1n, 'add64_result'],
      ['add32_value', 3, 'add32_value'],
      ['add32_result', 1, 'add32_result'],
      ['add_stack_value_copy', 3n, 'add_stack_value'],
      ['add_stack_result', 1n, 'add_stack_result'],
      ['add_noreturn_value', 3n, 'add_noreturn_value'],
    ],
  ],
  [
    'sub',
    [
      ['sub64_value', -1n, 'sub64_value'],
      ['sub64_result', 1n, 'sub64_result'],
      ['sub32_value', -1, 'sub32_value'],
      ['sub32_result', 1, 'sub32_result'],
      ['sub_stack_value_copy', -1n, 'sub_stack_value'],
      ['sub_stack_result', 1n, 'sub_stack_result'],
      ['sub_noreturn_value', -1n, 'sub_noreturn_value'],
    ],
  ],
  [
    'and',
    [
      ['and64_value', 0x010n << 32n, 'and64_value'],
      ['and64_result', 0x110n << 32n, 'and64_result'],
      ['and32_value', 0x010, 'and32_value'],
      ['and32_result', 0x110, 'and32_result'],
      ['and_noreturn_value', 0x010n << 32n, 'and_noreturn_value'],
    ],
  ],
  [
    'or',
    [
      ['or64_value', 0x111n << 32n, 'or64_value'],
      ['or64_result', 0x110n << 32n, 'or64_result'],
      ['or32_value', 0x111, 'or32_value'],
      ['or32_result', 0x110, 'or32_result'],
      ['or_noreturn_value', 0x111n << 32n, 'or_noreturn_value'],
    ],
  ],
  [
    'xor',
    [
      ['xor64_value', 0x101n << 32n, 'xor64_value'],
      ['xor64_result', 0x110n << 32n, 'xor64_result'],
      ['xor32_value', 0x101, 'xor32_value'],
      ['xor32_result', 0x110, 'xor32_result'],
      ['xor_noreturn_value', 0x101n << 32n, 'xor_nxoreturn_value'],
    ],
  ],
  [
    'cmpxchg',
    [
      ['cmpxchg64_value', 2n, 'cmpxchg64_value'],
      ['cmpxchg64_result_fail', 1n, 'cmpxchg_result_fail'],
      ['cmpxchg64_result_succeed', 1n, 'cmpxchg_result_succeed'],
      ['cmpxchg32_value', 2, 'lcmpxchg32_value'],
      ['cmpxchg32_result_fail', 1, 'cmpxchg_result_fail'],
      ['cmpxchg32_result_succeed', 1, 'cmpxchg_result_succeed'],
    ],
  ],
  [
    'xchg',
    [
      ['xchg64_value', 2n, 'xchg64_value'],
      ['xchg64_result', 1n, 'xchg64_result'],
      ['xchg32_value', 2, 'xchg32_value'],
      ['xchg32_result', 1, 'xchg32_result'],
    ],
  ],
];

let obj: BpfObject;
beforeAll(async () => {
  obj = BpfObject.open(await selftestObject('atomics')).load();
  // The programs act only in this process's runs (they are raw_tp/sys_enter programs).
  obj.global('pid').set(process.pid);
});
afterAll(() => obj?.close());

describe('atomics', { tags: ['privileged'] }, () => {
  test('the programs were compiled with the atomics tests', () => {
    expect(obj.global('skip_tests').get(), 'skip_tests').toBe(false);
  });

  for (const [name, globals] of subtests) {
    test(name, () => {
      using prog = obj.program(name).toProgram();
      const { syscallReturn, retval } = prog.run({});
      expect(syscallReturn, 'test_run_opts err').toBe(0);
      expect(retval, 'test_run_opts retval').toBe(0);
      for (const [variable, value, label] of globals) {
        expect(obj.global(variable).get(), label).toBe(value);
      }
    });
  }
});
