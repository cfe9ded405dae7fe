/** State of one worker. */
export type WorkerState = 'starting' | 'running' | 'done' | 'failed';

/** One worker's counters at a progress event. */
export interface WorkerProgress {
  /** CPU the worker is pinned to. */
  readonly cpu: number;
  /** Kernel thread id of the worker (0 before it started). */
  readonly tid: number;
  readonly state: WorkerState;
  /** Frames injected so far. */
  readonly frames: number;
  /** BPF_PROG_RUN calls so far. */
  readonly calls: number;
  /** Frames per second since the previous progress event. */
  readonly pps: number;
}

/** Emitted every `progressInterval` ms while an injection runs (event `'progress'`, async iterator). */
export interface Progress {
  /** Frames injected so far over all workers. */
  readonly frames: number;
  /** Milliseconds since the workers started. */
  readonly elapsedMs: number;
  /** Frames per second since the previous progress event. */
  readonly pps: number;
  /** Frames per second since the start. */
  readonly averagePps: number;
  readonly workers: readonly WorkerProgress[];
}
