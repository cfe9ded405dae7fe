import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ValidationError } from '@progrun/uapi';
import { bpfCflags } from './bpf-cflags.js';
import { type CacheEntry, cacheFormat, contentKey, sha256, validEntry, writeEntry } from './cache-entry.js';
import { CompileError } from './compile-errors.js';
import { parseDepfile } from './depfile.js';
import { locateClang } from './locate-clang.js';
import { objectCacheDir } from './object-cache-dir.js';
import { writableCacheDir } from './writable-cache-dir.js';

const run = promisify(execFile);

/** Options of {@link compileBpfC}. */
export interface CompileOptions {
  /**
   * Where compiled objects are kept. Default: {@link objectCacheDir} (`$PROGRUN_CACHE/objects`, else
   * `$XDG_CACHE_HOME/progrun/objects`, else `~/.cache/progrun/objects`). A directory that cannot be
   * written (EROFS, EACCES, EPERM) is still read; new objects then go to a private directory under
   * `$TMPDIR`.
   */
  cacheDir?: string;
  /** Extra clang flags after the defaults of {@link bpfCflags}, e.g. `['-DDEBUG', '-I', 'include']`. */
  cflags?: readonly string[];
  /**
   * Environment to read `PROGRUN_CLANG`, `PATH`, `PROGRUN_CACHE`, `XDG_CACHE_HOME`, `HOME` and `TMPDIR`
   * from. Default: process.env. clang itself runs in process.env.
   */
  env?: NodeJS.ProcessEnv;
}

/** What {@link compileBpfC} produced. */
export interface CompiledObject {
  /** Absolute path of the BPF ELF object, inside {@link CompiledObject.cacheDir}. */
  readonly objectPath: string;
  /** True when the object came from the cache without running clang. */
  readonly cached: boolean;
  /**
   * The object's content address: SHA-256 of the clang binary's identity, the flags, the working
   * directory, the source path and bytes, and the content of every file the compile read.
   */
  readonly key: string;
  /** clang's warnings, if any (empty when the object came from the cache). */
  readonly warnings: string;
  /** The directory the object is in: the cache directory, or the temporary one when that was read-only. */
  readonly cacheDir: string;
}

/**
 * Variables that change where clang finds headers without appearing in its arguments, so they are part
 * of the lookup key.
 */
const includeEnv = ['CPATH', 'C_INCLUDE_PATH'] as const;

/**
 * Compiles a BPF C source to an ELF object with clang, through a cache that a hit answers without running
 * clang. An entry is found by the source's bytes and path, the flags, the working directory and clang's
 * binary; it lists every file the compile read (clang's `-MD` dependency output) with the hash of its
 * content, and is used only while each of them still hashes the same, so an edit to an included header
 * compiles again. (As with any dependency-file cache, a header *added* earlier on the include path, shadowing
 * one that was read, is not noticed.) Objects and entries are written to temporary names and renamed, so
 * concurrent compiles of the same source are safe; a damaged entry or object is compiled again.
 * @throws ClangNotFoundError when no clang is installed.
 * @throws CompileError with clang's diagnostics when the source does not compile.
 * @throws CacheNotWritableError when neither the cache directory nor the temporary one can be written.
 * @throws Error (ENOENT) when the source does not exist.
 * @throws ValidationError naming `source` or the option that is not what it should be.
 */
export async function compileBpfC(
  source: string | URL,
  options: CompileOptions = {},
): Promise<CompiledObject> {
  if (!(source instanceof URL) && (typeof source !== 'string' || source === '' || source.includes('\0')))
    throw new ValidationError('source', 'a path (a non-empty string without NUL) or a file: URL', {
      received: source,
    });
  if (typeof options !== 'object' || options === null)
    throw new ValidationError('options', 'an options object', { received: options });
  if (options.cacheDir !== undefined && typeof options.cacheDir !== 'string')
    throw new ValidationError('options.cacheDir', 'a string', { received: options.cacheDir });
  if (
    options.cflags !== undefined &&
    !(Array.isArray(options.cflags) && options.cflags.every((f) => typeof f === 'string'))
  )
    throw new ValidationError('options.cflags', 'an array of strings', { received: options.cflags });
  if (options.env !== undefined && (typeof options.env !== 'object' || options.env === null))
    throw new ValidationError('options.env', 'an environment object', { received: options.env });
  const started = Date.now();
  const sourcePath = resolve(source instanceof URL ? fileURLToPath(source) : source);
  const sourceBytes = readFileSync(sourcePath);
  const env = options.env ?? process.env;
  const clang = locateClang(env);
  const flags = [...bpfCflags(), ...(options.cflags ?? [])];
  const cwd = process.cwd();

  const lookupKey = sha256(
    Buffer.concat([
      Buffer.from(
        [
          `progrun-compile-${cacheFormat}`,
          clang.identity,
          cwd,
          sourcePath,
          ...includeEnv.map((name) => `${name}=${process.env[name] ?? ''}`),
          ...flags,
          '',
        ].join('\0'),
      ),
      sourceBytes,
    ]),
  );
  const stem = basename(sourcePath).replace(/(\.bpf)?\.c$/, '');
  const entryName = `${stem}-${lookupKey.slice(0, 16)}.deps.json`;
  const preferred = options.cacheDir ?? objectCacheDir(env);
  const hit = validEntry(join(preferred, entryName), preferred);
  if (hit)
    return { objectPath: hit.objectPath, cached: true, key: hit.key, warnings: '', cacheDir: preferred };

  const { cacheDir, workDir } = await writableCacheDir(preferred, env);
  try {
    if (cacheDir !== preferred) {
      const earlier = validEntry(join(cacheDir, entryName), cacheDir);
      if (earlier)
        return { objectPath: earlier.objectPath, cached: true, key: earlier.key, warnings: '', cacheDir };
    }
    const partial = join(workDir, 'object.o');
    const depfile = join(workDir, 'object.d');
    const compiled = await clangOrThrow(
      clang.command,
      [...flags, '-MD', '-MF', depfile, '-MT', 'object', '-c', sourcePath, '-o', partial],
      sourcePath,
    );
    const read = parseDepfile(readFileSync(depfile, 'utf8'), cwd);
    const inputs: CacheEntry['inputs'] = read
      .filter((path) => path !== sourcePath)
      .map((path) => [path, sha256(readFileSync(path))]);
    const key = contentKey(lookupKey, inputs);
    const objectSha256 = sha256(readFileSync(partial));
    const object = `${stem}-${key.slice(0, 16)}.o`;
    const objectPath = join(cacheDir, object);
    renameSync(partial, objectPath);
    // A file edited while clang ran may hash differently from what clang read: such a compile is used
    // but not recorded, so the next one compiles again. The source is compared by content; headers by
    // mtime, in whole milliseconds as Date.now() counts them.
    const settled =
      readFileSync(sourcePath).equals(sourceBytes) &&
      read.every((path) => Math.floor(statSync(path).mtimeMs) <= started);
    if (settled) {
      writeEntry(
        join(cacheDir, entryName),
        { key, object, objectSha256, inputs },
        `${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
      );
    }
    return { objectPath, cached: false, key, warnings: compiled.stderr, cacheDir };
  } finally {
    await rm(workDir, { recursive: true, force: true });
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
