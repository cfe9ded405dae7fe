/**
 * The `code` of every error progrun raises on its own account. An error that reports a kernel's answer
 * uses the errno name instead (`'EINVAL'`, `'E2BIG'`, `'ENOTSUPP'`; `'E<n>'` for a number without one) and
 * holds the negative number in `errno`; a libbpf failure uses libbpf's name (`'LIBBPF_ERRNO__FORMAT'`).
 * Codes never change meaning; switch on them rather than on messages.
 */
export const ProgrunErrorCode = {
  /** An input broke a rule: `field` and `rule` say which (ValidationError and its subclasses). */
  VALIDATION: 'ERR_PROGRUN_VALIDATION',
  /** The running kernel lacks a feature: `feature` and `minKernel` say which (NotSupportedError). */
  NOT_SUPPORTED: 'ERR_PROGRUN_NOT_SUPPORTED',
  /** A feature probe could not tell whether the kernel has the feature (ProbeInconclusiveError). */
  PROBE_INCONCLUSIVE: 'ERR_PROGRUN_PROBE_INCONCLUSIVE',
  /** An instruction cannot be encoded or decoded (AsmError). */
  ASM: 'ERR_PROGRUN_ASM',
  /** The generated UAPI data or a BTF blob lacks what was looked up (UapiLookupError). */
  UAPI_LOOKUP: 'ERR_PROGRUN_UAPI_LOOKUP',
  /** A BPF object's setter was called after `load()` (BpfObjectError). */
  BPF_OBJECT_LOADED: 'ERR_PROGRUN_BPF_OBJECT_LOADED',
  /** A BPF object's fd or run was asked for before `load()`, or of a program not loaded (BpfObjectError). */
  BPF_OBJECT_NOT_LOADED: 'ERR_PROGRUN_BPF_OBJECT_NOT_LOADED',
  /** A BPF object was used after `close()` (BpfObjectError). */
  BPF_OBJECT_CLOSED: 'ERR_PROGRUN_BPF_OBJECT_CLOSED',
  /** A program of a BPF object has a type libbpf or the kernel cannot name (BpfObjectError). */
  BPF_OBJECT_PROGRAM_TYPE: 'ERR_PROGRUN_BPF_OBJECT_PROGRAM_TYPE',
  /** A system tool (`ip`, `ethtool`) failed: `command`, `exitCode` and `stderr` say how (CommandError). */
  COMMAND_FAILED: 'ERR_PROGRUN_COMMAND_FAILED',
  /** No clang able to target BPF was found (ClangNotFoundError). */
  CLANG_NOT_FOUND: 'ERR_PROGRUN_CLANG_NOT_FOUND',
  /** clang rejected a BPF C source (CompileError). */
  COMPILE_FAILED: 'ERR_PROGRUN_COMPILE_FAILED',
  /** Neither the object cache nor the temporary directory beside it could take a compiled object (CacheNotWritableError). */
  CACHE_NOT_WRITABLE: 'ERR_PROGRUN_CACHE_NOT_WRITABLE',
  /** Downloading, extracting or preparing a guest kernel failed (HarnessError). */
  PROVISIONING_FAILED: 'ERR_PROGRUN_PROVISIONING_FAILED',
  /** A host tool a guest run needs is not installed (HarnessError). */
  MISSING_TOOL: 'ERR_PROGRUN_MISSING_TOOL',
  /** A guest running a test suite failed: it did not boot, crashed or stopped answering (HarnessError). */
  GUEST_FAILED: 'ERR_PROGRUN_GUEST_FAILED',
  /** The operation was aborted through its `AbortSignal` and the signal gave no reason (HarnessError). */
  ABORTED: 'ERR_PROGRUN_ABORTED',
  /** A command-line failure, reported as one paragraph with an exit code (CliError; `cause` holds the error behind it). */
  CLI: 'ERR_PROGRUN_CLI',
} as const;

/** One of the {@link ProgrunErrorCode} values. */
export type ProgrunErrorCode = (typeof ProgrunErrorCode)[keyof typeof ProgrunErrorCode];
