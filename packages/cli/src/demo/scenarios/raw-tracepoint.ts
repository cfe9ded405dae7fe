import { cpus } from 'node:os';
import { type DemoCase, type DemoScenario, Expectations } from '../demo-scenario.js';

/** __NR_getpid on x86-64, the system call number the demo pretends to see. */
const getpidNr = 39;

/**
 * The sys_enter counter run on a chosen CPU (BPF_F_TEST_RUN_ON_CPU): twice for getpid, so its count
 * reaches 2, and the program records which CPU it ran on.
 */
export const rawTracepointScenario: DemoScenario = {
  example: 'raw-tracepoint',
  program: 'count_syscalls',
  title: 'raw tracepoint (sys_enter counter)',
  testRunType: 'RAW_TRACEPOINT',
  run({ object, run }) {
    using counts = object.map('syscall_counts').toMap();
    using lastCpu = object.map('last_cpu').toMap();
    // The last online CPU: on a machine with several, visibly not the one the command runs on.
    const cpu = Math.max(0, cpus().length - 1);
    const key = Buffer.alloc(4);
    key.writeUInt32LE(getpidNr, 0);

    const cases: DemoCase[] = [];
    for (const expected of [1n, 2n]) {
      const record = run({ ctx: [0, getpidNr], cpu, origin: `sys_enter(getpid) on CPU ${cpu}` });
      const count = counts.lookup(key)?.readBigUInt64LE(0);
      const ranOn = lastCpu.lookup(Buffer.alloc(4))?.readUInt32LE(0);
      cases.push({
        input: `sys_enter(nr ${getpidNr}), CPU ${cpu}`,
        record,
        summary: `count[${getpidNr}] = ${String(count)}, ran on CPU ${String(ranOn)}`,
        problems: new Expectations()
          .equal('the return value', record.retval, 0)
          .equal(`syscall_counts[${getpidNr}]`, count, expected)
          .equal('the CPU it ran on', ranOn, cpu).problems,
      });
    }
    return cases;
  },
};
