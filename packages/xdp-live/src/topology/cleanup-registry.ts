import { readdirSync } from 'node:fs';
import { runCommandSync } from './run-command.js';

/** Prefix of every network namespace and device this package creates. */
export const NAME_PREFIX = 'pr-xl-';

const owned = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let exitHookInstalled = false;
let signalHooksInstalled = false;

function deleteAllSync(): void {
  for (const name of owned) runCommandSync('ip', ['netns', 'delete', name]);
  owned.clear();
}

// On a terminating signal that no one else listens for, the process is about to die of it: delete what
// is left and re-raise it (a listener disables Node's default action). When the application listens too,
// it decides when to end, and its owners of the namespaces may still be using them (reading counters
// after stopping an injection): deleting them here would pull them from under it. The exit hook deletes
// whatever is left when it does end.
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  deleteAllSync();
  removeSignalHooks();
  process.kill(process.pid, signal);
}

function removeSignalHooks(): void {
  if (!signalHooksInstalled) return;
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  signalHooksInstalled = false;
}

/**
 * Records a network namespace this process created, so that it is deleted when the process exits or
 * receives SIGINT/SIGTERM/SIGHUP without having deleted it itself.
 * @internal
 */
export function trackNetns(name: string): void {
  owned.add(name);
  if (!exitHookInstalled) {
    process.on('exit', deleteAllSync);
    exitHookInstalled = true;
  }
  if (!signalHooksInstalled) {
    for (const signal of SIGNALS) process.on(signal, onSignal);
    signalHooksInstalled = true;
  }
}

/** Forgets a namespace that was deleted. @internal */
export function untrackNetns(name: string): void {
  owned.delete(name);
  if (owned.size === 0) removeSignalHooks();
}

/** Names of the namespaces this process created and has not deleted yet. */
export function liveNetnsNames(): string[] {
  return [...owned];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes `pr-xl-<pid>-*` network namespaces whose creating process is gone (killed before its exit
 * hook could run). Namespaces of live processes are left alone. Returns the names deleted.
 *
 * Needs CAP_SYS_ADMIN. Never throws: a namespace that cannot be deleted is skipped.
 */
export function removeStaleNetns(): string[] {
  let names: string[];
  try {
    names = readdirSync('/run/netns');
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = /^pr-xl-(\d+)-/.exec(name);
    if (!match || Number(match[1]) === process.pid || isAlive(Number(match[1]))) continue;
    if (runCommandSync('ip', ['netns', 'delete', name])) {
      owned.delete(name);
      removed.push(name);
    }
  }
  return removed;
}
