import { describe, expect, test } from 'vitest';
import { progrun } from './helpers/run-progrun.js';

const examples = [
  'xdp-reflector',
  'xdp-firewall',
  'xdp-ttl-forwarder',
  'tc-classifier',
  'flow-dissector',
  'sk-lookup',
  'raw-tracepoint',
  'syscall-map-fill',
];

describe('progrun demo', { tags: ['privileged'] }, () => {
  test('runs every example, every check holds, and it says what to do next', {
    tags: ['slow'],
  }, async () => {
    const { code, stdout, stderr } = await progrun(['demo']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('loaded and run with BPF_PROG_RUN on this kernel');
    for (const example of examples) expect(stdout).toMatch(new RegExp(`^${example} .* ok$`, 'm'));
    expect(stdout).not.toContain('FAILED');
    expect(stdout).toMatch(/all checks held: 8 of 8 examples passed \(17 of 17 runs\)/);
    expect(stdout).toContain('Next');
  });

  test('--json reports every run with its checks', { tags: ['slow'] }, async () => {
    const { code, stdout } = await progrun(['demo', '--json']);
    expect(code).toBe(0);
    const document = JSON.parse(stdout) as {
      ok: boolean;
      examples: { example: string; status: string; runs: { verdict: string; problems: string[] }[] }[];
      summary: { passed: number; failed: number; runs: number };
    };
    expect(document.ok).toBe(true);
    expect(document.examples.map((e) => e.example)).toEqual(examples);
    expect(document.examples.every((e) => e.status === 'passed')).toBe(true);
    expect(document.summary).toMatchObject({ passed: 8, failed: 0, runs: 17 });
    const forwarder = document.examples.find((e) => e.example === 'xdp-ttl-forwarder')!;
    expect(forwarder.runs.map((r) => r.verdict)).toEqual(['XDP_TX', 'XDP_PASS']);
  });

  test('--only and --verbose show one example in full', async () => {
    const { code, stdout } = await progrun(['demo', '--only', 'xdp-reflector', '--verbose']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/1 of 1 examples passed/);
    expect(stdout).toMatch(/^changes +eth\.dst: /m);
  });

  test('--only with an unknown example is a usage error listing the examples', async () => {
    const { code, stderr } = await progrun(['demo', '--only', 'nope']);
    expect(code).toBe(2);
    expect(stderr).toContain('no example named nope; the examples are xdp-reflector');
  });
});

describe('progrun probe', { tags: ['privileged'] }, () => {
  test('a table of what this kernel can test-run', async () => {
    const { code, stdout } = await progrun(['probe']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^test_run:XDP +yes +4\.12/m);
    expect(stdout).toMatch(/^test_run:SOCK_OPS +no +never/m);
    expect(stdout).toMatch(/^xdp_live_frames +(yes|no) +5\.18/m);
    expect(stdout).toMatch(/^\d+ supported, \d+ not supported, \d+ inconclusive/m);
  });

  test('--json lists every feature with its status', async () => {
    const { code, stdout } = await progrun(['probe', '--json']);
    expect(code).toBe(0);
    const { features } = JSON.parse(stdout) as {
      features: { id: string; status: string; minKernel?: string }[];
    };
    expect(features.find((f) => f.id === 'test_run:XDP')).toMatchObject({
      status: 'supported',
      minKernel: '4.12',
    });
    expect(features.every((f) => ['supported', 'unsupported', 'inconclusive'].includes(f.status))).toBe(true);
  });
});
