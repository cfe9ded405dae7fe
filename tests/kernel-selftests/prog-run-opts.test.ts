// Port of prog_tests/prog_run_opts.c with progs/test_pkt_access.c: a 5-byte data_size_out is honoured
// (ENOSPC, the run's retval and the full size still reported, nothing written past the hint), a run
// without output succeeds, and run_cnt counts every repetition.
import { BpfError, BpfObject, bpfProgTestRun, RunTimeStats } from '@progrun/syscall';
import { beforeAll, describe, expect, test } from 'vitest';
import { thrown } from '../helpers/thrown.js';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('test_pkt_access');
});

describe('prog_run_opts', { tags: ['privileged'] }, () => {
  test('ENOSPC with a 5-byte hint, no output with none, run_cnt counts repeats', () => {
    using _stats = RunTimeStats.enable();
    using obj = BpfObject.open(objectPath).load();
    using prog = obj.program('test_pkt_access').toProgram();
    const data = pktV4();
    let runCnt = 0n;

    // The C test hands a 10-byte buffer with data_size_out 5: the 1:1 layer's dataOut is that window.
    const buf = Buffer.alloc(10);
    const error = thrown(() =>
      bpfProgTestRun({ progFd: prog.fd, dataIn: data, dataOut: buf.subarray(0, 5), repeat: 1 }),
    );
    expect(BpfError.isInstance(error) && error.code, 'test_run errno').toBe('ENOSPC');
    // Program.run reports the same through the error's fields.
    const runError = thrown(() => prog.run({ data, dataSizeOut: 5, repeat: 1 }));
    if (!BpfError.isInstance(runError)) throw runError;
    expect(runError.code, 'test_run errno (Program.run)').toBe('ENOSPC');
    expect(runError.retval, 'test_run retval').toBe(0);
    expect(runError.dataSizeOut, 'test_run data_size_out').toBe(data.length);
    expect(buf[5], 'overflow, BPF_PROG_TEST_RUN ignored size hint').toBe(0);
    runCnt += 2n;
    expect(prog.info().runCnt, 'run_cnt').toBe(runCnt);

    const noOutput = prog.run({ data, dataSizeOut: 0, repeat: 2 });
    expect(noOutput.syscallReturn, 'run_no_output err').toBe(0);
    expect(noOutput.retval, 'run_no_output retval').toBe(0);
    runCnt += 2n;
    expect(prog.info().runCnt, 'run_cnt').toBe(runCnt);
  });
});
