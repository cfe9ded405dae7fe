// Port of prog_tests/test_profiler.c with progs/profiler1.c, profiler2.c and profiler3.c (one program
// source, profiler.inc.h, built three ways): each object loads whole (large programs the verifier must
// accept), and its raw_tp/sched_process_exec program runs on a three-argument context and returns 0.
//
// The C test also attaches each object's programs (kprobes, tracepoints) before the run; the run does not
// depend on them, and they are not attached here.
import { BpfObject } from '@progrun/syscall';
import { describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';

describe('test_profiler', { tags: ['privileged'] }, () => {
  for (const name of ['profiler1', 'profiler2', 'profiler3']) {
    test(`${name}: load and sanity run`, async () => {
      using obj = BpfObject.open(await selftestObject(name));
      obj.load();
      using prog = obj.program('raw_tracepoint__sched_process_exec').toProgram();
      const args = Buffer.alloc(24);
      args.writeBigUInt64LE(1n, 0);
      args.writeBigUInt64LE(2n, 8);
      args.writeBigUInt64LE(3n, 16);
      const run = prog.run({ ctx: args });
      expect(run.syscallReturn, 'test_run').toBe(0);
      expect(run.retval, 'test_run retval').toBe(0);
    });
  }
});
