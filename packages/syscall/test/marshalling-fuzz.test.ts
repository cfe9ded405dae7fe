// Property-based fuzzing of the argument marshalling: random types, sizes and fds must end in a typed
// error (or a result), never an untyped exception, a crash or a leaked fd.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { BpfError, BpfMap, NotSupportedError, ValidationError } from '../src/index.js';
import { type NativeBinding, type NativeElfHandle, native, TestRunSlot } from '../src/native.js';
import { load, returns } from './helpers/programs.js';

/** What the addon throws for an argument it refuses: a TypeError or RangeError with a code (ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE). */
const codedArgumentError = (error: unknown) =>
  (error instanceof TypeError || error instanceof RangeError) &&
  /^ERR_[A-Z_]+$/.test(String((error as { code?: unknown }).code));

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

// Every export of the addon is in exactly one of these lists (the last test checks it against the
// addon): functions are fuzzed with random arguments, LiveRun has its own property, values are data.
/** Functions that return a new fd (or an object holding one) to be released after the call. */
const CREATES_FD = [
  'progLoad',
  'mapCreate',
  'objGet',
  'progGetFdById',
  'mapGetFdById',
  'linkGetFdById',
  'btfGetFdById',
  'linkCreate',
  'rawTracepointOpen',
  'enableStats',
  'elfProgramFd',
  'elfMapFd',
  'createPrivateNetns',
  'xdpLinkCreate',
] as const;
const FUNCTIONS = [
  ...CREATES_FD,
  'closeFd',
  'ownFd',
  'progTestRun',
  'progTestRunAsync',
  'progTestRunEach',
  'progTestRunEachAsync',
  'testRunCancel',
  'testRunCancelAll',
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
  'btfGetNextId',
  'objGetInfoByFd',
  'btfRawData',
  'pinnedMemory',
  'elfOpen',
  'elfInfo',
  'elfPrograms',
  'elfMaps',
  'elfProgramSetType',
  'elfProgramSetExpectedAttachType',
  'elfProgramSetAutoload',
  'elfProgramSetAttachTarget',
  'elfProgramInsns',
  'elfMapSetMaxEntries',
  'elfMapSetInitialValue',
  'elfMapInitialValue',
  'elfBtf',
  'elfLoad',
  'elfClose',
  'monotonicNs',
  'ifindexName',
  'ifnameIndex',
  'xdpVerdict',
  'mapUpdateInNetns',
  'allowedCpus',
] as const satisfies readonly (keyof NativeBinding)[];
const VALUES = ['testRunSlots', 'PROG_LOAD_ATTR_SIZE', 'TEST_RUN_ATTR_SIZE', 'nativeBoundary'] as const;
/**
 * The attr capture (a test hook): while it is on, no call reaches the kernel and each answers with a
 * chosen value, which the fuzz above would take for fds and close. It has its own property.
 */
const CAPTURE = ['attrCaptureStart', 'attrCaptureStop'] as const;

/**
 * Numbers in the range of the runner's own fds are moved far away, so that no call (closeFd, objPin,
 * a setns into netnsFd) touches an fd the test process holds; the rest stay as hostile as generated.
 */
function harmlessFd(arg: unknown): unknown {
  return typeof arg === 'number' && arg >= 0 && arg < 1024 ? arg + 100_000 : arg;
}

