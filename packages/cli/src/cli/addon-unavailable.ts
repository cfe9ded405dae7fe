import { arch, platform } from 'node:process';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';
import { detectPackageManager, runInstallScriptCommand } from './package-manager.js';

/** The variable @progrun/syscall reads for an addon file to load instead of its own. */
const nativePathVariable = 'PROGRUN_NATIVE_PATH';

/**
 * Imports what a command needs from the libraries that load @progrun/syscall's native addon. The
 * commands import those modules here, when they run, rather than at the top of their files, so that
 * `--help` of every command, `--version`, `progrun vm kernels` and `progrun vm run` work where the addon
 * cannot be loaded.
 *
 * @throws {CliError} the addon-unavailable error ({@link addonUnavailableError}) when @progrun/syscall
 *   cannot be imported; any other failure of `load` unchanged.
 */
export async function importNeedingAddon<T>(command: string | undefined, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    // Whether the addon is the reason: a module that failed to evaluate fails the same way again.
    try {
      await import('@progrun/syscall');
    } catch (addonError) {
      throw addonUnavailableError(command, addonError);
    }
    throw error;
  }
}

/**
 * The one paragraph for a command that needs the native addon where it cannot be loaded: which command,
 * why (the loader's first line), and the command of the package manager in use that runs the addon's
 * install script (which uses a prebuilt binary or builds one, and says which tools a build lacks).
 */
export function addonUnavailableError(
  command: string | undefined,
  cause: unknown,
  env: NodeJS.ProcessEnv = process.env,
): CliError {
  const who = command ? `\`progrun ${command}\`` : 'this command';
  const reason = innermostMessage(cause);
  const override = env[nativePathVariable];
  const hint = override
    ? `${nativePathVariable} names ${override}: point it at a progrun_syscall.node built for ${platform}-${arch}, or unset it to use the package's own.`
    : `Run its install script, which finds the prebuilt addon for ${platform}-${arch} or builds one from source: \`${runInstallScriptCommand(detectPackageManager(env), '@progrun/syscall')}\`.`;
  return new CliError(
    'addon-unavailable',
    ExitCode.RunFailed,
    `${who} needs the native addon of @progrun/syscall, which cannot be loaded (${reason})`,
    { hint, cause },
  );
}

/** The first line of the deepest `cause` (the loader's own reason, such as a missing file), trimmed. */
function innermostMessage(error: unknown): string {
  let deepest = error;
  while (deepest instanceof Error && deepest.cause !== undefined) deepest = deepest.cause;
  const message = deepest instanceof Error ? deepest.message : String(deepest);
  return (message.split('\n')[0] ?? '').trim().replace(/\.$/, '');
}
