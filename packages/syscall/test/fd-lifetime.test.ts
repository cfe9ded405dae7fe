import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BpfProgType } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { asm, BpfMap, bpfProgLoad, FdOwner, Program } from '../src/index.js';
import { load, returns } from './helpers/programs.js';

describe('fd ownership', { tags: ['privileged'] }, () => {
  test('close() is idempotent and `using` closes at the end of the block', () => {
    let fd = -1;
    {
      using prog = load('XDP', returns(2));
      fd = prog.fd;
      expect(existsSync(`/proc/self/fd/${fd}`)).toBe(true);
    }
    expect(existsSync(`/proc/self/fd/${fd}`)).toBe(false);
    const map = BpfMap.create({ type: 'ARRAY', keySize: 4, valueSize: 4, maxEntries: 1 });
    expect(map).toBeInstanceOf(FdOwner);
    map[Symbol.dispose]();
    map.close();
    expect(map.closed).toBe(true);
  });

  test('Program.fromFd takes ownership of a raw fd: closing the Program closes it', () => {
    const fd = bpfProgLoad({
      progType: BpfProgType.XDP,
      insns: asm.assemble(returns(2)),
      license: 'GPL',
      name: 'raw',
    });
    const adopted = Program.fromFd(fd);
    expect(adopted).toMatchObject({ type: BpfProgType.XDP, name: 'raw', fd });
    expect(adopted.run({ data: Buffer.alloc(64) }).retval).toBe(2);
    adopted.close();
    expect(existsSync(`/proc/self/fd/${fd}`)).toBe(false);
  });

  // A child Node.js process compiling TypeScript with tsx: seconds on a loaded machine, more in a TCG guest.
  test('a Program dropped without close() has its fd closed by the FinalizationRegistry, with a warning', {
    tags: ['slow'],
  }, () => {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const output = execFileSync(
      process.execPath,
      ['--expose-gc', '--import', tsx, join(import.meta.dirname, 'helpers/gc-leak-script.ts')],
      {
        encoding: 'utf8',
      },
    );
    const report = JSON.parse(output.trim().split('\n').at(-1)!);
    expect(report.stillOpen).toBe(false);
    expect(report.warnings).toEqual([
      expect.objectContaining({
        code: 'PROGRUN_FD_LEAK',
        message: expect.stringMatching(
          /BPF_PROG_TYPE_XDP program \(fd \d+\) was garbage-collected without close\(\)/,
        ),
      }),
    ]);
  });
});
