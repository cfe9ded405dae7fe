// Benchmark: the JavaScript test-run path against a C reference making the same bpf() call, side by
// side in one run. Rounds alternate between the two so drift and noise from other load hit both; the
// figures are medians over rounds. Run with `npm run bench` (root, or in this package).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asm, Program } from '../src/index.js';
import { native } from '../src/native.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const CALLS = Number(process.env.BENCH_CALLS ?? 100_000);
const LONG_REPEAT = 1_000_000;
const LONG_ROUNDS = Number(process.env.BENCH_LONG_ROUNDS ?? 7);
const ASYNC_CALLS = Number(process.env.BENCH_ASYNC_CALLS ?? 20_000);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'progrun-bench-'));
try {
  const reference = join(dir, 'c-reference');
  execFileSync('cc', ['-O2', '-o', reference, join(import.meta.dirname, 'c-reference.c')]);
  const cPerCall = (calls: number, repeat: number): number =>
    JSON.parse(execFileSync(reference, [String(calls), String(repeat)], { encoding: 'utf8' })).nsPerCall;

  using prog = Program.load({
    type: 'XDP',
    instructions: asm.assemble([asm.mov64('r0', 2), asm.exit()]),
    license: 'GPL',
  });
  const data = Buffer.alloc(64, 0x5a);
  const options = { data };

  const jsPerCall = (calls: number, run: () => unknown): number => {
    for (let i = 0; i < calls / 10; i++) run();
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) run();
    return Number(process.hrtime.bigint() - start) / calls;
  };

  // The addon call alone, with buffers prepared as the wrapper prepares them: what the wrapper adds.
  const results = new Uint32Array(5);
  const scratch = Buffer.alloc(64 + 256 + 4096);
  const rawCall = () => native.progTestRun(prog.fd, data, scratch, null, null, 0, 0, 0, 0, results);

  const c1: number[] = [];
  const js1: number[] = [];
  const raw1: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    c1.push(cPerCall(CALLS, 1));
    js1.push(jsPerCall(CALLS, () => prog.run(options)));
    raw1.push(jsPerCall(CALLS, rawCall));
  }

  const cLong: number[] = [];
  const jsLong: number[] = [];
  for (let round = 0; round < LONG_ROUNDS; round++) {
    cLong.push(cPerCall(1, LONG_REPEAT));
    jsLong.push(jsPerCall(1, () => prog.run({ data, repeat: LONG_REPEAT })));
  }

  // Async: one call at a time (the latency of a pool round trip), then four in flight.
  const asyncSequential = async () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ASYNC_CALLS; i++) await prog.runAsync(options);
    return Number(process.hrtime.bigint() - start) / ASYNC_CALLS;
  };
  const asyncParallel = async () => {
    const start = process.hrtime.bigint();
    let next = 0;
    const worker = async () => {
      while (next++ < ASYNC_CALLS) await prog.runAsync(options);
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return Number(process.hrtime.bigint() - start) / ASYNC_CALLS;
  };
  await asyncSequential();
  const asyncSeq = [await asyncSequential(), await asyncSequential(), await asyncSequential()];
  const asyncPar = [await asyncParallel(), await asyncParallel(), await asyncParallel()];

  const c = median(c1);
  const js = median(js1);
  const raw = median(raw1);
  const ratio = js / c;
  const longRatio = median(jsLong) / median(cLong);
  const fmt = (ns: number) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(3)} us`);
  const lines = [
    `XDP BPF_PROG_TEST_RUN, 64-byte packet in and out; medians of ${ROUNDS} alternating rounds of ${CALLS} calls`,
    '',
    'repeat = 1, per call',
    `  C reference (raw syscall)      ${fmt(c)}`,
    `  JS program.run()               ${fmt(js)}   ratio ${ratio.toFixed(3)}x  (target <= 1.25x: ${ratio <= 1.25 ? 'met' : 'MISSED'})`,
    `  JS addon call alone            ${fmt(raw)}   ratio ${(raw / c).toFixed(3)}x`,
    '',
    `repeat = ${LONG_REPEAT} in one call, per call; medians of ${LONG_ROUNDS} alternating rounds`,
    `  C reference                    ${fmt(median(cLong))}`,
    `  JS program.run()               ${fmt(median(jsLong))}   ratio ${longRatio.toFixed(4)}x  (target within 2%: ${Math.abs(longRatio - 1) <= 0.02 ? 'met' : 'MISSED'})`,
    '',
    `async, repeat = 1, per call (${ASYNC_CALLS} calls, median of 3)`,
    `  runAsync, one in flight        ${fmt(median(asyncSeq))}   ratio to C ${(median(asyncSeq) / c).toFixed(2)}x`,
    `  runAsync, four in flight       ${fmt(median(asyncPar))}   ratio to C ${(median(asyncPar) / c).toFixed(2)}x`,
  ];
  console.log(lines.join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
