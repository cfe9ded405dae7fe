import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** True when the process no longer runs (absent, or a zombie waiting for its reaper). */
export function processGone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

/** Polls until `check` holds (up to 5 s), then fails naming `what`. */
export async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await delay(50);
  }
  throw new Error(`gave up waiting for ${what}`);
}
