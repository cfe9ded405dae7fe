import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireFileLock } from '../util/file-lock.js';
import { processesMentioning } from '../util/processes.js';

const prefix = 'progrun-hvm-';
/** Serialises sweeps (of every process using `parent`); not itself a run directory (no `-` after hvm). */
const sweepLockName = 'progrun-hvm.lock';
/**
 * A directory that still has no owner.json after this long belongs to a run killed between creating
 * it and writing the file (a few microseconds apart): a live run is never that slow.
 */
const unownedGraceMs = 60_000;

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

/** Who owns a run directory: a pid, and the process's start time, so that a reused pid is not taken for it. */
interface Owner {
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot). */
  readonly startTime: string | undefined;
}

function startTimeOf(pid: number | 'self'): string | undefined {
  try {
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function ownerAlive(owner: Owner): boolean {
  const now = startTimeOf(owner.pid);
  if (now === undefined) return false;
  // Directories of older versions name only the pid: alive while that pid is.
  return owner.startTime === undefined || owner.startTime === now;
}

/**
 * Creates a run directory under `parent` (the system's temporary directory), stamped with this
 * process's pid and start time, after removing the directories of runs that were killed outright
 * ({@link sweepStaleRunDirs}).
 */
export async function createRunDir(parent: string = tmpdir()): Promise<RunDir> {
  await sweepStaleRunDirs(parent);
  const path = mkdtempSync(join(parent, prefix));
  const dir = {
    path,
    controlDir: join(path, 'ctl'),
    resultsDir: join(path, 'results'),
    tmpDir: join(path, 'tmp'),
  };
  writeFileSync(
    join(path, 'owner.json'),
    JSON.stringify({ pid: process.pid, startTime: startTimeOf('self') }),
  );
  for (const sub of [dir.controlDir, dir.resultsDir, dir.tmpDir]) mkdirSync(sub);
  return dir;
}

/** Removes a run directory (idempotent). */
export function removeRunDir(dir: RunDir): void {
  rmSync(dir.path, { recursive: true, force: true });
}

/**
 * Cleans up after harness processes that were killed outright (SIGKILL leaves no chance to clean
 * up): for every run directory whose owner is gone (its pid ended, or now belongs to a process started
 * later), kills the processes still using it (vng, qemu; found by the directory in their command
 * line) and removes it. A directory of a live run is never touched. Sweeps of several processes take
 * turns (an flock on `<parent>/progrun-hvm.lock`), so two never work on the same directory.
 *
 * @returns the directories removed.
 */
export async function sweepStaleRunDirs(parent: string = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent).filter((name) => name.startsWith(prefix));
  } catch {
    return removed;
  }
  if (names.length === 0) return removed;
  await using _lock = await acquireFileLock(join(parent, sweepLockName));
  for (const name of names) {
    const path = join(parent, name);
    let owner: Owner;
    try {
      const json = JSON.parse(readFileSync(join(path, 'owner.json'), 'utf8')) as Partial<Owner>;
      owner = { pid: Number(json.pid), startTime: json.startTime };
    } catch {
      // No owner.json yet: a run is creating it right now, unless that was long ago.
      try {
        if (Date.now() - statSync(path).mtimeMs < unownedGraceMs) continue;
      } catch {
        continue;
      }
      owner = { pid: 0, startTime: undefined };
    }
    if (ownerAlive(owner)) continue;
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
