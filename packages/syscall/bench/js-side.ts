// The JavaScript side of the benchmark, one process per round as the C reference is: on a host whose
// processes each land in a fast or a slow mode for their whole life (see run.ts), both sides must be
// sampled over many processes alike.
//
// Usage: js-side CALLS REPEAT [MODE [ADDON]], with the benchmark's program inherited as fd 3.
// REPEAT 1 prints {"run":ns,"command":ns,"addon":ns,"ppid":ns}: per-call costs of program.run(), the 1:1
// bpfProgTestRun(), the addon call alone, and Node's own process.ppid (one getppid syscall through Node's
// C++ binding: the floor any binding pays per syscall). A larger REPEAT prints {"nsPerCall","durationNs"}
// of one program.run() with that repeat, after a warm-up call.
// MODE each prints {"each":ns,"run":ns}: per run, program.runEach() over the 256 packets c-reference
// cycles through with INPUTS 256, and program.run() over the same packets one by one.
// MODE async prints {"runAsync":ns,"minimal":ns}: per call, one in flight, program.runAsync({ data }) and
// the minimal Napi::AsyncWorker of minimal-async-worker.cc (the .node file ADDON), alternating.
import { createRequire } from 'node:module';
import { bpfProgTestRun, Program } from '../dist/index.js';
import { native, TestRunSlot } from '../dist/native.js';

const PROG_FD = 3;
const calls = Number(process.argv[2]);
const repeat = Number(process.argv[3]);
const mode = process.argv[4];
using prog = Program.fromFd(PROG_FD, { type: 'XDP' });
const data = Buffer.alloc(64, 0x5a);

/** ns per call of `count` calls of `call`, after a tenth as many to warm up. */
function perCall(call: () => unknown, count = calls): number {
  for (let i = 0; i < count / 10; i++) call();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) call();
  return Number(process.hrtime.bigint() - start) / count;
}

/** ns per call of `calls` sequential awaited calls of `call`, after a tenth as many to warm up. */
async function perAsyncCall(call: () => Promise<unknown>, count: number): Promise<number> {
  for (let i = 0; i < count / 10; i++) await call();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await call();
  return Number(process.hrtime.bigint() - start) / count;
}

if (mode === 'each') {
  const packets = Array.from({ length: 256 }, (_, i) => Buffer.alloc(64, i));
  let next = 0;
  const batch = perCall(() => prog.runEach(packets), Math.ceil(calls / packets.length)) / packets.length;
  const single = perCall(() => prog.run({ data: packets[next++ & 255]! }));
  console.log(JSON.stringify({ each: batch, run: single }));
} else if (mode === 'async') {
  const minimal = createRequire(import.meta.url)(process.argv[5]!) as {
    run(fd: number, packet: Buffer): Promise<number>;
  };
  const options = { data };
  const runAsync: number[] = [];
  const floor: number[] = [];
  for (let round = 0; round < 5; round++) {
    runAsync.push(await perAsyncCall(() => prog.runAsync(options), calls / 5));
    floor.push(await perAsyncCall(() => minimal.run(PROG_FD, data), calls / 5));
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;
  console.log(JSON.stringify({ runAsync: median(runAsync), minimal: median(floor) }));
} else if (repeat > 1) {
  prog.run({ data, repeat: 1000 });
  const start = process.hrtime.bigint();
  const result = prog.run({ data, repeat });
  const nsPerCall = Number(process.hrtime.bigint() - start);
  console.log(JSON.stringify({ nsPerCall, durationNs: result.durationNs }));
} else {
  const options = { data };

  // The 1:1 command wrapper, with a caller-provided output buffer.
  const dataOut = Buffer.alloc(64 + 256 + 4096);
  const attr = { progFd: prog.fd, dataIn: data, dataOut };

  // The addon call alone, with the slots set as the wrapper sets them: what the wrapper adds on top.
  const slots = native.testRunSlots;
  const progTestRun = native.progTestRun;
  const scratch = new ArrayBuffer(dataOut.byteLength);
  const dataBuffer = data.buffer;
  const addonCall = () => {
    slots[TestRunSlot.progFd] = prog.fd;
    slots[TestRunSlot.dataInOffset] = data.byteOffset;
    slots[TestRunSlot.dataInLength] = data.byteLength;
    slots[TestRunSlot.dataOutOffset] = 0;
    slots[TestRunSlot.dataOutLength] = scratch.byteLength;
    slots[TestRunSlot.ctxInLength] = 0;
    slots[TestRunSlot.ctxOutLength] = 0;
    slots[TestRunSlot.repeat] = 0;
    progTestRun(dataBuffer, scratch, undefined, undefined);
  };

  console.log(
    JSON.stringify({
      run: perCall(() => prog.run(options)),
      command: perCall(() => bpfProgTestRun(attr)),
      addon: perCall(addonCall),
      ppid: perCall(() => process.ppid),
    }),
  );
}
