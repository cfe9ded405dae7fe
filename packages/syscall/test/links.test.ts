import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { BpfAttachType } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { BpfLink, RunTimeStats } from '../src/index.js';
import { bpffsDir } from './helpers/bpffs.js';
import { load, returns } from './helpers/programs.js';

/** Where the cgroup2 hierarchy is mounted, if anywhere. */
const cgroup2 = readFileSync('/proc/self/mounts', 'utf8')
  .split('\n')
  .map((line) => line.split(' '))
  .find((fields) => fields[2] === 'cgroup2')?.[1];

describe('links and statistics', { tags: ['privileged'] }, () => {
  test('run-time statistics count test runs while enabled (Linux 5.8+)', () => {
    using prog = load('XDP', returns(2));
    {
      using _stats = RunTimeStats.enable();
      prog.benchmark(Buffer.alloc(64), 50);
      prog.run({ data: Buffer.alloc(64) });
    }
    const info = prog.info();
    expect(info.runCnt).toBeGreaterThanOrEqual(51n);
    expect(info.runTimeNs).toBeGreaterThan(0n);
  });

  test('a raw tracepoint attachment runs the program on the event until closed', () => {
    using prog = load('RAW_TRACEPOINT', returns(0));
    using _stats = RunTimeStats.enable();
    {
      using _link = BpfLink.rawTracepoint(prog, 'sched_process_fork');
      spawnSync('true');
    }
    const afterDetach = prog.info().runCnt;
    expect(afterDetach).toBeGreaterThan(0n);
    spawnSync('true');
    expect(prog.info().runCnt).toBe(afterDetach);
  });

  test('an unknown tracepoint is ENOENT', () => {
    using prog = load('RAW_TRACEPOINT', returns(0));
    expect(() => BpfLink.rawTracepoint(prog, 'pr_sc_no_such_tracepoint')).toThrow(
      expect.objectContaining({ code: 'ENOENT', command: 'BPF_RAW_TRACEPOINT_OPEN' }),
    );
  });

  test.skipIf(cgroup2 === undefined)(
    'a cgroup link through BPF_LINK_CREATE, pinned and reopened (Linux 5.7+, cgroup2)',
    () => {
      const cgroup = `${cgroup2}/pr-sc-${process.pid}`;
      using bpffs = bpffsDir();
      const pin = `${bpffs.path}/pr-sc-${process.pid}-link`;
      mkdirSync(cgroup);
      const cgroupFd = openSync(cgroup, 'r');
      try {
        using prog = load('CGROUP_SKB', returns(1), {
          expectedAttachType: BpfAttachType.CGROUP_INET_INGRESS,
        });
        using link = BpfLink.create(prog, {
          attachType: BpfAttachType.CGROUP_INET_INGRESS,
          target: cgroupFd,
        });
        link.pin(pin);
        using reopened = BpfLink.fromPin(pin);
        expect(reopened.origin).toBe('pinned');
        expect(() => BpfLink.create(prog, { attachType: BpfAttachType.XDP, target: cgroupFd })).toThrow(
          expect.objectContaining({ command: 'BPF_LINK_CREATE' }),
        );
      } finally {
        rmSync(pin, { force: true });
        closeSync(cgroupFd);
        rmdirSync(cgroup);
      }
    },
  );
});
