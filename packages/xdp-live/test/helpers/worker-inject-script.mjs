// Run by worker-teardown.test.ts in a child process: workers start an injection on the loopback device
// (kept attached: a private network namespace with the program attached to its lo) and are terminated
// mid-run. Reports this process's BPF and netns fds before, during and after, and the XDP links left
// that run a program the workers loaded.
import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const [syscallDist, xdpLiveDist] = process.argv.slice(2);

function ownedFds() {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return /^anon_inode:bpf|^net:/.test(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      return false;
    }
  }).length;
}

/** XDP links (of any namespace) whose program is one of `ids`. */
function xdpLinksOf(ids) {
  const links = JSON.parse(execFileSync('bpftool', ['link', 'list', '--json'], { encoding: 'utf8' }));
  return links.filter((link) => link.type === 'xdp' && ids.includes(link.prog_id)).length;
}

const source = `
import { workerData, parentPort } from 'node:worker_threads';
const { asm, Program } = await import(workerData.syscallDist);
const { inject } = await import(workerData.xdpLiveDist);
const program = Program.load({ type: 'XDP', instructions: asm.assemble([asm.mov64('r0', 1), asm.exit()]), license: 'GPL' });
const packet = Buffer.alloc(64);
const injection = inject({ program, packet, ifindex: 'lo', duration: 60_000 });
injection.once('progress', () => parentPort.postMessage(program.info().id));
injection.catch(() => {});
`;

const before = ownedFds();
const ids = [];
let during = 0;
let linksDuring = 0;
for (let round = 0; round < 3; round++) {
  const worker = new Worker(source, { eval: true, workerData: { syscallDist, xdpLiveDist } });
  ids.push(
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    }),
  );
  during = Math.max(during, ownedFds());
  linksDuring = Math.max(linksDuring, xdpLinksOf(ids));
  await worker.terminate();
}
console.log(JSON.stringify({ before, during, after: ownedFds(), linksDuring, linksAfter: xdpLinksOf(ids) }));
