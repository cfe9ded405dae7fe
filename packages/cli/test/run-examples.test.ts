import { cpus } from 'node:os';
import { describe, expect, test } from 'vitest';
import { exampleSource, progrun } from './helpers/run-progrun.js';

const nextHop = 'next_hop:0=hex:0200000000fe02000000009900000000';
const cpu = String(Math.max(0, cpus().length - 1));

interface ExampleRun {
  readonly example: string;
  readonly args: readonly string[];
  /** Lines (or parts of lines) the report must have: the verdict, the diff, the context. */
  readonly shows: readonly (string | RegExp)[];
}

const runs: readonly ExampleRun[] = [
  {
    example: 'xdp-reflector',
    args: [],
    shows: [
      /^verdict +XDP_TX \(3\)$/m,
      /^changes +eth\.dst: 02:00:00:00:00:02 -> 02:00:00:00:00:01$/m,
      /^ +eth\.src: 02:00:00:00:00:01 -> 02:00:00:00:00:02$/m,
    ],
  },
  {
    example: 'xdp-firewall',
    args: ['--map', 'blocked_ports:0x110035=0', '--packet', 'eth()/ipv4()/udp(dport=53)'],
    shows: [
      /^verdict +XDP_DROP \(1\)$/m,
      /^changes +none: the packet is unchanged$/m,
      'blocked_ports[0x110035] = 1',
    ],
  },
  {
    example: 'xdp-ttl-forwarder',
    args: ['--map', nextHop, '--packet', 'eth()/vlan(vid=100)/ipv4(ttl=64)/udp()'],
    shows: [
      /^verdict +XDP_TX \(3\)$/m,
      /^changes +length: 46 -> 42$/m,
      '-vlan: vlan(',
      'ipv4.ttl: 64 -> 63',
      /ipv4\.checksum: 0x[0-9a-f]+ -> 0x[0-9a-f]+ \(still valid\)/,
      /^metadata +64004004 \(4 bytes before the packet\)$/m,
      'data=4 (was 0)',
    ],
  },
  {
    example: 'tc-classifier',
    args: ['--map', 'port_marks:443=16', '--packet', 'eth()/ipv4()/tcp(dport=443)'],
    shows: [/^verdict +TC_ACT_OK \(0\)$/m, /^changes +none/m, 'mark=16 (was 0)'],
  },
  {
    example: 'flow-dissector',
    args: ['--packet', 'eth()/vlan(vid=7)/ipv4(src=198.51.100.1,dst=203.0.113.9)/tcp(sport=40000,dport=443)'],
    shows: [
      /^verdict +BPF_OK \(0\)$/m,
      /^flow keys +nhoff=18 thoff=38 .*sport=40000 dport=443 src=198\.51\.100\.1 dst=203\.0\.113\.9/m,
    ],
  },
  {
    example: 'sk-lookup',
    args: [
      '--map',
      'service_ports:7777=1',
      '--ctx',
      '{"protocol": "tcp", "local_ip": "127.0.0.1", "local_port": 7777}',
    ],
    shows: [/^verdict +SK_DROP \(0\)$/m, /^context +cookie=0 family=2 protocol=6 /m],
  },
  {
    example: 'raw-tracepoint',
    args: ['--ctx', '[0, 39]', '--cpu', cpu, '--map', 'syscall_counts:39=5', '--map', `last_cpu:0=0`],
    shows: [
      /^verdict +0$/m,
      /^context in +args=\[0, 39\]$/m,
      'syscall_counts[39] = 6',
      `last_cpu[0] = ${cpu}`,
    ],
  },
  {
    example: 'syscall-map-fill',
    args: ['--ctx', '{"max_entries": "u32:4", "step": "u32:10", "map_fd": "s32", "err": "s32"}'],
    shows: [/^verdict +0$/m, /^context +max_entries=4 step=10 map_fd=\d+ \(was 0\) err=0$/m],
  },
];

describe('progrun run on each example prints the verdict and what changed', { tags: ['privileged'] }, () => {
  test.each(runs)('$example', async ({ example, args, shows }) => {
    const result = await progrun(['run', exampleSource(example), ...args]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const expected of shows) {
      if (typeof expected === 'string') expect(result.stdout).toContain(expected);
      else expect(result.stdout).toMatch(expected);
    }
  });

  test('--json gives the verdict, the changes and the contexts', async () => {
    const result = await progrun(['run', exampleSource('xdp-reflector'), '--json']);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as {
      ok: boolean;
      program: { name: string; type: string };
      runs: { verdict: string; retval: number; changes: { path: string }[]; output: { valid: boolean } }[];
    };
    expect(document.ok).toBe(true);
    expect(document.program).toMatchObject({ name: 'xdp_reflect', type: 'XDP' });
    expect(document.runs).toHaveLength(1);
    expect(document.runs[0]).toMatchObject({ verdict: 'XDP_TX', retval: 3, output: { valid: true } });
    expect(document.runs[0]!.changes.map((change) => change.path)).toEqual(['eth.dst', 'eth.src']);
  });

  test('--repeat reports the mean duration of N runs', async () => {
    const result = await progrun(['run', exampleSource('xdp-reflector'), '--repeat', '1000']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^duration +\d+ ns \(kernel-measured, mean of 1000 runs\)$/m);
  });
});
