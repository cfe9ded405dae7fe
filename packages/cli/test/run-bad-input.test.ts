import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { exampleSource, type ProgrunResult, progrun } from './helpers/run-progrun.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const stackTrace = /\n\s+at .+:\d+:\d+/;

/** One paragraph on stderr: a single line starting with "progrun:" that ends in a hint, no stack trace. */
function expectOneParagraph(result: ProgrunResult): string {
  const last = result.stderr.trimEnd().split('\n').at(-1) ?? '';
  expect(last).toMatch(/^progrun: .+\. .+/);
  expect(result.stderr).not.toMatch(stackTrace);
  return last;
}

describe('progrun run: bad input gives one paragraph and an exit code', () => {
  test('a missing file: exit 2', async () => {
    const result = await progrun(['run', 'no-such-program.bpf.c']);
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result)).toContain('no such file: no-such-program.bpf.c');
  });

  test('C that does not compile: exit 5 with clang diagnostics', async () => {
    const result = await progrun(['run', fixture('syntax-error.bpf.c')]);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain("error: expected ')'");
    expect(expectOneParagraph(result)).toContain('syntax-error.bpf.c did not compile');
  });

  test('no clang: exit 5, saying how to install one', async () => {
    const result = await progrun(['run', exampleSource('xdp-reflector')], {
      PROGRUN_CLANG: '/nonexistent/clang',
    });
    expect(result.code).toBe(5);
    expect(expectOneParagraph(result)).toContain('apt-get install clang');
  });

  test('a malformed packet spec: exit 2, pointing at the position', async () => {
    const result = await progrun([
      'run',
      exampleSource('xdp-reflector'),
      '--packet',
      'eth()/ipv4(ttl=300)/udp()',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('eth()/ipv4(ttl=300)/udp()\n');
    expect(result.stderr).toMatch(/\n\s+\^\n/);
    expect(expectOneParagraph(result)).toContain('malformed packet spec: ipv4.ttl');
  });

  test('two packet sources: exit 2', async () => {
    const result = await progrun([
      'run',
      exampleSource('xdp-reflector'),
      '--packet',
      'eth()',
      '--data',
      '00',
    ]);
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result)).toContain('--packet and --data cannot be combined');
  });

  test('a file that is not a BPF object: exit 2', async () => {
    const result = await progrun(['run', fixture('../cli-usage.test.ts'), '--prog', 'x']);
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result)).toContain('is not a BPF object libbpf can open');
  });

  test('an unknown --prog lists the programs there are: exit 2', async () => {
    const result = await progrun(['run', exampleSource('xdp-reflector'), '--prog', 'nope']);
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result)).toContain('has no program "nope"; it has xdp_reflect');
  });

  test('an unknown --type lists the types: exit 2', async () => {
    const result = await progrun(['run', exampleSource('xdp-reflector'), '--type', 'teapot']);
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result)).toContain('unknown program type "teapot"');
  });

  test('a program the verifier rejects: exit 4, the failing instruction highlighted', {
    tags: ['privileged'],
  }, async () => {
    const result = await progrun(['run', fixture('verifier-reject.bpf.c')]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('verifier log');
    expect(result.stderr).toMatch(/^> 1: \(71\) r1 = \*\(u8 \*\)\(r1 \+20\)$/m);
    const paragraph = expectOneParagraph(result);
    expect(paragraph).toContain('the verifier rejected the program at instruction 1');
    expect(paragraph).toContain('verifier-reject.bpf.c:11');
    expect(paragraph).toContain('invalid access to packet');
  });

  test('--json carries the verifier log too', { tags: ['privileged'] }, async () => {
    const result = await progrun(['run', fixture('verifier-reject.bpf.c'), '--json']);
    expect(result.code).toBe(4);
    const { error } = JSON.parse(result.stdout) as { error: { kind: string; details: string } };
    expect(error.kind).toBe('verifier');
    expect(error.details).toContain('invalid access to packet');
  });

  test('a type this kernel cannot test-run: exit 3', { tags: ['privileged'] }, async () => {
    const result = await progrun(['run', fixture('kprobe-no-test-run.bpf.c')]);
    expect(result.code).toBe(3);
    const paragraph = expectOneParagraph(result);
    expect(paragraph).toContain('cannot test-run it');
    expect(paragraph).toContain('BPF_PROG_TYPE_KPROBE');
    expect(paragraph).toContain('progrun probe');
  });

  test('without the privileges to load BPF: exit 6, saying which ones', {
    tags: ['privileged'],
  }, async () => {
    // Run as nobody, with a cache it may write to.
    const cache = mkdtempSync(join(tmpdir(), 'progrun-cli-nobody-'));
    chmodSync(cache, 0o777);
    const result = await progrun(
      ['run', exampleSource('xdp-reflector')],
      { XDG_CACHE_HOME: cache },
      {
        uid: 65534,
        gid: 65534,
      },
    );
    expect(result.code).toBe(6);
    // Exactly one paragraph: none of libbpf's CONFIG_BPF_SYSCALL / RLIMIT_MEMLOCK lines above it.
    expect(result.stderr).toMatch(
      /^progrun: the kernel refused to load \/.*xdp-reflector-[0-9a-f]+\.o: it needs root or CAP_BPF \(EPERM\)\. Run as root, or grant CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN\.\n$/,
    );
  });

  test('a context field the kernel rejects: exit 2 naming the field', { tags: ['privileged'] }, async () => {
    const result = await progrun(['run', exampleSource('tc-classifier'), '--ctx', '{"len": 5}']);
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result)).toContain('__sk_buff.len');
  });

  test('a packet for a program that takes none: exit 2', { tags: ['privileged'] }, async () => {
    const result = await progrun(['run', exampleSource('raw-tracepoint'), '--packet', 'eth()/ipv4()/udp()']);
    expect(result.code).toBe(2);
    expect(expectOneParagraph(result)).toContain('RAW_TRACEPOINT programs take no packet');
  });
});
