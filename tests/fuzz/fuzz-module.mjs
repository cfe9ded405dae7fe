// The entry points of one module of the public API under hostile arguments, in a process of its own
// started by public-api.test.ts, which restarts it after a crash or a hang with the next entry point.
//
//   node fuzz-module.mjs <module> <first> <seed> <runs> <entry>...
//
// Entry points <first> onwards of the list are fuzzed in turn. <entry> is `name` (a function), `name.member`
// (a namespace's or class's static function), `new Name` (a constructor) or `Name#method` (a method of a
// live instance, see fixtures below). Each entry point gets its own inputs: a fast-check sample from the
// seed and the entry point's name, so one entry point replays alone (PROGRUN_FUZZ_ONLY) with the same inputs.
//
// Reports go to fd 3 (stdout and stderr stay the module's), one JSON line each, written synchronously so
// that the parent has the input before the call can crash the process:
//   {"call":<n>,"input":"<description>"}           before call n of the current entry point
//   {"outcome":"returned"|"typed"|"system"|"untyped",...}  after it ("untyped" with the error)
//   {"started":true}                                once running (the parent's timer starts)
//   {"entry":"<entry>"} / {"finished":true}         at the start of an entry point / at the end
import { writeSync } from 'node:fs';
import fc from 'fast-check';

const [moduleName, firstText, seedText, runsText, ...entries] = process.argv.slice(2);
const seed = Number(seedText);
const runs = Number(runsText);
const report = (message) => writeSync(3, `${JSON.stringify(message)}\n`);
// From here on the parent times what this process does (importing the module first).
report({ started: true });
const { ProgrunError } = await import('@progrun/uapi');
const module = await import(moduleName);

/**
 * What the arguments themselves throw: the reason of every aborted signal handed out (rethrowing it is
 * how an aborted call ends) and the error of a throwing getter. A call that lets one of these through
 * is counted as typed: the caller gets back its own error.
 */
const ownErrors = new WeakSet();
const own = (error) => {
  ownErrors.add(error);
  return error;
};
const proxies = new WeakMap();
function proxy(target, handler, label) {
  const made = new Proxy(target, handler);
  proxies.set(made, label);
  return made;
}

/**
 * Values no public function should trip over: each must end in a typed error or a result. Factories, so
 * that a call mutating its argument (filling a buffer, detaching an ArrayBuffer) does not change the next
 * call's input. No path outside the working directory (a fresh temporary one) but /dev/null and a missing
 * one: writers are fuzzed too.
 */
const hostile = [
  () => undefined,
  () => null,
  () => true,
  () => 0,
  () => -1,
  () => 1.5,
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => 2 ** 32,
  () => 2 ** 53 + 2,
  () => -1n,
  () => 2n ** 64n,
  () => '',
  () => '\0',
  () => 'x'.repeat(5000),
  () => '/dev/null',
  () => '/nonexistent/progrun-fuzz',
  () => 'lo',
  () => Symbol('hostile'),
  () => ({}),
  () => [],
  () => Object.create(null),
  () => () => 0,
  () => Buffer.alloc(0),
  () => Buffer.alloc(13, 0xff),
  () => Buffer.alloc(64),
  () => new Uint32Array(3),
  () => new ArrayBuffer(8),
  () => new DataView(new ArrayBuffer(4)),
  () => proxy(Buffer.alloc(64), {}, 'Proxy(Buffer(64))'),
  () => proxy({}, {}, 'Proxy({})'),
  // An array-like claiming 2^32-1 elements: walking it never ends.
  () =>
    proxy(
      [],
      { get: (target, key) => (key === 'length' ? 2 ** 32 - 1 : Reflect.get(target, key)) },
      'Proxy(array of length 2^32-1)',
    ),
  // An object whose every property read throws.
  () =>
    proxy(
      {},
      {
        get() {
          throw own(new Error('hostile getter'));
        },
      },
      'Proxy(throwing getter)',
    ),
  () => new Date(0),
  () => new Map(),
  () => AbortSignal.abort(own(new Error('aborted by the fuzz'))),
];

/** Option names the packages' functions take, so that random objects get past "unknown option" checks. */
const optionNames = [
  'type',
  'data',
  'ctx',
  'repeat',
  'flags',
  'cpu',
  'keySize',
  'valueSize',
  'maxEntries',
  'instructions',
  'license',
  'name',
  'path',
  'signal',
  'ifindex',
  'dev',
  'netns',
  'packets',
  'count',
  'duration',
  'durationMs',
  'kernels',
  'timeoutMs',
  'cacheDir',
  'source',
  'length',
  'offset',
  'value',
  'key',
  'src',
  'dst',
  'ttl',
  'protocol',
  'payload',
  'layers',
  'program',
  'map',
];

/** Strings without '/': a path made of one stays in the working directory. */
const name = fc.string({ maxLength: 40 }).filter((s) => !s.includes('/'));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 8, arbitrary: fc.constantFrom(...hostile.keys()).map((i) => hostile[i]()) },
    { weight: 2, arbitrary: name },
    { weight: 2, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.bigInt() },
    { weight: 1, arbitrary: fc.array(fc.integer({ min: -1, max: 300 }), { maxLength: 8 }) },
    { weight: 2, arbitrary: tie('object') },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
  ),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...optionNames), name), tie('value'), {
    maxKeys: 4,
  }),
}));
const argumentLists = fc.array(value, { maxLength: 4 });

