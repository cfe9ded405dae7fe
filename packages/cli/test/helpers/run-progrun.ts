import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The built `progrun` executable, as npm links it. */
export const progrunBin = resolve(import.meta.dirname, '../../bin/progrun.js');
/** The repository's examples directory. */
export const examplesDir = resolve(import.meta.dirname, '../../../../examples');
/** A private object cache for the tests, so they never depend on (or fill) the user's. */
export const testCacheHome = mkdtempSync(join(tmpdir(), 'progrun-cli-test-'));

/** How a `progrun` process ended. */
export interface ProgrunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// The child's environment: colours off and a private cache unless overridden; an override of '' unsets
// the variable (Node warns when NO_COLOR and FORCE_COLOR are both set).
function childEnv(overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: testCacheHome };
  delete env.FORCE_COLOR;
  for (const [name, value] of Object.entries(overrides)) {
    if (value === '' || value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Runs the built CLI with `args`, colours off, and resolves when it exits (never rejects). */
export function progrun(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  user?: { uid: number; gid: number },
): Promise<ProgrunResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [progrunBin, ...args],
      {
        encoding: 'utf8',
        env: childEnv(env),
        maxBuffer: 64 * 1024 * 1024,
        ...(user ?? {}),
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** The path of an example's C source. */
export function exampleSource(name: string): string {
  return join(examplesDir, name, `${name}.bpf.c`);
}
