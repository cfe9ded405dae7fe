/**
 * Runs inside a guest, started by the harness as the guest's command: `node vitest-agent.js <port name>`.
 * It starts vitest worker processes on the host pool's behalf and relays their messages over a
 * virtio-serial port, so the host's vitest drives workers in the guest as it drives its own forks.
 * Nothing but Node's built-ins: the guest runs it from the host's tree, read-only.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
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
} from '../agent-frames.js';

const heartbeatMs = 2000;
const killGraceMs = 500;

/** `/dev/vportNpM` of the virtio-serial port the host named `name` (devtmpfs creates the node; no udev needed). */
function findPort(name: string): string {
  for (const entry of readdirSync('/sys/class/virtio-ports')) {
    try {
      if (readFileSync(`/sys/class/virtio-ports/${entry}/name`, 'utf8').trim() === name)
        return `/dev/${entry}`;
    } catch {
      // A port without a name.
    }
  }
  throw new Error(`no virtio-serial port named ${name} in /sys/class/virtio-ports`);
}

/**
 * The port is read and written by two `cat`s sharing one descriptor (a virtio port opens once): Node
 * reads a character device only on its thread pool, with a blocking read that would keep the process
 * from ever exiting; through pipes the reads are ordinary non-blocking ones.
 */
function openPort(path: string): ChildProcess {
  return spawn('sh', ['-c', 'exec 3<>"$1"; cat <&3 & exec cat >&3', 'sh', path], {
    stdio: ['pipe', 'pipe', 'inherit'],
    detached: true,
  });
}

function main(): void {
  const portName = process.argv[2];
  if (!portName) throw new Error('usage: vitest-agent <virtio port name>');
  const port = openPort(findPort(portName));
  const workers = new Map<number, ChildProcess>();
  const send = (frame: Buffer) => port.stdin!.write(frame);

  const finish = (code: number) => {
    for (const child of workers.values()) child.kill('SIGKILL');
    clearInterval(heartbeat);
    port.stdin!.end(() => {
      try {
        process.kill(-port.pid!, 'SIGKILL');
      } catch {
        // Gone already.
      }
      process.exit(code);
    });
  };

  const startWorker = (id: number, request: SpawnRequest) => {
    const child = fork(request.entrypoint, [], {
      cwd: request.cwd,
      env: request.env,
      execArgv: [...request.execArgv],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    workers.set(id, child);
    child.stdout!.on('data', (chunk: Buffer) => send(encodeFrame(FrameKind.stdout, id, chunk)));
    child.stderr!.on('data', (chunk: Buffer) => send(encodeFrame(FrameKind.stderr, id, chunk)));
    child.on('message', (message) => send(encodeFrame(FrameKind.message, id, serialize(message))));
    let reported = false;
    const report = (exit: WorkerExit) => {
      if (reported) return;
      reported = true;
      workers.delete(id);
      send(encodeJsonFrame(FrameKind.exit, id, exit));
    };
    child.on('error', (error) => report({ code: null, signal: null, error: error.message }));
    child.on('exit', (code, signal) => report({ code, signal }));
  };

  const handle = (frame: Frame) => {
    switch (frame.kind) {
      case FrameKind.spawn:
        startWorker(frame.worker, JSON.parse(frame.payload.toString('utf8')) as SpawnRequest);
        break;
      case FrameKind.message: {
        const child = workers.get(frame.worker);
        // A message for a worker that just ended is dropped, as a dead fork's IPC channel drops it.
        if (child?.connected) child.send(deserialize(frame.payload) as object);
        break;
      }
      case FrameKind.kill: {
        const child = workers.get(frame.worker);
        if (child) {
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), killGraceMs).unref();
        }
        break;
      }
      case FrameKind.shutdown:
        finish(0);
        break;
    }
  };

  const decoder = new FrameDecoder();
  port.stdout!.on('data', (chunk: Buffer) => {
    for (const frame of decoder.push(chunk)) handle(frame);
  });
  // The host closed its end: nobody is left to report to.
  port.stdout!.on('end', () => finish(1));
  const heartbeat = setInterval(() => send(encodeFrame(FrameKind.heartbeat, 0)), heartbeatMs);
  const hello: AgentHello = { release: release(), node: process.version };
  send(encodeJsonFrame(FrameKind.hello, 0, hello));
}

main();
