import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive, processesMentioning } from '../util/processes.js';

const prefix = 'progrun-hvm-';

/** A run's private directory, shared read-write into its guest. */
export interface RunDir {
  readonly path: string;
  /** The guest script, its markers and the command's stderr. */
  readonly controlDir: string;
  /** Where the command writes structured results (`PROGRUN_RESULTS_DIR`). */
  readonly resultsDir: string;
  /** TMPDIR of vng on the host, so its own temporary files go away with the run. */
  readonly tmpDir: string;
}

/** Creates a run directory under the system's temporary directory, stamped with our pid. */
export function createRunDir(parent: string = tmpdir()): RunDir {
  const path = mkdtempSync(join(parent, prefix));
  const dir = {
    path,
    controlDir: join(path, 'ctl'),
    resultsDir: join(path, 'results'),
    tmpDir: join(path, 'tmp'),
  };
  for (const sub of [dir.controlDir, dir.resultsDir, dir.tmpDir]) mkdirSync(sub);
  writeFileSync(join(path, 'owner.json'), JSON.stringify({ pid: process.pid }));
  return dir;
}

/** Removes a run directory (idempotent). */
export function removeRunDir(dir: RunDir): void {
  rmSync(dir.path, { recursive: true, force: true });
}

/**
 * Cleans up after harness processes that were killed outright (SIGKILL leaves no chance to clean
 * up): for every run directory whose owner is gone, kills the processes still using it (vng,
 * qemu; found by the directory in their command line) and removes it.
 *
 * @returns the directories removed.
 */
export function sweepStaleRunDirs(parent: string = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent).filter((name) => name.startsWith(prefix));
  } catch {
    return removed;
  }
  for (const name of names) {
    const path = join(parent, name);
    let owner: number | undefined;
    try {
      owner = (JSON.parse(readFileSync(join(path, 'owner.json'), 'utf8')) as { pid: number }).pid;
    } catch {
      // A directory without owner.json is being created right now; leave it.
      continue;
    }
    if (owner === process.pid || processAlive(owner)) continue;
    for (const pid of processesMentioning(path)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}
