// Fuzzing of every public entry point of every package (entry-points.ts lists them from the built
// modules) with hostile arguments: fast-check samples from a fixed seed, one long-lived child process per
// module (fuzz-module.mjs) reporting each call's outcome. Every call must return or throw a progrun error
// (`ProgrunError.isInstance`, with a code), or a system call's error as Node.js reports it (ENOENT for a
// path that does not exist); an untyped error, a crash of the child (a signal, an abort, an
// uncaught exception) or a hang (a call still running after the per-call timeout) fails the module's test
// naming the entry point and the input, and the child is restarted with the next entry point. A line per
// module is printed; PROGRUN_FUZZ_REPORT has the table per entry point.
//
//   PROGRUN_FUZZ_RUNS        inputs per entry point (default 20)
//   PROGRUN_FUZZ_SEED        the seed (default 19); every failure prints it
//   PROGRUN_FUZZ_ONLY        only the entry points whose `<module> <entry>` contains this text
//   PROGRUN_FUZZ_TIMEOUT_MS  a call still running after this long is a hang (default 10000)
//   PROGRUN_FUZZ_REPORT      a file to write the table of every entry point's counts to (Markdown)
//   PROGRUN_FUZZ_VERBOSE=1   print that table too
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type EntryPoint, publicEntryPoints } from './entry-points.js';

const runs = Number(process.env.PROGRUN_FUZZ_RUNS ?? 20);
const seed = Number(process.env.PROGRUN_FUZZ_SEED ?? 19);
const only = process.env.PROGRUN_FUZZ_ONLY;
const callTimeoutMs = Number(process.env.PROGRUN_FUZZ_TIMEOUT_MS ?? 10_000);
const script = resolve(import.meta.dirname, 'fuzz-module.mjs');
const replay = `PROGRUN_FUZZ_SEED=${seed} PROGRUN_FUZZ_RUNS=${runs}`;

/** What the calls into one entry point did. */
interface Counts {
  inputs: number;
  returned: number;
  typed: number;
  /** A system call's error as Node.js reports it (ENOENT for a path that does not exist). */
  system: number;
  untyped: number;
  crashes: number;
  hangs: number;
  /** One line per untyped error, crash or hang: the input and what happened. */
  failures: string[];
}

const emptyCounts = (): Counts => ({
  inputs: 0,
  returned: 0,
  typed: 0,
  system: 0,
  untyped: 0,
  crashes: 0,
  hangs: 0,
  failures: [],
});

/** Keeps the last `limit` characters a stream wrote (a crash's stderr). */
function tail(stream: Readable, limit = 4000): () => string {
  let text = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => {
    text = (text + chunk).slice(-limit);
  });
  return () => text;
}

/**
 * Runs the child from entry point `first` of `points` until it finishes, crashes or hangs; resolves with
 * the index of the entry point it stopped in (points.length when it finished).
 */
function runChild(module: string, points: readonly EntryPoint[], first: number, counts: Map<string, Counts>) {
  const cwd = mkdtempSync(join(tmpdir(), 'progrun-fuzz-'));
  const args = [script, module, String(first), String(seed), String(runs), ...points.map((p) => p.entry)];
  // xdp-live's entry points may create network namespaces and veths: they take the machine's netns lock.
  const [command, commandArgs] =
    module === '@progrun/xdp-live'
      ? ['flock', ['/tmp/progrun-netns.lock', process.execPath, ...args]]
      : [process.execPath, args];
  const child = spawn(command, commandArgs, {
    cwd,
    // A group of its own: a hang kills flock and the node process under it together.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const stderr = tail(child.stderr as Readable);
  // A child that cannot start is reported as a crash by the 'close' handler below.
  child.on('error', () => undefined);
  let index = first - 1;
  let current: Counts | undefined;
  let input: string | undefined;
  let finished = false;
  let hung = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      hung = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, callTimeoutMs);
  };
  // Armed by the child's first report: before it, the child may be waiting for the netns lock, which
  // another process's tests can hold for minutes.
  let buffered = '';
  (child.stdio[3] as Readable).setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const message = JSON.parse(line) as {
        entry?: string;
        call?: number;
        input?: string;
        outcome?: 'returned' | 'typed' | 'system' | 'untyped';
        error?: string;
        finished?: true;
      };
      if (message.entry !== undefined) {
        index++;
        current = emptyCounts();
        counts.set(message.entry, current);
        input = undefined;
      } else if (message.call !== undefined && current) {
        input = message.input;
        current.inputs++;
      } else if (message.outcome !== undefined && current) {
        current[message.outcome]++;
        // The first few of an entry point's untyped errors are enough to reproduce it.
        if (message.outcome === 'untyped' && current.untyped <= 3)
          current.failures.push(`untyped ${input}: ${message.error}`);
        input = undefined;
      } else if (message.finished) {
        finished = true;
      }
      arm();
    }
  });
  return new Promise<number>((done) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      rmSync(cwd, { recursive: true, force: true });
      if (finished && code === 0) return done(points.length);
      // The child died or was killed in entry point `index` (or while importing the module, before it).
      const stopped = Math.max(index, first);
      const name = points[stopped]?.entry ?? '(module import)';
      const entryCounts = counts.get(name) ?? emptyCounts();
      counts.set(name, entryCounts);
      const where = input === undefined ? '(between calls)' : input;
      if (hung) {
        entryCounts.hangs++;
        entryCounts.failures.push(`hang ${where}: still running after ${callTimeoutMs} ms`);
      } else {
        entryCounts.crashes++;
        const lastLines = stderr().trim().split('\n').slice(-6).join(' | ');
        entryCounts.failures.push(`crash ${where}: exit ${code ?? signal}: ${lastLines}`);
      }
      done(stopped + 1);
    });
  });
}

