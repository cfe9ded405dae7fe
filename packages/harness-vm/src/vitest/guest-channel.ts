import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';
import {
  type AgentHello,
  encodeFrame,
  encodeJsonFrame,
  type Frame,
  FrameDecoder,
  FrameKind,
  type SpawnRequest,
  type WorkerExit,
} from './agent-frames.js';
import type { WorkerLink, WorkerLinkEvents } from './worker-link.js';

/**
 * The host's end of one worker in the guest. Messages cross the port `v8.serialize`d, as vitest's forks
 * pool's advanced IPC carries them.
 */
export class GuestWorkerLink extends EventEmitter<WorkerLinkEvents> implements WorkerLink {
  readonly id: number;
  readonly #channel: GuestChannel;

  /** @internal */
  constructor(id: number, channel: GuestChannel) {
    super();
    this.id = id;
    this.#channel = channel;
  }

  send(message: unknown): void {
    this.#channel.write(encodeFrame(FrameKind.message, this.id, serialize(message)));
  }

  kill(): void {
    this.#channel.write(encodeFrame(FrameKind.kill, this.id));
  }
}

/**
 * The host's end of the guest's virtio-serial port: a Unix socket that qemu connects to when it starts
 * (qemu is the client, so nothing has to poll for a socket to appear). Demultiplexes the agent's frames
 * by worker.
 */
export class GuestChannel {
  readonly path: string;
  /** Resolves with the agent's greeting. */
  readonly hello: Promise<AgentHello>;
  /** `performance.now()` of the last frame from the guest; heartbeats keep it fresh. */
  lastHeard = performance.now();
  readonly #server: Server;
  readonly #workers = new Map<number, GuestWorkerLink>();
  #socket: Socket | undefined;
  #idleWaiters: (() => void)[] = [];
  #nextId = 1;
  #resolveHello!: (hello: AgentHello) => void;

  private constructor(path: string, server: Server) {
    this.path = path;
    this.#server = server;
    this.hello = new Promise((resolve) => {
      this.#resolveHello = resolve;
    });
    // A run that fails before the agent speaks must not leave an unhandled rejection behind.
    this.hello.catch(() => {});
    server.on('connection', (socket) => this.#accept(socket));
  }

  /** Listens on `path` for qemu's connection. */
  static async listen(path: string): Promise<GuestChannel> {
    const server = createServer();
    const channel = new GuestChannel(path, server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return channel;
  }

  /** Starts a vitest worker in the guest. */
  spawn(request: SpawnRequest): GuestWorkerLink {
    const link = new GuestWorkerLink(this.#nextId++, this);
    this.#workers.set(link.id, link);
    link.once('exit', () => {
      this.#workers.delete(link.id);
      if (this.#workers.size === 0) for (const done of this.#idleWaiters.splice(0)) done();
    });
    this.write(encodeJsonFrame(FrameKind.spawn, link.id, request));
    return link;
  }

  /** Resolves once no worker started through this channel is still running. */
  idle(): Promise<void> {
    if (this.#workers.size === 0) return Promise.resolve();
    return new Promise((done) => this.#idleWaiters.push(done));
  }

  /** Asks the agent to end every worker and exit. */
  shutdown(): void {
    this.write(encodeFrame(FrameKind.shutdown, 0));
  }

  /** @internal */
  write(frame: Buffer): void {
    this.#socket?.write(frame);
  }

  /** Closes the socket and stops listening (idempotent). */
  close(): void {
    this.#socket?.destroy();
    this.#server.close();
  }

  #accept(socket: Socket): void {
    if (this.#socket) {
      socket.destroy();
      return;
    }
    this.#socket = socket;
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      this.lastHeard = performance.now();
      for (const frame of decoder.push(chunk)) this.#dispatch(frame);
    });
    // qemu closes its end when the guest is gone; the session learns why from the run's outcome.
    socket.on('error', () => {});
  }

  #dispatch(frame: Frame): void {
    switch (frame.kind) {
      case FrameKind.hello:
        this.#resolveHello(JSON.parse(frame.payload.toString('utf8')) as AgentHello);
        return;
      case FrameKind.heartbeat:
        return;
      case FrameKind.message:
        this.#workers.get(frame.worker)?.emit('message', deserialize(frame.payload));
        return;
      case FrameKind.stdout:
        this.#workers.get(frame.worker)?.emit('stdout', frame.payload);
        return;
      case FrameKind.stderr:
        this.#workers.get(frame.worker)?.emit('stderr', frame.payload);
        return;
      case FrameKind.exit:
        this.#workers
          .get(frame.worker)
          ?.emit('exit', JSON.parse(frame.payload.toString('utf8')) as WorkerExit);
        return;
    }
  }
}
