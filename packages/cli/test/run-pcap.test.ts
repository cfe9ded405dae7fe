import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodePcapng,
  encodePcap,
  encodePcapng,
  eth,
  ipv4,
  LinkType,
  PcapWriter,
} from '@progrun/ctx-builders';
import { afterAll, describe, expect, test } from 'vitest';
import { expectValidDocument } from './helpers/json-schemas.js';
import { exampleSource, progrun } from './helpers/run-progrun.js';

const dir = mkdtempSync(join(tmpdir(), 'progrun-cli-pcap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const firewall = exampleSource('xdp-firewall');
const blockDns = ['--map', 'blocked_ports:0x110035=0'];

function capture(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const three = () =>
  encodePcap([
    eth().ipv4().udp({ dport: 53 }).build(),
    eth().ipv6().udp({ dport: 53 }).build(),
    eth().ipv4().tcp({ dport: 80 }).build(),
  ]);

/** `count` UDP packets, one in four to port 53 (dropped by the firewall with blockDns). */
function udpCapture(name: string, count: number): string {
  const path = join(dir, name);
  const packets = [53, 54, 55, 56].map((dport) => eth().ipv4().udp({ dport }).payload('12345678').build());
  using writer = PcapWriter.open(path);
  for (let i = 0; i < count; i++) writer.write({ data: packets[i % 4]!, timestampNs: BigInt(i) });
  return path;
}

describe('progrun run --pcap', { tags: ['privileged'] }, () => {
  test('a verdict histogram, the map entries, and --out with each output packet marked with its verdict', async () => {
    const input = capture('three.pcap', three());
    const output = join(dir, 'three-out.pcapng');
    const result = await progrun(['run', firewall, '--pcap', input, ...blockDns, '--out', output]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^3 packets from .*three\.pcap in [\d.]+ s/m);
    expect(result.stdout).toMatch(/^ +XDP_DROP +2 +66\.7%$/m);
    expect(result.stdout).toMatch(/^ +XDP_PASS +1 +33\.3%$/m);
    expect(result.stdout).toContain('no packet was changed by the program');
    expect(result.stdout).toContain('blocked_ports[0x110035] = 2');
    const written = decodePcapng(readFileSync(output));
    expect(written.packets.map((p) => p.comments)).toEqual([['XDP_DROP'], ['XDP_DROP'], ['XDP_PASS']]);
    expect(Buffer.from(written.packets[2]!.data)).toEqual(eth().ipv4().tcp({ dport: 80 }).build());
  });

  test('packets the program changed: their count and the field diff of the first ones; --json summary', async () => {
    const input = udpCapture('reflect.pcap', 25);
    const text = await progrun(['run', exampleSource('xdp-reflector'), '--pcap', input]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^ +XDP_TX +25 +100\.0%$/m);
    expect(text.stdout).toContain('25 packets changed by the program (the first 10:)');
    expect(text.stdout).toMatch(/^ +#1 XDP_TX$/m);
    expect(text.stdout).toMatch(/^ +eth\.dst: 02:00:00:00:00:02 -> 02:00:00:00:00:01$/m);
    const json = await progrun(['run', exampleSource('xdp-reflector'), '--pcap', input, '--json']);
    const document = JSON.parse(json.stdout);
    expectValidDocument(document, 'run-capture');
    expect(document).toMatchObject({
      ok: true,
      program: { name: 'xdp_reflect', type: 'XDP' },
      capture: { packets: 25 },
      summary: { runs: 25, verdicts: { XDP_TX: 25 }, changed: 25, errors: 0 },
    });
    expect(document.changes).toHaveLength(10);
    expect(document.changes[0].changes.map((c: { path: string }) => c.path)).toEqual(['eth.dst', 'eth.src']);
    expect(document).not.toHaveProperty('runs');
  }, 60_000);

  test('--jsonl: a line per packet, in order, then the summary', async () => {
    const input = capture('jsonl.pcap', three());
    const result = await progrun(['run', firewall, '--pcap', input, ...blockDns, '--jsonl']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(0, 3)) expectValidDocument(line, 'run-capture-record');
    expectValidDocument(lines[3], 'run-capture');
    expect(lines.slice(0, 3).map((l) => [l.packet, l.verdict, l.changed])).toEqual([
      [1, 'XDP_DROP', false],
      [2, 'XDP_DROP', false],
      [3, 'XDP_PASS', false],
    ]);
    expect(lines[3]).toMatchObject({
      ok: true,
      summary: { runs: 3, verdicts: { XDP_DROP: 2, XDP_PASS: 1 } },
    });
  });

  test('many batches, one worker or several: the same counts, --maps prints every map', async () => {
    const input = udpCapture('many.pcap', 50_000);
    for (const concurrency of ['1', '2']) {
      const result = await progrun([
        'run',
        firewall,
        '--pcap',
        input,
        ...blockDns,
        '--concurrency',
        concurrency,
        '--maps',
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^50,000 packets from/m);
      expect(result.stdout).toMatch(/^ +XDP_PASS +37,500 +75\.0%$/m);
      expect(result.stdout).toMatch(/^ +XDP_DROP +12,500 +25\.0%$/m);
      expect(result.stdout).toContain('maps after the run');
      expect(result.stdout).toMatch(/^ +blocked_ports HASH$/m);
      expect(result.stdout).toContain('[1114165] = 12500');
    }
  }, 60_000);

  test('a capture cut short: every complete packet runs, then a warning and exit 2', async () => {
    const whole = three();
    const input = capture('cut.pcap', whole.subarray(0, whole.length - 5));
    const result = await progrun(['run', firewall, '--pcap', input, ...blockDns, '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cut short/);
    const document = JSON.parse(result.stdout);
    expectValidDocument(document, 'run-capture');
    expect(document.ok).toBe(false);
    expect(document.summary).toMatchObject({ runs: 2, verdicts: { XDP_DROP: 2 } });
    expect(document.capture.truncated).toMatchObject({
      offset: expect.any(Number),
      presentBytes: expect.any(Number),
    });
  });

  test('pcapng and raw IP captures; --ctx gives every packet its context', async () => {
    const ng = capture(
      'raw.pcapng',
      encodePcapng([ipv4().udp({ dport: 53 }).build(), ipv4().udp({ dport: 54 }).build()], {
        interfaces: [{ linkType: LinkType.RAW }],
      }),
    );
    const result = await progrun(['run', firewall, '--pcap', ng, ...blockDns, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).summary.verdicts).toEqual({ XDP_DROP: 1, XDP_PASS: 1 });
    // The stamp program leaves the ingress ifindex as metadata: the packet itself is unchanged.
    const stamp = await progrun([
      'run',
      exampleSource('ifindex-stamp'),
      '--prog',
      'xdp_stamp',
      '--pcap',
      capture('stamp.pcap', three()),
      '--ctx',
      '{"ingress_ifindex": 1}',
      '--json',
    ]);
    expect(stamp.code, stamp.stderr).toBe(0);
    expect(JSON.parse(stamp.stdout).summary).toMatchObject({ verdicts: { XDP_PASS: 3 }, changed: 0 });
  }, 60_000);

  test('--maps without --pcap: every map of the object in the run document', async () => {
    const result = await progrun([
      'run',
      firewall,
      ...blockDns,
      '--packet',
      'eth()/ipv4()/udp(dport=53)',
      '--maps',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout);
    expectValidDocument(document, 'run');
    expect(document.objectMaps).toEqual([
      { map: 'blocked_ports', type: 'HASH', entries: [{ key: '1114165', value: '1' }], more: 0 },
    ]);
  }, 60_000);

  test('usage errors', async () => {
    const input = capture('usage.pcap', three());
    const cases: [string[], RegExp][] = [
      [['--jsonl'], /--jsonl applies to a capture's runs/],
      [['--pcap', input, '--concurrency', '0'], /--concurrency must be an integer from 1 to 1024/],
      [['--pcap', input, '--packet', 'eth()'], /--packet and --pcap cannot be combined/],
      [['--pcap', capture('empty.pcap', encodePcap([]))], /holds no packets/],
      [['--pcap', join(dir, 'missing.pcap')], /missing\.pcap/],
    ];
    for (const [args, message] of cases) {
      const result = await progrun(['run', firewall, ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  }, 60_000);
});
