import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type HarnessEvent, type RunKernelsOptions, runKernels } from '../src/index.js';
import { processesMentioning } from '../src/util/processes.js';

// Real boots of Debian's 5.10 kernel (KVM when it works, TCG here): each costs about 25-40 s of
// CPU, so there is one boot per outcome and the cheap failures (boot panic, hang) end in seconds.
let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'hvm-vm-test-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

const run = (options: Omit<RunKernelsOptions, 'kernels'>) =>
  runKernels({ kernels: ['5.10'], outDir: out, ...options });

function leftovers(): { dirs: string[]; processes: number[] } {
  const dirs = readdirSync(tmpdir()).filter((name) => name.startsWith('progrun-hvm-'));
  const ours = dirs.filter((name) => {
    try {
      return JSON.parse(readFileSync(join(tmpdir(), name, 'owner.json'), 'utf8')).pid === process.pid;
    } catch {
      return false;
    }
  });
  return { dirs: ours, processes: ours.flatMap((name) => processesMentioning(join(tmpdir(), name))) };
}

describe('guests on Debian 5.10', { tags: ['vm', 'slow'] }, () => {
  afterEach(() => {
    expect(leftovers()).toEqual({ dirs: [], processes: [] });
  });

  test('pass: the command runs in the guest kernel, its output and JSON results come back', async () => {
    const events: HarnessEvent['type'][] = [];
    // The working directory and the home directory are writable in the guest (overlays), and what the
    // guest writes there never reaches the host.
    const written = `progrun-guest-write-${process.pid}`;
    const report = await run({
      command: `uname -r; touch ${written} "$HOME/${written}" && printf '{"release":"%s"}' "$(uname -r)" > "$PROGRUN_RESULTS_DIR/uname.json"`,
      onEvent: (event) => events.push(event.type),
    });
    const [result] = report.results;
    expect(result).toMatchObject({
      outcome: 'pass',
      exitCode: 0,
      kernel: { name: '5.10', suite: 'bullseye' },
    });
    const release = 'release' in result!.kernel ? result!.kernel.release : '';
    expect(release).toMatch(/^5\.10\.\d+-\d+-amd64$/);
    expect(readFileSync(result!.logs.stdout!, 'utf8').trim()).toBe(release);
    expect(result!.guestResults).toEqual({ 'uname.json': { release } });
    expect(existsSync(written)).toBe(false);
    expect(existsSync(join(homedir(), written))).toBe(false);
    expect(['kvm', 'tcg']).toContain(result!.accelerator);
    expect(report.accelerator?.accelerator).toBe(result!.accelerator);
    expect(result!.bootMs).toBeGreaterThan(0);
    expect(readFileSync(result!.logs.console!, 'utf8')).toContain('Linux version 5.10');
    expect(events.filter((type) => type !== 'provisioning' && type !== 'accelerator')).toEqual([
      'booting',
      'running',
      'result',
    ]);
  });

  test('fail: the exit status of the command is propagated', async () => {
    const report = await run({ command: ['sh', '-c', 'echo oops >&2; exit 3'] });
    expect(report.results[0]).toMatchObject({ outcome: 'fail', exitCode: 3, reason: 'exit 3' });
    expect(readFileSync(report.results[0]!.logs.stderr!, 'utf8')).toBe('oops\n');
  });

  test('a command that exits 0 while the kernel prints a WARNING fails by default', async () => {
    // A line written to /dev/kmsg at a high level reaches the console as a kernel message does.
    const warning = 'WARNING: CPU: 0 PID: 1 at progrun-test: a warning the test wrote';
    const report = await run({ command: `echo '<2>${warning}' > /dev/kmsg` });
    expect(report.results[0]).toMatchObject({ outcome: 'fail', exitCode: 0, kernelWarnings: [warning] });
    expect(report.results[0]!.reason).toContain(`exit 0, but the kernel printed ${warning}`);
  });

  test('timeout: a command that hangs is killed at its deadline', async () => {
    const report = await run({ command: ['sleep', '600'], timeoutMs: 3000 });
    expect(report.results[0]).toMatchObject({ outcome: 'timeout', exitCode: undefined });
    expect(report.results[0]!.bootMs).toBeGreaterThan(0);
  });

  test('panic: a kernel crash while the command runs (sysrq-trigger)', async () => {
    const report = await run({ command: 'echo 1 > /proc/sys/kernel/sysrq; echo c > /proc/sysrq-trigger' });
    expect(report.results[0]).toMatchObject({
      outcome: 'panic',
      panic: 'Kernel panic - not syncing: sysrq triggered crash',
    });
  });

  test('boot failure: the kernel panics before userspace (no initramfs, no root)', async () => {
    const report = await run({ command: ['true'], kernelArgs: ['rdinit=/nonexistent'] });
    expect(report.results[0]).toMatchObject({ outcome: 'boot-failure', bootMs: undefined });
    expect(report.results[0]!.reason).toContain('VFS: Unable to mount root fs');
  });

  test('boot failure: a guest that never prints (a hung vCPU) is stopped at the boot deadline', async () => {
    // qemu -S starts with the vCPUs stopped: the same silence as a KVM that hangs after "Probing EDD".
    const report = await run({ command: ['true'], qemuArgs: ['-S'], bootTimeoutMs: 4000 });
    expect(report.results[0]).toMatchObject({ outcome: 'boot-failure' });
    expect(report.results[0]!.reason).toMatch(/within 4 s: the kernel printed nothing/);
  });

  test('abort while booting: the call rejects and no qemu or run directory is left', async () => {
    const controller = new AbortController();
    const running = run({
      command: ['true'],
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'booting') setTimeout(() => controller.abort(new Error('user gave up')), 2000);
      },
    });
    await expect(running).rejects.toThrow('user gave up');
  });
});
