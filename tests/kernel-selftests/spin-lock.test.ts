// Port of prog_tests/spin_lock.c with progs/test_spin_lock.c and test_spin_lock_fail.c: four test runs
// (10,000 repeats each, in parallel on the libuv pool) take the program's bpf_spin_locks, and each
// program of test_spin_lock_fail.c is refused at load with the verifier message the C file expects.
import { BpfError, BpfObject, vmlinuxBtfType } from '@progrun/syscall';
import { describe, expect, test } from 'vitest';
import { thrown } from '../helpers/thrown.js';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

/** The C file's spin_lock_fail_tests: program and expected verifier message (a POSIX basic regex). */
const failTests: [string, string][] = [
  [
    'lock_id_kptr_preserve',
    '[0-9]\\+: (bf) r1 = r0                       ; R0=ptr_foo(id=2) R1=ptr_foo(id=2) refs=2\n' +
      '[0-9]\\+: (85) call bpf_this_cpu_ptr#154\nR1 type=ptr_ expected=percpu_ptr_',
  ],
  [
    'lock_id_global_zero',
    '; R1=map_value(map=.data.A,ks=4,vs=4)\n2: (85) call bpf_this_cpu_ptr#154\nR1 type=map_value expected=percpu_ptr_',
  ],
  [
    'lock_id_mapval_preserve',
    '[0-9]\\+: (bf) r1 = r0                       ; R0=map_value(id=1,map=array_map,ks=4,vs=8) R1=map_value(id=1,map=array_map,ks=4,vs=8)\n' +
      '[0-9]\\+: (85) call bpf_this_cpu_ptr#154\nR1 type=map_value expected=percpu_ptr_',
  ],
  [
    'lock_id_innermapval_preserve',
    '[0-9]\\+: (bf) r1 = r0                      ; R0=map_value(id=2,ks=4,vs=8) R1=map_value(id=2,ks=4,vs=8)\n' +
      '[0-9]\\+: (85) call bpf_this_cpu_ptr#154\nR1 type=map_value expected=percpu_ptr_',
  ],
  ...[
    'kptr_kptr',
    'kptr_global',
    'kptr_mapval',
    'kptr_innermapval',
    'global_global',
    'global_kptr',
    'global_mapval',
    'global_innermapval',
    'mapval_mapval',
    'mapval_kptr',
    'mapval_global',
    'mapval_innermapval',
    'innermapval_innermapval1',
    'innermapval_innermapval2',
    'innermapval_kptr',
    'innermapval_global',
    'innermapval_mapval',
  ].map((pair): [string, string] => [`lock_id_mismatch_${pair}`, 'bpf_spin_unlock of different lock']),
  ...[
    'lock_global_subprog_call1',
    'lock_global_subprog_call2',
    'lock_global_sleepable_helper_subprog',
    'lock_global_sleepable_kfunc_subprog',
    'lock_global_sleepable_subprog_indirect',
  ].map((name): [string, string] => [name, 'global function calls are not allowed while holding a lock']),
];

/** A POSIX basic regular expression as a JavaScript one: `\+` is the quantifier, `(` `)` `|` `{` `}` `?` `+` literal. */
function basicRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) source += pattern[++i] === '+' ? '+' : `\\${pattern[i]}`;
    else source += '()|{}?+'.includes(c) ? `\\${c}` : c;
  }
  return new RegExp(source);
}

describe('spin_lock', { tags: ['privileged'] }, () => {
  test('test_spin_lock_success', async () => {
    using obj = BpfObject.open(await selftestObject('test_spin_lock'));
    obj.load();
    using prog = obj.program('bpf_spin_lock_test').toProgram();
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => prog.runAsync({ data: pktV4(), repeat: 10000 })),
    );
    for (const run of runs) {
      expect(run.syscallReturn, 'test_run').toBe(0);
      expect(run.retval, 'test_run retval').toBe(0);
    }
  });

  // test_spin_lock_fail.c (through the 7.2.8 bpf_experimental.h) calls the kfunc bpf_obj_new, what older
  // kernels (the host's 6.18) call bpf_obj_new_impl: it compiles only against a kernel whose BTF has it.
  const noObjNew = vmlinuxBtfType('func', 'bpf_obj_new') === undefined;
  for (const [program, message] of failTests) {
    test.skipIf(noObjNew)(`${program} (needs the bpf_obj_new kfunc)`, async () => {
      using obj = BpfObject.open(await selftestObject('test_spin_lock_fail'));
      obj.program(program).autoload = true;
      const error = thrown(() => obj.load({ logLevel: 1 }));
      expect(error, 'test_spin_lock_fail__load must fail').toBeInstanceOf(Error);
      const log = (BpfError.isInstance(error) && error.verifierLog) || '';
      expect(log, 'no match for expected error message').toMatch(basicRegex(message));
    });
  }
});