/** Fuzzes a module's entry points, restarting the child after each crash or hang. */
async function fuzzModule(module: string, points: readonly EntryPoint[]): Promise<Map<string, Counts>> {
  const counts = new Map<string, Counts>();
  for (let next = 0; next < points.length; ) next = await runChild(module, points, next, counts);
  return counts;
}

const modules = [...(await publicEntryPoints())]
  .map(([module, points]) => {
    const fuzzed = points.filter(
      (p) => p.skipped === undefined && (!only || `${module} ${p.entry}`.includes(only)),
    );
    return { module, points, fuzzed };
  })
  .filter(({ fuzzed }) => fuzzed.length > 0);
const results = new Map<string, Promise<{ counts: Map<string, Counts>; ms: number }>>();

beforeAll(() => {
  // Two children at a time: the machines have two cores. Each module's test awaits its own result.
  const queue = [...modules];
  const starts = new Map<string, (value: { counts: Map<string, Counts>; ms: number }) => void>();
  for (const { module } of modules)
    results.set(module, new Promise((resolve) => starts.set(module, resolve)));
  for (let worker = 0; worker < 2; worker++) {
    void (async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const started = performance.now();
        const counts = await fuzzModule(item.module, item.fuzzed);
        starts.get(item.module)?.({ counts, ms: performance.now() - started });
      }
    })();
  }
});

const total = (counts: Iterable<Counts>) => {
  const sum = emptyCounts();
  for (const c of counts) {
    sum.inputs += c.inputs;
    sum.returned += c.returned;
    sum.typed += c.typed;
    sum.system += c.system;
    sum.untyped += c.untyped;
    sum.crashes += c.crashes;
    sum.hangs += c.hangs;
  }
  return sum;
};
const row = (c: Counts) =>
  `${c.inputs} | ${c.returned} | ${c.typed} | ${c.system} | ${c.untyped} | ${c.crashes} | ${c.hangs}`;

afterAll(async () => {
  const lines = [
    `public API fuzz, seed ${seed}, ${runs} inputs per entry point`,
    '',
    '| module | entry point | inputs | returned | typed errors | system errors | untyped | crashes | hangs |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const all: Counts[] = [];
  for (const { module, points } of modules) {
    const { counts } = await results.get(module)!;
    for (const point of points) {
      const c = counts.get(point.entry);
      if (c) all.push(c);
      lines.push(
        c
          ? `| ${module} | ${point.entry} | ${row(c)} |`
          : `| ${module} | ${point.entry} | not fuzzed: ${point.skipped ?? 'not selected'} |||||||`,
      );
    }
  }
  lines.push(`| all | ${all.length} | ${row(total(all))} |`);
  const table = lines.join('\n');
  if (process.env.PROGRUN_FUZZ_REPORT) writeFileSync(process.env.PROGRUN_FUZZ_REPORT, `${table}\n`);
  if (process.env.PROGRUN_FUZZ_VERBOSE === '1') console.log(table);
}, 3_600_000);

describe('public API fuzz', { tags: ['privileged', 'slow'] }, () => {
  test.each(modules.map(({ module, fuzzed }) => [module, fuzzed.length] as const))(
    '%s: %i entry points',
    async (module) => {
      const { counts, ms } = await results.get(module)!;
      const sum = total(counts.values());
      console.log(
        `${module}: ${counts.size} entry points, ${sum.inputs} inputs: ${sum.returned} returned, ` +
          `${sum.typed} typed errors, ${sum.system} system errors, ${sum.untyped} untyped, ${sum.crashes} crashes, ${sum.hangs} hangs ` +
          `(${(ms / 1000).toFixed(1)} s)`,
      );
      const failures = [...counts].flatMap(([entry, c]) => c.failures.map((line) => `${entry} ${line}`));
      expect(failures, `replay: ${replay} PROGRUN_FUZZ_ONLY='<module> <entry point>'`).toEqual([]);
    },
    3_600_000,
  );
});
