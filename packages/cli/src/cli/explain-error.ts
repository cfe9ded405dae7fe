import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import type { CacheNotWritableError, ClangNotFoundError, CompileError } from '@progrun/compile';
import { PacketError, SpecSyntaxError } from '@progrun/ctx-builders';
import { BpfError, BpfObjectError, NotSupportedError } from '@progrun/syscall';
import { ProgrunError, ProgrunErrorCode, ValidationError } from '@progrun/uapi';
import { createStyle, type Style, shouldColor } from '../render/style.js';
import { analyzeVerifierLog, renderVerifierLog } from '../render/verifier-log.js';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

/** Verifier log lines shown before the error; `--full-log` shows all. */
const verifierTailLines = 40;

/** Options of {@link explainError}. */
export interface ExplainOptions {
  /** Print the whole verifier log rather than its tail. */
  fullLog?: boolean;
  /** Colour the details (verifier log) for stderr. Default: when stderr is a terminal. */
  color?: boolean;
}

const probeHint =
  'See what this kernel can run with `progrun probe`, or try the program on other kernels with `progrun matrix`.';

/**
 * Turns any error a command can meet into a {@link CliError}: one paragraph saying what happened and
 * what to do next, the exit code for its kind, and details (compiler diagnostics, the verifier log with
 * the failing instruction highlighted) to print above it. Unknown errors become exit code 1 with a
 * request to report them; the stack trace is shown only with `PROGRUN_DEBUG=1`.
 */
