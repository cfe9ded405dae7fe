import { describe, expect, test } from 'vitest';
import { exampleSource, progrun } from './helpers/run-progrun.js';

// The messages issue 17 found wrong, each as it now reads: usage errors in progrun's words naming the
// flag, kernel-reported input errors with exit 2, and wording that says what the kernel did.

const reflector = exampleSource('xdp-reflector');
const seeRunHelp = 'See `progrun run --help` for the options and examples.';

/** The whole of stderr, which must be one paragraph. */
async function stderrOf(args: string[], code: number): Promise<string> {
  const result = await progrun(args);
  expect(result.code, result.stderr).toBe(code);
  return result.stderr;
}

describe('usage errors are in our words and name the flag', { timeout: 30_000 }, () => {
  test('--repeat -5 is a value, checked against the range', async () => {
    expect(await stderrOf(['run', reflector, '--repeat', '-5'], 2)).toBe(
      `progrun: --repeat must be an integer from 1 to 4294967295, not "-5". ${seeRunHelp}\n`,
    );
  });

  test('an unknown option lists the options the command has', async () => {
    expect(await stderrOf(['run', reflector, '--bogus'], 2)).toBe(
      'progrun: unknown option --bogus for progrun run; its options are --prog, --type, --packet, --pcap, --data, --ctx, --repeat, --flags, --cpu, --out, --cflag, --map, --full-log, --jsonl, --maps, --concurrency, --pinned, --prog-id, --pin, --json. ' +
        `${seeRunHelp}\n`,
    );
  });

  test('a value missing, also when the next word is an option', async () => {
    expect(await stderrOf(['run', reflector, '--repeat'], 2)).toBe(
      `progrun: --repeat needs a value. ${seeRunHelp}\n`,
    );
    const json = await progrun(['run', reflector, '--ctx', '--full-log']);
    expect(json.code).toBe(2);
    expect(json.stderr).toBe(`progrun: --ctx needs a value. ${seeRunHelp}\n`);
  });

  test('a switch given a value, and an argument a command does not take', async () => {
    expect(await stderrOf(['probe', '--json=yes'], 2)).toBe(
      'progrun: --json takes no value (got "yes"). See `progrun probe --help` for the options and examples.\n',
    );
    expect(await stderrOf(['vm', 'kernels', 'extra'], 2)).toBe(
      'progrun: progrun vm kernels takes no arguments besides its options, and "extra" is none of them. See `progrun vm kernels --help` for the options and examples.\n',
    );
  });

  test('progrun vm names its flags, not harness-vm option names', async () => {
    expect(await stderrOf(['vm', 'run', '--kernels', 'nosuch', '--', 'true'], 2)).toBe(
      'progrun: --kernels: unknown kernel "nosuch"; the catalogue has host, 5.10, 6.1, 6.12, 7.2, latest (or name a Debian image package, linux-image-...-amd64, or a version such as 7.2.13). See `progrun vm run --help` for the options and examples.\n',
    );
    expect(await stderrOf(['matrix', '--kernels', 'host', '--accelerator', 'bogus'], 2)).toBe(
      'progrun: --accelerator: must be auto, kvm or tcg, got bogus. See `progrun vm matrix --help` for the options and examples.\n',
    );
  });

  test('--flags xdp-live-frames points to progrun live', async () => {
    expect(await stderrOf(['run', reflector, '--flags', 'xdp-live-frames'], 2)).toBe(
      `progrun: --flags xdp-live-frames injects frames instead of returning one: use \`progrun live <prog>\` for live-frame mode. ${seeRunHelp}\n`,
    );
  });
});

