import { ValidationError } from '@progrun/uapi';
import { native } from './native.js';

/**
 * Cancellation of the async test runs (runAsync, benchmarkAsync, runEachAsync, runStream). The pool
 * thread of a run checks a native flag between the chunks of a long repeat and between inputs
 * (native/src/test-run-chunks.h), so a raised flag stops it within one chunk: a few milliseconds.
 *
 * An AbortSignal raises its call's flag; the call's promise rejects with `signal.reason` once it stopped. At
 * `process.exit()` every flag of the environment is raised: the process waits for the pool threads
 * before it exits, and would otherwise wait for the whole run (minutes for a repeat of 2^32-1).
 * @internal
 */

let lastId = 0;
let exitHooked = false;

/** The `signal` option: undefined or an AbortSignal. @throws {ValidationError} naming `field`. */
export function signalOption(field: string, value: unknown): AbortSignal | undefined {
  if (value === undefined || value instanceof AbortSignal) return value;
  throw new ValidationError(field, 'an AbortSignal', { received: value });
}

/**
 * Starts `start(cancelId)` (a native async call taking the id) so that `signal` can stop it: when the
 * signal aborts, the native call stops at its next chunk or input (a few milliseconds) and the returned
 * promise then rejects with `signal.reason`; an already aborted signal rejects without starting. The
 * promise settles only once the pool thread is done with the call, so its fds and buffers are released
 * by then.
 */
export function cancellable<T>(
  signal: AbortSignal | undefined,
  start: (cancelId: number) => Promise<T>,
): Promise<T> {
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', () => native.testRunCancelAll());
  }
  if (signal === undefined) return start(0);
  if (signal.aborted) return Promise.reject(signal.reason);
  lastId = lastId === 0xffff_ffff ? 1 : lastId + 1;
  const id = lastId;
  const onAbort = () => native.testRunCancel(id);
  signal.addEventListener('abort', onAbort, { once: true });
  return start(id).then(
    (value) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) throw signal.reason;
      return value;
    },
    (error: unknown) => {
      signal.removeEventListener('abort', onAbort);
      throw signal.aborted ? signal.reason : error;
    },
  );
}

/** `promise`, or a rejection with `signal.reason` as soon as `signal` aborts (a wait on JavaScript, such as a source). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
