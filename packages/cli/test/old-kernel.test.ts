import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runGuestScript } from '../../../tests/helpers/guest-script.js';

// XDP live frames need Linux 5.18, and a 5.10 kernel silently ignores the flag instead of refusing it,
// so the refusal is only proven on a real 5.10 kernel: one boot of Debian's (TCG here, about 30 s) runs
// test/guest/live-refusal.mjs, which asks both the CLI and @progrun/xdp-live to inject.
interface Refusals {
  readonly release: string;
  readonly cli: { status: number | null; stdout: string; stderr: string };
  readonly inject: {
    resolved: boolean;
    notSupported: boolean;
    feature?: string;
    minKernel?: string;
    message?: string;
    started: boolean;
  };
}

describe('on Linux 5.10, which lacks live frames (a guest)', { tags: ['vm', 'slow', 'privileged'] }, () => {
  test('progrun live exits 3 and inject() rejects with NotSupportedError 5.18, injecting nothing', async () => {
    const refusals = await runGuestScript<Refusals>(
      '5.10',
      resolve(import.meta.dirname, 'guest/live-refusal.mjs'),
      'live-refusal.json',
    );
    expect(refusals.release).toMatch(/^5\.10\./);

    expect(refusals.cli.status, refusals.cli.stderr).toBe(3);
    expect(refusals.cli.stderr).toContain(
      `this kernel (${refusals.release}) does not support XDP live-frames mode`,
    );
    expect(refusals.cli.stderr).toContain('(it needs Linux 5.18 or newer)');
    expect(refusals.cli.stdout).not.toMatch(/injected/);

    expect(refusals.inject).toMatchObject({
      resolved: false,
      notSupported: true,
      minKernel: '5.18',
      feature: expect.stringContaining('live-frames'),
      started: false,
    });
  });
});
