import { closeSync } from 'node:fs';

interface Held {
  readonly fds: readonly number[];
  readonly description: string;
}

const registry = new FinalizationRegistry<Held>((held) => {
  for (const fd of held.fds) {
    try {
      closeSync(fd);
    } catch {
      // closed elsewhere already: nothing left to release
    }
  }
  process.emitWarning(
    `${held.description} was garbage-collected without close(); its fds (${held.fds.join(', ')}) were closed.`,
    { code: 'PROGRUN_FD_LEAK', type: 'ResourceWarning' },
  );
});

/**
 * The safety net of every fd-owning object of this package: an owner collected while still open gets its
 * fds closed, with a `PROGRUN_FD_LEAK` warning. Call {@link releaseFds} from close().
 * @internal
 */
export function guardFds(owner: object, fds: readonly number[], description: string): void {
  registry.register(owner, { fds, description }, owner);
}

/** Withdraws the safety net of `owner` (its close() releases the fds itself). @internal */
export function releaseFds(owner: object): void {
  registry.unregister(owner);
}