export function explainError(error: unknown, options: ExplainOptions = {}): CliError {
  if (CliError.isInstance(error)) return error;
  const style = createStyle(options.color ?? shouldColor(process.stderr));

  if (hasCode<CompileError>(error, ProgrunErrorCode.COMPILE_FAILED)) {
    return new CliError('compile', ExitCode.CompileFailed, `${error.sourcePath} did not compile`, {
      details: error.diagnostics,
      hint: 'Fix the errors clang reports above and run the command again.',
      cause: error,
    });
  }
  if (hasCode<ClangNotFoundError>(error, ProgrunErrorCode.CLANG_NOT_FOUND)) {
    return new CliError('compile', ExitCode.CompileFailed, 'no clang was found to compile BPF C', {
      hint: "Install clang and libbpf's headers (Debian/Ubuntu: `apt-get install clang libbpf-dev`, Fedora: `dnf install clang libbpf-devel`, Alpine: `apk add clang libbpf-dev`), set PROGRUN_CLANG to a clang binary, or pass a compiled .o file instead.",
      cause: error,
    });
  }
  if (hasCode<CacheNotWritableError>(error, ProgrunErrorCode.CACHE_NOT_WRITABLE)) {
    return new CliError('compile', ExitCode.CompileFailed, 'no writable directory for the compiled object', {
      details: error.directories.map((dir) => `${dir.path}: ${dir.code}`).join('\n'),
      hint: 'Set PROGRUN_CACHE (objects go to $PROGRUN_CACHE/objects) or XDG_CACHE_HOME to a writable directory, or pass a compiled .o file instead.',
      cause: error,
    });
  }
  if (NotSupportedError.isInstance(error)) {
    const needs = error.minKernel ? ` (it needs Linux ${error.minKernel} or newer)` : '';
    return new CliError(
      'not-supported',
      ExitCode.NotSupported,
      `this kernel (${release()}) does not support ${error.feature}${needs}`,
      { hint: probeHint, cause: error },
    );
  }
  if (BpfError.isInstance(error)) return explainBpfError(error, style, options);
  if (BpfObjectError.isInstance(error)) return explainObjectError(error);
  if (SpecSyntaxError.isInstance(error)) {
    const [first, ...rest] = error.message.split('\n');
    return new CliError('usage', ExitCode.Usage, `malformed packet spec: ${stripPeriod(first ?? '')}`, {
      details: rest.join('\n') || undefined,
      hint: "Packet specs are layers joined by '/', e.g. 'eth()/ipv4(dst=10.0.0.2,ttl=3)/udp(dport=53)'; see `progrun run --help`.",
      cause: error,
    });
  }
  if (PacketError.isInstance(error)) {
    return new CliError('usage', ExitCode.Usage, `bad packet: ${stripPeriod(error.message)}`, {
      hint: 'Check the packet spec or capture file; `progrun run --help` shows the spec syntax.',
      cause: error,
    });
  }
  if (ValidationError.isInstance(error)) {
    if (error.minKernel !== undefined) {
      return new CliError(
        'not-supported',
        ExitCode.NotSupported,
        `${stripPeriod(error.message)} (running ${release()})`,
        {
          hint: 'Leave that field out of --ctx, or run on a newer kernel.',
          cause: error,
        },
      );
    }
    // An input the kernel itself would refuse (kernelCode) is a program context from --ctx.
    if (error.kernelCode !== undefined) {
      return new CliError('usage', ExitCode.Usage, `invalid context: ${stripPeriod(error.message)}`, {
        hint: 'Fix that field in --ctx (JSON); `progrun run --help` says what each program type takes.',
        cause: error,
      });
    }
    return new CliError('usage', ExitCode.Usage, `invalid input: ${stripPeriod(error.message)}`, {
      hint: 'See `progrun run --help` for what each program type takes.',
      cause: error,
    });
  }
  const fields = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  if (typeof fields.code === 'string' && typeof fields.path === 'string') {
    if (fields.code === 'ENOENT') {
      return new CliError('usage', ExitCode.Usage, `no such file: ${fields.path}`, {
        hint: 'Check the path (relative paths are from the current directory).',
        cause: error,
      });
    }
    if (fields.code === 'EACCES' || fields.code === 'EPERM') {
      return new CliError('permission', ExitCode.PermissionDenied, `permission denied: ${fields.path}`, {
        hint: 'Check the file permissions, or run as a user who may use it.',
        cause: error,
      });
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CliError('internal', ExitCode.RunFailed, `unexpected error: ${stripPeriod(message)}`, {
    hint: 'This is a bug in progrun: please report it with the command you ran (PROGRUN_DEBUG=1 prints the stack trace).',
    details: process.env.PROGRUN_DEBUG ? (error as Error)?.stack : undefined,
    cause: error,
  });
}

function explainBpfError(error: BpfError, style: Style, options: ExplainOptions): CliError {
  const log = error.verifierLog?.trim() ?? '';
  if (error.command === 'BPF_PROG_LOAD' && log) {
    const analysis = analyzeVerifierLog(log);
    const where =
      analysis.failingInstruction === undefined
        ? ''
        : ` at instruction ${analysis.failingInstruction}${analysis.sourceLine ? ` (${analysis.sourceLine})` : ''}`;
    return new CliError(
      'verifier',
      ExitCode.VerifierRejected,
      `the verifier rejected the program${where}: ${stripPeriod(analysis.reason ?? 'see the log above')}`,
      {
        details: renderVerifierLog(log, style, options.fullLog ? undefined : verifierTailLines),
        hint: 'The highlighted instruction is where it gave up, and the register states above it say why: packet reads need a bounds check against data_end first, map lookups a NULL check.',
        cause: error,
      },
    );
  }
  if (error.code === 'EPERM' || (error.code === 'EACCES' && !log)) {
    return new CliError(
      'permission',
      ExitCode.PermissionDenied,
      `the kernel refused ${error.command} (${error.code})`,
      {
        hint: 'Run as root, or grant CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN (CAP_SYS_ADMIN on kernels before 5.8).',
        cause: error,
      },
    );
  }
  // Inputs only the kernel can check: what the command line named does not exist here.
  if (error.code === 'ENODEV' && error.command === 'BPF_PROG_TEST_RUN') {
    return new CliError(
      'usage',
      ExitCode.Usage,
      '--ctx names an ifindex with no network device in this network namespace (ENODEV)',
      {
        hint: 'Set ingress_ifindex (XDP) or ifindex (tc) to a device `ip link` lists, or leave it out.',
        cause: error,
      },
    );
  }
  if (error.code === 'ENXIO' && error.command === 'BPF_PROG_TEST_RUN') {
    return new CliError('usage', ExitCode.Usage, '--cpu names a CPU that is not online (ENXIO)', {
      hint: `Choose an online CPU: ${onlineCpus()}.`,
      cause: error,
    });
  }
  if (error.code === 'ENOTSUPP' && error.command === 'BPF_PROG_TEST_RUN') {
    return new CliError(
      'not-supported',
      ExitCode.NotSupported,
      `this kernel (${release()}) cannot test-run it: ${stripPeriod(error.message)}`,
      {
        hint: probeHint,
        cause: error,
      },
    );
  }
  return new CliError('bpf', ExitCode.RunFailed, stripPeriod(error.message), {
    hint:
      error.command === 'BPF_PROG_LOAD'
        ? 'Check that --type matches the section the program was written for; `progrun probe` lists what this kernel runs.'
        : 'Check the input for this program type (packet size, --ctx fields, --flags); `progrun probe` shows what this kernel accepts.',
    cause: error,
  });
}

function explainObjectError(error: BpfObjectError): CliError {
  if (error.operation === 'open') {
    if (error.code === 'ENOENT') {
      return new CliError('usage', ExitCode.Usage, `no such file: ${error.object}`, {
        hint: 'Check the path (relative paths are from the current directory).',
        cause: error,
      });
    }
    return new CliError(
      'usage',
      ExitCode.Usage,
      `${error.object} is not a BPF object libbpf can open: ${stripPeriod(error.message)}`,
      {
        hint: 'Give a BPF C source (.c) or an object compiled with `clang -target bpf -O2 -g -c`.',
        cause: error,
      },
    );
  }
  if (error.code === 'EPERM') {
    return new CliError(
      'permission',
      ExitCode.PermissionDenied,
      `the kernel refused to load ${error.object}: it needs root or CAP_BPF (EPERM)`,
      {
        // libbpf's log blames CONFIG_BPF_SYSCALL and RLIMIT_MEMLOCK: the hint below says what it is.
        hint: 'Run as root, or grant CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN.',
        cause: error,
      },
    );
  }
  return new CliError('bpf', ExitCode.RunFailed, stripPeriod(error.message), {
    details: error.libbpfLog.trim() || undefined,
    hint: 'libbpf says why above; a program type the section does not name needs --type.',
    cause: error,
  });
}

// The kernel's list of online CPUs (`0-3,6`), or where to find it.
function onlineCpus(): string {
  try {
    return readFileSync('/sys/devices/system/cpu/online', 'utf8').trim();
  } catch {
    return 'see /sys/devices/system/cpu/online';
  }
}

// @progrun/compile's errors by their code, so that explaining an error does not load the compiler
// package for a run of an object file (start-up time).
function hasCode<T extends ProgrunError>(error: unknown, code: string): error is T {
  return ProgrunError.isInstance(error) && error.code === code;
}

function stripPeriod(text: string): string {
  return text.trim().replace(/\.$/, '');
}
