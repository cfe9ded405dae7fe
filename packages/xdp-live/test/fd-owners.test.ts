// Every object of this package that holds an fd is one of @progrun/syscall's FdOwners: idempotent
// close(), Symbol.dispose, and a FinalizationRegistry safety net that closes and warns.
import { execFileSync } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FdOwner } from '@progrun/syscall';
import { afterEach, describe, expect, test } from 'vitest';
import { Netns } from '../src/index.js';
import { DispatcherAnchor } from '../src/injection/dispatcher-anchor.js';
import { leftoverNetns } from './helpers/leftovers.js';
import { verdictProgram } from './helpers/programs.js';

afterEach(() => {
  expect(leftoverNetns()).toEqual([]);
});

describe('fd owners', { tags: ['privileged'] }, () => {
  test('Netns: an FdOwner holding the namespace open from creation; close() once, fd refused after', async () => {
    const netns = await Netns.create();
    expect(netns).toBeInstanceOf(FdOwner);
    const target = () => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return undefined;
      }
    };
    const fd = netns.fd;
    const held = target();
    expect(held).toBe(netns.path);
    const closing = netns.close();
    expect(netns.close()).toBe(closing);
    await closing;
    expect(netns.closed).toBe(true);
    expect(target()).not.toBe(held);
    expect(() => netns.fd).toThrow(`Netns '${netns.name}' is closed`);
    expect(existsSync(netns.path)).toBe(false);
  });

  test('Netns.open of a namespace that does not exist throws at once', () => {
    expect(() => Netns.open('pr-xl-does-not-exist')).toThrow(/ENOENT/);
  });

  test('DispatcherAnchor: an FdOwner; close() detaches the link and destroys the namespace, once', () => {
    using program = verdictProgram('drop');
    const anchor = DispatcherAnchor.attach(program.fd);
    expect(anchor).toBeInstanceOf(FdOwner);
    const fd = anchor.fd;
    anchor[Symbol.dispose]();
    anchor.close();
    expect(anchor.closed).toBe(true);
    expect(existsSync(`/proc/self/fd/${fd}`)).toBe(false);
  });

  // A child Node.js process compiling TypeScript with tsx: seconds on a loaded machine, more in a TCG guest.
  test('a DispatcherAnchor dropped without close() has its fds closed by the safety net, with warnings', {
    tags: ['slow'],
  }, () => {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const output = execFileSync(
      process.execPath,
      ['--expose-gc', '--import', tsx, join(import.meta.dirname, 'helpers/gc-leak-script.ts')],
      { encoding: 'utf8' },
    );
    const report = JSON.parse(output.trim().split('\n').at(-1)!);
    expect(report.opened).toBe(2);
    expect(report.stillOpen).toEqual([]);
    expect(report.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'PROGRUN_FD_LEAK',
          message: expect.stringMatching(
            /^DispatcherAnchor private network namespace \(fd \d+\) was garbage-collected/,
          ),
        }),
        expect.objectContaining({
          code: 'PROGRUN_FD_LEAK',
          message: expect.stringMatching(
            /^XDP link of the program to the loopback of a private namespace .* \(fd \d+\) was garbage-collected/,
          ),
        }),
      ]),
    );
  });
});
