import { decode, layouts } from '@progrun/uapi';
import { bpfObjGetInfoByFd } from './commands/obj-get-info-by-fd.js';

/** What the kernel reports about a loaded program (BPF_OBJ_GET_INFO_BY_FD). */
export interface ProgramInfo {
  /** `enum bpf_prog_type` value. */
  readonly type: number;
  /** Kernel-wide id. */
  readonly id: number;
  /** The program's tag: a hash of its instructions, as 16 hex digits. */
  readonly tag: string;
  readonly name: string;
  /** Bytes of translated (xlated) and JIT-compiled code. */
  readonly xlatedProgLen: number;
  readonly jitedProgLen: number;
  /** Load time, nanoseconds since boot. */
  readonly loadTime: bigint;
  readonly createdByUid: number;
  readonly btfId: number;
  /** Cumulative run time and run count, while statistics are enabled (Linux 5.1+). */
  readonly runTimeNs: bigint;
  readonly runCnt: bigint;
  /** Runs skipped because the program was already running on the CPU (Linux 5.12+). */
  readonly recursionMisses: bigint;
  /** Instructions the verifier processed (Linux 5.16+; 0 before). */
  readonly verifiedInsns: number;
}

/**
 * Reads the bpf_prog_info of the program behind `fd`.
 * @throws {BpfError} from BPF_OBJ_GET_INFO_BY_FD.
 * @internal
 */
export function readProgramInfo(fd: number): ProgramInfo {
  // Sized for the newest headers; an older kernel fills its shorter prefix and the rest stays zero.
  const buffer = Buffer.alloc(layouts.bpf_prog_info.size);
  bpfObjGetInfoByFd(fd, buffer);
  const info = decode(layouts.bpf_prog_info, buffer);
  return {
    type: info.type,
    id: info.id,
    tag: Buffer.from(info.tag).toString('hex'),
    name: info.name,
    xlatedProgLen: info.xlated_prog_len,
    jitedProgLen: info.jited_prog_len,
    loadTime: info.load_time,
    createdByUid: info.created_by_uid,
    btfId: info.btf_id,
    runTimeNs: info.run_time_ns,
    runCnt: info.run_cnt,
    recursionMisses: info.recursion_misses,
    verifiedInsns: info.verified_insns,
  };
}
