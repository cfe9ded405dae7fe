// Benchmark: the JavaScript test-run path against a C reference making the same bpf() call, side by
// side in one run. Run with `npm run bench` (root, or in this package); needs root.
//
// Every round starts a fresh C process (c-reference.c) and a fresh Node.js process (js-side.ts), in
// alternating order. Each process runs at one speed for its whole life, and on the development VM that
// speed is one of two modes about 40% apart, drawn anew per process (seen for C and for Node.js alike,
// with and without address-space randomisation). Timing one long-lived JavaScript process against many C
// processes would compare one draw with a median of many; here both sides are many processes. Figures are
// medians over rounds, and lower quartiles, which sit in the fast mode whenever a quarter of the draws
// do.
//
// Batched runs (program.runEach over 256 packets) are set against c-reference cycling through the same 256
// packets, fresh processes on both sides as above. runAsync is set against the least a Node-API addon can
// do for the same call on the pool (minimal-async-worker.cc, compiled here), both in one process, since
// both pay the same pool round trip.
//
// For repeat > 1, an XDP test run swaps the program into the XDP dispatcher and back, two RCU grace
// periods per call (milliseconds, and noisy) unless the program is attached somewhere. For those rounds
// the program is attached to one end of a veth pair (pr-sc-bench0/1, created and deleted here). Both
// sides run the one program (each child inherits its fd), so they run the same JIT image.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BpfAttachType } from '@progrun/uapi';
import { asm, BpfLink, Program } from '../dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const CALLS = Number(process.env.BENCH_CALLS ?? 100_000);
const LONG_REPEAT = 1_000_000;
const LONG_ROUNDS = Number(process.env.BENCH_LONG_ROUNDS ?? 15);
const ASYNC_CALLS = Number(process.env.BENCH_ASYNC_CALLS ?? 20_000);
const ASYNC_ROUNDS = Number(process.env.BENCH_ASYNC_ROUNDS ?? 7);
const EACH_INPUTS = 256;
const RUN_TARGET = 1.35;
const EACH_TARGET = 1.05;
const ASYNC_TARGET = 1.2;
const LONG_TOLERANCE = 0.02;
const VETH = 'pr-sc-bench0';
const PEER = 'pr-sc-bench1';
const XDP_FLAGS_SKB_MODE = 1 << 1;

