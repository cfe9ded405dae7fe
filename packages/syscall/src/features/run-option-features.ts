import { BPF_F_TEST_RUN_ON_CPU, BPF_F_TEST_SKB_CHECKSUM_COMPLETE, BpfProgType } from '@progrun/uapi';
import { Feature, unsupported } from './feature.js';
import {
  isUnknownProgramType,
  loadProbeProgram,
  probePacket,
  probeRun,
  refusedWith,
} from './probe-program.js';

/**
 * `BPF_F_TEST_RUN_ON_CPU` with `cpu` (Linux 5.10, with raw tracepoint test runs, the only type that honours
 * it). Probed by running a raw tracepoint program on CPU 0.
 */
export const testRunOnCpu = new Feature(
  {
    id: 'test_run_on_cpu',
    description: 'BPF_F_TEST_RUN_ON_CPU (running a test run on a chosen CPU)',
    minKernel: '5.10',
  },
  () => {
    let program: ReturnType<typeof loadProbeProgram>;
    try {
      program = loadProbeProgram({ type: BpfProgType.RAW_TRACEPOINT, returns: 0 });
    } catch (error) {
      if (isUnknownProgramType(error)) return unsupported('the kernel has no raw tracepoint programs', error);
      throw error;
    }
    try {
      const result = probeRun(program, { flags: BPF_F_TEST_RUN_ON_CPU, cpu: 0 });
      if (refusedWith(result, 'EINVAL', 'ENOTSUPP'))
        return unsupported(`a run on CPU 0 was refused with ${result.code}`, result);
      if (!('retval' in result)) throw result;
      return true;
    } finally {
      program.close();
    }
  },
);

/**
 * `BPF_F_TEST_SKB_CHECKSUM_COMPLETE` for skb test runs (Linux 6.11): the packet arrives with
 * CHECKSUM_COMPLETE and the kernel checks the checksum the program leaves. Older kernels refuse the flag.
 */
export const skbChecksumComplete = new Feature(
  {
    id: 'skb_checksum_complete',
    description: 'BPF_F_TEST_SKB_CHECKSUM_COMPLETE in skb test runs',
    minKernel: '6.11',
  },
  () => {
    const program = loadProbeProgram({ type: BpfProgType.SCHED_CLS, returns: 0 });
    try {
      const result = probeRun(program, { dataIn: probePacket(), flags: BPF_F_TEST_SKB_CHECKSUM_COMPLETE });
      if (refusedWith(result, 'EINVAL')) return unsupported('the flag was refused with EINVAL', result);
      if (!('retval' in result)) throw result;
      return true;
    } finally {
      program.close();
    }
  },
);

/**
 * `data_size_out` is honoured (Linux 5.0): a run whose packet does not fit fails with ENOSPC and reports
 * the size needed, instead of writing past the buffer. Probed with a 16-byte data_out for a 64-byte packet,
 * backed by 64 bytes so that an older kernel's overrun stays inside memory the probe owns.
 */
export const dataSizeOutHonoured = new Feature(
  {
    id: 'data_size_out',
    description: 'data_size_out honoured by test runs (ENOSPC instead of an overrun)',
    minKernel: '5.0',
  },
  () => {
    const program = loadProbeProgram({ type: BpfProgType.XDP, returns: 2 });
    try {
      const data = probePacket();
      const result = probeRun(program, {
        dataIn: data,
        dataOut: new Uint8Array(data.length).subarray(0, 16),
      });
      if (refusedWith(result, 'ENOSPC')) return true;
      if ('retval' in result) return unsupported('a 64-byte packet was written into a 16-byte data_out');
      throw result;
    } finally {
      program.close();
    }
  },
);
