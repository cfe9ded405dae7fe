/**
 * Benchmark of @progrun/xdp-live against a C reference doing the same live-frame loop (bench/c-reference.c)
 * with the same program (passed as an inherited fd), packet, device, batch size and CPU. Every variant
 * runs once per round, in a rotated order; ratios are computed within each round (so that load from
 * other processes hits both sides alike) and their medians reported. Run as root: `npm run bench`
 * (BENCH_ROUNDS, default 7; BENCH_SCALE multiplies the frames per run).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eth } from '@progrun/ctx-builders';
import { asm, Program } from '@progrun/syscall';
import { type InjectOptions, inject, type VethEnd, VethTopology } from '../src/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const BATCH = 64;
const CHUNK = 65_536;
const FRAMES = { drop: Math.round(2_000_000 * SCALE), tx: Math.round(1_000_000 * SCALE) };
const here = dirname(fileURLToPath(import.meta.url));

type Action = 'drop' | 'tx';

function buildReference(): string {
  const dir = join(tmpdir(), 'progrun-xdp-live-bench');
  mkdirSync(dir, { recursive: true });
  const binary = join(dir, 'c-reference');
  execFileSync(process.env.CC ?? 'cc', ['-O2', '-Wall', '-o', binary, join(here, 'c-reference.c')], {
    stdio: 'inherit',
  });
  return binary;
}

function load(action: Action): Program {
  return Program.load({
    type: 'XDP',
    instructions: asm.assemble([asm.mov64('r0', action === 'drop' ? 1 : 3), asm.exit()]),
    license: 'GPL',
    name: `bench_${action}`,
  });
}

interface Setup {
  readonly binary: string;
  readonly program: Program;
  readonly a: VethEnd;
  readonly b: VethEnd;
  readonly packet: Uint8Array;
  readonly count: number;
}

/** Frames per second of wall-clock time, and per second of the injecting threads' CPU time. */
interface Rate {
  readonly pps: number;
  readonly cpuPps: number;
}

async function reference(setup: Setup, chunk: number, attach: boolean): Promise<Rate> {
  const args = [
    setup.a.netns.path,
    String(setup.a.ifindex),
    Buffer.from(setup.packet).toString('hex'),
    String(BATCH),
    String(setup.count),
    String(chunk),
    '0',
    attach ? '1' : '0',
  ];
  const child = spawn(setup.binary, args, { stdio: ['ignore', 'pipe', 'inherit', setup.program.fd] });
  let out = '';
  child.stdout?.on('data', (data: Buffer) => {
    out += data.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`c-reference exited with ${code}`);
  const { frames, elapsed_ns, cpu_ns } = JSON.parse(out) as {
    frames: number;
    elapsed_ns: number;
    cpu_ns: number;
  };
  return { pps: (frames * 1e9) / elapsed_ns, cpuPps: (frames * 1e9) / cpu_ns };
}

let statsOutsideMs: number[] = [];

async function injected(setup: Setup, options: Partial<InjectOptions>): Promise<Rate> {
  const result = await inject({
    program: setup.program,
    packet: setup.packet,
    netns: setup.a.netns,
    ifindex: setup.a.name,
    batchSize: BATCH,
    count: setup.count,
    cpus: [0],
    ...options,
  });
  if (result.stats) statsOutsideMs.push(result.stats.setupMs + result.stats.readMs);
  return { pps: result.pps, cpuPps: result.ppsPerCpu };
}

const VARIANTS: Record<string, (setup: Setup) => Promise<Rate>> = {
  'C reference (attached, 64Ki frames/call)': (s) => reference(s, CHUNK, true),
  'inject (attached, 64Ki frames/call)': (s) => injected(s, { chunkFrames: CHUNK }),
  'inject (attached, default: ~5 ms calls)': (s) => injected(s, {}),
  'C naive (detached, 64Ki frames/call)': (s) => reference(s, CHUNK, false),
  'C naive (detached, one call)': (s) => reference(s, s.count, false),
  'inject (detached, default: ~250 ms calls)': (s) => injected(s, { keepAttached: false }),
  'inject, 2 workers (attached, default)': (s) => injected(s, { cpus: [0, 1] }),
  'inject + xdp events (attached, default)': (s) =>
    injected(s, { stats: { pagePool: false, previewVerdicts: false } }),
  'inject + per-frame redirect count (attached, default)': (s) =>
    injected(s, {
      stats: { xdpEvents: false, countRedirects: true, pagePool: false, previewVerdicts: false },
    }),
  'inject + page-pool events (attached, default)': (s) =>
    injected(s, { stats: { xdpEvents: false, previewVerdicts: false } }),
  'inject + all statistics (attached, default)': (s) => injected(s, { stats: { receive: s.b } }),
};
const NAMES = Object.keys(VARIANTS);

const median = (values: number[]) =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] as number;
const mpps = (pps: number) => (pps / 1e6).toFixed(2);

