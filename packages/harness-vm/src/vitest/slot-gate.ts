/**
 * How many test files a kernel runs at once: a guest has as many slots as vCPUs, the host one fewer than
 * its cores. Waiters are served in arrival order, so files keep vitest's order within a kernel.
 */
export class SlotGate {
  #free: number;
  readonly #waiters: (() => void)[] = [];

  constructor(slots: number) {
    this.#free = Math.max(1, slots);
  }

  /** Resolves with the function that gives the slot back (idempotent) once a slot is free. */
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiters.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
