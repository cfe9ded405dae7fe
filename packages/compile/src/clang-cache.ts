import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bpfCflags } from './bpf-cflags.js';
import { CompileError } from './compile-errors.js';
import { findClang } from './find-clang.js';

const run = promisify(execFile);

/** Options of {@link compileBpfC}. */
export interface CompileOptions {
  /** Where compiled objects are kept. Default: `$XDG_CACHE_HOME/progrun/objects` (or `~/.cache/...`). */
  cacheDir?: string;
  /** Extra clang flags after the defaults of {@link bpfCflags}, e.g. `['-DDEBUG', '-I', 'include']`. */
  cflags?: readonly string[];
  /** Environment to read `PROGRUN_CLANG`, `XDG_CACHE_HOME` and `HOME` from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
}

/** What {@link compileBpfC} produced. */
export interface CompiledObject {
  /** Absolute path of the BPF ELF object, inside the cache. */
  readonly objectPath: string;
  /** True when the object came from the cache without running the compiler. */
  readonly cached: boolean;
  /** The cache key: SHA-256 of the clang version, the flags and the preprocessed source. */
  readonly key: string;
  /** clang's warnings, if any (empty when the object came from the cache). */
  readonly warnings: string;
}

/** The default object cache: `$XDG_CACHE_HOME/progrun/objects`, else `~/.cache/progrun/objects`. */
export function objectCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'progrun', 'objects');
}

/**
 * Compiles a BPF C source to an ELF object with clang, through a cache keyed by content: the key hashes
 * the clang version, the flags and the *preprocessed* source, so an edit to an included header is a
 * cache miss too, while a second compile of the same code is only a preprocessor run. Objects are
 * written to a temporary name and renamed, so concurrent compiles of the same source are safe.
 * @throws ClangNotFoundError when no clang is installed.
 * @throws CompileError with clang's diagnostics when the source does not compile.
 * @throws Error (ENOENT) when the source does not exist.
 */
export async function compileBpfC(
  source: string | URL,
  options: CompileOptions = {},
): Promise<CompiledObject> {
  const sourcePath = resolve(source instanceof URL ? fileURLToPath(source) : source);
  await access(sourcePath);
  const env = options.env ?? process.env;
  const clang = await findClang(env);
  const flags = [...bpfCflags(), ...(options.cflags ?? [])];

  const preprocessed = await clangOrThrow(clang.command, [...flags, '-E', sourcePath], sourcePath);
  const key = createHash('sha256')
    .update(`${clang.version}\0${flags.join('\0')}\0`)
    .update(preprocessed.stdout)
    .digest('hex');
  const cacheDir = options.cacheDir ?? objectCacheDir(env);
  const objectPath = join(
    cacheDir,
    `${basename(sourcePath).replace(/(\.bpf)?\.c$/, '')}-${key.slice(0, 16)}.o`,
  );
  if (await isFile(objectPath)) return { objectPath, cached: true, key, warnings: '' };

  await mkdir(cacheDir, { recursive: true });
  const partial = `${objectPath}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const compiled = await clangOrThrow(
      clang.command,
      [...flags, '-c', sourcePath, '-o', partial],
      sourcePath,
    );
    await rename(partial, objectPath);
    return { objectPath, cached: false, key, warnings: compiled.stderr };
  } finally {
    await rm(partial, { force: true });
  }
}

async function clangOrThrow(
  command: string,
  args: string[],
  sourcePath: string,
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    throw new CompileError(sourcePath, stderr?.trim() || String(error));
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
