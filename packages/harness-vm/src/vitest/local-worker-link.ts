import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { SpawnRequest } from './agent-frames.js';
import type { WorkerLink, WorkerLinkEvents } from './worker-link.js';

const killGraceMs = 500;

/**
 * A vitest forks worker on the host, started as vitest's forks pool starts it (advanced IPC): the host
 * kernel's project runs through the same pool as the guests', so that every kernel has its own
 * number of files at once.
 */
export function spawnLocalWorker(request: SpawnRequest): WorkerLink {
  const link = new EventEmitter<WorkerLinkEvents>() as EventEmitter<WorkerLinkEvents> & WorkerLink;
  const child = fork(request.entrypoint, [], {
    cwd: request.cwd,
    env: request.env,
    execArgv: [...request.execArgv],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  child.stdout!.on('data', (chunk: Buffer) => link.emit('stdout', chunk));
  child.stderr!.on('data', (chunk: Buffer) => link.emit('stderr', chunk));
  child.on('message', (message) => link.emit('message', message));
  let exited = false;
  child.on('error', (error) => {
    if (exited) return;
    exited = true;
    link.emit('exit', { code: null, signal: null, error: error.message });
  });
  child.on('exit', (code, signal) => {
    if (exited) return;
    exited = true;
    link.emit('exit', { code, signal });
  });
  link.send = (message) => {
    if (child.connected) child.send(message as object);
  };
  link.kill = () => {
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), killGraceMs).unref();
  };
  return link;
}
