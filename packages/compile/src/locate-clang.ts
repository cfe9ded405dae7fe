import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { ClangNotFoundError } from './compile-errors.js';

/** A clang executable found on disk, identified without running it. */
export interface LocatedClang {
  /** Absolute path of the executable as found (on PATH, or `$PROGRUN_CLANG`). */
  readonly command: string;
  /**
   * The resolved binary with its size, mtime, ctime and inode. Installing, upgrading or rebuilding clang
   * rewrites the driver binary (Debian's clang-NN and libclang-cpp are upgraded together), which changes
   * this; it stands for the version in cache keys, where running `clang --version` would cost a process.
   */
  readonly identity: string;
}

/** The names tried, in order, when `PROGRUN_CLANG` is not set. */
const clangCandidates: readonly string[] = [
  'clang',
  'clang-19',
  'clang-18',
  'clang-17',
  'clang-16',
  'clang-15',
  'clang-14',
];

/**
 * Finds the clang to compile BPF C with, by looking at the file system only: `$PROGRUN_CLANG` when set
 * (a path, or a name looked up on `PATH`), otherwise the first of `clang`, `clang-19` ... `clang-14`
 * that is an executable file on `PATH`.
 * @throws ClangNotFoundError when none is found.
 */
export function locateClang(env: NodeJS.ProcessEnv = process.env): LocatedClang {
  const tried = env.PROGRUN_CLANG ? [env.PROGRUN_CLANG] : clangCandidates;
  const path = (env.PATH ?? process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const name of tried) {
    const places = name.includes('/') ? [resolve(name)] : path.map((dir) => join(dir, name));
    for (const place of places) {
      const identity = executableIdentity(place);
      if (identity) return { command: isAbsolute(place) ? place : resolve(place), identity };
    }
  }
  throw new ClangNotFoundError(tried);
}

function executableIdentity(path: string): string | undefined {
  try {
    accessSync(path, constants.X_OK);
    const real = realpathSync(path);
    const stat = statSync(real);
    if (!stat.isFile()) return undefined;
    return [real, stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino].join('\0');
  } catch {
    return undefined;
  }
}
