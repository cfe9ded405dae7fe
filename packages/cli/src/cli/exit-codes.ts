/**
 * The exit codes of `progrun`, one per kind of outcome, so that scripts can tell a program that failed
 * from a kernel that cannot run it. Documented in the CLI README and in `progrun --help`.
 */
export const ExitCode = {
  /** Everything ran and, for `demo`, every check held. */
  Ok: 0,
  /**
   * The program ran but the run failed (a bpf() error at run time), a demo check did not hold, a
   * kernel of `vm run` or `vm matrix` did not pass, or the native addon the command needs cannot be loaded.
   */
  RunFailed: 1,
  /** Bad command line or bad input: unknown option, missing file, malformed packet spec or context. */
  Usage: 2,
  /** The running kernel lacks what was asked for (program type, test-run feature, live frames...). */
  NotSupported: 3,
  /** The verifier rejected the program. */
  VerifierRejected: 4,
  /** The C source did not compile, or no clang was found. */
  CompileFailed: 5,
  /** The kernel refused for lack of privilege (run as root, or with CAP_BPF and CAP_NET_ADMIN). */
  PermissionDenied: 6,
  /** Stopped by SIGINT or SIGTERM, after cleaning up (guests, namespaces, temporary files). */
  Interrupted: 130,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const meanings: Readonly<Record<ExitCode, string>> = {
  0: 'success',
  1: 'the program ran but the run failed, a demo check did not hold, a vm run or matrix did not pass, or the native addon cannot be loaded',
  2: 'usage error: unknown option, missing file, malformed packet spec, context or pcap',
  3: 'not supported by the running kernel',
  4: 'rejected by the verifier',
  5: 'the C source did not compile, or clang is missing',
  6: 'permission denied (run as root, or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN)',
  130: 'interrupted (Ctrl-C or SIGTERM)',
};

/**
 * The "Exit codes:" section of a help text: the codes a command can end with, one line each, with
 * the command's own meaning where it differs from the general one (`vm matrix`: 1 is a contradicted
 * probe).
 */
export function exitCodesHelp(
  codes: readonly ExitCode[],
  own: Partial<Record<ExitCode, string>> = {},
): string {
  const lines = codes.map((code) => `${String(code).padStart(5)}  ${own[code] ?? meanings[code]}`);
  return ['Exit codes:', ...lines].join('\n');
}

/** Every exit code, for `progrun --help` and the commands that can end with any of them. */
export const exitCodeHelp = exitCodesHelp(Object.values(ExitCode));
