// Run by worker-threads.test.ts in a child process, since an abort would take the test runner with it:
// terminates worker threads while their runAsync calls are still in the kernel, then reports.
import { Worker } from 'node:worker_threads';

const dist = process.argv[2];
const source = `
import { workerData, parentPort } from 'node:worker_threads';
const { asm, Program } = await import(workerData.dist);
const prog = Program.load({ type: 'XDP', instructions: asm.assemble([asm.mov64('r0', 2), asm.exit()]), license: 'GPL' });
for (let i = 0; i < 4; i++) prog.runAsync({ data: Buffer.alloc(64), repeat: 2_000_000 }).catch(() => {});
parentPort.postMessage('started');
`;
const rounds = 3;
for (let round = 0; round < rounds; round++) {
  const worker = new Worker(source, { eval: true, workerData: { dist } });
  await new Promise((resolve) => worker.once('message', resolve));
  await new Promise((resolve) => setTimeout(resolve, 20));
  await worker.terminate();
}
console.log(JSON.stringify({ terminated: rounds }));
