import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ClangNotFoundError } from './compile-errors.js';

const run = promisify(execFile);

/** A clang executable and its version line. */
export interface Clang {
  /** The command or path used to run it. */
  readonly command: string;
  /** First line of `clang --version`, part of every cache key. */
  readonly version: string;
}

const candidates = ['clang', 'clang-19', 'clang-18', 'clang-17', 'clang-16', 'clang-15', 'clang-14'];
const found = new Map<string, Promise<Clang>>();

/**
 * Finds a clang to compile BPF C with: `$PROGRUN_CLANG` when set, otherwise the first of `clang`,
 * `clang-19` ... `clang-14` on PATH. The answer is memoised per process.
 * @throws ClangNotFoundError when none runs.
 */
export function findClang(env: NodeJS.ProcessEnv = process.env): Promise<Clang> {
  const explicit = env.PROGRUN_CLANG;
  const tried = explicit ? [explicit] : candidates;
  const key = tried.join('\0');
  let pending = found.get(key);
  if (!pending) {
    pending = (async () => {
      for (const command of tried) {
        try {
          const { stdout } = await run(command, ['--version'], { encoding: 'utf8' });
          return { command, version: stdout.split('\n')[0]?.trim() ?? command };
        } catch {
          // not installed under this name: try the next one
        }
      }
      throw new ClangNotFoundError(tried);
    })();
    pending.catch(() => found.delete(key));
    found.set(key, pending);
  }
  return pending;
}