async function main(): Promise<void> {
  const binary = buildReference();
  await using topology = await VethTopology.create({ receive: 'xdp-drop' });
  const { a, b } = topology;
  const packet = eth({ dst: b.mac, src: a.mac })
    .ipv4({ src: a.ipv4, dst: b.ipv4 })
    .udp({ sport: 40000, dport: 9 })
    .payload(new Uint8Array(18))
    .build();
  // rates[action][variant][round]
  const rates: Record<Action, Rate[][]> = { drop: NAMES.map(() => []), tx: NAMES.map(() => []) };
  for (let round = 0; round < ROUNDS; round++) {
    for (const action of ['drop', 'tx'] as const) {
      using program = load(action);
      const setup: Setup = { binary, program, a, b, packet, count: FRAMES[action] };
      for (let k = 0; k < NAMES.length; k++) {
        const index = (k + round) % NAMES.length;
        const run = VARIANTS[NAMES[index] as string] as (setup: Setup) => Promise<Rate>;
        (rates[action][index] as Rate[]).push(await run(setup));
      }
    }
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  }

  const column = (name: string) => NAMES.indexOf(name);
  const series = (action: Action, name: string, key: keyof Rate) =>
    (rates[action][column(name)] as Rate[]).map((rate) => rate[key]);
  // Median over rounds of the per-round ratio variant / base.
  const ratio = (action: Action, variant: string, base: string, key: keyof Rate) => {
    const bases = series(action, base, key);
    return median(series(action, variant, key).map((value, round) => value / (bases[round] as number)));
  };
  const ref = 'C reference (attached, 64Ki frames/call)';
  console.log(
    `\nXDP live frames, batch ${BATCH}, 1 worker pinned to CPU 0 unless noted; ${FRAMES.drop} (DROP) / ${FRAMES.tx} (TX) ` +
      `frames per run; ${ROUNDS} rounds, medians; kernel ${execFileSync('uname', ['-r']).toString().trim()}; ` +
      'XDP_TX leaves a veth whose peer drops in XDP. "wall": frames per second; "cpu": frames per second of ' +
      "the injecting threads' CPU time (robust to other load on the machine).\n",
  );
  console.log(
    '| variant | DROP wall Mpps | DROP cpu Mpps | / C ref (cpu) | TX wall Mpps | TX cpu Mpps | / C ref (cpu) |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const name of NAMES) {
    const cells = (['drop', 'tx'] as const).map(
      (action) =>
        `${mpps(median(series(action, name, 'pps')))} | ${mpps(median(series(action, name, 'cpuPps')))} | ` +
        `${ratio(action, name, ref, 'cpuPps').toFixed(3)}`,
    );
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
  const both = (variant: string, base: string, digits = 3) =>
    (['drop', 'tx'] as const)
      .map(
        (action) =>
          `${ratio(action, variant, base, 'pps').toFixed(digits)} | ${ratio(action, variant, base, 'cpuPps').toFixed(digits)}`,
      )
      .join(' | ');
  const def = 'inject (attached, default: ~5 ms calls)';
  console.log('\n| ratio (median of per-round ratios) | DROP wall | DROP cpu | TX wall | TX cpu |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| inject / C reference, same calls (target >= 0.97) | ${both('inject (attached, 64Ki frames/call)', ref)} |`,
  );
  console.log(`| inject default / C reference (target >= 0.97) | ${both(def, ref)} |`);
  console.log(
    `| inject attached / C naive, same 64Ki calls (target > 1) | ${both(def, 'C naive (detached, 64Ki frames/call)', 2)} |`,
  );
  console.log(
    `| inject attached / C naive, one call (target > 1) | ${both(def, 'C naive (detached, one call)')} |`,
  );
  console.log(`| 2 workers / 1 worker | ${both('inject, 2 workers (attached, default)', def, 2)} |`);
  console.log(`| with xdp events / without | ${both('inject + xdp events (attached, default)', def)} |`);
  console.log(
    `| with per-frame redirect count / without | ${both('inject + per-frame redirect count (attached, default)', def)} |`,
  );
  console.log(
    `| with page-pool events / without | ${both('inject + page-pool events (attached, default)', def)} |`,
  );
  console.log(
    `| with all statistics / without | ${both('inject + all statistics (attached, default)', def)} |`,
  );
  console.log(`\nStatistics setup + read outside the run (median): ${median(statsOutsideMs).toFixed(1)} ms`);
  statsOutsideMs = [];
}

await main();
