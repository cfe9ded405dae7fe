import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { kernelWarningsVerdict } from '../src/harness/kernel-warnings-verdict.js';
import { analyseConsole, classifyRun, type RunObservation } from '../src/index.js';

// Console logs recorded from real guests (Debian 5.10 under TCG, and this machine's KVM).
const fixture = (name: string) =>
  analyseConsole(readFileSync(join(import.meta.dirname, 'fixtures/console', name), 'utf8'));

const observation = (
  overrides: Partial<RunObservation> & Pick<RunObservation, 'console'>,
): RunObservation => ({
  started: true,
  exitCode: undefined,
  deadline: undefined,
  vngExitCode: 255,
  spawnError: undefined,
  ...overrides,
});

describe('console analysis', () => {
  test('a clean boot: the kernel started, no panic, no warnings', () => {
    const log = fixture('pass-5.10.log');
    expect(log).toMatchObject({ kernelStarted: true, panic: undefined, warnings: [] });
    expect(log.tail.at(-1)).toContain('acpi_power_off');
  });

  test('a sysrq crash yields the panic line', () => {
    expect(fixture('panic-sysrq-5.10.log').panic).toBe('Kernel panic - not syncing: sysrq triggered crash');
  });

  test('a KVM that hangs after the real-mode setup printed no kernel message', () => {
    const log = fixture('kvm-hang-after-edd.log');
    expect(log.kernelStarted).toBe(false);
    expect(log.tail[0]).toBe('Probing EDD (edd=off to disable)... ok');
  });

  test('NULs and terminal escapes do not reach the tail', () => {
    const log = fixture('kvm-msr-abort.log');
    const tail = log.tail.join('\n');
    expect(tail).not.toContain(String.fromCharCode(0));
    expect(tail).not.toContain(String.fromCharCode(27));
    expect(log.tail.at(-1)).toContain('kvm_buf_set_msrs');
  });

  test('oops and warning headlines are collected', () => {
    const log = analyseConsole(
      '[    5.1] WARNING: CPU: 0 PID: 1 at net/core/dev.c:1 foo+0x1/0x2\n[    6.2] BUG: kernel NULL pointer dereference, address: 0000000000000008\n',
    );
    expect(log.warnings).toEqual([
      'WARNING: CPU: 0 PID: 1 at net/core/dev.c:1 foo+0x1/0x2',
      'BUG: kernel NULL pointer dereference, address: 0000000000000008',
    ]);
  });
});

describe('run classification', () => {
  test('exit 0 is a pass, any other exit status a fail with that status', () => {
    const console = fixture('pass-5.10.log');
    expect(classifyRun(observation({ console, exitCode: 0, vngExitCode: 0 }))).toEqual({
      outcome: 'pass',
      reason: 'exit 0',
    });
    expect(classifyRun(observation({ console, exitCode: 3, vngExitCode: 3 }))).toEqual({
      outcome: 'fail',
      reason: 'exit 3',
    });
  });

  test('a panic while the command runs is a panic', () => {
    expect(classifyRun(observation({ console: fixture('panic-sysrq-5.10.log') }))).toEqual({
      outcome: 'panic',
      reason: 'Kernel panic - not syncing: sysrq triggered crash',
    });
  });

  test('a command still running at its deadline is a timeout', () => {
    const result = classifyRun(
      observation({
        console: fixture('timeout-5.10.log'),
        deadline: 'command',
        deadlineMs: 5000,
        vngExitCode: null,
      }),
    );
    expect(result).toEqual({
      outcome: 'timeout',
      reason: 'the command was still running after 5 s and was killed',
    });
  });

  test('a panic before userspace is a boot failure, not a panic of the command', () => {
    const result = classifyRun(
      observation({ console: fixture('boot-panic-no-root-5.10.log'), started: false }),
    );
    expect(result.outcome).toBe('boot-failure');
    expect(result.reason).toContain('VFS: Unable to mount root fs');
  });

  test('a hung accelerator is a boot failure at the boot deadline, and says where it stopped', () => {
    const result = classifyRun(
      observation({
        console: fixture('kvm-hang-after-edd.log'),
        started: false,
        deadline: 'boot',
        deadlineMs: 20_000,
        vngExitCode: null,
      }),
    );
    expect(result.outcome).toBe('boot-failure');
    expect(result.reason).toMatch(/within 20 s: the kernel printed nothing/);
  });

  test('qemu dying before the kernel starts is an infrastructure error', () => {
    const result = classifyRun(observation({ console: fixture('kvm-msr-abort.log'), started: false }));
    expect(result.outcome).toBe('infra-error');
    expect(result.reason).toContain('kvm_buf_set_msrs');
  });

  test('an image qemu cannot load (a truncated bzImage) is a boot failure naming the image', () => {
    const image = '/cache/kernels/ab/boot/vmlinuz-5.10.0-32-amd64';
    const result = classifyRun(
      observation({ console: analyseConsole('qemu: invalid kernel header\n'), started: false, image }),
    );
    expect(result).toEqual({
      outcome: 'boot-failure',
      reason: `qemu could not load ${image}: qemu: invalid kernel header`,
    });
  });

  test('a guest that ends before the kernel starts names the image it was given', () => {
    const image = '/cache/kernels/ab/boot/vmlinuz-5.10.0-32-amd64';
    const result = classifyRun(observation({ console: analyseConsole(''), started: false, image }));
    expect(result.reason).toBe(`vng/qemu exited (255) before the kernel (${image}) started`);
  });

  test('vng that cannot be started is an infrastructure error', () => {
    const result = classifyRun(
      observation({ console: analyseConsole(''), started: false, spawnError: 'spawn vng ENOENT' }),
    );
    expect(result).toEqual({ outcome: 'infra-error', reason: 'could not start vng: spawn vng ENOENT' });
  });

  test('an exit status wins over a guest that would not power off', () => {
    const result = classifyRun(
      observation({
        console: fixture('pass-5.10.log'),
        exitCode: 0,
        deadline: 'shutdown',
        vngExitCode: null,
      }),
    );
    expect(result).toEqual({
      outcome: 'pass',
      reason: 'exit 0 (the guest did not power off afterwards and was killed)',
    });
  });

  test('a guest that stops mid-command without a panic is a fail, not a pass', () => {
    const result = classifyRun(observation({ console: fixture('pass-5.10.log') }));
    expect(result.outcome).toBe('fail');
    expect(result.reason).toMatch(/stopped before the command finished/);
  });
});

describe('kernel warnings', () => {
  const warnings = [
    'WARNING: CPU: 0 PID: 1 at net/core/dev.c:1 foo+0x1/0x2',
    'BUG: kernel NULL pointer dereference',
  ];

  test('a run that exits 0 while the kernel warns fails, naming the first warning and how many', () => {
    expect(kernelWarningsVerdict({ outcome: 'pass', reason: 'exit 0' }, warnings, false)).toEqual({
      outcome: 'fail',
      reason: `exit 0, but the kernel printed ${warnings[0]} (and 1 more); allowKernelWarnings (--allow-kernel-warnings) accepts that`,
    });
  });

  test('allowed warnings leave the pass; other verdicts and quiet kernels are unchanged', () => {
    const pass = { outcome: 'pass', reason: 'exit 0' } as const;
    const fail = { outcome: 'fail', reason: 'exit 3' } as const;
    expect(kernelWarningsVerdict(pass, warnings, true)).toBe(pass);
    expect(kernelWarningsVerdict(fail, warnings, false)).toBe(fail);
    expect(kernelWarningsVerdict(pass, [], false)).toBe(pass);
  });
});
