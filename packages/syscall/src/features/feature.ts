import { NotSupportedError } from '../errors/not-supported-error.js';
import { ProbeInconclusiveError } from './probe-inconclusive-error.js';

/** The three answers of a probe. */
export type FeatureStatus = 'supported' | 'unsupported' | 'inconclusive';

/** A probe's answer, cached per process. */
export type FeatureResult =
  | { readonly status: 'supported' }
  | {
      readonly status: 'unsupported';
      /** The typed answer: `feature`, `minKernel`, and as `cause` the error that revealed it, if any. */
      readonly error: NotSupportedError;
    }
  | {
      readonly status: 'inconclusive';
      /** Why the probe could not tell; `cause` holds the underlying failure. */
      readonly error: ProbeInconclusiveError;
    };

/**
 * What a probe function reports: `true` when the kernel has the feature, or an {@link Unsupported} saying
 * why it does not. Any exception thrown makes the probe inconclusive.
 * @internal
 */
export type ProbeOutcome = true | Unsupported;

/** @internal */
export interface Unsupported {
  readonly unsupported: string;
  readonly cause?: unknown;
}

/** @internal */
export function unsupported(reason: string, cause?: unknown): Unsupported {
  return { unsupported: reason, cause };
}

/** What describes a {@link Feature}. */
export interface FeatureSpec {
  /** Stable id, e.g. `'test_run:XDP'`, `'xdp_live_frames'`. */
  readonly id: string;
  /** What it is, for messages: `'BPF_PROG_TEST_RUN of BPF_PROG_TYPE_XDP programs'`. */
  readonly description: string;
  /** First mainline kernel with the feature; undefined when no kernel has it. */
  readonly minKernel: string | undefined;
  /**
   * First mainline kernel without it again, for features the kernel dropped (often also dropped from
   * stable kernels, so older releases may lack it as well).
   */
  readonly removedIn?: string;
}

/**
 * A kernel feature with a probe. {@link probe} runs the probe once per process (later calls return the
 * cached answer) and says supported, unsupported (with a {@link NotSupportedError} naming the minimum
 * kernel) or inconclusive (with the cause). {@link check} turns the answer into control flow.
 *
 * Probes load small programs and make real BPF_PROG_TEST_RUN calls: they need the privileges loading
 * needs (CAP_BPF plus CAP_NET_ADMIN / CAP_PERFMON, or root); without them they are inconclusive.
 */
export class Feature implements FeatureSpec {
  readonly id: string;
  readonly description: string;
  readonly minKernel: string | undefined;
  readonly removedIn: string | undefined;
  readonly #probe: () => ProbeOutcome;
  #result: FeatureResult | undefined;

  /** @internal */
  constructor(spec: FeatureSpec, probe: () => ProbeOutcome) {
    this.id = spec.id;
    this.description = spec.description;
    this.minKernel = spec.minKernel;
    this.removedIn = spec.removedIn;
    this.#probe = probe;
  }

  /** Runs the probe (once per process) and returns its answer. Never throws. */
  probe(): FeatureResult {
    this.#result ??= this.#run();
    return this.#result;
  }

  /**
   * Returns when the kernel has the feature.
   * @throws {NotSupportedError} when it does not (with `minKernel`).
   * @throws {ProbeInconclusiveError} when the probe could not tell.
   */
  check(): void {
    const result = this.probe();
    if (result.status !== 'supported') throw result.error;
  }

  #run(): FeatureResult {
    try {
      const outcome = this.#probe();
      if (outcome === true) return { status: 'supported' };
      const removed = this.removedIn === undefined ? '' : `; removed again in Linux ${this.removedIn}`;
      return {
        status: 'unsupported',
        error: new NotSupportedError(this.description, this.minKernel, {
          cause: outcome.cause,
          hint: `${outcome.unsupported}${removed}`,
        }),
      };
    } catch (cause) {
      return { status: 'inconclusive', error: new ProbeInconclusiveError(this.id, this.description, cause) };
    }
  }
}
