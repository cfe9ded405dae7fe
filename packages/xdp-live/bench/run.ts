/**
 * Benchmark of @progrun/xdp-live against a C reference doing the same live-frame loop (bench/c-reference.c)
 * with the same program (passed as an inherited fd), packet, device, batch size and CPU, in one run,
 * rounds interleaved; reports medians and ratios. Run as root: `npm run bench` (BENCH_ROUNDS, BENCH_SCALE).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eth } from '@progrun/ctx-builders';
import { asm, Program } from '@progrun/syscall';
import { type InjectOptions, inject, VethTopology } from '../src/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const BATCH = 64;
const CHUNK = 65_536;
const here = dirname(fileURLToPath(import.meta.url));

function buildReference(): string {
  const dir = join(tmpdir(), 'progrun-xdp-live-bench');
  mkdirSync(dir, { recursive: true });
  const binary = join(dir, 'c-reference');
  execFileSync(process.env.CC ?? 'cc', ['-O2', '-Wall', '-o', binary, join(here, 'c-reference.c')], {
    stdio: 'inherit',
  });
  return binary;
}

function load(action: 'drop' | 'tx'): Program {
  return Program.load({
    type: 'XDP',
    instructions: asm.assemble([asm.mov64('r0', action === 'drop' ? 1 : 3), asm.exit()]),
    license: 'GPL',
    name: `bench_${action}`,
  });
}

interface Measurement {
  readonly frames: number;
  readonly pps: number;
}

async function runReference(
  binary: string,
  program: Program,
  options: {
    netns: string;
    ifindex: number;
    packet: Uint8Array;
    count: number;
    chunk: number;
    attach: boolean;
  },
): Promise<Measurement> {
  const args = [
    options.netns,
    String(options.ifindex),
    Buffer.from(options.packet).toString('hex'),
    String(BATCH),
    String(options.count),
    String(options.chunk),
    '0',
    options.attach ? '1' : '0',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'inherit', program.fd] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`c-reference exited with ${code}`);
  const { frames, elapsed_ns } = JSON.parse(out) as { frames: number; elapsed_ns: number };
  return { frames, pps: (frames * 1e9) / elapsed_ns };
}

async function runInject(
  options: InjectOptions,
): Promise<Measurement & { setupMs?: number; readMs?: number }> {
  const result = await inject(options);
  return {
    frames: result.frames,
    pps: result.pps,
    ...(result.stats ? { setupMs: result.stats.setupMs, readMs: result.stats.readMs } : {}),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

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
  const counts = { drop: Math.round(3_000_000 * SCALE), tx: Math.round(2_000_000 * SCALE) };
  const results = new Map<string, { drop: number[]; tx: number[]; extra: number[] }>();
  const record = (name: string, action: 'drop' | 'tx', pps: number, extra?: number) => {
    const row = results.get(name) ?? { drop: [], tx: [], extra: [] };
    row[action].push(pps);
    if (extra !== undefined) row.extra.push(extra);
    results.set(name, row);
  };

  for (let round = 0; round < ROUNDS; round++) {
    for (const action of ['drop', 'tx'] as const) {
      using program = load(action);
      const count = counts[action];
      const base = { program, packet, netns: a.netns, ifindex: a.name, batchSize: BATCH, count, cpus: [0] };
      const ref = { netns: a.netns.path, ifindex: a.ifindex, packet, count };
      record(
        'C reference (attached, 64Ki frames/call)',
        action,
        (await runReference(binary, program, { ...ref, chunk: CHUNK, attach: true })).pps,
      );
      record(
        'inject (attached, 64Ki frames/call)',
        action,
        (await runInject({ ...base, chunkFrames: CHUNK })).pps,
      );
      record('inject (attached, default ~5 ms calls)', action, (await runInject(base)).pps);
      record(
        'C naive (detached, 64Ki frames/call)',
        action,
        (await runReference(binary, program, { ...ref, chunk: CHUNK, attach: false })).pps,
      );
      record(
        'C naive (detached, one call)',
        action,
        (await runReference(binary, program, { ...ref, chunk: count, attach: false })).pps,
      );
      record(
        'inject (detached, default ~250 ms calls)',
        action,
        (await runInject({ ...base, keepAttached: false })).pps,
      );
      record(
        'inject, 2 workers (attached, default)',
        action,
        (await runInject({ ...base, cpus: [0, 1] })).pps,
      );
      const withStats = await runInject({ ...base, stats: { receive: b } });
      record(
        'inject + statistics (attached, default)',
        action,
        withStats.pps,
        (withStats.setupMs ?? 0) + (withStats.readMs ?? 0),
      );
    }
  }

  const rows = [...results.entries()].map(([name, row]) => ({
    name,
    drop: median(row.drop),
    tx: median(row.tx),
    extraMs: row.extra.length ? median(row.extra) : undefined,
  }));
  const find = (prefix: string) => rows.find((row) => row.name.startsWith(prefix)) as (typeof rows)[number];
  const reference = find('C reference');
  console.log(
    `\nXDP live frames, batch ${BATCH}, 1 worker on CPU 0 unless noted, ${ROUNDS} rounds (medians), kernel ${execFileSync('uname', ['-r']).toString().trim()}\n`,
  );
  console.log('| variant | XDP_DROP Mpps | x C ref | XDP_TX Mpps | x C ref |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${row.name} | ${mpps(row.drop)} | ${(row.drop / reference.drop).toFixed(3)} | ${mpps(row.tx)} | ${(row.tx / reference.tx).toFixed(3)} |`,
    );
  }
  const inject64 = find('inject (attached, 64Ki');
  const injectDefault = find('inject (attached, default');
  const naiveOne = find('C naive (detached, one call)');
  const naiveChunk = find('C naive (detached, 64Ki');
  const two = find('inject, 2 workers');
  const stats = find('inject + statistics');
  console.log('\n| target | XDP_DROP | XDP_TX |');
  console.log('|---|---|---|');
  console.log(
    `| inject / C reference, same calls (>= 0.97) | ${(inject64.drop / reference.drop).toFixed(3)} | ${(inject64.tx / reference.tx).toFixed(3)} |`,
  );
  console.log(
    `| inject default / C reference (>= 0.97) | ${(injectDefault.drop / reference.drop).toFixed(3)} | ${(injectDefault.tx / reference.tx).toFixed(3)} |`,
  );
  console.log(
    `| inject attached / naive C, one call (> 1) | ${(injectDefault.drop / naiveOne.drop).toFixed(2)} | ${(injectDefault.tx / naiveOne.tx).toFixed(2)} |`,
  );
  console.log(
    `| inject attached / naive C, 64Ki calls (> 1) | ${(injectDefault.drop / naiveChunk.drop).toFixed(2)} | ${(injectDefault.tx / naiveChunk.tx).toFixed(2)} |`,
  );
  console.log(
    `| 2 workers / 1 worker | ${(two.drop / injectDefault.drop).toFixed(2)} | ${(two.tx / injectDefault.tx).toFixed(2)} |`,
  );
  console.log(
    `| statistics: pps with / without | ${(stats.drop / injectDefault.drop).toFixed(3)} | ${(stats.tx / injectDefault.tx).toFixed(3)} |`,
  );
  console.log(`| statistics: setup + read, ms (outside the run) | ${stats.extraMs?.toFixed(1)} | |`);
}

await main();
