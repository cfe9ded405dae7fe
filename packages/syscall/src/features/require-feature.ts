import { release } from 'node:os';
import { kernelOlderThan, ValidationError } from '@progrun/uapi';
import { Feature } from './feature.js';

/** A test framework's context that can skip the running test (vitest's and node:test's `t`). */
export interface SkipContext {
  skip(note?: string): void;
}

/** Options of {@link requireFeature}. */
export interface RequireFeatureOptions {
  /** The kernel from which the test expects the feature; default: the feature's own minimum. */
  readonly minKernel?: string;
  /** What an inconclusive probe does: fail the test (default) or skip it, naming the cause. */
  readonly inconclusive?: 'fail' | 'skip';
}

/**
 * A test guard in the manner of cilium/ebpf's `testutils.SkipIfNotSupported`: returns true when the kernel
 * has `feature`; skips the test (through `context.skip`, and returns false) when it lacks it and is older
 * than the minimum kernel, or the feature is one the kernel dropped again; and **fails** (throws)
 * when the kernel is at least the minimum yet the probe says unsupported, so a broken probe or a wrong
 * minimum cannot hide behind a skip. An inconclusive probe fails too, unless `inconclusive: 'skip'`.
 *
 * @example
 * ```ts
 * test('live frames', (t) => {
 *   requireFeature(t, xdpLiveFrames); // skips on 5.10, fails on a 6.1 kernel whose probe says no
 *   ...
 * });
 * ```
 * @throws {Error} when the probe contradicts the kernel version; the {@link ProbeInconclusiveError} when
 *   the probe could not tell (by default).
 * @throws {ValidationError} for a context without `skip`, a feature that is not one of `allFeatures`'
 *   {@link Feature}s, options that are neither a kernel version string nor an object.
 */
export function requireFeature(
  context: SkipContext,
  feature: Feature,
  options: string | RequireFeatureOptions = {},
): boolean {
  if (typeof (context as Partial<SkipContext> | null)?.skip !== 'function')
    throw new ValidationError('context', "a test's context, with skip()", { received: context });
  if (!(feature instanceof Feature)) throw new ValidationError('feature', 'a Feature', { received: feature });
  if (typeof options !== 'string' && (typeof options !== 'object' || options === null))
    throw new ValidationError('options', 'a kernel version or an options object', { received: options });
  const { minKernel = feature.minKernel, inconclusive = 'fail' } =
    typeof options === 'string' ? { minKernel: options } : options;
  const result = feature.probe();
  if (result.status === 'supported') return true;
  if (result.status === 'inconclusive') {
    if (inconclusive === 'fail') throw result.error;
    context.skip(`${result.error.message} (inconclusive probe)`);
    return false;
  }
  const running = release();
  if (minKernel === undefined) {
    context.skip(`no kernel supports ${feature.description}`);
    return false;
  }
  // A removal is usually backported to stable kernels too, so an older release may lack the feature as well.
  if (feature.removedIn !== undefined) {
    context.skip(
      `${feature.description} was removed in Linux ${feature.removedIn} and in stable kernels; running ${running}`,
    );
    return false;
  }
  if (kernelOlderThan(minKernel)) {
    context.skip(`needs ${feature.description} (Linux ${minKernel}+); running ${running}`);
    return false;
  }
  throw new Error(
    `the probe says ${feature.description} is not supported, yet the running kernel (${running}) is at least ` +
      `${minKernel}: the probe or its minimum kernel is wrong (${result.error.message})`,
    { cause: result.error },
  );
}
