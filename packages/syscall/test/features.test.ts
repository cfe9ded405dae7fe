import { release } from 'node:os';
import { ValidationError } from '@progrun/uapi';
import { describe, expect, test, vi } from 'vitest';
import { BpfError } from '../src/errors/bpf-error.js';
import { unsupported } from '../src/features/feature.js';
import {
  allFeatures,
  Feature,
  type FeatureStatus,
  NotSupportedError,
  ProbeInconclusiveError,
  requireFeature,
  TEST_RUN_PROBED_TYPES,
  testRunFeature,
  xdpLiveFrames,
} from '../src/features/index.js';
import { kernelOlderThan } from '../src/index.js';

/** A context whose skip() records the note and aborts like vitest's. */
function skipRecorder() {
  const notes: string[] = [];
  return {
    notes,
    skip(note?: string) {
      notes.push(note ?? '');
    },
  };
}

describe('Feature: caching and the three outcomes', () => {
  test('a probe runs once; its answer is cached', () => {
    const probe = vi.fn(() => true as const);
    const feature = new Feature({ id: 'x', description: 'thing X', minKernel: '5.10' }, probe);
    expect(feature.probe()).toEqual({ status: 'supported' });
    expect(feature.probe()).toEqual({ status: 'supported' });
    expect(probe).toHaveBeenCalledTimes(1);
    expect(() => feature.check()).not.toThrow();
  });

  test('unsupported carries a NotSupportedError with feature, minKernel and the revealing error', () => {
    const revealing = new BpfError({ errno: 22, command: 'BPF_PROG_TEST_RUN' });
    const feature = new Feature({ id: 'y', description: 'thing Y', minKernel: '5.18' }, () =>
      unsupported('the kernel said EINVAL', revealing),
    );
    const result = feature.probe();
    expect(result.status).toBe('unsupported');
    if (result.status !== 'unsupported') return;
    expect(NotSupportedError.isInstance(result.error)).toBe(true);
    expect(result.error).toMatchObject({ feature: 'thing Y', minKernel: '5.18', cause: revealing });
    expect(result.error.message).toContain('(requires Linux 5.18 or newer): the kernel said EINVAL');
    expect(() => feature.check()).toThrow(result.error);
  });

  test('a probe that throws is inconclusive, with the cause', () => {
    const cause = new BpfError({ errno: 1, command: 'BPF_PROG_LOAD' });
    const feature = new Feature({ id: 'z', description: 'thing Z', minKernel: '5.0' }, () => {
      throw cause;
    });
    const result = feature.probe();
    expect(result.status).toBe('inconclusive');
    if (result.status !== 'inconclusive') return;
    expect(ProbeInconclusiveError.isInstance(result.error)).toBe(true);
    expect(result.error).toMatchObject({ feature: 'z', cause, code: 'ERR_PROGRUN_PROBE_INCONCLUSIVE' });
    expect(() => feature.check()).toThrow(/cannot tell whether the kernel supports thing Z: EPERM/);
  });

  test('testRunFeature takes names and numbers, returns one cached Feature per type, rejects others', () => {
    expect(testRunFeature('XDP')).toBe(testRunFeature('BPF_PROG_TYPE_XDP'));
    expect(testRunFeature(6)).toBe(testRunFeature('XDP'));
    expect(testRunFeature('SK_LOOKUP')).toMatchObject({ id: 'test_run:SK_LOOKUP', minKernel: '5.13' });
    expect(testRunFeature('SOCK_OPS').minKernel).toBeUndefined();
    expect(testRunFeature('LWT_SEG6LOCAL').removedIn).toBe('6.12');
    expect(() => testRunFeature('KPROBE')).toThrow(ValidationError);
    expect(() => testRunFeature('NOPE' as 'XDP')).toThrow(ValidationError);
    expect(allFeatures()).toHaveLength(TEST_RUN_PROBED_TYPES.length + 7);
  });
});

