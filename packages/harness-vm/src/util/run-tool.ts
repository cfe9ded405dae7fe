import { ProgrunErrorCode } from '@progrun/uapi';
import { execa } from 'execa';
import { HarnessError, type HarnessErrorCode } from '../errors.js';

/** Output of a finished host tool. */
export interface ToolOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a host tool (apt-get, dpkg-deb, depmod...) to completion with piped output.
 *
 * @throws {HarnessError} `MISSING_TOOL` when the binary is not installed, `code` (default
 *   `PROVISIONING_FAILED`) when it exits non-zero, `ABORTED` when `signal` fires.
 */
export async function runTool(
  file: string,
  args: readonly string[],
  options: { cwd?: string; signal?: AbortSignal; code?: HarnessErrorCode; env?: Record<string, string> } = {},
): Promise<ToolOutput> {
  const result = await execa(file, args, {
    cwd: options.cwd,
    env: { LC_ALL: 'C', ...options.env },
    stdin: 'ignore',
    reject: false,
    cancelSignal: options.signal,
    forceKillAfterDelay: 2000,
  });
  if (options.signal?.aborted) {
    throw options.signal.reason ?? new HarnessError(ProgrunErrorCode.ABORTED, `${file} was aborted`);
  }
  if (result.failed) {
    const missing = (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    if (missing) {
      throw new HarnessError(
        ProgrunErrorCode.MISSING_TOOL,
        `${file} is not installed (needed to run: ${file} ${args.join(' ')})`,
      );
    }
    const tail = `${result.stderr}`.trim().split('\n').slice(-8).join('\n');
    throw new HarnessError(
      options.code ?? ProgrunErrorCode.PROVISIONING_FAILED,
      `${file} ${args.join(' ')} failed (exit ${result.exitCode ?? result.signal}): ${tail}`,
    );
  }
  return { stdout: `${result.stdout}`, stderr: `${result.stderr}` };
}
