/**
 * Benchmark of `progrun run --pcap` against a C program doing the same (bench/c-pcap-replay.c): replaying
 * a capture of 50-byte UDP packets through examples/xdp-firewall, whole process against whole process, as
 * a user would run either (the CLI from start to exit: Node.js start-up, the object from the compile cache,
 * loading, reading the capture, the runs, the report; C: libbpf loading the same object, stdio reading the
 * same file, one BPF_PROG_TEST_RUN per packet). The CLI runs with one worker (`--concurrency 1`) and with
 * a batch spread over two CPUs (`--concurrency 2`). Wall time and peak RSS come from GNU time for both.
 * Every variant runs once per round in a rotated order; ratios are computed within a round and their
 * medians reported (each process draws its own speed on this host: see DEVELOPERS.md). The captures are
 * written to a temporary directory and removed at the end.
 *
 * `npm run bench` (as root); BENCH_ROUNDS (default 3) and BENCH_PACKETS (default 100000,1000000,5000000).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileBpfC } from '@progrun/compile';
import { eth, PcapWriter } from '@progrun/ctx-builders';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SIZES = (process.env.BENCH_PACKETS ?? '100000,1000000,5000000').split(',').map(Number);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const example = join(root, 'examples/xdp-firewall/xdp-firewall.bpf.c');
const cli = join(root, 'packages/cli/bin/progrun.js');
// UDP port 53 blocked: the map key is struct port_rule { u16 port; u8 protocol; u8 pad; } in host order.
const MAP = { name: 'blocked_ports', key: '35001100', value: '0000000000000000' };

/** Writes `count` 50-byte UDP packets, destination ports 0..63 in turn (one in 64 to the blocked port 53). */
function writeCapture(path: string, count: number): void {
  const templates = Array.from({ length: 64 }, (_, port) =>
    eth()
      .ipv4({ src: '10.0.0.1', dst: '10.0.0.2' })
      .udp({ sport: 40000, dport: port })
      .payload('12345678')
      .build(),
  );
  if (templates[0]!.length !== 50) throw new Error(`packets are ${templates[0]!.length} bytes, not 50`);
  using writer = PcapWriter.open(path);
  const start = 1_700_000_000_000_000_000n;
  for (let i = 0; i < count; i++)
    writer.write({ data: templates[i % 64]!, timestampNs: start + BigInt(i) * 1000n });
}

interface Measured {
  readonly seconds: number;
  readonly rssMb: number;
  readonly stdout: string;
}

/** Runs a whole process under GNU time: wall seconds and peak RSS. */
function timed(command: string, args: readonly string[]): Measured {
  const result = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = /TIME ([\d.]+) (\d+)/.exec(result.stderr);
  if (result.status !== 0 || !line) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  }
  return { seconds: Number(line[1]), rssMb: Number(line[2]) / 1024, stdout: result.stdout };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const dir = mkdtempSync(join(tmpdir(), 'progrun-pcap-bench-'));
try {
  const reference = join(dir, 'c-pcap-replay');
  execFileSync(
    process.env.CC ?? 'cc',
    ['-O2', '-Wall', '-o', reference, join(here, 'c-pcap-replay.c'), '-lbpf'],
    {
      stdio: 'inherit',
    },
  );
  const { objectPath } = await compileBpfC(example);
  const variants = {
    c: (capture: string) =>
      timed(reference, [objectPath, 'xdp_firewall', capture, MAP.name, MAP.key, MAP.value]),
    progrun1: (capture: string) =>
      timed(process.execPath, [
        cli,
        'run',
        objectPath,
        '--pcap',
        capture,
        '--map',
        `${MAP.name}:0x110035=0`,
        '--concurrency',
        '1',
        '--json',
      ]),
    progrun2: (capture: string) =>
      timed(process.execPath, [
        cli,
        'run',
        objectPath,
        '--pcap',
        capture,
        '--map',
        `${MAP.name}:0x110035=0`,
        '--concurrency',
        '2',
        '--json',
      ]),
  };
  type Variant = keyof typeof variants;
  const names = Object.keys(variants) as Variant[];
  console.log(`pcap replay through examples/xdp-firewall, 50-byte UDP packets, ${ROUNDS} rounds (medians)`);
  for (const count of SIZES) {
    const capture = join(dir, `udp-${count}.pcap`);
    writeCapture(capture, count);
    const runs: Record<Variant, Measured[]> = { c: [], progrun1: [], progrun2: [] };
    const ratios = { progrun1: [] as number[], progrun2: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length]!);
      const measured = {} as Record<Variant, Measured>;
      for (const name of order) measured[name] = variants[name](capture);
      // The same answer on both sides: a DROP for every packet to port 53.
      const drops = JSON.parse(measured.c.stdout).retvals['1'] ?? 0;
      for (const name of ['progrun1', 'progrun2'] as const) {
        const verdicts = JSON.parse(measured[name].stdout).summary.verdicts;
        if ((verdicts.XDP_DROP ?? 0) !== drops)
          throw new Error(`${name}: ${JSON.stringify(verdicts)}, C dropped ${drops}`);
        ratios[name].push(measured.c.seconds / measured[name].seconds);
      }
      for (const name of names) runs[name].push(measured[name]);
    }
    const line = (name: Variant, label: string) => {
      const seconds = median(runs[name].map((m) => m.seconds));
      const rss = Math.max(...runs[name].map((m) => m.rssMb));
      return `  ${label.padEnd(26)} ${seconds.toFixed(2).padStart(7)} s  ${Math.round(count / seconds)
        .toLocaleString('en-US')
        .padStart(10)} packets/s  peak RSS ${rss.toFixed(0).padStart(4)} MB`;
    };
    console.log(`${count.toLocaleString('en-US')} packets:`);
    console.log(line('c', 'C loop (1 thread)'));
    console.log(line('progrun1', 'progrun run --pcap, 1 worker'));
    console.log(line('progrun2', 'progrun run --pcap, 2 CPUs'));
    console.log(
      `  target >= 0.9x C for one worker: median ${median(ratios.progrun1).toFixed(3)}x${count === 5_000_000 ? '' : ' (reported)'}`,
    );
    console.log(
      `  target >= 1.6x C for 2 CPUs: median ${median(ratios.progrun2).toFixed(3)}x${count === 5_000_000 ? '' : ' (reported)'}`,
    );
    const peak = Math.max(...runs.progrun1.map((m) => m.rssMb), ...runs.progrun2.map((m) => m.rssMb));
    console.log(`  target <= 150 MB peak RSS: ${peak.toFixed(0)} MB`);
    rmSync(capture);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
