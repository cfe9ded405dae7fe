// Port of prog_tests/raw_tp_test_run.c with progs/test_raw_tp_test_run.c: a raw_tp/task_rename program
// counts renames once attached; test runs pass it (task, comm) = (0x1234, 0x5678) and it returns their
// sum and records its CPU, on every online CPU with BPF_F_TEST_RUN_ON_CPU.
import { readFileSync, writeFileSync } from 'node:fs';
import { BpfError, BpfLink, BpfObject } from '@progrun/syscall';
import { BPF_F_TEST_RUN_ON_CPU } from '@progrun/uapi';
import { beforeAll, describe, expect, test } from 'vitest';
import { thrown } from '../helpers/thrown.js';
import { selftestObject } from './helpers/kernel-source.js';

/** The CPUs of a cpulist file (`0-3,6`), as libbpf's parse_cpu_mask_file reads it. */
function cpuList(path: string): number[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split(',')
    .flatMap((range) => {
      const [first, last = first] = range.split('-').map(Number);
      return Array.from({ length: last! - first! + 1 }, (_, i) => first! + i);
    });
}

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('test_raw_tp_test_run');
});

describe('raw_tp_test_run', { tags: ['privileged'] }, () => {
  test('the attached program sees a rename; test runs return task + comm on every online CPU', () => {
    const args = Buffer.alloc(16);
    args.writeBigUInt64LE(0x1234n, 0);
    args.writeBigUInt64LE(0x5678n, 8);
    const expectedRetval = 0x1234 + 0x5678;
    const online = cpuList('/sys/devices/system/cpu/online');

    using obj = BpfObject.open(objectPath);
    obj.load();
    using prog = obj.program('rename').toProgram();
    {
      using _link = BpfLink.rawTracepoint(prog, 'task_rename');
      const comm = readFileSync('/proc/self/comm');
      try {
        writeFileSync('/proc/self/comm', 'new_name');
      } finally {
        writeFileSync('/proc/self/comm', comm); // the test worker keeps its name
      }
    }
    expect(obj.global('count').get(), 'check_count').not.toBe(0);
    expect(obj.global('on_cpu').get(), 'check_on_cpu').toBe(0xffffffff);

    const tooSmall = thrown(() => prog.run({ ctx: args.subarray(0, 8), flags: BPF_F_TEST_RUN_ON_CPU }));
    expect(BpfError.isInstance(tooSmall), 'test_run should fail for too small ctx').toBe(true);

    const run = prog.run({ ctx: args, flags: BPF_F_TEST_RUN_ON_CPU });
    expect(run.syscallReturn, 'test_run').toBe(0);
    expect(run.retval, 'check_retval').toBe(expectedRetval);

    for (const cpu of online) {
      const onCpu = prog.run({ ctx: args, flags: BPF_F_TEST_RUN_ON_CPU, cpu });
      expect(onCpu.syscallReturn, 'test_run_opts').toBe(0);
      expect(obj.global('on_cpu').get(), 'check_on_cpu').toBe(cpu);
      expect(onCpu.retval, 'check_retval').toBe(expectedRetval);
    }

    // invalid cpu ID should fail with ENXIO
    const badCpu = thrown(() => prog.run({ ctx: args, flags: BPF_F_TEST_RUN_ON_CPU, cpu: 0xffffffff }));
    expect(BpfError.isInstance(badCpu) && badCpu.code, 'test_run_opts should fail with ENXIO').toBe('ENXIO');

    // non-zero cpu w/o BPF_F_TEST_RUN_ON_CPU should fail with EINVAL
    const noFlag = thrown(() => prog.run({ ctx: args, flags: 0, cpu: 1 }));
    expect(BpfError.isInstance(noFlag) && noFlag.code, 'test_run_opts should fail with EINVAL').toBe(
      'EINVAL',
    );
  });
});
