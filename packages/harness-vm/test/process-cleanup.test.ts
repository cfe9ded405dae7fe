import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { acquireFileLock } from '../src/util/file-lock.js';
import { processAlive } from '../src/util/processes.js';
import { startSupervised } from '../src/util/supervised-process.js';
import { createRunDir, removeRunDir, sweepStaleRunDirs } from '../src/vm/run-dir.js';
import { processGone, waitFor } from './helpers/process-gone.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvm-cleanup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('supervised process group', () => {
  test('kill() takes down the command and its children', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const fd = (name: string) => openSync(join(dir, name), 'w');
    const child = startSupervised(['sh', '-c', `sleep 300 & echo $! > ${pidFile}; wait`], {
      cwd: dir,
      env: {},
      stdoutFd: fd('out'),
      stderrFd: fd('err'),
    });
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 'the grandchild');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(processAlive(grandchild)).toBe(true);
    await child.kill();
    await waitFor(() => processGone(grandchild), 'the grandchild to die');
    expect(child.hasExited()).toBe(true);
  });

  test('when the harness process dies outright (SIGKILL), the supervisor kills the group', async () => {
    const pidFile = join(dir, 'victim.pid');
    const module = new URL('../src/util/supervised-process.ts', import.meta.url).pathname;
    const script = `
      import { openSync } from 'node:fs';
      const { startSupervised } = await import(${JSON.stringify(module)});
      const fd = openSync(${JSON.stringify(join(dir, 'log'))}, 'w');
      startSupervised(['sh', '-c', 'echo $$ > ${pidFile}; exec sleep 300'], { cwd: '/', env: {}, stdoutFd: fd, stderrFd: fd });
      setInterval(() => {}, 1000);
    `;
    const harness = execa('node', ['--import', 'tsx', '--input-type=module', '-e', script], {
      reject: false,
    });
    await waitFor(
      () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '',
      'the supervised sleep',
    );
    const victim = Number(readFileSync(pidFile, 'utf8'));
    harness.kill('SIGKILL');
    await harness;
    await waitFor(() => processGone(victim), 'the orphaned command to be killed');
  });
});

describe('stale run directories', () => {
  test('a run directory whose owner is gone is removed and its processes killed', async () => {
    const stale = join(dir, 'progrun-hvm-stale1');
    mkdirSync(stale);
    const dead = await execa('true').then((r) => r.pid!);
    writeFileSync(join(stale, 'owner.json'), JSON.stringify({ pid: dead }));
    // A leftover process that names the directory on its command line, as qemu does.
    const leftover = execa('tail', ['-f', join(stale, 'owner.json')], { reject: false });
    const live = join(dir, 'progrun-hvm-live1');
    mkdirSync(live);
    writeFileSync(join(live, 'owner.json'), JSON.stringify({ pid: process.pid }));

    expect(await sweepStaleRunDirs(dir)).toEqual([stale]);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect((await leftover).signal).toBe('SIGKILL');
  });

  test('an owner pid now used by a process started later does not keep a directory; a live owner does', async () => {
    const live = await createRunDir(dir);
    const reused = join(dir, 'progrun-hvm-reused');
    mkdirSync(reused);
    // Our own pid, with a start time that is not ours: the owner ended and its pid was reused.
    writeFileSync(join(reused, 'owner.json'), JSON.stringify({ pid: process.pid, startTime: '1' }));
    expect(await sweepStaleRunDirs(dir)).toEqual([reused]);
    expect(existsSync(live.path)).toBe(true);
  });

  test('a directory without owner.json is left alone while it may still be being created', async () => {
    const fresh = join(dir, 'progrun-hvm-fresh');
    mkdirSync(fresh);
    expect(await sweepStaleRunDirs(dir)).toEqual([]);
    const old = new Date(Date.now() - 120_000);
    utimesSync(fresh, old, old);
    expect(await sweepStaleRunDirs(dir)).toEqual([fresh]);
  });

  test('the directory of a run killed outright (SIGKILL) is removed by the next run, its processes killed', async () => {
    const module = new URL('../src/vm/run-dir.ts', import.meta.url).pathname;
    // The killed run: a run directory and a process using it, as qemu would.
    const script = `
      import { spawn } from 'node:child_process';
      const { createRunDir } = await import(${JSON.stringify(module)});
      const run = await createRunDir(${JSON.stringify(dir)});
      const child = spawn('sleep', ['300', run.path], { stdio: 'ignore', detached: true });
      console.log(JSON.stringify({ path: run.path, child: child.pid }));
      setInterval(() => {}, 1000);
    `;
    const harness = execa('node', ['--import', 'tsx', '--input-type=module', '-e', script], {
      reject: false,
    });
    const line = await new Promise<string>((resolve) =>
      harness.stdout!.once('data', (data) => resolve(String(data))),
    );
    const killed = JSON.parse(line) as { path: string; child: number };
    harness.kill('SIGKILL');
    await harness;
    expect(existsSync(killed.path)).toBe(true);
    // The next run sweeps before creating its own directory.
    const next = await createRunDir(dir);
    expect(existsSync(killed.path)).toBe(false);
    await waitFor(() => processGone(killed.child), 'the leftover process to be killed');
    expect(existsSync(next.path)).toBe(true);
    removeRunDir(next);
  });
});

describe('file lock', () => {
  test('a second holder waits until the first releases', async () => {
    const path = join(dir, 'x.lock');
    const first = await acquireFileLock(path);
    let secondHeld = false;
    const second = acquireFileLock(path).then((lock) => {
      secondHeld = true;
      return lock;
    });
    await delay(300);
    expect(secondHeld).toBe(false);
    await first.release();
    await (await second).release();
    expect(secondHeld).toBe(true);
  });

  test('a lock whose holder was killed outright is free again', async () => {
    const path = join(dir, 'y.lock');
    const module = new URL('../src/util/file-lock.ts', import.meta.url).pathname;
    const script = `
      const { acquireFileLock } = await import(${JSON.stringify(module)});
      await acquireFileLock(${JSON.stringify(path)});
      console.log('held');
      setInterval(() => {}, 1000);
    `;
    const holder = execa('node', ['--import', 'tsx', '--input-type=module', '-e', script], { reject: false });
    await new Promise((resolve) => holder.stdout.once('data', resolve));
    holder.kill('SIGKILL');
    await holder;
    const lock = await acquireFileLock(path);
    await lock.release();
  });

  test('waiting for a lock stops when the signal aborts', async () => {
    const path = join(dir, 'z.lock');
    const first = await acquireFileLock(path);
    const controller = new AbortController();
    const waiting = acquireFileLock(path, controller.signal);
    controller.abort(new Error('enough'));
    await expect(waiting).rejects.toThrow('enough');
    await first.release();
  });
});
