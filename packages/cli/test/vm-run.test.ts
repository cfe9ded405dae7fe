import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir } from '@progrun/harness-vm';
import { describe, expect, test } from 'vitest';
import { progrun, progrunBin } from './helpers/run-progrun.js';

const outDir = () => mkdtempSync(join(tmpdir(), 'progrun-cli-vm-run-'));

/** True when the process no longer runs (absent, or a zombie waiting for its reaper). */
function processGone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

describe('progrun vm run on the host kernel', () => {
  test('the command output, a table of the runs, exit 1 when a kernel fails, JUnit written', async () => {
    const out = outDir();
    const junit = join(out, 'junit.xml');
    const { code, stdout, stderr } = await progrun([
      'vm',
      'run',
      '--kernel',
      'host',
      '-o',
      out,
      '--report',
      junit,
      '--',
      'sh',
      '-c',
      'echo hi; exit 3',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/--- host stdout\nhi\n/);
    expect(stdout).toMatch(/^host\s+\S+\s+none\s+fail\s+3\s/m);
    expect(stdout).toMatch(/^host: fail: exit 3$/m);
    expect(stderr).toMatch(/^\[\s*\d+\.\d s\] host: fail: exit 3 \(/m);
    expect(readFileSync(junit, 'utf8')).toContain('<failure type="fail" message="exit 3">');
  });

  test('a shard that selects no kernel says so, with no table, and passes', async () => {
    const out = outDir();
    const junit = join(out, 'junit.xml');
    const { code, stdout } = await progrun([
      'vm',
      'run',
      '--kernels',
      'host',
      '--shard',
      '2/2',
      '-o',
      out,
      '--report',
      junit,
      '--',
      'true',
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      `--shard 2/2 selects none of the 1 kernels asked for (host): nothing ran\nlogs: ${out}\n`,
    );
    expect(readFileSync(junit, 'utf8')).toContain('tests="0"');
  });

  test('--json is the report on stdout; a --json after -- belongs to the command', async () => {
    const out = outDir();
    const json = await progrun(['vm', 'run', '--kernels', 'host', '-o', out, '--json', '--', 'true']);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      report: { outDir: out, results: [{ kernel: { name: 'host' }, outcome: 'pass', exitCode: 0 }] },
    });
    const echoed = await progrun(['vm', 'run', '--kernels', 'host', '-o', outDir(), '--', 'echo', '--json']);
    expect(echoed.code).toBe(0);
    expect(echoed.stdout).toMatch(/^--- host stdout\n--json\n/);
  });

  test('a .json --report is the run report; --quiet leaves out the command output', async () => {
    const out = outDir();
    const report = join(out, 'report-copy.json');
    const { code, stdout } = await progrun([
      'vm',
      'run',
      '-k',
      'host',
      '-o',
      out,
      '-q',
      '--report',
      report,
      '--',
      'echo',
      'hidden',
    ]);
    expect(code).toBe(0);
    expect(stdout).not.toContain('hidden');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual(
      JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')),
    );
  });

  test.each([
    [['--kernel', 'linux-4.4', '--', 'true'], 'unknown kernel "linux-4.4"'],
    [['--', 'true'], 'name at least one kernel with --kernel or --kernels'],
    [['--kernel', 'host'], 'give the command after --'],
    [['--kernel', 'host', '--shard', '3/2', '--', 'true'], 'shard: "3/2" must be i/n'],
    [
      ['--kernel', 'host', '--timeout', 'soon', '--', 'true'],
      '--timeout must be a positive number of seconds, not "soon"',
    ],
    [['--kernel', 'host', '--report', 'r.md', '--', 'true'], 'one of .json (json), .xml (junit)'],
  ])('bad usage %j exits 2 with a message naming the option', async (args, message) => {
    const { code, stderr } = await progrun(['vm', 'run', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('See `progrun vm run --help`');
  });

  test('SIGINT stops the command, and the CLI exits 130 once nothing is left running', async () => {
    const out = outDir();
    const child = spawn(
      process.execPath,
      [
        progrunBin,
        'vm',
        'run',
        '--kernel',
        'host',
        '-o',
        out,
        '--',
        'sh',
        '-c',
        'echo $$ > "$PROGRUN_RESULTS_DIR/pid"; exec sleep 300',
      ],
      { env: { ...process.env, NO_COLOR: '1' } },
    );
    let stderr = '';
    let interrupted = false;
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      // Once: a second SIGINT ends the CLI at once, without waiting for the cleanup.
      if (!interrupted && /host: running/.test(stderr)) interrupted = child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(130);
    expect(stderr).toContain('progrun: interrupted by SIGINT: stopping guests and cleaning up...');
    expect(stderr).toContain('progrun: interrupted; no guest was left running.');
    const pid = Number(readFileSync(join(out, 'host', 'results', 'pid'), 'utf8'));
    expect(processGone(pid)).toBe(true);
  });
});

describe('progrun vm run in a guest', { tags: ['vm', 'slow'] }, () => {
  // The user's kernel cache, so that the guest boots a kernel an earlier run downloaded.
  const cacheDir = defaultCacheDir();

  // A first run downloads the kernel and probes KVM before the boot: more than the slow tag's deadline.
  test('boots Debian 5.10, runs the command in it, and vm kernels then lists its boot time', {
    timeout: 600_000,
  }, async () => {
    const out = outDir();
    const run = await progrun([
      'vm',
      'run',
      '--kernels',
      '5.10',
      '--cache-dir',
      cacheDir,
      '-o',
      out,
      '--',
      'sh',
      '-c',
      'uname -r; printf \'{"release":"%s"}\' "$(uname -r)" > "$PROGRUN_RESULTS_DIR/uname.json"',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const release = /^--- 5\.10 stdout\n(5\.10\.\d+-\d+-amd64)\n/m.exec(run.stdout)?.[1];
    expect(release).toBeDefined();
    expect(run.stderr).toMatch(
      new RegExp(`^\\[\\s*\\d+\\.\\d s\\] 5\\.10: booting ${release} \\((kvm|tcg), `, 'm'),
    );
    expect(run.stderr).toMatch(/^\[\s*\d+\.\d s\] 5\.10: running \(booted in \d+\.\d s\)$/m);
    expect(run.stdout).toMatch(new RegExp(`^5\\.10\\s+${release}\\s+(kvm|tcg)\\s+pass\\s+0\\s`, 'm'));
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.results[0].guestResults).toEqual({ 'uname.json': { release } });

    const kernels = await progrun(['vm', 'kernels', '--cache-dir', cacheDir, '--json']);
    expect(kernels.code).toBe(0);
    const inventory = JSON.parse(kernels.stdout) as {
      accelerator: { accelerator: string } | null;
      kernels: { name: string; releases: { release: string; expectedBootMs?: number }[] }[];
    };
    expect(['kvm', 'tcg']).toContain(inventory.accelerator?.accelerator);
    const booted = inventory.kernels.find((kernel) => kernel.name === '5.10')?.releases;
    expect(booted?.find((entry) => entry.release === release)?.expectedBootMs).toBeGreaterThan(0);
  });
});
