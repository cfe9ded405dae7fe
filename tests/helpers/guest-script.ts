import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKernels } from '@progrun/harness-vm';
import { expect } from 'vitest';

/**
 * Boots `kernel` once (through harness-vm), runs the Node.js script `script` in it, and returns the JSON
 * the script wrote as `resultFile` into `PROGRUN_RESULTS_DIR`. Fails the test when the run did not pass;
 * the run's logs are removed either way.
 */
export async function runGuestScript<T>(kernel: string, script: string, resultFile: string): Promise<T> {
  const outDir = mkdtempSync(join(tmpdir(), 'progrun-guest-script-'));
  try {
    const report = await runKernels({ kernels: [kernel], command: ['node', script], outDir });
    const [result] = report.results;
    expect(result, JSON.stringify(result)).toMatchObject({ outcome: 'pass', exitCode: 0 });
    return result!.guestResults[resultFile] as T;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
