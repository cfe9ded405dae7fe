// The program-type table of @progrun/uapi is the one source of the per-type test-run facts: the fast
// lookups derive from it, and on the running kernel what it claims is what the kernel does.
import {
  BPF_OK,
  BpfProgType,
  formatKernelVersion,
  programTypeProfiles,
  programTypes,
  retvalConventionFor,
  runningKernel,
} from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { bpfProgTestRun } from '../src/commands/prog-test-run.js';
import { BpfError } from '../src/errors/bpf-error.js';
import {
  probeInput,
  probeProgram,
  TEST_RUN_PROBED_TYPES,
  testRunFeature,
} from '../src/features/test-run-features.js';
import { asm, Program } from '../src/index.js';
import { DATA_OUT_PROG_TYPES, NO_CTX_OUT_PROG_TYPES, TEST_RUN_SINCE } from '../src/test-run-support.js';

describe('the lists the syscall layer derives', () => {
  test('match the table, type by type', () => {
    for (const { name, value, testRun, probe } of programTypeProfiles) {
      expect(TEST_RUN_SINCE[value], name).toBe(testRun?.minKernel);
      expect(DATA_OUT_PROG_TYPES[value] === 1, name).toBe(
        testRun !== undefined && testRun.dataOut !== 'none',
      );
      expect(NO_CTX_OUT_PROG_TYPES[value] === 1, name).toBe(
        testRun !== undefined && testRun.ctxOut !== 'returned',
      );
      expect(TEST_RUN_PROBED_TYPES.includes(name as never), name).toBe(probe !== undefined);
    }
  });
});

/** The kernel's errno name for a raw run, or 'ok'. */
function outcome(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (BpfError.isInstance(error)) return error.code;
    throw error;
  }
}

const frame = new Uint8Array(64).fill(0);
new DataView(frame.buffer).setUint16(12, 0x0800);
frame[14] = 0x45;

describe('what the table claims holds on the running kernel', { tags: ['privileged'] }, () => {
  const runnable = TEST_RUN_PROBED_TYPES.filter((type) => programTypes[type].testRun !== undefined);

  test.each(runnable)('%s', (type) => {
    const feature = testRunFeature(type).probe();
    if (feature.status !== 'supported') return; // The feature tests cover the kernels without it.
    const profile = programTypes[type];
    const testRun = profile.testRun!;
    const input = probeInput(profile.probe.sends);
    const { returns, ...load } = probeProgram(profile.probe);
    using program = Program.load({
      ...load,
      type,
      instructions: asm.assemble([asm.mov64('r0', returns), asm.exit()]),
      license: 'GPL',
    });
    const run = (extra: Parameters<typeof bpfProgTestRun>[0] extends infer A ? Partial<A> : never) =>
      bpfProgTestRun({ ...input, ...extra, progFd: program.fd });

    // The table's retval convention for this kernel (FLOW_DISSECTOR before 6.1: whether it said BPF_OK).
    const release = runningKernel();
    const convention = retvalConventionFor(type, release && formatKernelVersion(release));
    const retval =
      convention.retval === 'is-bpf-ok' ? Number(profile.probe.returns === BPF_OK) : profile.probe.returns;
    expect(run({}).retval, 'the probe returns what its recipe says').toBe(retval);
    if (testRun.data === 'refused')
      expect(
        outcome(() => run({ dataIn: frame })),
        'refuses data',
      ).toBe('EINVAL');
    if (testRun.data === 'ignored')
      expect(
        outcome(() => run({ dataIn: frame })),
        'ignores data',
      ).toBe('ok');
    if (testRun.dataOut !== 'none') {
      const dataOut = new Uint8Array(4096);
      expect(run({ dataOut }).dataSizeOut, 'fills data_out').toBeGreaterThan(0);
    }
    if (testRun.context?.required)
      expect(
        outcome(() => run({ ctxIn: undefined })),
        'needs a ctx',
      ).toBe('EINVAL');
    if (testRun.ctxOut === 'returned' && input.ctxIn) {
      expect(run({ ctxOut: new Uint8Array(512) }).ctxSizeOut, 'returns the context').toBeGreaterThan(0);
    }
  });

  test('types the table gives no test run answer ENOTSUPP', () => {
    for (const type of ['SOCK_OPS', 'RAW_TRACEPOINT_WRITABLE', 'CGROUP_SOCK'] as const) {
      expect(programTypes[type]).not.toHaveProperty('testRun');
      using program = Program.load({
        type: BpfProgType[type],
        instructions: asm.assemble([asm.mov64('r0', 1), asm.exit()]),
        license: 'GPL',
      });
      expect(
        outcome(() => bpfProgTestRun({ progFd: program.fd, ctxIn: new Uint8Array(8) })),
        type,
      ).toBe('ENOTSUPP');
    }
  });
});
