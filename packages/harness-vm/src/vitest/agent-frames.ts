/**
 * The framing spoken over the guest's virtio-serial port between the host's pool and the agent in
 * the guest. A serial port is one byte stream, so every frame carries the worker it belongs to:
 * `u32 payload length | u8 kind | u32 worker id | payload`, little-endian.
 */
export const FrameKind = {
  /** host → guest: start a vitest worker process; payload JSON {@link SpawnRequest}. */
  spawn: 1,
  /** both ways: one vitest worker message, `v8.serialize`d (vitest's forks pool uses advanced IPC). */
  message: 2,
  /** host → guest: kill a worker; empty payload. */
  kill: 3,
  /** host → guest: kill every worker and exit; worker id 0. */
  shutdown: 4,
  /** guest → host: the agent is up; payload JSON {@link AgentHello}; worker id 0. */
  hello: 5,
  /** guest → host: a worker's stdout / stderr bytes. */
  stdout: 6,
  stderr: 7,
  /** guest → host: a worker process ended; payload JSON {@link WorkerExit}. */
  exit: 8,
  /** guest → host: the agent is alive (sent every few seconds); worker id 0. */
  heartbeat: 9,
} as const;

/** One of {@link FrameKind}'s values. */
export type FrameKindValue = (typeof FrameKind)[keyof typeof FrameKind];

/** A decoded frame. */
export interface Frame {
  readonly kind: FrameKindValue;
  readonly worker: number;
  readonly payload: Buffer;
}

/** What the agent needs to start a vitest worker in the guest. */
export interface SpawnRequest {
  /** vitest's worker entry point (`<vitest>/dist/workers/forks.js`), the same path in the guest. */
  readonly entrypoint: string;
  readonly execArgv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/** The agent's greeting. */
export interface AgentHello {
  /** `uname -r` in the guest. */
  readonly release: string;
  readonly node: string;
}

/** How a worker process ended. */
export interface WorkerExit {
  readonly code: number | null;
  readonly signal: string | null;
  /** Set when the process could not be started at all. */
  readonly error?: string;
}

const headerBytes = 9;

/** Encodes one frame. */
export function encodeFrame(
  kind: FrameKindValue,
  worker: number,
  payload: Uint8Array = Buffer.alloc(0),
): Buffer {
  const frame = Buffer.allocUnsafe(headerBytes + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt8(kind, 4);
  frame.writeUInt32LE(worker, 5);
  frame.set(payload, headerBytes);
  return frame;
}

/** Encodes a frame whose payload is JSON. */
export function encodeJsonFrame(kind: FrameKindValue, worker: number, value: unknown): Buffer {
  return encodeFrame(kind, worker, Buffer.from(JSON.stringify(value)));
}

/** Reassembles frames from the chunks a stream delivers (a frame may span chunks, a chunk several frames). */
export class FrameDecoder {
  #pending: Buffer = Buffer.alloc(0);

  /** Feeds a chunk; returns the frames it completed. */
  push(chunk: Buffer): Frame[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: Frame[] = [];
    while (this.#pending.length >= headerBytes) {
      const length = this.#pending.readUInt32LE(0);
      if (this.#pending.length < headerBytes + length) break;
      frames.push({
        kind: this.#pending.readUInt8(4) as FrameKindValue,
        worker: this.#pending.readUInt32LE(5),
        payload: this.#pending.subarray(headerBytes, headerBytes + length),
      });
      this.#pending = this.#pending.subarray(headerBytes + length);
    }
    return frames;
  }
}
