// Run by worker-threads.test.ts in a child process: workers create every kind of fd-owning object
// (programs, a map, a raw tracepoint link, a loaded ELF object) and are terminated without closing them,
// some with runAsync calls in flight. Reports the BPF fds of this process before, while the workers
// live, and after they are gone, and whether the raw tracepoint still runs the program.
import { readdirSync, readlinkSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const [dist, fixtures] = process.argv.slice(2);

/** fds of this process that are BPF objects or network namespaces. */
function ownedFds() {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return /^anon_inode:bpf|^net:/.test(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      return false;
    }
  }).length;
}

const source = `
import { workerData, parentPort } from 'node:worker_threads';
const { asm, BpfLink, BpfMap, BpfObject, Program } = await import(workerData.dist);
const xdp = Program.load({ type: 'XDP', instructions: asm.assemble([asm.mov64('r0', 2), asm.exit()]), license: 'GPL' });
const tracer = Program.load({ type: 'RAW_TRACEPOINT', instructions: asm.assemble([asm.mov64('r0', 0), asm.exit()]), license: 'GPL' });
BpfLink.rawTracepoint(tracer, 'sched_process_fork');
BpfMap.create({ type: 'ARRAY', keySize: 4, valueSize: 8, maxEntries: 4 });
BpfObject.open(workerData.fixtures + '/xdp.bpf.o').load();
if (workerData.inFlight) for (let i = 0; i < 2; i++) xdp.runAsync({ data: Buffer.alloc(64), repeat: 1_000_000 }).catch(() => {});
parentPort.postMessage(tracer.info().id);
`;

const before = ownedFds();
const rounds = 3;
const traced = [];
let during = 0;
for (let round = 0; round < rounds; round++) {
  const worker = new Worker(source, {
    eval: true,
    workerData: { dist, fixtures, inFlight: round % 2 === 0 },
  });
  traced.push(
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    }),
  );
  during = Math.max(during, ownedFds());
  await worker.terminate();
}
// A program that is gone cannot be found by id: nothing (no link either) holds it any more. The kernel
// frees it after an RCU grace period, which a loaded machine may take a while to reach.
const { execFileSync } = await import('node:child_process');
const exists = (id) => {
  try {
    execFileSync('bpftool', ['prog', 'show', 'id', String(id)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
let programsLeft = traced.filter(exists).length;
for (let wait = 0; programsLeft > 0 && wait < 100; wait++) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  programsLeft = traced.filter(exists).length;
}
console.log(JSON.stringify({ before, during, after: ownedFds(), programsLeft }));
