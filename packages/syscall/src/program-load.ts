import { BpfError } from './errors/bpf-error.js';
import { errnoOf } from './errors/errno-names.js';
import { callProgLoad, type ProgLoadArgs } from './generated/native-calls.js';
import { native } from './native.js';
import * as v from './validate.js';

const COMMAND = 'BPF_PROG_LOAD';
const ENOSPC = errnoOf('ENOSPC');
/** Default log size for the capture after a failure; grown on ENOSPC up to MAX_LOG_SIZE. */
const DEFAULT_LOG_SIZE = 1 << 20;
const MAX_LOG_SIZE = 1 << 26;
/** The kernel's floor for log_size (before Linux 6.4, smaller logs are EINVAL). */
const MIN_LOG_SIZE = 128;

/**
 * The load request, validated: BPF_PROG_LOAD's arguments as the native call table has them, but the log,
 * which loading sizes and retries itself (and kern_version, which no program type since 5.0 reads).
 * @internal
 */
export interface LoadRequest extends Omit<ProgLoadArgs, 'insns' | 'kernVersion' | 'logLevel' | 'logBuf'> {
  readonly insns: Uint8Array;
  /** 0: load without a log, and capture one (level 1) only if loading fails. */
  readonly logLevel: number;
  readonly logSize: number | undefined;
}

/** The loaded fd and, when one was requested, the verifier's log. @internal */
export interface Loaded {
  readonly fd: number;
  readonly verifierLog: string | undefined;
}

function attempt(request: LoadRequest, logLevel: number, logBuf: Buffer | null): number {
  return callProgLoad(native.progLoad, { ...request, kernVersion: 0, logLevel, logBuf });
}

function logText(buffer: Buffer): string {
  const end = buffer.indexOf(0);
  return buffer.subarray(0, end < 0 ? buffer.length : end).toString('utf8');
}

/** Loads with a log of `level`, growing the buffer while the kernel says it is too small (ENOSPC). */
function attemptWithLog(
  request: LoadRequest,
  level: number,
  size: number,
  grow: boolean,
): { ret: number; log: string } {
  for (;;) {
    const buffer = Buffer.alloc(size);
    const ret = attempt(request, level, buffer);
    if (ret === -ENOSPC && grow && size < MAX_LOG_SIZE) {
      size = Math.min(size * 4, MAX_LOG_SIZE);
      continue;
    }
    return { ret, log: logText(buffer) };
  }
}

function hintFor(errno: number, log: string): string | undefined {
  if (errno === errnoOf('EPERM')) {
    // Root holds every capability, so a root EPERM comes from elsewhere: an LSM or lockdown policy, or a
    // kernel that cannot build what the type needs (BPF trampolines for TRACING and LSM programs).
    return process.geteuid?.() === 0
      ? 'refused although this process is root: a security policy (LSM, lockdown) forbids it, or the kernel cannot support this program type here (TRACING/LSM need BPF trampolines)'
      : 'loading needs CAP_BPF (plus CAP_PERFMON or CAP_NET_ADMIN for most types) or root; before Linux 5.11 also a high enough RLIMIT_MEMLOCK';
  }
  const tail = log.trimEnd().split('\n').slice(-3).join(' | ');
  if (errno === errnoOf('EACCES') || (errno === errnoOf('EINVAL') && tail !== '')) {
    return tail === ''
      ? 'the verifier rejected the program'
      : `the verifier rejected the program: ${tail} (full log in verifierLog)`;
  }
  if (errno === errnoOf('E2BIG'))
    return "the program is too large for this kernel, or a field past the kernel's attr is non-zero";
  return undefined;
}

/**
 * BPF_PROG_LOAD with the verifier log handled: when no log was asked for, a failed load is repeated once
 * with a log so the error carries it; a requested log is returned on success too.
 * @throws {BpfError} with `verifierLog` set.
 * @internal
 */
export function loadProgram(request: LoadRequest): Loaded {
  if (request.logLevel !== 0) {
    const size = request.logSize ?? DEFAULT_LOG_SIZE;
    const { ret, log } = attemptWithLog(request, request.logLevel, size, request.logSize === undefined);
    if (ret >= 0) return { fd: ret, verifierLog: log };
    throw new BpfError({ errno: -ret, command: COMMAND, verifierLog: log, hint: hintFor(-ret, log) });
  }
  const ret = attempt(request, 0, null);
  if (ret >= 0) return { fd: ret, verifierLog: undefined };
  const errno = -ret;
  const retry = attemptWithLog(
    request,
    1,
    request.logSize ?? DEFAULT_LOG_SIZE,
    request.logSize === undefined,
  );
  // The verifier is deterministic, so a success on the retry is rare (an EAGAIN that went away); keep it.
  if (retry.ret >= 0) return { fd: retry.ret, verifierLog: undefined };
  throw new BpfError({ errno, command: COMMAND, verifierLog: retry.log, hint: hintFor(errno, retry.log) });
}

/**
 * Validates a log size.
 * @internal
 */
export function logSizeOption(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return v.integer(field, value, MIN_LOG_SIZE, v.U32_MAX >>> 2);
}
