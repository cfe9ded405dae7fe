import { type KernelVersion, kernelAtLeast } from '@progrun/uapi';
import type { ProbeObservation } from './probe-observation.js';

/** One acceptable result of a probe. */
export type ExpectedResult =
  | { readonly outcome: 'ok'; readonly retval?: number }
  | { readonly outcome: 'error'; readonly code: string }
  | { readonly outcome: 'supported' }
  | { readonly outcome: 'unsupported' };

/**
 * What a probe must show on a given kernel, and the kernel fact that says so. `backports` are the
 * results of a newer kernel that distributions bring to older ones through stable updates: accepted,
 * and reported as backports.
 */
export interface Expectation {
  readonly anyOf: readonly ExpectedResult[];
  readonly backports?: readonly ExpectedResult[];
  readonly because: string;
}

/** From `since` (a kernel version) on, these results are expected. */
export interface VersionRule extends Expectation {
  readonly since: string;
}

/** Expected `ok` with a return value. */
export const ok = (retval?: number): ExpectedResult => ({ outcome: 'ok', retval });
/** Expected failure with an errno name. */
export const error = (code: string): ExpectedResult => ({ outcome: 'error', code });
export const supported: ExpectedResult = { outcome: 'supported' };
export const unsupported: ExpectedResult = { outcome: 'unsupported' };

/**
 * The expectation for `version`: the last rule whose `since` the version reaches. Rules must be in
 * ascending order and the first must cover every kernel the catalogue can hold.
 */
export function expectationFor(rules: readonly VersionRule[], version: KernelVersion): Expectation {
  const rule = [...rules].reverse().find((candidate) => kernelAtLeast(version, candidate.since));
  if (!rule) throw new RangeError(`no expectation covers kernel ${version.major}.${version.minor}`);
  const { since: _since, ...expectation } = rule;
  return expectation;
}

function matches(observation: ProbeObservation, expected: ExpectedResult): boolean {
  if (expected.outcome !== observation.outcome) return false;
  if (expected.outcome === 'error') return observation.code === expected.code;
  if (expected.outcome === 'ok')
    return expected.retval === undefined || observation.retval === expected.retval;
  return true;
}

/**
 * How an observation compares with an expectation: one of the expected results, a known backport,
 * or a contradiction. An inconclusive observation is never expected.
 */
export function compareWithExpectation(
  observation: ProbeObservation,
  expectation: Expectation,
): 'expected' | 'backport' | 'contradiction' {
  if (expectation.anyOf.some((expected) => matches(observation, expected))) return 'expected';
  if (expectation.backports?.some((expected) => matches(observation, expected))) return 'backport';
  return 'contradiction';
}

function formatExpected(expected: ExpectedResult): string {
  if (expected.outcome === 'ok')
    return expected.retval === undefined ? 'ok' : `ok, retval ${expected.retval}`;
  if (expected.outcome === 'error') return expected.code;
  return expected.outcome;
}

/** `ok, retval 2 or EINVAL (backport: E2BIG)`. */
export function formatExpectation(expectation: Expectation): string {
  const main = expectation.anyOf.map(formatExpected).join(' or ');
  return expectation.backports?.length
    ? `${main} (backport: ${expectation.backports.map(formatExpected).join(' or ')})`
    : main;
}
