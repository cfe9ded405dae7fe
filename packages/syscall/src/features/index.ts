/**
 * Feature probes of the running kernel's BPF_PROG_TEST_RUN: cached, with three outcomes (supported,
 * NotSupportedError with the minimum kernel, inconclusive with the cause), and a test guard.
 *
 * @example
 * ```ts
 * import { testRunFeature, xdpLiveFrames } from '@progrun/syscall/features';
 * testRunFeature('SK_LOOKUP').check(); // throws NotSupportedError { minKernel: '5.13' } on 5.10
 * if (xdpLiveFrames.probe().status === 'supported') { ... }
 * ```
 */
import type { Feature } from './feature.js';
import { dataSizeOutHonoured, skbChecksumComplete, testRunOnCpu } from './run-option-features.js';
import { TEST_RUN_PROBED_TYPES, testRunFeature } from './test-run-features.js';
import {
  xdpLiveFrames,
  xdpMdContext,
  xdpRejectsShortData,
  xdpRejectsUnknownFlags,
} from './xdp-run-features.js';

export { NotSupportedError } from '../errors/not-supported-error.js';
export { Feature, type FeatureResult, type FeatureSpec, type FeatureStatus } from './feature.js';
export { ProbeInconclusiveError } from './probe-inconclusive-error.js';
export { type RequireFeatureOptions, requireFeature, type SkipContext } from './require-feature.js';
export { dataSizeOutHonoured, skbChecksumComplete, testRunOnCpu } from './run-option-features.js';
export { type ProbedTestRunType, TEST_RUN_PROBED_TYPES, testRunFeature } from './test-run-features.js';
export {
  NEXT_UNUSED_TEST_RUN_FLAG,
  xdpLiveFrames,
  xdpMdContext,
  xdpRejectsShortData,
  xdpRejectsUnknownFlags,
} from './xdp-run-features.js';

/** Every probed feature: the test run of each probed program type, then the option and XDP features. */
export function allFeatures(): Feature[] {
  return [
    ...TEST_RUN_PROBED_TYPES.map((type) => testRunFeature(type)),
    xdpLiveFrames,
    xdpRejectsUnknownFlags,
    testRunOnCpu,
    skbChecksumComplete,
    xdpMdContext,
    dataSizeOutHonoured,
    xdpRejectsShortData,
  ];
}
