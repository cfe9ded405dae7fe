import { objectArgument } from '../object-argument.js';
import type { FramesByAction } from './xdp-action.js';

/** Page-pool events of a run's pools, as the `page_pool:*` tracepoints showed them. */
export interface PagePoolMeasurement {
  /** Pools destroyed with no page in flight (one per BPF_PROG_RUN call). */
  readonly pools: number;
  /** `page_pool_state_hold` events of those pools: pages taken from the page allocator. */
  readonly hold: number;
  /** `page_pool_state_release` events of those pools: pages given back to the page allocator. */
  readonly release: number;
  /** Sum of the hold counters in their `page_pool_release` records (equals `hold` when no event was lost). */
  readonly recordHold: number;
  readonly recordRelease: number;
  /** Pages taken per pool. */
  readonly holdPerPool: { readonly min: number; readonly max: number; readonly mean: number };
  /** `page_pool_release` records, including retries of a destroy that waited for pages in flight. */
  readonly records: number;
  /** Records that found pages still in flight, and the most in flight at once. */
  readonly recordsInflight: number;
  readonly inflightMax: number;
  /** Pools of the run not destroyed yet when statistics were read (pages still in flight). */
  readonly pending: number;
}

/** What the documented recycling model (Documentation/bpf/bpf_prog_run.rst) predicts for a run. */
export interface PagePoolPrediction {
  /** One pool per call. */
  readonly pools: number;
  /** Pages taken: each pool fills one batch, plus one page per frame passed to the stack (released). */
  readonly hold: number;
  /** Pages given back: all of them, by the time the pools are destroyed. */
  readonly release: number;
  /** The rules the numbers come from. */
  readonly basis: readonly string[];
}

/** Measurement beside prediction. */
export interface PagePoolReport {
  readonly measured: PagePoolMeasurement;
  readonly model: PagePoolPrediction;
  /** True when pools, hold and release all match. */
  readonly agrees: boolean;
  /** Where and, when known, why they differ (empty when they agree). */
  readonly findings: readonly string[];
}

/** Inputs of {@link predictPagePool}. */
export interface PagePoolRunFacts {
  readonly calls: number;
  readonly batchSize: number;
  /** Sum over calls of min(repeat, batchSize): the pages the first batch of each call needs. */
  readonly batchFrames: number;
  /** Frames per verdict, when the verdicts are known. */
  readonly actions: FramesByAction | undefined;
}

/**
 * The documented model: the test run creates a page pool per call, "of the same size as the batch size",
 * each page initialised with the frame; pages are recycled a batch at a time, a dropped frame's page at
 * once; a page passed to the stack (XDP_PASS) is released and a new one allocated.
 */
export function predictPagePool(facts: PagePoolRunFacts): PagePoolPrediction {
  objectArgument('facts', facts, "an object of the run's facts");
  const passed = facts.actions?.pass ?? 0;
  const basis = [
    `one pool per call (${facts.calls} calls)`,
    `each pool fills one batch: min(repeat, batch size ${facts.batchSize}) pages per call`,
    'dropped frames recycle their page at once; transmitted and redirected pages are recycled a batch at a time',
  ];
  basis.push(
    facts.actions === undefined
      ? 'verdicts unknown (preview off): no XDP_PASS frames assumed'
      : `each of the ${passed} XDP_PASS frames releases its page and a new one is allocated`,
  );
  return { pools: facts.calls, hold: facts.batchFrames + passed, release: facts.batchFrames + passed, basis };
}

/** Compares a measurement with the model and explains the known differences. */
export function comparePagePool(
  measured: PagePoolMeasurement,
  model: PagePoolPrediction,
  facts: PagePoolRunFacts,
): PagePoolReport {
  objectArgument('measured', measured, 'a page pool measurement');
  objectArgument('model', model, 'a page pool prediction (predictPagePool)');
  objectArgument('facts', facts, "an object of the run's facts");
  const findings: string[] = [];
  if (measured.pending > 0) {
    findings.push(`${measured.pending} pools still had pages in flight when the statistics were read`);
  }
  if (measured.pools !== model.pools) {
    findings.push(`measured ${measured.pools} pools destroyed, model ${model.pools} (one per call)`);
  }
  if (measured.hold !== model.hold) {
    const perPool = measured.pools > 0 ? measured.hold / measured.pools : 0;
    const modelPerPool = model.pools > 0 ? model.hold / model.pools : 0;
    findings.push(
      `measured ${measured.hold} pages taken (${perPool.toFixed(1)} per pool), model ${model.hold} (${modelPerPool.toFixed(1)} per pool)`,
    );
    const actions = facts.actions;
    if (actions !== undefined) {
      const total = Object.values(actions).reduce((sum, n) => sum + n, 0);
      const dropped = actions.drop + actions.aborted + actions.invalid;
      if (dropped === total && facts.batchSize > 64 && perPool < modelPerPool) {
        findings.push(
          'all frames were dropped: the pool takes pages from the allocator in bulks of 64 and a dropped ' +
            "frame's page returns to the pool's cache at once, so one bulk serves every batch",
        );
      }
      if (actions.pass > 0 && measured.hold < model.hold) {
        findings.push(
          `the ${actions.pass} XDP_PASS frames did not cost a page each: their pages came back to the pool ` +
            '(skb page-pool recycling) instead of being released, unlike the documentation says',
        );
      }
    }
  }
  if (measured.release !== model.release) {
    findings.push(`measured ${measured.release} pages released, model ${model.release}`);
  }
  if (measured.recordHold !== measured.hold || measured.recordRelease !== measured.release) {
    findings.push(
      `the pools' own counters (hold ${measured.recordHold}, release ${measured.recordRelease}) differ from the ` +
        'events counted: some events were missed (tracepoint recursion or a full map)',
    );
  }
  const agrees =
    measured.pending === 0 &&
    measured.pools === model.pools &&
    measured.hold === model.hold &&
    measured.release === model.release;
  return { measured, model, agrees, findings };
}
