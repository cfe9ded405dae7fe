import { native } from '../native.js';
import * as v from '../validate.js';
import { checkResult } from './check-result.js';

/**
 * BPF_ENABLE_STATS: turns on kernel-wide collection of `type` statistics (BPF_STATS_RUN_TIME = 0:
 * run_time_ns and run_cnt of every program) for as long as the returned fd stays open.
 *
 * Minimum kernel: 5.8. Needs CAP_SYS_ADMIN.
 * @throws {ValidationError} for a type of the wrong type.
 * @throws {BpfError} EINVAL for an unknown type (or a kernel before 5.8), EPERM, EBUSY, ...
 */
export function bpfEnableStats(type: number): number {
  return checkResult(native.enableStats(v.u32('type', type)), 'BPF_ENABLE_STATS');
}