/** The value below which `fraction` of `values` lie (nearest rank). */
const quantile = (values: readonly number[], fraction: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
};
const median = (values: readonly number[]) => quantile(values, 0.5);
const lowerQuartile = (values: readonly number[]) => quantile(values, 0.25);
const fmt = (ns: number) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(3)} us`);

/** What js-side prints for repeat = 1: ns per call of each path. */
interface PathTimings {
  readonly run: number;
  readonly command: number;
  readonly addon: number;
  readonly ppid: number;
}
/** What c-reference prints, and js-side for a long repeat: ns per call, and the kernel's ns per run. */
interface RunTiming {
  readonly nsPerCall: number;
  readonly durationNs: number;
}

const dir = mkdtempSync(join(tmpdir(), 'progrun-bench-'));
const cleanup = () => {
  rmSync(dir, { recursive: true, force: true });
  execFileSync('ip', ['link', 'del', VETH], { stdio: 'ignore' });
};
process.once('SIGINT', () => {
  cleanup();
  process.exit(130);
});
try {
  const compile = (name: string) => {
    const binary = join(dir, name);
    execFileSync('cc', ['-O2', '-o', binary, join(import.meta.dirname, `${name}.c`)]);
    return binary;
  };
  const reference = compile('c-reference');
  const getppid = compile('c-getppid');
  const minimalAddon = join(dir, 'minimal-async-worker.node');
  {
    const require = createRequire(import.meta.url);
    const include = (name: string) => require(name).include_dir as string;
    execFileSync('c++', [
      '-O2',
      '-std=c++17',
      '-shared',
      '-fPIC',
      '-DNAPI_VERSION=8',
      '-DNAPI_CPP_EXCEPTIONS',
      '-fexceptions',
      `-I${include('node-api-headers')}`,
      `-I${include('node-addon-api')}`,
      '-o',
      minimalAddon,
      join(import.meta.dirname, 'minimal-async-worker.cc'),
    ]);
  }
  using prog = Program.load({
    type: 'XDP',
    instructions: asm.assemble([asm.mov64('r0', 2), asm.exit()]),
    license: 'GPL',
  });

  // Each child gets the program as fd 3; js-side runs under the loader this process runs under.
  const child = <T>(command: string, args: string[]): T =>
    JSON.parse(
      execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit', prog.fd] }),
    );
  const cSide = (calls: number, repeat: number, inputs = 1) =>
    child<RunTiming>(reference, [String(calls), String(repeat), '3', String(inputs)]);
  const jsSide = <T>(calls: number, repeat: number, ...mode: string[]) =>
    child<T>(process.execPath, [
      ...process.execArgv,
      join(import.meta.dirname, 'js-side.ts'),
      String(calls),
      String(repeat),
      ...mode,
    ]);

  /** Runs `sides` once each per round, in the order rotated round by round. */
  const alternate = (rounds: number, sides: (() => void)[]) => {
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < sides.length; i++) sides[(round + i) % sides.length]!();
    }
  };

  const c: number[] = [];
  const cPpid: number[] = [];
  const js: PathTimings[] = [];
  alternate(ROUNDS, [
    () => c.push(cSide(CALLS, 1).nsPerCall),
    () => cPpid.push(child<{ nsPerCall: number }>(getppid, [String(CALLS)]).nsPerCall),
    () => js.push(jsSide<PathTimings>(CALLS, 1)),
  ]);

  const cEach: number[] = [];
  const jsEach: { each: number; run: number }[] = [];
  alternate(ROUNDS, [
    () => cEach.push(cSide(CALLS, 1, EACH_INPUTS).nsPerCall),
    () => jsEach.push(jsSide(CALLS, 1, 'each')),
  ]);
  const asyncPairs: { runAsync: number; minimal: number }[] = [];
  for (let round = 0; round < ASYNC_ROUNDS; round++) {
    asyncPairs.push(jsSide(ASYNC_CALLS, 1, 'async', minimalAddon));
  }

  execFileSync('ip', ['link', 'add', VETH, 'type', 'veth', 'peer', 'name', PEER]);
  const ifindex = (name: string) => Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8'));
  const cLong: RunTiming[] = [];
  const jsLong: RunTiming[] = [];
  {
    using _attached = BpfLink.create(prog, {
      attachType: BpfAttachType.XDP,
      target: ifindex(VETH),
      flags: XDP_FLAGS_SKB_MODE,
    });
    alternate(LONG_ROUNDS, [
      () => cLong.push(cSide(1, LONG_REPEAT)),
      () => jsLong.push(jsSide<RunTiming>(1, LONG_REPEAT)),
    ]);
  }

  // Async, in this process: one call at a time (a pool round trip each), then four in flight.
  const options = { data: Buffer.alloc(64, 0x5a) };
  const asyncRate = async (inFlight: number) => {
    const start = process.hrtime.bigint();
    let next = 0;
    const worker = async () => {
      while (next++ < ASYNC_CALLS) await prog.runAsync(options);
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    return Number(process.hrtime.bigint() - start) / ASYNC_CALLS;
  };
  await asyncRate(1);
  const asyncOne = median([await asyncRate(1), await asyncRate(1), await asyncRate(1)]);
  const asyncFour = median([await asyncRate(4), await asyncRate(4), await asyncRate(4)]);

  // One row: median and lower quartile of `values`, and their ratios to those of `reference`.
  const row = (label: string, values: readonly number[], reference?: readonly number[]) => {
    const cells = `${label.padEnd(32)}${fmt(median(values)).padStart(10)}${fmt(lowerQuartile(values)).padStart(11)}`;
    if (reference === undefined) return cells;
    const ratios = [median(values) / median(reference), lowerQuartile(values) / lowerQuartile(reference)];
    return `${cells}${ratios.map((r) => `${r.toFixed(3)}x`.padStart(10)).join('')}`;
  };
  const verdict = (ratio: number, met: boolean) => `${ratio.toFixed(3)}x ${met ? 'met' : 'MISSED'}`;
  const eachRuns = jsEach.map((s) => s.each);
  const eachRatio = median(eachRuns) / median(cEach);
  const eachQuartileRatio = lowerQuartile(eachRuns) / lowerQuartile(cEach);
  const eachToRun = median(jsEach.map((s) => s.each / s.run));
  const asyncRatios = asyncPairs.map((s) => s.runAsync / s.minimal);
  const asyncRatio = median(asyncRatios);
  const runs = js.map((s) => s.run);
  const ppids = js.map((s) => s.ppid);
  const runRatio = median(runs) / median(c);
  const runQuartileRatio = lowerQuartile(runs) / lowerQuartile(c);
  const nodeFloor = median(ppids) - median(cPpid);
  const cLongWall = cLong.map((s) => s.nsPerCall);
  const jsLongWall = jsLong.map((s) => s.nsPerCall);
  const longRatio = median(jsLongWall) / median(cLongWall);
  const header = ['median', 'quartile', 'ratio', '(quart.)'].map((h, i) => h.padStart(i === 1 ? 11 : 10));
  console.log(
    [
      `XDP BPF_PROG_TEST_RUN (XDP_PASS), 64-byte packet in and out; ${ROUNDS} rounds, each a fresh C and a fresh`,
      `Node.js process of ${CALLS} calls; per-call medians and lower quartiles over rounds, ratios to C`,
      '',
      `${'repeat = 1, per call'.padEnd(32)}${header.join('')}`,
      row('  C reference (raw syscall)', c),
      row('  JS program.run()', runs, c),
      row(
        '  JS bpfProgTestRun() (1:1)',
        js.map((s) => s.command),
        c,
      ),
      row(
        '  JS addon call alone',
        js.map((s) => s.addon),
        c,
      ),
      `  target <= ${RUN_TARGET}x for run: median ${verdict(runRatio, runRatio <= RUN_TARGET)}, ` +
        `quartile ${verdict(runQuartileRatio, runQuartileRatio <= RUN_TARGET)}`,
      '',
      `batched: ${EACH_INPUTS} different 64-byte packets, per run; C cycles through the same packets`,
      row('  C reference (raw syscall)', cEach),
      row('  JS program.runEach()', eachRuns, cEach),
      row(
        '  JS program.run(), same packets',
        jsEach.map((s) => s.run),
        cEach,
      ),
      `  target <= ${EACH_TARGET}x for runEach: median ${verdict(eachRatio, eachRatio <= EACH_TARGET)}, ` +
        `quartile ${verdict(eachQuartileRatio, eachQuartileRatio <= EACH_TARGET)}; ` +
        `runEach per run / program.run per call (same process): median ${eachToRun.toFixed(3)}x`,
      '',
      "Node's own floor: one getppid syscall",
      row('  C getppid', cPpid),
      row('  Node process.ppid', ppids, cPpid),
      `  Node's own binding adds ${fmt(nodeFloor)} per syscall: ` +
        `${((nodeFloor / median(c)) * 100).toFixed(0)}% of C's test-run call above`,
      '',
      `repeat = ${LONG_REPEAT} in one call (program also attached to a veth), ${LONG_ROUNDS} rounds`,
      row('  C reference, per call', cLongWall),
      row('  JS program.run(), per call', jsLongWall, cLongWall),
      `  kernel's time per run: C ${median(cLong.map((s) => s.durationNs))} ns, ` +
        `JS ${median(jsLong.map((s) => s.durationNs))} ns`,
      `  target at most ${LONG_TOLERANCE * 100}% over C: median ${verdict(longRatio, longRatio <= 1 + LONG_TOLERANCE)}`,
      '',
      `async, repeat = 1, per call (${ASYNC_CALLS} calls in this process, median of 3)`,
      `  runAsync, one in flight        ${fmt(asyncOne)}   ratio to C ${(asyncOne / median(c)).toFixed(2)}x`,
      `  runAsync, four in flight       ${fmt(asyncFour)}   ratio to C ${(asyncFour / median(c)).toFixed(2)}x`,
      `against a minimal Napi::AsyncWorker making the same call, one in flight, ${ASYNC_ROUNDS} fresh processes`,
      row(
        '  minimal AsyncWorker',
        asyncPairs.map((s) => s.minimal),
      ),
      row(
        '  JS program.runAsync()',
        asyncPairs.map((s) => s.runAsync),
        asyncPairs.map((s) => s.minimal),
      ),
      `  target <= ${ASYNC_TARGET}x for runAsync: median ${verdict(asyncRatio, asyncRatio <= ASYNC_TARGET)} ` +
        `(per-process ratios, quartiles ${quantile(asyncRatios, 0.25).toFixed(3)}x-${quantile(asyncRatios, 0.75).toFixed(3)}x)`,
    ].join('\n'),
  );
} finally {
  cleanup();
}
