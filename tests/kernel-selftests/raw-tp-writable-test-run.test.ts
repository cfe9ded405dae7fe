// Port of prog_tests/raw_tp_writable_test_run.c: a RAW_TRACEPOINT_WRITABLE program attached to the
// bpf_test_finish tracepoint overwrites the test run's error code with 42, which bpf() then returns.
import { asm, BpfLink, bpfProgTestRun, Program } from '@progrun/syscall';
import { describe, expect, test } from 'vitest';

describe('raw_tp_writable_test_run', { tags: ['privileged'] }, () => {
  test('the tracepoint program makes the run return 42, and 0 once detached', () => {
    using trace = Program.load({
      type: 'RAW_TRACEPOINT_WRITABLE',
      license: 'GPL v2',
      logLevel: 2,
      // The kernel's program writes 42 into every run's error code; the tracepoint fires for every test run
      // on the machine, and the kernel runs this selftest serially. Here other test files run their programs
      // at the same time, so the program writes only in runs of this process.
      instructions: asm.assemble([
        asm.ldx('u64', 'r6', 'r1', 0), // the tracepoint's int *err
        asm.call('get_current_pid_tgid'),
        asm.alu64('rsh', 'r0', 32),
        asm.jmp('jne', 'r0', process.pid, 'out'),
        asm.mov64('r0', 42),
        asm.stx('u32', 'r6', 'r0', 0),
        asm.label('out'),
        asm.mov64('r0', 0),
        asm.exit(),
      ]),
    });
    using filter = Program.load({
      type: 'SOCKET_FILTER',
      license: 'GPL v2',
      instructions: asm.assemble([asm.mov64('r0', 0), asm.exit()]),
    });
    const testSkb = Buffer.alloc(128);
    {
      using _attached = BpfLink.rawTracepoint(trace, 'bpf_test_finish');
      const raw = bpfProgTestRun({ progFd: filter.fd, dataIn: testSkb, repeat: 1 });
      expect(raw.syscallReturn, 'test_run').toBe(42);
      expect(raw.retval, 'test_run_ret').toBe(0);
      const run = filter.run({ data: testSkb, repeat: 1 });
      expect(run.syscallReturn, 'test_run (Program.run)').toBe(42);
      expect(run.retval, 'test_run_ret (Program.run)').toBe(0);
    }
    const notrace = bpfProgTestRun({ progFd: filter.fd, dataIn: testSkb, repeat: 1 });
    expect(notrace.syscallReturn, 'test_run_notrace').toBe(0);
    expect(notrace.retval, 'test_run_ret_notrace').toBe(0);
  });
});
