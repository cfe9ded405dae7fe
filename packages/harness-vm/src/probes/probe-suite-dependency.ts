import { ProgrunErrorCode } from '@progrun/uapi';
import { HarnessError } from '../errors.js';

/**
 * Checks, before any kernel boots, that the probe suite can run: it calls the kernel through
 * `@progrun/syscall`, an optional dependency that only the guest-side runner imports, so the rest of this
 * package installs and runs without it or its native addon (where neither a prebuilt addon nor a
 * compiler is at hand, or with `--omit=optional`).
 * Guests see the host's tree, so what loads here loads there.
 *
 * @throws {HarnessError} `MISSING_TOOL` when `@progrun/syscall` is not installed; the
 *   error of `@progrun/syscall` itself when it is installed but its native addon cannot be loaded.
 */
export async function requireProbeSuiteDependency(): Promise<void> {
  try {
    await import('@progrun/syscall');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes("'@progrun/syscall'")) {
      throw new HarnessError(
        ProgrunErrorCode.MISSING_TOOL,
        'the probe suite calls the kernel through @progrun/syscall, which is not installed (an optional ' +
          'dependency of @progrun/harness-vm, left out when it cannot be installed or with --omit=optional): ' +
          'add @progrun/syscall to your project',
        { cause: error },
      );
    }
    throw error;
  }
}
