/**
 * What starting `progrun` costs beside starting Node.js: per round, in a rotated order, fresh processes
 * of `node -e 0`, `progrun --version`, `progrun --help` and `progrun run X.o` (one run of an ELF object,
 * the xdp-reflector example compiled beforehand, so no clang). Each process draws its own speed (see
 * DEVELOPERS.md), so ratios are taken within each round and their medians reported against the targets:
 * `--version` and `--help` <= 1.5x `node -e 0`, `run X.o` <= 2.5x. The modules each command loads are
 * counted once. `npm run bench` (BENCH_ROUNDS, default 21).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { compileBpfC } from '@progrun/compile';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const bin = resolve(import.meta.dirname, '../bin/progrun.js');
const source = resolve(import.meta.dirname, '../../../examples/xdp-reflector/xdp-reflector.bpf.c');
const env = { ...process.env, NO_COLOR: '1' };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timed(args: readonly string[]): Promise<number> {
  const start = process.hrtime.bigint();
  await run(process.execPath, args, { env });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const work = mkdtempSync(join(tmpdir(), 'progrun-cli-bench-'));
try {
  const { objectPath } = await compileBpfC(source, { cacheDir: join(work, 'cache') });
  const commands: Record<string, { args: string[]; target?: number }> = {
    'node -e 0': { args: ['-e', '0'] },
    '--version': { args: [bin, '--version'], target: 1.5 },
    '--help': { args: [bin, '--help'], target: 1.5 },
    'run X.o': { args: [bin, 'run', objectPath], target: 2.5 },
  };
  const names = Object.keys(commands);

  // Modules loaded per command, through a load hook that appends each URL to a file.
  const hook = join(work, 'hook.mjs');
  const register = join(work, 'register.mjs');
  const loaded = join(work, 'loaded.txt');
  writeFileSync(
    hook,
    `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { if (!url.startsWith('node:')) appendFileSync(${JSON.stringify(loaded)}, url + '\\n'); return next(url, context); }\n`,
  );
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hook}`)});\n`,
  );
  const modules: Record<string, number> = {};
  for (const name of names.slice(1)) {
    writeFileSync(loaded, '');
    await run(process.execPath, ['--import', register, ...commands[name]!.args], { env });
    modules[name] = readFileSync(loaded, 'utf8').split('\n').filter(Boolean).length;
  }

  const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const ratios: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    const now: Record<string, number> = {};
    for (const name of order) now[name] = await timed(commands[name]!.args);
    for (const name of names) {
      times[name]!.push(now[name]!);
      ratios[name]!.push(now[name]! / now['node -e 0']!);
    }
  }

  console.log(`progrun start-up: ${ROUNDS} rounds, medians (run X.o: ${source} compiled)`);
  for (const name of names) {
    const { target } = commands[name]!;
    const ratio = median(ratios[name]!);
    const verdict = target === undefined ? '' : `  <= ${target}x: ${ratio <= target ? 'met' : 'NOT met'}`;
    const count = modules[name] === undefined ? '' : `  ${modules[name]} modules`;
    console.log(
      `  ${name.padEnd(10)} ${median(times[name]!).toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}x${verdict}${count}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
