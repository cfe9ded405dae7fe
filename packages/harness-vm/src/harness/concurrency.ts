import { availableParallelism, freemem } from 'node:os';
import { countArgument, objectArgument } from '../util/argument-checks.js';

const mib = 1024 * 1024;
/** Memory a guest needs beyond its RAM (qemu itself, 9p buffers), MiB. */
const qemuOverheadMiB = 256;
/** Memory left to the host, MiB. */
const hostReserveMiB = 512;

/**
 * How many guests may run at once: one per `cpusPerGuest` host cores, and no more than fit in free
 * memory. At least one. On a 2-core machine with 2-vCPU guests that is 1.
 * @throws {ValidationError} naming an argument of the wrong kind.
 */
export function defaultConcurrency(
  cpusPerGuest: number,
  memoryMiB: number,
  host: { cores: number; freeMiB: number } = { cores: availableParallelism(), freeMiB: freemem() / mib },
): number {
  countArgument('cpusPerGuest', cpusPerGuest);
  countArgument('memoryMiB', memoryMiB);
  objectArgument('host', host, '{ cores, freeMiB }');
  countArgument('host.cores', host.cores);
  countArgument('host.freeMiB', host.freeMiB);
  const byCores = Math.floor(host.cores / cpusPerGuest);
  const byMemory = Math.floor((host.freeMiB - hostReserveMiB) / (memoryMiB + qemuOverheadMiB));
  return Math.max(1, Math.min(byCores, byMemory));
}

/** Runs `tasks` with at most `limit` in flight; results in input order, all settled. */
export async function settleWithLimit<T>(
  tasks: readonly (() => Promise<T>)[],
  limit: number,
): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await tasks[index]!() };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