describe('help texts list the exit codes of their command', () => {
  test("matrix lists its own, not run's", async () => {
    const { stdout } = await progrun(['matrix', '--help']);
    expect(stdout.slice(stdout.indexOf('Exit codes:'))).toBe(
      [
        'Exit codes:',
        '    0  no probe contradicted what it declares for its kernel',
        '    1  a probe contradicted it (with --strict, also an inconclusive probe), or a kernel did not run the suite',
        '    2  usage error: unknown option, a bad value, an unknown kernel',
        '  130  interrupted (Ctrl-C or SIGTERM)',
        '',
      ].join('\n'),
    );
  });

  test('progrun --help lists them all, as exit-codes.ts has them', async () => {
    const { stdout } = await progrun(['--help']);
    for (const code of ['0', '1', '2', '3', '4', '5', '6', '130'])
      expect(stdout).toMatch(new RegExp(`^ +${code}  `, 'm'));
  });
});

describe('progrun run: the kernel checks the input', { tags: ['privileged'], timeout: 30_000 }, () => {
  test('an ifindex with no device (ENODEV) is a usage error', async () => {
    expect(await stderrOf(['run', reflector, '--ctx', '{"ingress_ifindex":99999}'], 2)).toBe(
      'progrun: --ctx names an ifindex with no network device in this network namespace (ENODEV). Set ingress_ifindex (XDP) or ifindex (tc) to a device `ip link` lists, or leave it out.\n',
    );
  });

  test('a CPU that is not online (ENXIO) is a usage error', async () => {
    const stderr = await stderrOf(
      ['run', exampleSource('raw-tracepoint'), '--ctx', '[0, 39]', '--cpu', '99'],
      2,
    );
    expect(stderr).toMatch(
      /^progrun: --cpu names a CPU that is not online \(ENXIO\)\. Choose an online CPU: [0-9,-]+\.\n$/,
    );
  });

  test('--ctx with an unknown field lists only the fields --ctx sets', async () => {
    expect(await stderrOf(['run', reflector, '--ctx', '{"nosuch":1}'], 2)).toBe(
      `progrun: --ctx field "nosuch" is not a field of xdp_md; --ctx can set metadata, ingress_ifindex, rx_queue_index, egress_ifindex. ${seeRunHelp}\n`,
    );
  });
});

describe('progrun run says what the kernel did', { tags: ['privileged'], timeout: 30_000 }, () => {
  test('raw tracepoint and SYSCALL runs are not timed by the kernel', async () => {
    const raw = await progrun(['run', exampleSource('raw-tracepoint'), '--ctx', '[0, 39]']);
    expect(raw.stdout).toMatch(
      /^duration +not measured: the kernel does not time RAW_TRACEPOINT test runs$/m,
    );
    expect(raw.stdout).not.toContain('kernel-measured');
    const syscall = await progrun([
      'run',
      exampleSource('syscall-map-fill'),
      '--ctx',
      '{"max_entries": "u32:4", "step": "u32:10", "map_fd": "s32", "err": "s32"}',
      '--json',
    ]);
    expect(JSON.parse(syscall.stdout).runs[0].durationNs).toBeNull();
  });

  test('with --repeat, the output is what the runs left on one buffer', async () => {
    const { stdout } = await progrun(['run', reflector, '--repeat', '3']);
    expect(stdout).toMatch(
      /^output +49 bytes, as 3 runs on the same buffer left it, checksums and lengths consistent$/m,
    );
  });

  test('a checksum already wrong in --data is not "now wrong"', async () => {
    // The default packet with its IPv4 checksum off by one (0xf6c6 -> 0xf6c7).
    const data =
      '020000000002020000000001080045000023000000004011f6c7c0000201c0000202c0000007000ffb7470726f6772756e';
    const { stdout } = await progrun(['run', reflector, '--data', data]);
    expect(stdout).toMatch(
      /^output +49 bytes, wrong already in the input: ipv4\.checksum \(should be 0xf6c6\)$/m,
    );
    expect(stdout).not.toContain('now wrong');
  });

  test('probe as root does not ask to run as root, and gives whole reasons', async () => {
    const { stdout } = await progrun(['probe']);
    expect(stdout).not.toContain('run as root');
    expect(stdout).not.toMatch(/\.\.\.$/m);
    expect(stdout).toMatch(
      /^\d+ supported, \d+ not supported, \d+ inconclusive( \(each inconclusive row says why\))?$/m,
    );
  });
});
