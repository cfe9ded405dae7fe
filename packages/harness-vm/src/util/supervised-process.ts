import { execa, type Result } from 'execa';
import { signalGroup } from './processes.js';

/**
 * A tiny sh supervisor that leads a process group. It starts the real command with stdin from
 * /dev/null and watches its own stdin, a pipe from this process: if this process dies without
 * cleaning up (even SIGKILL), the pipe closes and the supervisor kills the whole group. It exits
 * with the command's exit code.
 */
export const supervisorScript = [
  'exec 3<&0',
  '"$@" </dev/null 3<&- &',
  'child=$!',
  '{ read -r _ <&3; kill -KILL 0; } &',
  'watchdog=$!',
  'exec 3<&-',
  'wait "$child"',
  'code=$?',
  'kill "$watchdog" 2>/dev/null',
  'exit "$code"',
].join('\n');

/** A command running in its own process group under the supervisor. */
export interface SupervisedProcess {
  /** Process group id (the supervisor's pid); undefined when the spawn failed. */
  readonly pgid: number | undefined;
  /** Settles when the supervisor exits; never rejects. */
  readonly exit: Promise<Result>;
  hasExited(): boolean;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the supervisor is gone. */
  kill(graceMs?: number): Promise<void>;
}

/**
 * Starts `argv` under the supervisor, stdout and stderr going to open file descriptors (vng
 * refuses sockets and pipes: it checks that /proc/self/fd/N can be opened).
 */
export function startSupervised(
  argv: readonly string[],
  options: { cwd: string; env: Record<string, string>; stdoutFd: number; stderrFd: number },
): SupervisedProcess {
  const child = execa('sh', ['-c', supervisorScript, 'harness-vm', ...argv], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdin: 'pipe',
    stdout: fileDescriptor(options.stdoutFd),
    stderr: fileDescriptor(options.stderrFd),
    reject: false,
  });
  let exited = false;
  const exit = child.then((result) => {
    exited = true;
    return result;
  });
  const pgid = child.pid;
  return {
    pgid,
    exit,
    hasExited: () => exited,
    async kill(graceMs = 3000) {
      if (pgid === undefined || exited) return;
      signalGroup(pgid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'grace'>((resolve) => {
        timer = setTimeout(() => resolve('grace'), graceMs);
      });
      if ((await Promise.race([exit, grace])) === 'grace') signalGroup(pgid, 'SIGKILL');
      clearTimeout(timer);
      await exit;
    },
  };
}

/**
 * execa hands an integer straight to the child as that descriptor, but its types list only the
 * literals 3-9.
 */
function fileDescriptor(fd: number): 3 {
  return fd as 3;
}
