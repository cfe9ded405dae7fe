import { asm, BpfError, bpfProgTestRun, Program, type ProgTestRunAttr } from '@progrun/syscall';
import { allFeatures, NEXT_UNUSED_TEST_RUN_FLAG, testRunFeature } from '@progrun/syscall/features';
import {
  BPF_F_TEST_RUN_ON_CPU,
  BPF_F_TEST_SKB_CHECKSUM_COMPLETE,
  BPF_F_TEST_XDP_LIVE_FRAMES,
  encode,
  layoutFor,
  TcAction,
  XdpAction,
} from '@progrun/uapi';
import { probeDefinitions } from '../probe-definitions.js';
import type { ProbeObservation } from '../probe-observation.js';

/** A CPU number beyond any machine the probes run on. */
const ABSENT_CPU = 4095;

/** A 64-byte Ethernet frame with a minimal IPv4/UDP header (10.0.0.1 -> 10.0.0.2). */
function packet(length = 64): Uint8Array {
  const frame = new Uint8Array(length);
  const view = new DataView(frame.buffer);
  frame.set([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01], 0);
  view.setUint16(12, 0x0800);
  frame[14] = 0x45;
  view.setUint16(16, length - 14);
  frame[22] = 64;
  frame[23] = 17;
  frame.set([10, 0, 0, 1, 10, 0, 0, 2], 26);
  return frame;
}

/**
 * Loads `r0 = returns; exit` as a program of `type`, makes one raw BPF_PROG_TEST_RUN call and
 * reports what the kernel answered: the raw command, so no client-side check hides the kernel's
 * own errno.
 */
function rawRun(
  type: 'XDP' | 'SCHED_CLS' | 'RAW_TRACEPOINT',
  returns: number,
  attr: Omit<ProgTestRunAttr, 'progFd'>,
  inspect?: () => string | undefined,
): ProbeObservation {
  using program = Program.load({
    type,
    instructions: asm.assemble([asm.mov64('r0', returns), asm.exit()]),
    license: 'GPL',
    name: 'hvm_probe',
  });
  try {
    const { retval } = bpfProgTestRun({ ...attr, progFd: program.fd });
    const note = inspect?.();
    return note === undefined ? { outcome: 'ok', retval } : { outcome: 'ok', retval, note };
  } catch (error) {
    if (BpfError.isInstance(error)) return { outcome: 'error', code: error.code };
    throw error;
  }
}

function liveDataOut(): ProbeObservation {
  const dataIn = packet();
  const dataOut = new Uint8Array(dataIn.length);
  return rawRun('XDP', XdpAction.PASS, { dataIn, dataOut, flags: BPF_F_TEST_XDP_LIVE_FRAMES }, () =>
    Buffer.from(dataOut).equals(Buffer.from(dataIn)) ? 'data_out = data_in' : 'data_out differs from data_in',
  );
}

function xdpMdContext(): ProbeObservation {
  const dataIn = packet();
  const ctxIn = encode(layoutFor('xdp_md', '5.10'), { data: 0, data_end: dataIn.length });
  return rawRun('XDP', XdpAction.PASS, { dataIn, ctxIn, ctxOut: new Uint8Array(ctxIn.length) });
}

const runProbes: Record<string, () => ProbeObservation> = {
  'xdp.baseline': () => rawRun('XDP', XdpAction.PASS, { dataIn: packet() }),
  'xdp.unknown-flag': () =>
    rawRun('XDP', XdpAction.PASS, { dataIn: packet(), flags: NEXT_UNUSED_TEST_RUN_FLAG }),
  'xdp.live-flag-alone': () =>
    rawRun('XDP', XdpAction.PASS, { dataIn: packet(), flags: BPF_F_TEST_XDP_LIVE_FRAMES }),
  'xdp.live-frames': () =>
    rawRun('XDP', XdpAction.DROP, { dataIn: packet(), flags: BPF_F_TEST_XDP_LIVE_FRAMES, batchSize: 1 }),
  'xdp.batch-without-flag': () => rawRun('XDP', XdpAction.PASS, { dataIn: packet(), batchSize: 64 }),
  'xdp.batch-300': () =>
    rawRun('XDP', XdpAction.DROP, { dataIn: packet(), flags: BPF_F_TEST_XDP_LIVE_FRAMES, batchSize: 300 }),
  'xdp.live-data-out': liveDataOut,
  'xdp.md-ctx-in': xdpMdContext,
  'xdp.short-data': () => rawRun('XDP', XdpAction.PASS, { dataIn: packet().subarray(0, 13) }),
  'xdp.run-on-cpu': () =>
    rawRun('XDP', XdpAction.PASS, { dataIn: packet(), flags: BPF_F_TEST_RUN_ON_CPU, cpu: 0 }),
  'raw_tp.run-on-cpu': () => rawRun('RAW_TRACEPOINT', 0, { flags: BPF_F_TEST_RUN_ON_CPU, cpu: 0 }),
  'raw_tp.run-on-missing-cpu': () =>
    rawRun('RAW_TRACEPOINT', 0, { flags: BPF_F_TEST_RUN_ON_CPU, cpu: ABSENT_CPU }),
  'skb.unknown-flag': () =>
    rawRun('SCHED_CLS', TcAction.OK, { dataIn: packet(), flags: NEXT_UNUSED_TEST_RUN_FLAG }),
  'skb.checksum-complete': () =>
    rawRun('SCHED_CLS', TcAction.OK, { dataIn: packet(), flags: BPF_F_TEST_SKB_CHECKSUM_COMPLETE }),
};

type Feature = ReturnType<typeof testRunFeature>;

function featureObservation(feature: Feature): ProbeObservation {
  const declared = { minKernel: feature.minKernel, removedIn: feature.removedIn };
  const result = feature.probe();
  if (result.status === 'supported') return { outcome: 'supported', declared };
  if (result.status === 'inconclusive')
    return { outcome: 'inconclusive', note: result.error.message, declared };
  const cause = result.error.cause;
  const code = BpfError.isInstance(cause) ? cause.code : undefined;
  return code === undefined
    ? { outcome: 'unsupported', declared }
    : { outcome: 'unsupported', code, declared };
}

function probeFor(id: string): () => ProbeObservation {
  const run = runProbes[id];
  if (run) return run;
  if (id.startsWith('test_run.'))
    return () => featureObservation(testRunFeature(id.slice('test_run.'.length) as never));
  if (id.startsWith('feature.')) {
    const name = id.slice('feature.'.length);
    return () => {
      const feature = allFeatures().find((candidate) => candidate.id === name);
      if (!feature)
        return { outcome: 'inconclusive', note: `@progrun/syscall has no feature probe "${name}"` };
      return featureObservation(feature);
    };
  }
  return () => ({ outcome: 'inconclusive', note: `no implementation for probe "${id}"` });
}

/**
 * Runs every probe of the matrix on the running kernel. A probe that throws (a program the kernel
 * refuses to load, an errno nobody expected to be thrown) is `inconclusive` with the message,
 * never a crash of the whole suite. Each observation carries how long its probe took.
 */
export function runAllProbes(): Record<string, ProbeObservation> {
  const observations: Record<string, ProbeObservation> = {};
  for (const definition of probeDefinitions) {
    const started = performance.now();
    let observation: ProbeObservation;
    try {
      observation = probeFor(definition.id)();
    } catch (error) {
      observation = { outcome: 'inconclusive', note: (error as Error).message };
    }
    observations[definition.id] = { ...observation, durationMs: performance.now() - started };
  }
  return observations;
}
