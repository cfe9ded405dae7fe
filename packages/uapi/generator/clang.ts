import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FetchedHeaderSet } from './fetch-headers.js';

/** What a compile needs of its input: the directories holding the headers it includes. */
export type CompileInput = Pick<FetchedHeaderSet, 'includeDirs'>;

const CLANG = process.env.CLANG ?? 'clang';
const MAX_BUFFER = 512 * 1024 * 1024;

/** Flags that make the compiler see only the header set's own kernel headers. */
function headerOnlyFlags(set: CompileInput): string[] {
  return ['-nostdinc', ...set.includeDirs.flatMap((d) => ['-isystem', d]), '--target=x86_64-linux-gnu'];
}

function withSource<T>(source: string, run: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'uapi-gen-'));
  try {
    const file = join(dir, 'probe.c');
    writeFileSync(file, source);
    return run(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `clang -E -dD`: preprocessed source with every #define kept in place, line markers included. */
export function preprocessKeepingDefines(set: CompileInput, source: string): string {
  return withSource(source, (file) =>
    execFileSync(CLANG, [...headerOnlyFlags(set), '-E', '-dD', file], {
      encoding: 'utf8',
      maxBuffer: MAX_BUFFER,
    }),
  );
}

/** The clang AST of the source as JSON. */
export function astJson(set: CompileInput, source: string): unknown {
  return withSource(source, (file) =>
    JSON.parse(
      execFileSync(CLANG, [...headerOnlyFlags(set), '-fsyntax-only', '-Xclang', '-ast-dump=json', file], {
        encoding: 'utf8',
        maxBuffer: MAX_BUFFER,
      }),
    ),
  );
}

/** clang's own record layouts (`-fdump-record-layouts`) for every record the source makes it lay out. */
export function dumpRecordLayouts(set: CompileInput, source: string): string {
  return withSource(source, (file) =>
    execFileSync(
      CLANG,
      [...headerOnlyFlags(set), '-fsyntax-only', '-Xclang', '-fdump-record-layouts', file],
      {
        encoding: 'utf8',
        maxBuffer: MAX_BUFFER,
      },
    ),
  );
}

/**
 * Lines of the source that do not compile: the compiler's verdict on which candidate
 * expressions are integer constants.
 */
export function failingLines(set: CompileInput, source: string): Set<number> {
  return withSource(source, (file) => {
    const result = spawnSync(
      CLANG,
      [...headerOnlyFlags(set), '-fsyntax-only', '-ferror-limit=0', '-w', file],
      {
        encoding: 'utf8',
        maxBuffer: MAX_BUFFER,
      },
    );
    const lines = new Set<number>();
    for (const m of result.stderr.matchAll(/probe\.c:(\d+):\d+: error:/g)) lines.add(Number(m[1]));
    if (result.status !== 0 && lines.size === 0)
      throw new Error(`clang failed without located errors:\n${result.stderr}`);
    return lines;
  });
}

/**
 * Compiles the source against the header set (libc headers from the host, kernel headers from
 * the set) and returns what the program prints. The program only prints compiler-evaluated
 * constants, so the host's libc cannot change the values.
 */
export function compileAndRun(set: CompileInput, source: string): string {
  return withSource(source, (file, dir) => {
    const exe = join(dir, 'probe');
    const includes = set.includeDirs.flatMap((d) => ['-isystem', d]);
    execFileSync(CLANG, [...includes, '-std=gnu11', '-w', '-O0', '-o', exe, file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return execFileSync(exe, { encoding: 'utf8', maxBuffer: MAX_BUFFER });
  });
}
