import { assemble, exit, mov64 } from '../asm/index.js';
import { bpfProgTestRun, type ProgTestRunAttr, type ProgTestRunOutput } from '../commands/prog-test-run.js';
import { progTypeName } from '../enum-names.js';
import { BpfError } from '../errors/bpf-error.js';
import { Program } from '../program.js';
import { type ProbeOutcome, unsupported } from './feature.js';

/** How to load a probe program. @internal */
export interface ProbeProgramSpec {
  readonly type: number;
  /** What the program returns (`r0 = returns; exit`). */
  readonly returns: number;
  readonly expectedAttachType?: number;
  readonly attachBtfId?: number;
  readonly flags?: number;
}

/**
 * Loads `r0 = returns; exit` as a program of the given type.
 * @throws {BpfError} when the kernel refuses it.
 */
function loadProbeProgram(spec: ProbeProgramSpec): Program {
  return Program.load({
    type: spec.type,
    instructions: assemble([mov64('r0', spec.returns), exit()]),
    license: 'GPL',
    name: 'progrun_probe',
    expectedAttachType: spec.expectedAttachType,
    attachBtfId: spec.attachBtfId,
    flags: spec.flags,
  });
}

/**
 * Whether a load failure says the program type (or its attach type) is unknown to the kernel: EINVAL
 * before the verifier ran, so without a verifier log.
 */
function isUnknownProgramType(error: unknown): boolean {
  return BpfError.isInstance(error) && error.code === 'EINVAL' && (error.verifierLog ?? '').trim() === '';
}

/**
 * BPF_PROG_TEST_RUN of `program`; a kernel refusal is returned, not thrown, so probes can read its errno.
 * @internal
 */
export function probeRun(
  program: Program,
  attr: Omit<ProgTestRunAttr, 'progFd'>,
): ProgTestRunOutput | BpfError {
  try {
    return bpfProgTestRun({ ...attr, progFd: program.fd });
  } catch (error) {
    if (BpfError.isInstance(error)) return error;
    throw error;
  }
}

function refusedWith(result: ProgTestRunOutput | BpfError, codes: readonly string[]): result is BpfError {
  return BpfError.isInstance(result) && codes.includes(result.code);
}

/**
 * For features that let a run happen: supported when it ran, unsupported when the kernel refused it with
 * one of `codes`; any other refusal makes the probe inconclusive (thrown).
 * @internal
 */
export function supportedUnlessRefused(
  result: ProgTestRunOutput | BpfError,
  codes: readonly string[],
  what: string,
): ProbeOutcome {
  if (refusedWith(result, codes)) return unsupported(`${what} was refused with ${result.code}`, result);
  if (BpfError.isInstance(result)) throw result;
  return true;
}

/**
 * For features that consist in a refusal: supported when the kernel refused the run with `code`,
 * unsupported when it ran; any other refusal makes the probe inconclusive (thrown).
 * @internal
 */
export function supportedIfRefused(
  result: ProgTestRunOutput | BpfError,
  code: string,
  what: string,
): ProbeOutcome {
  if (refusedWith(result, [code])) return true;
  if (BpfError.isInstance(result)) throw result;
  return unsupported(`${what} was accepted`);
}

/**
 * Loads a probe program, hands it to `probe` and closes it. A kernel that does not know the program
 * type answers unsupported; any other load failure makes the probe inconclusive (thrown).
 * @internal
 */
export function withProbeProgram(
  spec: ProbeProgramSpec,
  probe: (program: Program) => ProbeOutcome,
): ProbeOutcome {
  let program: Program;
  try {
    program = loadProbeProgram(spec);
  } catch (error) {
    if (isUnknownProgramType(error))
      return unsupported(`the kernel does not know ${progTypeName(spec.type)}`, error);
    throw error;
  }
  try {
    return probe(program);
  } finally {
    program.close();
  }
}

/**
 * A 64-byte Ethernet frame holding a minimal IPv4 header (10.0.0.1 -> 10.0.0.2, UDP, empty payload): the
 * smallest input every packet program type's test run accepts on every kernel.
 * @internal
 */
export function probePacket(length = 64): Uint8Array {
  const frame = new Uint8Array(length);
  const view = new DataView(frame.buffer);
  frame.set([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01], 0);
  view.setUint16(12, 0x0800);
  frame.set(ipv4Header(length - 14), 14);
  return frame;
}

/** A 20-byte IPv4 header with total length `totalLength` (UDP, TTL 64, checksum left 0). @internal */
export function ipv4Header(totalLength = 20): Uint8Array {
  const header = new Uint8Array(20);
  const view = new DataView(header.buffer);
  header[0] = 0x45;
  view.setUint16(2, totalLength);
  header[8] = 64;
  header[9] = 17;
  header.set([10, 0, 0, 1], 12);
  header.set([10, 0, 0, 2], 16);
  return header;
}
