/**
 * What a compile-cache hit costs, beside what it saves: per round, in a rotated order, a hit of
 * `compileBpfC`, a bare `clang -E` of the same source with the same flags (the floor of any cache that
 * runs clang to compute its key), and a full compile into an empty cache. Ratios are taken within each
 * round, so that load from other processes hits all sides alike, and their medians reported.
 * `npm run bench` (BENCH_ROUNDS, default 15; BENCH_SOURCE, default the xdp-firewall example).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { bpfCflags, compileBpfC, findClang } from '../src/index.js';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const source = resolve(
  process.env.BENCH_SOURCE ?? join(import.meta.dirname, '../../../examples/xdp-firewall/xdp-firewall.bpf.c'),
);
const HIT_TARGET_MS = 5;

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const work = mkdtempSync(join(tmpdir(), 'progrun-compile-bench-'));
try {
  const clang = await findClang();
  const cacheDir = join(work, 'cache');
  await compileBpfC(source, { cacheDir });
  const variants: Record<string, () => Promise<unknown>> = {
    hit: async () => {
      if (!(await compileBpfC(source, { cacheDir })).cached) throw new Error('expected a cache hit');
    },
    'clang -E': () => run(clang.command, [...bpfCflags(), '-E', source, '-o', '/dev/null']),
    miss: () => compileBpfC(source, { cacheDir: mkdtempSync(join(work, 'empty-')) }),
  };
  const names = Object.keys(variants);
  const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const ratios = { preprocess: [] as number[], miss: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    const now: Record<string, number> = {};
    for (const name of order) now[name] = await timed(variants[name]!);
    for (const name of names) times[name]!.push(now[name]!);
    ratios.preprocess.push(now.hit! / now['clang -E']!);
    ratios.miss.push(now.hit! / now.miss!);
  }

  console.log(`compile cache: ${source}, ${clang.version}`);
  console.log(`${ROUNDS} rounds, medians:`);
  for (const name of names)
    console.log(`  ${name.padEnd(9)} ${median(times[name]!).toFixed(2).padStart(8)} ms`);
  console.log(`  hit / clang -E  ${median(ratios.preprocess).toFixed(3)}x`);
  console.log(`  hit / miss      ${median(ratios.miss).toFixed(3)}x`);
  const hit = median(times.hit!);
  console.log(
    `  hit <= ${HIT_TARGET_MS} ms: ${hit <= HIT_TARGET_MS ? 'met' : 'NOT met'} (${hit.toFixed(2)} ms)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