function describe(v, depth = 0) {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol') return 'Symbol()';
  if (typeof v === 'function') return 'function';
  if (typeof v === 'string') return JSON.stringify(v.length > 30 ? `${v.slice(0, 30)}...(${v.length})` : v);
  if (typeof v !== 'object') return String(v);
  if (proxies.has(v)) return proxies.get(v);
  if (v instanceof AbortSignal) return 'AbortSignal(aborted)';
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.byteLength})`;
  if (v instanceof ArrayBuffer) return `ArrayBuffer(${v.byteLength})`;
  if (v instanceof Date) return 'Date';
  if (v instanceof Map) return 'Map';
  if (Array.isArray(v)) return depth > 2 ? '[...]' : `[${v.map((x) => describe(x, depth + 1)).join(', ')}]`;
  if (depth > 2) return '{...}';
  const prefix = Object.getPrototypeOf(v) === null ? 'Object.create(null)' : '';
  return `${prefix}{${Object.keys(v)
    .map((k) => `${JSON.stringify(k)}: ${describe(v[k], depth + 1)}`)
    .join(', ')}}`;
}

/** Live instances whose methods are fuzzed (maps, programs, builders), made fresh for each call. */
async function fixture(className) {
  const syscall = await import('@progrun/syscall');
  switch (className) {
    case 'Program':
      return syscall.Program.load({
        type: 'XDP',
        instructions: syscall.asm.assemble([syscall.asm.mov64('r0', 2), syscall.asm.exit()]),
        license: 'GPL',
      });
    case 'BpfMap':
      return syscall.BpfMap.create({ type: 'HASH', keySize: 4, valueSize: 8, maxEntries: 8 });
    case 'PacketBuilder':
      return (await import('@progrun/ctx-builders')).eth().ipv4().udp();
    case 'DecodedPacket': {
      const cb = await import('@progrun/ctx-builders');
      return cb.decodePacket(cb.eth().ipv4().udp().build());
    }
    case 'SyscallStruct':
      return (await import('@progrun/ctx-builders')).syscallStruct({ a: 'u32', b: { bytes: 4 } });
    default:
      throw new Error(`no fixture for ${className}`);
  }
}

function target(entry) {
  if (entry.startsWith('new ')) {
    const C = module[entry.slice(4)];
    return (args) => new C(...args);
  }
  if (entry.includes('#')) {
    const [className, method] = entry.split('#');
    return async (args) => {
      const instance = await fixture(className);
      try {
        return await release(await instance[method](...args));
      } finally {
        instance.close?.();
      }
    };
  }
  const [name, member] = entry.split('.');
  const owner = member === undefined ? module : module[name];
  const fn = owner[member ?? name];
  return (args) => fn.apply(owner, args);
}

/**
 * Awaits what a call returned and releases it: a promise or an injection settles (an injection is
 * stopped first), an async iterable is read for a few items (capture streams throw as they are read),
 * and anything holding an fd, a namespace or a file is closed.
 */
async function release(result) {
  if (result === null || (typeof result !== 'object' && typeof result !== 'function')) return result;
  if (typeof result.stop === 'function' && typeof result.then === 'function') result.stop();
  if (typeof result.then === 'function') result = await result;
  if (result === null || typeof result !== 'object') return result;
  if (typeof result[Symbol.asyncIterator] === 'function' && typeof result.close !== 'function') {
    let read = 0;
    for await (const _ of result) if (++read >= 16) break;
  }
  if (typeof result[Symbol.asyncDispose] === 'function') await result[Symbol.asyncDispose]();
  else if (typeof result[Symbol.dispose] === 'function') result[Symbol.dispose]();
  else if (typeof result.close === 'function') await result.close();
  return result;
}

/** A seed per entry point, from the run's seed and the entry point's name (FNV-1a). */
function entrySeed(entry) {
  let hash = 0x811c9dc5 ^ seed;
  for (const char of `${moduleName} ${entry}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash | 0;
}

/**
 * A system call's own answer as Node.js reports it (a SystemError: an errno name as `code`, the `syscall`),
 * e.g. ENOENT opening a path that does not exist: the caller learns what the system said.
 */
const isSystemError = (error) =>
  error instanceof Error && typeof error.syscall === 'string' && /^E[A-Z0-9]+$/.test(String(error.code));

const errorText = (error) => {
  try {
    return `${error?.constructor?.name ?? typeof error} ${error?.code ? `(${error.code}) ` : ''}${String(error?.message ?? error).slice(0, 300)}`;
  } catch {
    return 'an unprintable value';
  }
};

for (const entry of entries.slice(Number(firstText))) {
  report({ entry });
  const call = target(entry);
  const inputs = fc.sample(argumentLists, { seed: entrySeed(entry), numRuns: runs });
  for (const [n, args] of inputs.entries()) {
    report({ call: n, input: `(${args.map((arg) => describe(arg)).join(', ')})` });
    try {
      await release(await call(args));
      // A rejection left unhandled by the call surfaces here, still on this input.
      await new Promise(setImmediate);
      report({ outcome: 'returned' });
    } catch (error) {
      if (ownErrors.has(error) || (ProgrunError.isInstance(error) && typeof error.code === 'string'))
        report({ outcome: 'typed' });
      else if (isSystemError(error)) report({ outcome: 'system' });
      else report({ outcome: 'untyped', error: errorText(error) });
    }
  }
}
report({ finished: true });
// Whatever the fuzzed calls left running (timers, sockets) must not keep the process.
process.exit(0);
