import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { expectValidDocument, schemasDir } from './helpers/json-schemas.js';
import { exampleSource, progrun } from './helpers/run-progrun.js';

// Every --json document names its schema in $schema; the schema ships in the package's schemas/ and
// the documents real commands print validate against it.

/** Runs progrun with --json and checks the document against the schema it names. */
async function validDocument(args: string[], schema: string, code = 0): Promise<Record<string, unknown>> {
  // --json before a `--`, after which words belong to the command vm run runs.
  const end = args.includes('--') ? args.indexOf('--') : args.length;
  const result = await progrun([...args.slice(0, end), '--json', ...args.slice(end)]);
  expect(result.code, result.stderr).toBe(code);
  const document = JSON.parse(result.stdout) as Record<string, unknown>;
  expectValidDocument(document, schema);
  return document;
}

describe('the JSON Schemas', () => {
  test('ship in the package, one per document, each with its own $id', () => {
    expect(packageJson.files).toContain('schemas');
    expect(readdirSync(schemasDir).sort()).toEqual(
      [
        'demo',
        'error',
        'live',
        'probe',
        'run-capture-record',
        'run-capture',
        'run',
        'version',
        'vm-kernels',
        'vm-matrix',
        'vm-run',
      ].map((name) => `${name}.v1.json`),
    );
    for (const file of readdirSync(schemasDir)) {
      const schema = JSON.parse(readFileSync(join(schemasDir, file), 'utf8'));
      expect(schema.$id).toBe(`https://unpkg.com/@progrun/cli/schemas/${file}`);
      expect(schema.properties.$schema.const).toBe(schema.$id);
    }
  });

  test('errors, and --version', async () => {
    const error = await validDocument(['run', 'no-such-file.o'], 'error', 2);
    expect(error).toMatchObject({ ok: false, error: { kind: 'usage', exitCode: 2 } });
    await validDocument(['--version'], 'version');
  });

  test('vm kernels', async () => {
    await validDocument(['vm', 'kernels'], 'vm-kernels');
  });
});

describe('the JSON Schemas hold for real runs', { tags: ['privileged'] }, () => {
  test.each([
    [
      'XDP with a map',
      [
        exampleSource('xdp-firewall'),
        '--map',
        'blocked_ports:0x110035=0',
        '--packet',
        'eth()/ipv4()/udp(dport=53)',
      ],
    ],
    ['tc with a context', [exampleSource('tc-classifier'), '--ctx', '{"mark": 7}']],
    ['flow dissector', [exampleSource('flow-dissector')]],
    ['sk_lookup', [exampleSource('sk-lookup'), '--ctx', '{"protocol": 6, "local_port": 80}']],
    ['raw tracepoint', [exampleSource('raw-tracepoint'), '--ctx', '[0, 39]']],
    [
      'SYSCALL',
      [
        exampleSource('syscall-map-fill'),
        '--ctx',
        '{"max_entries": "u32:4", "step": "u32:10", "map_fd": "s32", "err": "s32"}',
      ],
    ],
  ])('run: %s', async (_name, args) => {
    await validDocument(['run', ...args], 'run');
  });

  test('a verifier rejection is an error document with the log in details', async () => {
    const document = await validDocument(
      ['run', join(import.meta.dirname, 'fixtures', 'verifier-reject.bpf.c')],
      'error',
      4,
    );
    expect((document.error as { details: string }).details).toContain('invalid access to packet');
  });

  test('probe', async () => {
    await validDocument(['probe'], 'probe');
  });

  test('demo', { timeout: 120_000 }, async () => {
    await validDocument(['demo', '--only', 'xdp-reflector'], 'demo');
  });

  test('vm run and vm matrix on the host kernel (no VM)', { timeout: 120_000 }, async () => {
    await validDocument(['vm', 'run', '--kernels', 'host', '--', 'true'], 'vm-run');
    await validDocument(['matrix', '--kernels', 'host'], 'vm-matrix');
  });
});
