import { BPF_STATS_RUN_TIME } from '@progrun/uapi';
import { bpfEnableStats } from './commands/enable-stats.js';
import { FdOwner } from './fd.js';

/**
 * Kernel-wide run-time statistics (run_time_ns, run_cnt in {@link ProgramInfo}), collected while this
 * object is open. Close it (or `using`) to stop collecting, which costs a little on every program run.
 */
export class RunTimeStats extends FdOwner {
  private constructor(fd: number) {
    super(fd, 'BPF_ENABLE_STATS handle');
  }

  /**
   * Turns run-time statistics on (BPF_ENABLE_STATS with BPF_STATS_RUN_TIME).
   *
   * Minimum kernel: 5.8. Needs CAP_SYS_ADMIN.
   * @throws {BpfError} EPERM without privileges; EINVAL before 5.8.
   */
  static enable(): RunTimeStats {
    return new RunTimeStats(bpfEnableStats(BPF_STATS_RUN_TIME));
  }
}
