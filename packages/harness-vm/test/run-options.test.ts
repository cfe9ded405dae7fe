import { ValidationError } from '@progrun/uapi';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { validateRunOptions } from '../src/harness/validate-run-options.js';
import {
  analyseConsole,
  cachePaths,
  classifyRun,
  defaultConcurrency,
  evaluateMatrix,
  findKernel,
  kernelOutsideCatalogue,
  parseShard,
  renderRunJunit,
  scaleTimeouts,
  selectShard,
} from '../src/index.js';
import { defineKernelProjects } from '../src/vitest/index.js';

describe('shards', () => {
  test('parses i/n and rejects anything else, naming the option', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '1/2/3']) {
      expect(() => parseShard(bad), bad).toThrow(/shard: .* must be i\/n/);
    }
  });

  test('arguments of the wrong kind are ValidationErrors, an endless array-like is not walked', () => {
    const endless = new Proxy([], {
      get: (target, key) => (key === 'length' ? 2 ** 32 - 1 : Reflect.get(target, key)),
    });
    expect(() => selectShard(endless, { index: 1, count: 2 })).toThrow(ValidationError);
    expect(() => selectShard(['a'], { index: 3, count: 2 })).toThrow(/shard must be/);
    expect(() => parseShard(5 as never)).toThrow(ValidationError);
  });

  test('shards partition the kernel list: every kernel exactly once, sizes differ by at most one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 6 }),
        (items, count) => {
          const shards = Array.from({ length: count }, (_, i) => selectShard(items, { index: i + 1, count }));
          expect(shards.flat().sort()).toEqual([...items].sort());
          const sizes = shards.map((s) => s.length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('run options', () => {
  const base = { kernels: ['host'], command: ['true'] };

  test.each([
    [{ kernels: [] }, /kernels: name at least one kernel/],
    [{ kernels: ['5.10', '5.10'] }, /kernels\[1\]: "5.10" is listed twice/],
    [{ kernels: ['linux-5.4'] }, /kernels\[0\]: unknown kernel "linux-5.4"/],
    [{ command: [] }, /command: must be a non-empty/],
    [{ command: '  ' }, /command: must be a non-empty/],
    [{ concurrency: 0 }, /concurrency: must be an integer >= 1/],
    [{ cpus: 1.5 }, /cpus: must be an integer >= 1/],
    [{ memoryMiB: 128 }, /memoryMiB: must be an integer >= 256/],
    [{ timeoutMs: -1 }, /timeoutMs: must be an integer >= 1/],
    [{ accelerator: 'hvf' }, /accelerator: must be auto, kvm or tcg/],
    [{ shard: { index: 3, count: 2 } }, /shard: index must be 1..count/],
  ])('rejects %o', (override, message) => {
    expect(() => validateRunOptions({ ...base, ...(override as object) } as never)).toThrow(message);
  });

  test('a bad option is a ValidationError naming the field and the rule', () => {
    let error: unknown;
    try {
      validateRunOptions({ ...base, memoryMiB: 128 });
    } catch (caught) {
      error = caught;
    }
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      field: 'memoryMiB',
      rule: 'an integer >= 256',
      code: 'ERR_PROGRUN_VALIDATION',
    });
  });

  test('returns the catalogue entries in the order asked for', () => {
    expect(validateRunOptions({ ...base, kernels: ['6.1', 'host'] }).map((e) => e.name)).toEqual([
      '6.1',
      'host',
    ]);
  });
});

describe('concurrency', () => {
  test('one guest per cpusPerGuest cores, bounded by free memory, at least one', () => {
    expect(defaultConcurrency(2, 1024, { cores: 2, freeMiB: 20_000 })).toBe(1);
    expect(defaultConcurrency(1, 1024, { cores: 2, freeMiB: 20_000 })).toBe(2);
    expect(defaultConcurrency(1, 1024, { cores: 16, freeMiB: 3_200 })).toBe(2);
    expect(defaultConcurrency(4, 4096, { cores: 2, freeMiB: 1_000 })).toBe(1);
  });
});

describe('timeouts scaled to the boot time', () => {
  test('before any measured boot, TCG gets a longer boot deadline than KVM', () => {
    expect(scaleTimeouts('tcg', undefined).bootTimeoutMs).toBe(300_000);
    expect(scaleTimeouts('kvm', undefined).bootTimeoutMs).toBe(120_000);
  });

  test('a measured boot sets the deadlines, within bounds', () => {
    expect(scaleTimeouts('tcg', 25_000)).toEqual({
      bootTimeoutMs: 100_000,
      commandTimeoutMs: 250_000,
      shutdownTimeoutMs: 25_000,
    });
    expect(scaleTimeouts('kvm', 2_000)).toEqual({
      bootTimeoutMs: 30_000,
      commandTimeoutMs: 120_000,
      shutdownTimeoutMs: 15_000,
    });
  });

  test('explicit deadlines win', () => {
    expect(scaleTimeouts('tcg', 25_000, { bootTimeoutMs: 5, commandTimeoutMs: 7 })).toMatchObject({
      bootTimeoutMs: 5,
      commandTimeoutMs: 7,
    });
  });
});

describe('arguments of the wrong kind (found by the fuzz of tests/fuzz)', () => {
  test('are ValidationErrors naming them', () => {
    const field = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(ValidationError.isInstance(error), String(error)).toBe(true);
        return (error as ValidationError).field;
      }
      return expect.unreachable('expected a throw');
    };
    expect(field(() => cachePaths.kernels(undefined as never))).toBe('cacheDir');
    expect(field(() => cachePaths.lock('/tmp', {} as never))).toBe('name');
    expect(field(() => findKernel(1.5 as never))).toBe('kernel');
    const endless = new Proxy([], {
      get: (target, key) => (key === 'length' ? 2 ** 32 - 1 : Reflect.get(target, key)),
    });
    expect(field(() => kernelOutsideCatalogue(endless as never))).toBe('name');
    expect(field(() => findKernel('host', null as never))).toBe('catalogue');
    expect(field(() => analyseConsole(undefined as never))).toBe('text');
    expect(field(() => classifyRun(undefined as never))).toBe('observation');
    expect(field(() => evaluateMatrix([1] as never))).toBe('results[0]');
    expect(field(() => renderRunJunit(null as never))).toBe('report');
    expect(field(() => defaultConcurrency(Buffer.alloc(1) as never, 1024))).toBe('cpusPerGuest');
    expect(field(() => scaleTimeouts(Symbol() as never, undefined))).toBe('accelerator');
    expect(field(() => defineKernelProjects({ kernels: 5 as never }))).toBe('kernels');
  });
});
