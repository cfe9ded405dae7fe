import { resolve } from 'node:path';
import { BpfProgType } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { runGuestScript } from './helpers/guest-script.js';

// The development and CI host refuses BPF trampolines (fentry/fexit loads get EPERM even as root), so
// syscall's own fentry test can only skip there. Linux 5.10 runs TRACING programs (test run since 5.7):
// one boot of Debian's (TCG here, about 30 s) runs guest/tracing-runs.mjs, which loads the fixture through
// libbpf against the guest's BTF, attaches fentry and fexit to bpf_fentry_test1 and test-runs them.
interface Seen {
  readonly fentryArg: number;
  readonly fexitRet: number;
}
interface TracingRuns {
  readonly release: string;
  readonly error?: { name: string; code?: string; message: string };
  readonly types: number[];
  readonly unattachedRetval: number;
  readonly unattached: Seen;
  readonly fentryRetval: number;
  readonly fentryAttached: Seen;
  readonly fexitRetval: number;
  readonly bothAttached: Seen;
}

describe('TRACING test runs on Linux 5.10 (a guest)', { tags: ['vm', 'slow', 'privileged'] }, () => {
  test('attached, fentry sees the argument of bpf_fentry_test1 and fexit its return value', async () => {
    const runs = await runGuestScript<TracingRuns>(
      '5.10',
      resolve(import.meta.dirname, 'guest/tracing-runs.mjs'),
      'tracing-runs.json',
    );
    expect(runs.release).toMatch(/^5\.10\./);
    expect(runs.error).toBeUndefined();
    expect(runs.types).toEqual([BpfProgType.TRACING, BpfProgType.TRACING]);
    // The kernel's tracing test run calls bpf_fentry_test1(1), which returns 2; only attached programs
    // see the call.
    expect(runs.unattachedRetval).toBe(0);
    expect(runs.unattached).toEqual({ fentryArg: 0, fexitRet: 0 });
    expect(runs.fentryRetval).toBe(0);
    expect(runs.fentryAttached).toEqual({ fentryArg: 1, fexitRet: 0 });
    expect(runs.fexitRetval).toBe(0);
    expect(runs.bothAttached).toEqual({ fentryArg: 1, fexitRet: 2 });
  });
});