describe('requireFeature: skip when the kernel is older, fail when it should have it', () => {
  const make = (minKernel: string | undefined, outcome: 'yes' | 'no' | 'throw', removedIn?: string) =>
    new Feature({ id: 'f', description: 'feature F', minKernel, removedIn }, () => {
      if (outcome === 'throw') throw new Error('probe broke');
      return outcome === 'yes' ? true : unsupported('absent');
    });

  test('supported: proceeds', () => {
    const t = skipRecorder();
    expect(requireFeature(t, make('5.10', 'yes'))).toBe(true);
    expect(t.notes).toEqual([]);
  });

  test('unsupported on a kernel older than the minimum: skips, naming feature and version', () => {
    const t = skipRecorder();
    expect(requireFeature(t, make('99.0', 'no'))).toBe(false);
    expect(t.notes).toEqual([`needs feature F (Linux 99.0+); running ${release()}`]);
  });

  test('unsupported on a kernel at least the minimum: fails', () => {
    const t = skipRecorder();
    expect(() => requireFeature(t, make('4.12', 'no'))).toThrow(
      /the probe says feature F is not supported, yet the running kernel/,
    );
    expect(() => requireFeature(t, make('99.0', 'no'), '4.12')).toThrow(/at least 4\.12/);
    expect(t.notes).toEqual([]);
  });

  test('features no kernel has, and features the kernel dropped again, skip', () => {
    const t = skipRecorder();
    expect(requireFeature(t, make(undefined, 'no'))).toBe(false);
    expect(requireFeature(t, make('4.18', 'no', '6.12'))).toBe(false);
    expect(t.notes[1]).toMatch(/^feature F was removed in Linux 6\.12 and in stable kernels; running /);
    expect(t.notes[0]).toBe('no kernel supports feature F');
  });

  test('inconclusive: fails by default, skips on request', () => {
    const t = skipRecorder();
    expect(() => requireFeature(t, make('5.10', 'throw'))).toThrow(ProbeInconclusiveError);
    expect(requireFeature(t, make('5.10', 'throw'), { inconclusive: 'skip' })).toBe(false);
    expect(t.notes[0]).toMatch(/probe broke \(inconclusive probe\)/);
  });
});

describe('probes on the running kernel', { tags: ['privileged'] }, () => {
  /**
   * What each probe must answer on a kernel as new as the host's (6.18): every documented type runs except
   * LWT_SEG6LOCAL (test run removed in 2024); SOCK_OPS never had one.
   */
  const expected: Record<string, FeatureStatus> = {
    ...Object.fromEntries(TEST_RUN_PROBED_TYPES.map((type) => [`test_run:${type}`, 'supported'])),
    'test_run:LWT_SEG6LOCAL': 'unsupported',
    'test_run:SOCK_OPS': 'unsupported',
    xdp_live_frames: 'supported',
    xdp_rejects_unknown_flags: 'supported',
    test_run_on_cpu: 'supported',
    skb_checksum_complete: 'supported',
    xdp_md_ctx: 'supported',
    data_size_out: 'supported',
    xdp_rejects_short_data: 'supported',
  };

  test.runIf(!kernelOlderThan('6.13'))('every probe answers as expected for a 6.13+ kernel', () => {
    const answers = Object.fromEntries(allFeatures().map((f) => [f.id, f.probe()]));
    const statuses = Object.fromEntries(Object.entries(answers).map(([id, r]) => [id, r.status]));
    // This host refuses fentry programs (EPERM from BPF_PROG_LOAD before verification, a security policy);
    // the probe then cannot tell, and must say so with the kernel's error rather than guess.
    const tracing = answers['test_run:TRACING']!;
    if (tracing.status === 'inconclusive') {
      const cause = tracing.error.cause;
      expect(BpfError.isInstance(cause) && cause.code === 'EPERM' && cause.command === 'BPF_PROG_LOAD').toBe(
        true,
      );
      statuses['test_run:TRACING'] = 'supported';
    }
    expect(statuses).toEqual(expected);
  });

  test('unsupported answers name the feature and the minimum kernel', () => {
    const seg6 = testRunFeature('LWT_SEG6LOCAL').probe();
    if (seg6.status === 'unsupported') {
      expect(seg6.error).toMatchObject({
        feature: 'BPF_PROG_TEST_RUN of BPF_PROG_TYPE_LWT_SEG6LOCAL programs',
        minKernel: '4.18',
      });
      expect(seg6.error.message).toContain('ENOTSUPP');
      expect(seg6.error.message).toContain('removed again in Linux 6.12');
    }
    const sockOps = testRunFeature('SOCK_OPS').probe();
    expect(sockOps.status).toBe('unsupported');
    if (sockOps.status === 'unsupported') {
      expect(sockOps.error.minKernel).toBeUndefined();
      expect((sockOps.error.cause as BpfError).code).toBe('ENOTSUPP');
    }
  });

  test('probes close every program they load (the fd-leak check of this file enforces it)', () => {
    for (const feature of allFeatures().filter((f) => !f.id.startsWith('test_run:'))) {
      expect(['supported', 'unsupported', 'inconclusive']).toContain(feature.probe().status);
    }
  });

  test('requireFeature passes for what the kernel has', (t) => {
    expect(requireFeature(t, xdpLiveFrames)).toBe(true);
    expect(requireFeature(t, testRunFeature('SYSCALL'))).toBe(true);
    expect(requireFeature(t, testRunFeature('NETFILTER'))).toBe(true);
  });
});
