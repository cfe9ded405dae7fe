// Benchmark: the JavaScript test-run path against a C reference making the same bpf() call, side by
// side in one run. Rounds alternate between the two so drift and load from other processes hit both;
// figures are medians over rounds. Run with `npm run bench` (root, or in this package); needs root.
//
// For repeat > 1, an XDP test run swaps the program into the XDP dispatcher and back, two RCU grace
// periods per call (milliseconds, and noisy) unless the program is attached somewhere. For those rounds
// the program is attached to one end of a veth pair (pr-sc-bench0/1, created and deleted here). Both
// sides run the one program (the C reference inherits its fd), so they run the same JIT image.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BpfAttachType } from '@progrun/uapi';
import { asm, BpfLink, bpfProgTestRun, Program } from '../dist/index.js';
import { native, TestRunSlot } from '../dist/native.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const CALLS = Number(process.env.BENCH_CALLS ?? 100_000);
const LONG_REPEAT = 1_000_000;
const LONG_ROUNDS = Number(process.env.BENCH_LONG_ROUNDS ?? 21);
const ASYNC_CALLS = Number(process.env.BENCH_ASYNC_CALLS ?? 20_000);
const VETH = 'pr-sc-bench0';
const PEER = 'pr-sc-bench1';
const XDP_FLAGS_SKB_MODE = 1 << 1;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const fmt = (ns: number) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(3)} us`);

interface Sample {
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
  const reference = join(dir, 'c-reference');
  execFileSync('cc', ['-O2', '-o', reference, join(import.meta.dirname, 'c-reference.c')]);
  using prog = Program.load({
    type: 'XDP',
    instructions: asm.assemble([asm.mov64('r0', 2), asm.exit()]),
    license: 'GPL',
  });
  const data = Buffer.alloc(64, 0x5a);
  // The C side runs this very program: its fd is inherited as fd 3.
  const cRun = (calls: number, repeat: number): Sample =>
    JSON.parse(
      execFileSync(reference, [String(calls), String(repeat), '3'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit', prog.fd],
      }),
    );
  const options = { data };

  const jsRun = (calls: number, run: () => unknown): number => {
    for (let i = 0; i < calls / 10; i++) run();
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) run();
    return Number(process.hrtime.bigint() - start) / calls;
  };

  // The addon call alone, with the slots set as the wrapper sets them: what the wrapper adds on top.
  const slots = native.testRunSlots;
  const scratch = new ArrayBuffer(64 + 256 + 4096);
  const dataBuffer = data.buffer;
  const rawCall = () => {
    slots[TestRunSlot.progFd] = prog.fd;
    slots[TestRunSlot.dataInOffset] = data.byteOffset;
    slots[TestRunSlot.dataInLength] = data.byteLength;
    slots[TestRunSlot.dataOutOffset] = 0;
    slots[TestRunSlot.dataOutLength] = scratch.byteLength;
    slots[TestRunSlot.ctxInLength] = 0;
    slots[TestRunSlot.ctxOutLength] = 0;
    slots[TestRunSlot.repeat] = 0;
    native.progTestRun(dataBuffer, scratch, undefined, undefined);
  };

  // The 1:1 command wrapper, with a caller-provided output buffer.
  const dataOut = Buffer.alloc(64 + 256 + 4096);
  const attr = { progFd: prog.fd, dataIn: data, dataOut };
  const commandCall = () => bpfProgTestRun(attr);

  const c1: number[] = [];
  const js1: number[] = [];
  const command1: number[] = [];
  const raw1: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    c1.push(cRun(CALLS, 1).nsPerCall);
    js1.push(jsRun(CALLS, () => prog.run(options)));
    command1.push(jsRun(CALLS, commandCall));
    raw1.push(jsRun(CALLS, rawCall));
  }

  execFileSync('ip', ['link', 'add', VETH, 'type', 'veth', 'peer', 'name', PEER]);
  const ifindex = (name: string) => Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8'));
  const cLong: Sample[] = [];
  const jsLong: Sample[] = [];
  {
    using _attached = BpfLink.create(prog, {
      attachType: BpfAttachType.XDP,
      target: ifindex(VETH),
      flags: XDP_FLAGS_SKB_MODE,
    });
    for (let round = 0; round < LONG_ROUNDS; round++) {
      cLong.push(cRun(1, LONG_REPEAT));
      prog.run({ data, repeat: 1000 });
      const start = process.hrtime.bigint();
      const result = prog.run({ data, repeat: LONG_REPEAT });
      jsLong.push({ nsPerCall: Number(process.hrtime.bigint() - start), durationNs: result.durationNs });
    }
  }

  // Async: one call at a time (a pool round trip each), then four in flight.
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
  const asyncOne = [await asyncRate(1), await asyncRate(1), await asyncRate(1)];
  const asyncFour = [await asyncRate(4), await asyncRate(4), await asyncRate(4)];

  const c = median(c1);
  const js = median(js1);
  const raw = median(raw1);
  const command = median(command1);
  const ratio = js / c;
  const cWall = median(cLong.map((s) => s.nsPerCall));
  const jsWall = median(jsLong.map((s) => s.nsPerCall));
  const longRatio = jsWall / cWall;
  const cKernel = median(cLong.map((s) => s.durationNs));
  const jsKernel = median(jsLong.map((s) => s.durationNs));
  console.log(
    [
      `XDP BPF_PROG_TEST_RUN (XDP_PASS), 64-byte packet in and out; medians of ${ROUNDS} alternating rounds of ${CALLS} calls`,
      '',
      'repeat = 1, per call',
      `  C reference (raw syscall)      ${fmt(c)}`,
      `  JS program.run()               ${fmt(js)}   ratio ${ratio.toFixed(3)}x  (target <= 1.25x: ${ratio <= 1.25 ? 'met' : 'MISSED'})`,
      `  JS bpfProgTestRun() (1:1)      ${fmt(command)}   ratio ${(command / c).toFixed(3)}x`,
      `  JS addon call alone            ${fmt(raw)}   ratio ${(raw / c).toFixed(3)}x  (the Node-API floor)`,
      '',
      `repeat = ${LONG_REPEAT} in one call (program also attached to a veth), medians of ${LONG_ROUNDS} alternating rounds`,
      `  C reference                    ${fmt(cWall)} per call, kernel ${cKernel} ns per run`,
      `  JS program.run()               ${fmt(jsWall)} per call, kernel ${jsKernel} ns per run   ratio ${longRatio.toFixed(4)}x  (target within 2%: ${Math.abs(longRatio - 1) <= 0.02 ? 'met' : 'MISSED'})`,
      '',
      `async, repeat = 1, per call (${ASYNC_CALLS} calls, median of 3)`,
      `  runAsync, one in flight        ${fmt(median(asyncOne))}   ratio to C ${(median(asyncOne) / c).toFixed(2)}x`,
      `  runAsync, four in flight       ${fmt(median(asyncFour))}   ratio to C ${(median(asyncFour) / c).toFixed(2)}x`,
    ].join('\n'),
  );
} finally {
  cleanup();
}
