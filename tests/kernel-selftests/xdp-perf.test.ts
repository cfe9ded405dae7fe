// Port of prog_tests/xdp_perf.c with progs/xdp_dummy.c: a million XDP_PASS runs of a 128-byte frame in
// one call, the frame returned whole.
import { BpfObject } from '@progrun/syscall';
import { beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';

const XDP_PASS = 2;

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('xdp_dummy');
});

describe('xdp_perf', { tags: ['privileged'] }, () => {
  test('1,000,000 runs pass the frame', () => {
    using obj = BpfObject.open(objectPath).load();
    using prog = obj.program('xdp_dummy_prog').toProgram();
    const run = prog.run({ data: Buffer.alloc(128), dataSizeOut: 128, repeat: 1000000 });
    expect(run.syscallReturn, 'test_run').toBe(0);
    expect(run.retval, 'test_run retval').toBe(XDP_PASS);
    expect(run.dataOut?.length, 'test_run data_size_out').toBe(128);
  });
});
