import type { BpfObject, Program } from '@progrun/syscall';
import type { ProbedTestRunType } from '@progrun/syscall/features';
import type { RunRecord } from '../render/run-report.js';

/** One run of a demo scenario and what it showed. */
export interface DemoCase {
  /** What went in, in a few words: `UDP to port 53`. */
  readonly input: string;
  /** The run, for the verdict and, with --verbose, the full report. */
  readonly record: RunRecord;
  /** What the run showed, in a few words: `MAC addresses swapped`. */
  readonly summary: string;
  /** Expectations that did not hold; empty when the case passed. */
  readonly problems: readonly string[];
}

/** What a scenario gets to work with: the loaded object and a way to run its program. */
export interface DemoContext {
  /** The loaded ELF object: its maps are set up and read through it. */
  readonly object: BpfObject;
  readonly program: Program;
  /** The program's type name (`XDP`). */
  readonly typeName: string;
  /**
   * Runs the program once the way `progrun run` does (contexts built and decoded for its type).
   * @param origin how the input is described in the report
   */
  run(input: { packet?: Uint8Array; ctx?: unknown; cpu?: number; origin: string }): RunRecord;
}

/** A built-in example run end to end by `progrun demo`. */
export interface DemoScenario {
  /** Directory (and base name) of the example under `examples/`. */
  readonly example: string;
  /** The program's C function name. */
  readonly program: string;
  /** What the example is, in a few words. */
  readonly title: string;
  /** The program type whose test run it needs; on a kernel without it, the scenario is skipped. */
  readonly testRunType: ProbedTestRunType;
  /** Sets up maps, runs the program on its inputs and checks the results. */
  run(context: DemoContext): Promise<DemoCase[]> | DemoCase[];
}

/** Collects failed expectations of a case. */
export class Expectations {
  readonly problems: string[] = [];

  /** Records `what` as a problem unless `actual` equals `expected` (compared as text). */
  equal(what: string, actual: unknown, expected: unknown): this {
    if (String(actual) !== String(expected))
      this.problems.push(`${what} is ${String(actual)}, expected ${String(expected)}`);
    return this;
  }

  /** Records `what` as a problem unless `condition` holds. */
  that(condition: boolean, what: string): this {
    if (!condition) this.problems.push(what);
    return this;
  }
}
