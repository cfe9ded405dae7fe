import type { EventEmitter } from 'node:events';
import type { WorkerExit } from './agent-frames.js';

/** What the pool hears about one vitest worker process, wherever it runs. */
export interface WorkerLinkEvents {
  /** One vitest message (a response or an RPC call), as the worker sent it. */
  message: [message: unknown];
  stdout: [chunk: Buffer];
  stderr: [chunk: Buffer];
  exit: [exit: WorkerExit];
}

/** The pool's end of one vitest worker process: in a guest (over the serial port) or on the host. */
export interface WorkerLink extends EventEmitter<WorkerLinkEvents> {
  /** Sends one vitest message to the worker. */
  send(message: unknown): void;
  /** Ends the worker (SIGTERM, then SIGKILL). */
  kill(): void;
}
