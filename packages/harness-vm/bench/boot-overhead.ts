/**
 * Harness overhead against bare virtme-ng, measured side by side in one run, and the cost of a
 * whole matrix with a warm cache.
 *
 *   npm run bench -w @progrun/harness-vm [-- --kernels 5.10,6.1 --reps 2]
 *
 * For each kernel, alternately: a bare `vng --disable-kvm -r <image> -- true` (vng's defaults: as
 * many vCPUs as host cores, 1 GiB) and `runKernels` running `true` with the same vCPUs and memory.
 * Reported: the fastest and the median wall times (other work on the machine only ever slows a boot
 * down, so the fastest is the best estimate of the intrinsic cost), the harness's boot-to-command
 * time, and the overhead ratios (target: at most 1.10). Then the probe matrix twice; the second run must neither download nor extract.
 */
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { defaultCacheDir, findKernel, type HarnessEvent, provisionKernel, runKernels } from '../src/index.js';
import { runMatrix } from '../src/matrix/run-matrix.js';

const { values } = parseArgs({
  options: {
    kernels: { type: 'string', default: '5.10,6.1,6.12' },
    reps: { type: 'string', default: '2' },
    'skip-matrix': { type: 'boolean' },
  },
});
const kernels = values.kernels.split(',');
const reps = Number(values.reps);
const cpus = availableParallelism();
const scratch = mkdtempSync(join(tmpdir(), 'hvm-bench-'));
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[Math.floor(mid)]!;
};
const min = (xs: number[]) => Math.min(...xs);
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function bareVng(image: string): Promise<number> {
  const out = openSync(join(scratch, 'bare.out'), 'w');
  const err = openSync(join(scratch, 'bare.err'), 'w');
  const started = performance.now();
  const result = await execa('vng', ['--disable-kvm', '-r', image, '--', 'true'], {
    stdin: 'ignore',
    stdout: out as 3,
    stderr: err as 3,
    reject: false,
  });
  const ms = performance.now() - started;
  closeSync(out);
  closeSync(err);
  if (result.exitCode !== 0) throw new Error(`bare vng failed with ${result.exitCode}`);
  return ms;
}

async function harness(kernel: string): Promise<{ totalMs: number; bootMs: number }> {
  const started = performance.now();
  const report = await runKernels({
    kernels: [kernel],
    command: ['true'],
    accelerator: 'tcg',
    cpus,
    memoryMiB: 1024,
    outDir: join(scratch, 'harness'),
  });
  const totalMs = performance.now() - started;
  const [result] = report.results;
  if (result?.outcome !== 'pass')
    throw new Error(`harness run on ${kernel}: ${result?.outcome} ${result?.reason}`);
  return { totalMs, bootMs: result.bootMs! };
}

try {
  const rows: string[] = [];
  let bareSum = 0;
  for (const name of kernels) {
    const entry = findKernel(name);
    if (entry.kind !== 'debian') continue;
    const kernel = await provisionKernel(entry, { cacheDir: defaultCacheDir() });
    const bare: number[] = [];
    const ours: number[] = [];
    const boots: number[] = [];
    for (let rep = 0; rep < reps; rep++) {
      bare.push(await bareVng(kernel.image));
      const run = await harness(name);
      ours.push(run.totalMs);
      boots.push(run.bootMs);
      process.stderr.write(
        `${name} rep ${rep + 1}: bare ${s(bare.at(-1)!)}, harness ${s(run.totalMs)} (boot-to-command ${s(run.bootMs)})\n`,
      );
    }
    bareSum += min(bare);
    const both = (xs: number[]) => `${s(min(xs))} / ${s(median(xs))}`;
    rows.push(
      `| ${name} (${kernel.release}) | ${both(bare)} | ${both(ours)} | ${both(boots)} | ${(min(ours) / min(bare)).toFixed(3)} / ${(median(ours) / median(bare)).toFixed(3)} |`,
    );
  }
  console.log(`\nTCG, ${cpus} vCPUs, 1 GiB, ${reps} alternating runs each; fastest / median\n`);
  console.log(
    '| kernel | bare vng -- true | harness run -- true | harness boot-to-command | harness / bare |',
  );
  console.log('|---|---|---|---|---|');
  console.log(rows.join('\n'));

  if (!values['skip-matrix']) {
    const matrixKernels = ['host', ...kernels];
    const timeMatrix = async () => {
      const steps: string[] = [];
      const started = performance.now();
      const { matrix } = await runMatrix({
        kernels: matrixKernels,
        outDir: join(scratch, `matrix-${Date.now()}`),
        onEvent: (event: HarnessEvent) => {
          if (event.type === 'provisioning') steps.push(event.step);
        },
      });
      return { ms: performance.now() - started, steps, passed: matrix.passed };
    };
    const first = await timeMatrix();
    const second = await timeMatrix();
    const fetched = (steps: string[]) =>
      steps.filter((step) => step === 'download' || step === 'extract').length;
    console.log(`\nmatrix over ${matrixKernels.join(', ')} (default vCPUs and concurrency)\n`);
    console.log('| run | total | downloads + extractions | passed |');
    console.log('|---|---|---|---|');
    console.log(`| first | ${s(first.ms)} | ${fetched(first.steps)} | ${first.passed} |`);
    console.log(`| second | ${s(second.ms)} | ${fetched(second.steps)} | ${second.passed} |`);
    console.log(`| (sum of the fastest bare vng boots, for scale) | ${s(bareSum)} | | |`);
    if (fetched(second.steps) > 0) {
      console.error('the second matrix run downloaded or extracted again');
      process.exitCode = 1;
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
