import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { type ProgrunResult, progrunBin, testCacheHome } from './run-progrun.js';

/**
 * When to send the signal: once the command is loaded (the CLI's handlers are installed), and stdout has matched
 * `after`, then `waitMs` more.
 */
export interface InterruptAt {
  readonly after?: RegExp;
  readonly waitMs?: number;
  readonly signal?: 'SIGINT' | 'SIGTERM';
}

/**
 * Whether process `pid` has loaded progrun's addon: the CLI loads it with the command, after installing
 * its signal handlers (Node.js catches SIGINT and SIGTERM from the start, so SigCgt cannot tell).
 */
function commandLoaded(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/maps`, 'utf8').includes('progrun_syscall.node');
  } catch {
    return false;
  }
}

/** How an interrupted `progrun` ended, and its pid (which names its network namespaces). */
export interface InterruptedRun extends ProgrunResult {
  readonly pid: number;
}

/** Runs the built CLI with `args`, sends it a signal as `at` says, and resolves when it exits. */
export function progrunInterrupted(args: readonly string[], at: InterruptAt): Promise<InterruptedRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: testCacheHome };
  delete env.FORCE_COLOR;
  const child = spawn(process.execPath, [progrunBin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<InterruptedRun>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr, pid: child.pid ?? -1 })),
  );
  void (async () => {
    // Before the CLI installs its handlers, a signal's default action would end it: not what is tested.
    while (!commandLoaded(child.pid!) && child.exitCode === null) await delay(5);
    if (at.after) {
      const pattern = at.after;
      while (!pattern.test(stdout) && child.exitCode === null) await delay(5);
    }
    if (at.waitMs) await delay(at.waitMs);
    child.kill(at.signal ?? 'SIGINT');
  })();
  return exited;
}
