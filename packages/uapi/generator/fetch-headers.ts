import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HEADER_PACKAGE, HEADER_SETS, type HeaderVersion } from './header-sets.js';
import { cacheDir, repoRoot } from './paths.js';

/** One header set on disk: the .deb it came from and the include directories to compile against. */
export interface FetchedHeaderSet {
  readonly version: HeaderVersion;
  readonly suite: string;
  readonly packageName: string;
  readonly packageVersion: string;
  readonly sha256: string;
  readonly debPath: string;
  /** `-isystem` directories, architecture directory first (it holds `asm/`). */
  readonly includeDirs: readonly string[];
}

/** The SHA-256 of a file, hex. */
export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A control field of a .deb (`Version`, `Depends`). */
export function debField(debPath: string, field: string): string {
  return execFileSync('dpkg-deb', ['-f', debPath, field], { encoding: 'utf8' }).trim();
}

/**
 * Downloads the suite's current version of a package (default linux-libc-dev) through the project's
 * private apt configuration.
 * Test files run in parallel and may fetch the same suite, so apt runs under a per-suite flock.
 * Offline, a .deb fetched earlier for the same suite is used instead, with a warning, so tests
 * still run on a machine that has fetched once.
 */
export function downloadDeb(suite: string, debDir: string, packageName = HEADER_PACKAGE): string {
  try {
    mkdirSync(cacheDir, { recursive: true });
    const lock = join(cacheDir, `fetch-${suite}.lock`);
    const script = join(repoRoot, 'scripts', 'private-apt.sh');
    const out = execFileSync('flock', ['-w', '600', lock, 'bash', script, suite, debDir, packageName], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PROGRUN_CACHE: join(cacheDir, '..') },
    });
    const path = out.trim().split('\n').at(-1);
    if (!path || !existsSync(path)) throw new Error(`private-apt.sh printed no .deb path for ${suite}`);
    return path;
  } catch (error) {
    const cached = existsSync(debDir)
      ? readdirSync(debDir)
          .filter((f) => f.startsWith(`${packageName}_`) && f.endsWith('.deb'))
          .map((f) => join(debDir, f))
          .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
      : [];
    const fallback = cached[0];
    if (!fallback) throw error;
    process.stderr.write(
      `uapi generator: could not refresh ${suite} (${String(error)}); using ${fallback}\n`,
    );
    return fallback;
  }
}

/**
 * Extracts the .deb into the cache (never into /). The extraction lands under a private name and
 * is renamed into place, so `dest` is always complete; a concurrent extraction that won the
 * rename is reused.
 */
function extract(debPath: string, dest: string): void {
  const complete = () => existsSync(join(dest, 'usr', 'include', 'linux', 'bpf.h'));
  if (complete()) return;
  const partial = `${dest}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    execFileSync('dpkg-deb', ['-x', debPath, partial]);
    renameSync(partial, dest);
  } catch (error) {
    if (!complete()) throw error;
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

/** Fetches (or reuses from the cache) and extracts one header set. */
export function fetchHeaderSet(version: HeaderVersion): FetchedHeaderSet {
  const set = HEADER_SETS.find((s) => s.version === version);
  if (!set) throw new Error(`unknown header set ${version}`);
  const debPath = downloadDeb(set.suite, join(cacheDir, 'debs', set.suite));
  const packageVersion = debField(debPath, 'Version');
  const packageName = debField(debPath, 'Package');
  const root = join(cacheDir, 'headers', `${set.suite}_${packageVersion}`);
  extract(debPath, root);
  const include = join(root, 'usr', 'include');
  return {
    version: set.version,
    suite: set.suite,
    packageName,
    packageVersion,
    sha256: sha256Of(debPath),
    debPath,
    includeDirs: [join(include, 'x86_64-linux-gnu'), include],
  };
}

/** Every header set, oldest first. */
export function fetchAllHeaderSets(): FetchedHeaderSet[] {
  return HEADER_SETS.map((s) => fetchHeaderSet(s.version));
}

/** The path of a header (as written in #include <...>) inside the header set. */
export function headerPath(set: FetchedHeaderSet, header: string): string {
  for (const dir of set.includeDirs) {
    const path = join(dir, header);
    if (existsSync(path)) return path;
  }
  throw new Error(`${header} is not in the ${set.version} header set`);
}
