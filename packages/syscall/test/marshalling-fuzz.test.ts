// Property-based fuzzing of the argument marshalling: random types, sizes and fds must end in a typed
// error (or a result), never an untyped exception, a crash or a leaked fd.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { BpfError, BpfMap, NotSupportedError, ValidationError } from '../src/index.js';
import { native, TestRunSlot } from '../src/native.js';
import { load, returns } from './helpers/programs.js';

const typed = (error: unknown) =>
  ValidationError.isInstance(error) || BpfError.isInstance(error) || NotSupportedError.isInstance(error);

/** Values of every JavaScript kind, with sizes and numbers around the boundaries that matter. */
const anyValue = fc.oneof(
  fc.anything(),
  fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
  fc.constantFrom(
    0,
    1,
    -1,
    14,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 32 - 1,
    2 ** 32,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    0.5,
  ),
  fc.bigInt({ min: -(2n ** 65n), max: 2n ** 65n }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.integer({ min: 0, max: 9000 }).map((length) => new Uint8Array(length)),
  fc.integer({ min: 0, max: 64 }).map((length) => new Float64Array(length)),
  fc.integer({ min: 0, max: 64 }).map((length) => new DataView(new ArrayBuffer(length))),
  fc.integer({ min: 0, max: 64 }).map((length) => new ArrayBuffer(length)),
);

const runOptionKeys = [
  'data',
  'dataSizeOut',
  'ctx',
  'ctxSizeOut',
  'repeat',
  'flags',
  'cpu',
  'batchSize',
  'bogus',
];

describe('marshalling fuzz', { tags: ['privileged'] }, () => {
  test('run() with random options returns a result or throws a typed error', () => {
    using xdp = load('XDP', returns(2));
    using tc = load('SCHED_CLS', returns(0));
    using rawtp = load('RAW_TRACEPOINT', returns(0));
    fc.assert(
      fc.property(
        fc.constantFrom(xdp, tc, rawtp),
        fc.dictionary(fc.constantFrom(...runOptionKeys), anyValue, { maxKeys: 5 }),
        (prog, options) => {
          if (typeof options.repeat === 'number' && options.repeat > 1000) options.repeat = 1000;
          try {
            const result = prog.run(options);
            expect(typeof result.retval).toBe('number');
          } catch (error) {
            if (!typed(error)) throw error;
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  test('map methods with random keys, values and flags return or throw typed errors', () => {
    using map = BpfMap.create({ type: 'HASH', keySize: 4, valueSize: 8, maxEntries: 8 });
    fc.assert(
      fc.property(
        fc.constantFrom('lookup', 'update', 'delete', 'nextKey', 'lookupAndDelete'),
        anyValue,
        anyValue,
        anyValue,
        (method, a, b, c) => {
          try {
            (map[method] as (...args: unknown[]) => unknown)(a, b, c);
          } catch (error) {
            if (!typed(error)) throw error;
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  test('the addon, called directly with random arguments, returns a number or throws TypeError/RangeError', async () => {
    // Calls that create objects return fds that must be closed; closeFd itself is left out (it would
    // close the test runner's own fds).
    const createsFd = new Set([
      'progLoad',
      'mapCreate',
      'objGet',
      'progGetFdById',
      'mapGetFdById',
      'linkGetFdById',
      'linkCreate',
      'rawTracepointOpen',
      'enableStats',
    ]);
    const names = [
      ...createsFd,
      'progTestRun',
      'progTestRunAsync',
      'mapLookupElem',
      'mapLookupAndDeleteElem',
      'mapUpdateElem',
      'mapDeleteElem',
      'mapGetNextKey',
      'mapFreeze',
      'mapLookupBatch',
      'mapLookupAndDeleteBatch',
      'mapUpdateBatch',
      'mapDeleteBatch',
      'objPin',
      'progGetNextId',
      'mapGetNextId',
      'linkGetNextId',
      'objGetInfoByFd',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.array(anyValue, { maxLength: 15 }),
        async (name, args) => {
          // Keep fds small and harmless: numbers in the range of the runner's own fds are remapped far away.
          const safeArgs = args.map((arg) =>
            typeof arg === 'number' && arg >= 0 && arg < 1024 ? arg + 100_000 : arg,
          );
          let ret: unknown;
          try {
            ret = (native[name as keyof typeof native] as (...a: unknown[]) => unknown)(...safeArgs);
            if (ret instanceof Promise) ret = (await ret).errno;
          } catch (error) {
            if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
            return;
          }
          if (name === 'progTestRun') ret = native.testRunSlots[TestRunSlot.errno]! | 0;
          expect(typeof ret).toBe('number');
          if (createsFd.has(name) && (ret as number) >= 0) native.closeFd(ret as number);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
