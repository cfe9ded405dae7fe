// EINTR: the kernel abandons a repeated test run when a signal is pending for the calling thread. These
// tests aim signal storms at the running thread and check that no run fails and every signal still
// reaches its handler afterwards.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { BpfObject } from '../src/object/index.js';
import { Program } from '../src/program.js';
import { load, returns } from './helpers/programs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

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

// The verifier answers EAGAIN when a signal is pending for the loading thread (it checks between
// instructions), so an unguarded load of a long-verifying program under a signal storm fails, and used to
// read as a verifier rejection.
describe('signals during loads', { tags: ['privileged', 'slow'] }, () => {
  const slowVerify = join(root, 'fixtures', 'build', 'slow-verify.bpf.o');
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'fixtures', 'build.mjs')], { stdio: 'pipe' });
  });

  test.skipIf(process.arch !== 'x64')(
    'ELF loads of a long-verifying program under a storm of thread-directed signals all succeed',
    async () => {
      const { result, deliveredAfterStart } = await withStorm('main-thread', () => {
        const types: number[] = [];
        for (let i = 0; i < 5; i++) {
          using object = BpfObject.open(slowVerify);
          object.load();
          using program = object.program('slow_to_verify').toProgram();
          types.push(program.type);
        }
        return types;
      });
      expect(result).toHaveLength(5);
      expect(deliveredAfterStart).toBeGreaterThan(0);
    },
  );

  test.skipIf(process.arch !== 'x64')(
    'instruction loads of the same program under a storm of thread-directed signals all succeed',
    async () => {
      using object = BpfObject.open(slowVerify);
      const instructions = object.program('slow_to_verify').instructions;
      const { result, deliveredAfterStart } = await withStorm('main-thread', () => {
        const types: number[] = [];
        for (let i = 0; i < 5; i++) {
          using program = Program.load({ type: 'SOCKET_FILTER', instructions, license: 'GPL' });
          types.push(program.type);
        }
        return types;
      });
      expect(result).toHaveLength(5);
      expect(deliveredAfterStart).toBeGreaterThan(0);
    },
  );
});
