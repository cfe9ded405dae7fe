import { cpus } from 'node:os';
import { compileBpfC } from '@progrun/compile';
import { rawTracepointArgs } from '@progrun/ctx-builders';
import { type BpfMap, BpfObject, type Program } from '@progrun/syscall';
import { BPF_F_TEST_RUN_ON_CPU } from '@progrun/uapi';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// x86-64 system call numbers, as args[1] of sys_enter carries them.
const NR_getpid = 39;
const NR_openat = 257;

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value, 0);
  return bytes;
}

describe('raw-tracepoint: counts sys_enter by system call number', { tags: ['privileged'] }, () => {
  let object: BpfObject;
  let program: Program;
  let counts: BpfMap;
  let lastCpu: BpfMap;

  beforeAll(async () => {
    const { objectPath } = await compileBpfC(new URL('./raw-tracepoint.bpf.c', import.meta.url));
    object = BpfObject.open(objectPath).load();
    program = object.program('count_syscalls').toProgram();
    counts = object.map('syscall_counts').toMap();
    lastCpu = object.map('last_cpu').toMap();
  });

  afterAll(() => {
    lastCpu.close();
    counts.close();
    program.close();
    object.close();
  });

  /** One sys_enter event: args[0] is the pt_regs pointer (unused by the program), args[1] the number. */
  const sysEnter = (nr: number, options: { flags?: number; cpu?: number } = {}) =>
    program.run({ ctx: rawTracepointArgs({ args: [0, nr] }).ctxIn, ...options });
  const count = (nr: number) => counts.lookup(u32(nr))?.readBigUInt64LE(0);

  test('each event increments the count of its system call', () => {
    expect(sysEnter(NR_getpid).retval).toBe(0);
    sysEnter(NR_getpid);
    sysEnter(NR_openat);
    expect(count(NR_getpid)).toBe(2n);
    expect(count(NR_openat)).toBe(1n);
    expect(count(0)).toBeUndefined();
  });

  test('BPF_F_TEST_RUN_ON_CPU runs it on the CPU asked for', () => {
    for (let cpu = 0; cpu < cpus().length; cpu++) {
      sysEnter(NR_getpid, { flags: BPF_F_TEST_RUN_ON_CPU, cpu });
      expect(lastCpu.lookup(u32(0))!.readUInt32LE(0)).toBe(cpu);
    }
  });

  test('the context must hold the arguments the program reads', () => {
    // The program reads args[1]: one argument is too short, and the kernel says EINVAL.
    expect(() => program.run({ ctx: rawTracepointArgs({ args: [0] }).ctxIn })).toThrow(/EINVAL/);
  });
});
