// EINTR: the kernel abandons a repeated test run when a signal is pending for the calling thread. These
// tests aim signal storms at the running thread and check that no run fails and every signal still
// reaches its handler afterwards.
import { type ChildProcess, spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { load, returns } from './helpers/programs.js';

const packet = Buffer.alloc(64, 3);

/**
 * Sends SIGUSR2 to this process's main thread (tgkill, thread-directed like a profiler's SIGPROF) or to
 * the process, every half millisecond, from a helper process, until stopped.
 */
function signalStorm(target: 'main-thread' | 'process'): ChildProcess {
  const tid = target === 'main-thread' ? process.pid : 0;
  const script = `
import ctypes, os, signal, sys, time
libc = ctypes.CDLL(None, use_errno=True)
pid, tid = ${process.pid}, ${tid}
while True:
    if tid: libc.syscall(234, pid, tid, signal.SIGUSR2)  # tgkill on x86-64
    else: os.kill(pid, signal.SIGUSR2)
    time.sleep(0.0005)
`;
  return spawn('python3', ['-c', script], { stdio: 'ignore' });
}

async function withStorm<T>(target: 'main-thread' | 'process', work: () => T | Promise<T>) {
  let received = 0;
  const onSignal = () => received++;
  process.on('SIGUSR2', onSignal);
  const storm = signalStorm(target);
  try {
    // Wait until the storm is on.
    while (received === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    const before = received;
    const result = await work();
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { result, deliveredAfterStart: received - before };
  } finally {
    storm.kill('SIGKILL');
    await new Promise((resolve) => storm.once('exit', resolve));
    process.off('SIGUSR2', onSignal);
  }
}

describe('signals during long runs', { tags: ['privileged', 'slow'] }, () => {
  test.skipIf(process.arch !== 'x64')(
    'a sync run under a storm of thread-directed signals completes',
    async () => {
      using prog = load('SCHED_CLS', returns(0));
      const { result, deliveredAfterStart } = await withStorm('main-thread', () =>
        prog.run({ data: packet, repeat: 5_000_000, dataSizeOut: 0 }),
      );
      expect(result.retval).toBe(0);
      expect(deliveredAfterStart).toBeGreaterThan(0);
    },
  );

  test('an async run under a storm of process signals completes', async () => {
    using prog = load('SCHED_CLS', returns(0));
    const { result, deliveredAfterStart } = await withStorm('process', () =>
      prog.runAsync({ data: packet, repeat: 5_000_000, dataSizeOut: 0 }),
    );
    expect(result.retval).toBe(0);
    expect(deliveredAfterStart).toBeGreaterThan(0);
  });
});