/** Checks a call's result and releases what it created. */
function release(name: (typeof FUNCTIONS)[number], ret: unknown): void {
  if (name === 'progTestRun') ret = native.testRunSlots[TestRunSlot.ret]! | 0;
  if (name === 'elfOpen') {
    const handle = (ret as { handle?: NativeElfHandle }).handle;
    if (handle) native.elfClose(handle);
    return;
  }
  if (name === 'ifindexName' && typeof ret === 'string') return;
  if (name === 'allowedCpus') {
    expect(Array.isArray(ret)).toBe(true);
    return;
  }
  if (name === 'elfClose' || name === 'testRunCancel' || name === 'testRunCancelAll') {
    expect(ret).toBeUndefined();
    return;
  }
  if (name.startsWith('elf') && typeof ret === 'object') return;
  if (name === 'btfRawData' && Buffer.isBuffer(ret)) return;
  if (name === 'pinnedMemory') {
    expect(typeof (ret as { address: unknown }).address).toBe('bigint');
    return;
  }
  expect(typeof ret).toBe('number');
  if ((CREATES_FD as readonly string[]).includes(name) && (ret as number) >= 0) native.closeFd(ret as number);
}

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

  test('every export of the addon, called with random arguments, returns a value or throws a coded TypeError/RangeError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FUNCTIONS),
        fc.array(anyValue, { maxLength: 15 }),
        async (name, args) => {
          let ret: unknown;
          try {
            ret = (native[name] as (...a: unknown[]) => unknown)(...args.map(harmlessFd));
            if (ret instanceof Promise) {
              const settled = await ret;
              // The batched run resolves with its results table; the others with { ret, ... }.
              if (name === 'progTestRunEachAsync') expect(settled).toBeInstanceOf(ArrayBuffer);
              ret = name === 'progTestRunEachAsync' ? 0 : settled.ret;
            }
          } catch (error) {
            if (!codedArgumentError(error)) throw error;
            return;
          }
          release(name, ret);
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('LiveRun: random configs and method arguments end in coded TypeError/RangeError or -errno, never a run', () => {
    const configKeys = [
      'progFd',
      'netnsFd',
      'packets',
      'ifindex',
      'rxQueue',
      'batchSize',
      'count',
      'durationNs',
      'ratePps',
      'cpus',
      'chunkFrames',
      'callTargetNs',
    ];
    // Mostly well-formed configs, so that the fuzz reaches each field's own checks.
    const wellFormed = {
      progFd: 100_000,
      netnsFd: -1,
      packets: [new Uint8Array(64)],
      ifindex: 0,
      rxQueue: 0,
      batchSize: 64,
      count: 10,
      durationNs: 0,
      ratePps: 0,
      cpus: [-1],
      chunkFrames: 0,
      callTargetNs: 1e6,
    };
    const field = fc.oneof(
      anyValue,
      fc.array(anyValue, { maxLength: 4 }),
      fc.array(fc.uint8Array({ minLength: 0, maxLength: 5000 }), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...configKeys), field, { maxKeys: 4 }),
        fc.boolean(),
        anyValue,
        anyValue,
        (overrides, keepShape, startArg, snapshotArg) => {
          const config = keepShape
            ? { ...wellFormed, ...overrides, progFd: harmlessFd(overrides.progFd ?? 100_000) }
            : overrides;
          let run: InstanceType<typeof native.LiveRun>;
          try {
            run = new native.LiveRun(config as never);
          } catch (error) {
            if (!codedArgumentError(error)) throw error;
            return;
          }
          for (const call of [
            () => run.start(startArg as never),
            () => run.start(() => undefined),
            () => run.snapshot(snapshotArg as never),
            () => run.snapshot(new Float64Array(run.snapshotLength)),
          ]) {
            try {
              const ret = call();
              // No program fd is open at the fds the fuzz passes: start() can only fail.
              if (typeof ret === 'number') expect(ret).toBeLessThan(0);
            } catch (error) {
              if (!codedArgumentError(error)) throw error;
            }
          }
          run.stop();
          run.join();
          expect(run.workers).toBeGreaterThan(0);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('the attr capture, started with random arguments, throws a coded TypeError/RangeError or records until stopped', () => {
    fc.assert(
      fc.property(fc.array(anyValue, { maxLength: 3 }), (args) => {
        try {
          (native.attrCaptureStart as (...a: unknown[]) => unknown)(...args);
        } catch (error) {
          if (!codedArgumentError(error)) throw error;
          expect(native.attrCaptureStop()).toEqual([]);
          return;
        }
        const records = native.attrCaptureStop();
        expect(records).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  test("the fuzz lists are exactly the addon's exports: a new export without fuzzing fails here", () => {
    expect(Object.keys(native).sort()).toEqual([...FUNCTIONS, ...VALUES, ...CAPTURE, 'LiveRun'].sort());
    for (const name of FUNCTIONS) expect(typeof native[name]).toBe('function');
  });
});
