// SIGINT and SIGTERM end a command at any moment with exit code 130 and one line saying how far it got
// (never an internal error), after a complete cleanup. The signals are real, sent to a real progrun.
import { execFileSync } from 'node:child_process';
import { liveFramesSupported } from '@progrun/xdp-live';
import { describe, expect, test } from 'vitest';
import { progrunInterrupted } from './helpers/interrupt-progrun.js';
import { exampleSource } from './helpers/run-progrun.js';

function netnsNames(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith('pr-xl-'));
}

const live = (() => {
  try {
    return liveFramesSupported();
  } catch {
    return false;
  }
})();

/** Namespaces named in `output` that still exist: the run's own, whatever other processes do meanwhile. */
function leftBehind(output: string): string[] {
  return netnsNames().filter((name) => output.includes(name));
}

// Each run would last ten minutes if the signal were not honoured: the test's timeout fails it first.
const reflector = ['live', exampleSource('xdp-reflector'), '--duration', '600'];

describe('progrun live, interrupted', { tags: ['privileged', 'slow'], timeout: 90_000 }, () => {
  test.runIf(live)(
    'SIGINT while injecting: the statistics so far, one line, exit 130, the veth pair removed',
    async () => {
      const run = await progrunInterrupted(reflector, { after: /injecting/, waitMs: 1500 });
      expect(run.code).toBe(130);
      expect(run.stdout).toMatch(/^injected [\d,]+ frames in [\d.]+ s/m);
      expect(run.stderr).toMatch(/^progrun: interrupted by SIGINT after [\d,]+ frames$/m);
      expect(run.stderr).not.toContain('bug');
      expect(leftBehind(run.stdout)).toEqual([]);
    },
  );

  test.runIf(live)(
    'SIGTERM as the injection starts is honoured at once, not when --duration ends',
    async () => {
      const run = await progrunInterrupted(reflector, { after: /injecting/, signal: 'SIGTERM' });
      expect(run.code).toBe(130);
      expect(run.stderr).toMatch(/^progrun: interrupted by SIGTERM after [\d,]+ frames$/m);
      expect(run.stderr).not.toMatch(/bug|Cannot open network namespace/);
      expect(leftBehind(run.stdout)).toEqual([]);
    },
  );

  test.runIf(live)('on a given device (--dev lo) too', async () => {
    const run = await progrunInterrupted([...reflector, '--dev', 'lo', '--packet', 'eth()/ipv4()/udp()'], {
      after: /injecting/,
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/^progrun: interrupted by SIGINT after [\d,]+ frames$/m);
  });

  test.runIf(live)(
    'SIGINT while setting up (compiling, creating the veth pair): exit 130, nothing left',
    async () => {
      const before = netnsNames();
      const run = await progrunInterrupted(reflector, {});
      expect(run.code).toBe(130);
      expect(run.stderr).toMatch(/^progrun: interrupted by SIGINT( after [\d,]+ frames)?\.?$/m);
      expect(run.stderr).not.toContain('bug');
      expect(netnsNames().filter((name) => !before.includes(name) && name.includes(`-${run.pid}-`))).toEqual(
        [],
      );
    },
  );

  test.runIf(live)(
    '--json: an interrupted result with the frames so far, never an internal error',
    async () => {
      const run = await progrunInterrupted([...reflector, '--json'], { waitMs: 4000 });
      expect(run.code).toBe(130);
      const document = JSON.parse(run.stdout) as {
        ok: boolean;
        interrupted?: { reason: string; frames: number };
        result?: { frames: number };
        error?: { kind: string; exitCode: number };
      };
      expect(document.ok).toBe(false);
      if (document.error) expect(document.error).toMatchObject({ kind: 'interrupted', exitCode: 130 });
      else
        expect(document.interrupted).toEqual({
          reason: 'interrupted by SIGINT',
          frames: document.result!.frames,
        });
    },
  );
});

describe('progrun run --repeat, interrupted', { tags: ['privileged', 'slow'], timeout: 90_000 }, () => {
  // 2e9 runs take minutes: without the chunked run on the thread pool, the signal would wait for them all.
  test.each(['SIGINT', 'SIGTERM'] as const)(
    '%s ends a long repeat: exit 130, one line, never an internal error',
    async (signal) => {
      const args = ['run', exampleSource('tc-classifier'), '--repeat', '2000000000'];
      const run = await progrunInterrupted(args, { waitMs: 3000, signal });
      expect(run.code).toBe(130);
      expect(run.stderr).toMatch(
        new RegExp(`^progrun: interrupted by ${signal}( after 0 of 1 runs)?\\.$`, 'm'),
      );
    },
  );

  test('--json: kind interrupted, exit code 130', async () => {
    const args = ['run', exampleSource('tc-classifier'), '--repeat', '2000000000', '--json'];
    const run = await progrunInterrupted(args, { waitMs: 3000 });
    expect(run.code).toBe(130);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      error: { kind: 'interrupted', exitCode: 130 },
    });
  });
});
