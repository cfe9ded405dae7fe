import { BPF_F_TEST_RUN_ON_CPU, BPF_F_TEST_SKB_CHECKSUM_COMPLETE, BpfProgType } from '@progrun/uapi';
import { Feature } from './feature.js';
import {
  probePacket,
  probeRun,
  supportedIfRefused,
  supportedUnlessRefused,
  withProbeProgram,
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
  () =>
    withProbeProgram({ type: BpfProgType.RAW_TRACEPOINT, returns: 0 }, (program) =>
      supportedUnlessRefused(
        probeRun(program, { flags: BPF_F_TEST_RUN_ON_CPU, cpu: 0 }),
        ['EINVAL', 'ENOTSUPP'],
        'a run on CPU 0',
      ),
    ),
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
  () =>
    withProbeProgram({ type: BpfProgType.SCHED_CLS, returns: 0 }, (program) =>
      supportedUnlessRefused(
        probeRun(program, { dataIn: probePacket(), flags: BPF_F_TEST_SKB_CHECKSUM_COMPLETE }),
        ['EINVAL'],
        'the flag',
      ),
    ),
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
  () =>
    withProbeProgram({ type: BpfProgType.XDP, returns: 2 }, (program) => {
      const data = probePacket();
      const dataOut = new Uint8Array(data.length).subarray(0, 16);
      return supportedIfRefused(
        probeRun(program, { dataIn: data, dataOut }),
        'ENOSPC',
        'a 64-byte packet for a 16-byte data_out',
      );
    }),
);
