import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ClangNotFoundError } from './compile-errors.js';
import { locateClang } from './locate-clang.js';

const run = promisify(execFile);

/** A clang executable and its version line. */
export interface Clang {
  /** The path used to run it. */
  readonly command: string;
  /** First line of `clang --version`, e.g. `Debian clang version 14.0.6`. */
  readonly version: string;
}

const versions = new Map<string, Promise<Clang>>();

/**
 * The clang that {@link compileBpfC} uses (see {@link locateClang}), with its version line. The version
 * is memoised per process and per binary.
 * @throws ClangNotFoundError when none is found, or the one found does not run.
 */
export function findClang(env: NodeJS.ProcessEnv = process.env): Promise<Clang> {
  let located: ReturnType<typeof locateClang>;
  try {
    located = locateClang(env);
  } catch (error) {
    return Promise.reject(error);
  }
  let pending = versions.get(located.identity);
  if (!pending) {
    pending = run(located.command, ['--version'], { encoding: 'utf8' }).then(
      ({ stdout }) => ({
        command: located.command,
        version: stdout.split('\n')[0]?.trim() || located.command,
      }),
      () => {
        throw new ClangNotFoundError([located.command]);
      },
    );
    pending.catch(() => versions.delete(located.identity));
    versions.set(located.identity, pending);
  }
  return pending;
}
