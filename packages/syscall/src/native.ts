/**
 * The one place the native addon is loaded and typed. Everything else in the package calls the addon
 * through `native`; nothing else imports the `.node` file. It is progrun's only addon: sibling packages
 * (@progrun/xdp-live) reach their native functions through this module's `@progrun/syscall/native`
 * subpath, an internal interface with no semver promise.
 *
 * The addon is the file named by the `PROGRUN_NATIVE_PATH` environment variable (a relocated binary, as
 * better-sqlite3's `nativeBinding` and node-usb's bindings allow) when set; otherwise node-gyp-build picks
 * it: a source build in `build/Release` when there is one (a checkout, or the install script's fallback
 * build), else the prebuilt binary for this platform in `prebuilds/` (linux-x64 and linux-arm64, glibc),
 * which is what an installed package normally loads.
 *
 * Conventions of the addon (see native/src): calls return a non-negative result or `-errno`; JavaScript
 * builds the errors. Arguments of the wrong type or range throw a TypeError/RangeError from the addon
 * itself; the TypeScript layer validates first, so those are a second line of defence. Buffers may be
 * any Uint8Array, Buffer, DataView or ArrayBuffer; sizes handed to the kernel are always the buffers'
 * byte lengths.
 * @internal
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NATIVE_BOUNDARY, type TabledNativeCalls, TEST_RUN_SLOT_COUNT } from './generated/native-calls.js';

export { TestRunSlot } from './generated/native-calls.js';

/** Bytes the addon accepts as a buffer argument. */
export type NativeBytes = ArrayBufferView | ArrayBuffer;

/** What `progTestRunAsync` resolves with. */
export interface NativeTestRunResult {
  /** bpf()'s return value: -errno, or what the kernel returned (0 unless a program on bpf_test_finish set it). */
  readonly ret: number;
  readonly retval: number;
  readonly duration: number;
  readonly dataSizeOut: number;
  readonly ctxSizeOut: number;
  readonly restarts: number;
  /** Kernel calls a long repeat was split into (native/src/test-run-chunks.h); 0 when cancelled first. */
  readonly chunks: number;
  /** The first min(dataSizeOut, requested size) bytes, when an output size was requested. */
  readonly dataOut?: Buffer;
  readonly ctxOut?: Buffer;
  /** The copy of ctxIn after the run, when returnCtxIn was true. */
  readonly ctxIn?: Buffer;
}

/** One bpf() call the addon would have made, recorded while a capture is active (see attrCaptureStart). */
export interface NativeAttrRecord {
  /** The bpf command number. */
  readonly command: number;
  /** The size argument: how many bytes of union bpf_attr were passed. */
  readonly size: number;
  /** Those bytes. */
  readonly attr: Buffer;
}

/**
 * The addon's surface. The functions whose positional arguments are ordered by generator/native-calls.ts
 * come from {@link TabledNativeCalls}; call them through the generated `call*` functions, which take the
 * arguments by name.
 */
export interface NativeBinding extends TabledNativeCalls {
  /**
   * BPF_PROG_TEST_RUN, synchronously. The buffers are ArrayBuffers (undefined when absent; an empty
   * ArrayBuffer passes a non-NULL pointer of size 0, except for dataOut); the fd, the byte ranges of the
   * buffers and the scalars are read from {@link testRunSlots}, and the results are written back there
   * (indices: {@link TestRunSlot}), with bpf()'s return value in the ret slot (an int32: read it as
   * `slots[TestRunSlot.ret] | 0`).
   */
  progTestRun(
    dataIn: ArrayBufferLike | undefined,
    dataOut: ArrayBufferLike | undefined,
    ctxIn: ArrayBufferLike | undefined,
    ctxOut: ArrayBufferLike | undefined,
  ): void;
  /** The addon-owned argument and result slots of progTestRun. */
  readonly testRunSlots: Uint32Array;
  /**
   * Stops the async test runs started with `cancelId` id (progTestRunAsync, progTestRunEachAsync) at their
   * next chunk or input: they then settle with -ECANCELED (or a cancelled header). id 0 is refused.
   */
  testRunCancel(id: number): void;
  /** Stops every async test run of this environment in flight, as testRunCancel (at process exit). */
  testRunCancelAll(): void;
  /** Digest of the calling-convention table the addon was built from (generator/native-calls.ts). */
  readonly nativeBoundary: string;
  /**
   * Test support: until {@link attrCaptureStop}, no bpf() call of the addon reaches the kernel (in any
   * thread) except the commands listed in `passThrough`; each is recorded and answered with `ret`. Not
   * for use outside tests.
   */
  attrCaptureStart(ret: number, passThrough: Uint32Array | null): void;
  /** Ends the capture and returns what it recorded, in call order. */
  attrCaptureStop(): NativeAttrRecord[];
  mapLookupElem(mapFd: number, key: NativeBytes | null, value: NativeBytes, flags: bigint | number): number;
  mapLookupAndDeleteElem(
    mapFd: number,
    key: NativeBytes | null,
    value: NativeBytes,
    flags: bigint | number,
  ): number;
  mapUpdateElem(mapFd: number, key: NativeBytes | null, value: NativeBytes, flags: bigint | number): number;
  mapDeleteElem(mapFd: number, key: NativeBytes | null, flags: bigint | number): number;
  mapGetNextKey(mapFd: number, key: NativeBytes | null, nextKey: NativeBytes): number;
  mapFreeze(mapFd: number): number;
  objPin(fd: number, path: string, fileFlags: number): number;
  objGet(path: string, fileFlags: number): number;
  progGetNextId(startId: number): number;
  mapGetNextId(startId: number): number;
  linkGetNextId(startId: number): number;
  progGetFdById(id: number, openFlags: number): number;
  mapGetFdById(id: number, openFlags: number): number;
  linkGetFdById(id: number, openFlags: number): number;
  btfGetNextId(startId: number): number;
  btfGetFdById(id: number, openFlags: number): number;
  /** The BTF blob of the BTF object behind fd (native/src/btf-raw-data.cc), or -errno. */
  btfRawData(fd: number): Buffer | number;
  /**
   * Zero-filled memory of `size` bytes (1 to 2^28) that the addon allocated and frees when `buffer` is
   * collected: it never moves, so its `address` can be handed to the kernel inside a struct
   * (native/src/pinned-memory.cc).
   */
  pinnedMemory(size: number): { readonly buffer: Buffer; readonly address: bigint };
  /** Zeroes info, then returns the info_len the kernel wrote, or -errno. */
  objGetInfoByFd(fd: number, info: NativeBytes): number;
  rawTracepointOpen(name: string | null, progFd: number): number;
  enableStats(type: number): number;
  /** Records fd as owned by an object of this environment: closed when the environment is torn down. */
  ownFd(fd: number): number;
  /** Forgets fd (see ownFd) and closes it: 0 or -errno. */
  closeFd(fd: number): number;
  /** Bytes of union bpf_attr the addon passes for BPF_PROG_LOAD / BPF_PROG_TEST_RUN. */
  readonly PROG_LOAD_ATTR_SIZE: number;
  readonly TEST_RUN_ATTR_SIZE: number;
  // ELF objects through libbpf (native/src/elf-object.cc). A handle is an opaque External.
  elfOpen(
    source: string | NativeBytes,
    objectName: string | null,
  ): NativeElfResult & { readonly handle?: NativeElfHandle };
  elfInfo(handle: NativeElfHandle): {
    readonly name: string;
    readonly hasBtf: boolean;
    readonly loaded: boolean;
  };
  elfPrograms(handle: NativeElfHandle): NativeElfProgram[];
  elfMaps(handle: NativeElfHandle): NativeElfMap[];
  elfProgramSetType(handle: NativeElfHandle, program: string, type: number): number;
  elfProgramSetExpectedAttachType(handle: NativeElfHandle, program: string, attachType: number): number;
  elfProgramSetAutoload(handle: NativeElfHandle, program: string, autoload: boolean): number;
  elfProgramSetAttachTarget(
    handle: NativeElfHandle,
    program: string,
    attachProgFd: number,
    funcName: string | null,
  ): NativeElfResult;
  /** A copy of the program's struct bpf_insn array, or -errno. */
  elfProgramInsns(handle: NativeElfHandle, program: string): Buffer | number;
  elfMapSetMaxEntries(handle: NativeElfHandle, map: string, maxEntries: number): number;
  elfMapSetInitialValue(handle: NativeElfHandle, map: string, value: NativeBytes): number;
  elfMapInitialValue(handle: NativeElfHandle, map: string): Buffer | number;
  /** A copy of the object's BTF, or -ENODATA when it has none. */
  elfBtf(handle: NativeElfHandle): Buffer | number;
  elfLoad(
    handle: NativeElfHandle,
    logLevel: number,
    logSize: number,
  ): NativeElfResult & { readonly programLogs: Readonly<Record<string, string>> };
  /** A new fd (a duplicate the caller owns), or -errno. */
  elfProgramFd(handle: NativeElfHandle, program: string): number;
  elfMapFd(handle: NativeElfHandle, map: string): number;
  elfClose(handle: NativeElfHandle): void;
}

/** An ELF object opened by libbpf (opaque). */
export type NativeElfHandle = { readonly __elfObject: unique symbol };

/** Outcome of an ELF call: errno 0 or a positive errno / libbpf code, and libbpf's messages meanwhile. */
export interface NativeElfResult {
  readonly errno: number;
  readonly log: string;
}

/** A program of an ELF object as libbpf describes it. */
export interface NativeElfProgram {
  readonly name: string;
  readonly section: string;
  readonly type: number;
  readonly expectedAttachType: number;
  readonly autoload: boolean;
  readonly insnCount: number;
}

/** A map of an ELF object as libbpf describes it. */
export interface NativeElfMap {
  readonly name: string;
  readonly type: number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  readonly internal: boolean;
  /** BTF type ids of key and value in the object's BTF; 0 while libbpf does not know them. */
  readonly btfKeyTypeId: number;
  readonly btfValueTypeId: number;
}

// ---------------------------------------------------------------------------------------------------
// Live injection (native/src/live-run*.cc, netns-*.cc, allowed-cpus.cc), for @progrun/xdp-live. Calls
// that take `netnsFd` run on a helper thread inside that network namespace (-1: the caller's own).
// ---------------------------------------------------------------------------------------------------

/** The live-injection part of the addon's surface (merged into the declaration of NativeBinding above). */
export interface NativeBinding {
  readonly LiveRun: NativeLiveRunConstructor;
  /** CLOCK_MONOTONIC in ns, the clock of snapshots. */
  monotonicNs(): number;
  /** A new unnamed network namespace held only by the returned fd (O_CLOEXEC), or -errno. */
  createPrivateNetns(): number;
  /** BPF_LINK_CREATE (BPF_XDP) of progFd on ifindex, resolved inside netnsFd: the link fd or -errno. */
  xdpLinkCreate(netnsFd: number, ifindex: number, progFd: number, xdpFlags: number): number;
  /** Name of ifindex inside netnsFd, or -errno (ENXIO/ENODEV when there is none). */
  ifindexName(netnsFd: number, ifindex: number): string | number;
  /** ifindex of a device name (at most 15 bytes) inside netnsFd, or -errno. */
  ifnameIndex(netnsFd: number, name: string): number;
  /**
   * One normal-mode XDP test run of packet inside netnsFd, with an xdp_md naming ifindex (0: none):
   * the program's verdict (retval), or -errno.
   */
  xdpVerdict(netnsFd: number, progFd: number, packet: NativeBytes, ifindex: number, rxQueue: number): number;
  /**
   * BPF_MAP_UPDATE_ELEM from inside netnsFd (devmap/cpumap values name devices by ifindex, resolved in
   * the updating thread's namespace): 0 or -errno. A key or value shorter than the map's own key_size
   * or value size is a RangeError, before any kernel access.
   */
  mapUpdateInNetns(
    netnsFd: number,
    mapFd: number,
    key: NativeBytes,
    value: NativeBytes,
    flags: bigint | number,
  ): number;
  /** CPUs this process may run on (sched_getaffinity). */
  allowedCpus(): number[];
}

/** What a {@link NativeLiveRun} is made from; validated by @progrun/xdp-live first, then by the addon. */
export interface NativeLiveRunConfig {
  /** Program fd; start() duplicates it for the whole run. */
  readonly progFd: number;
  /** Network namespace fd every worker enters before its first call; -1 to stay in the caller's. */
  readonly netnsFd: number;
  /** Frame templates (1 to 4096, each 1 to 4096 bytes, copied); each call of a worker uses the next one. */
  readonly packets: readonly Uint8Array[];
  /** Ingress ifindex for the xdp_md; 0 = no context (the kernel uses the namespace's lo). */
  readonly ifindex: number;
  readonly rxQueue: number;
  /** 1 to 256. */
  readonly batchSize: number;
  /** Frames over all workers; 0 = unbounded. */
  readonly count: number;
  /** 0 = unbounded. */
  readonly durationNs: number;
  /** Frames per second over all workers; 0 = unlimited. */
  readonly ratePps: number;
  /** One worker per entry, pinned to that CPU (-1: not pinned). */
  readonly cpus: readonly number[];
  /** Fixed repeat per call; 0 = sized so that a call lasts about callTargetNs. */
  readonly chunkFrames: number;
  readonly callTargetNs: number;
}

/** A set of live-injection workers (native/src/live-run-binding.cc). */
export interface NativeLiveRun {
  /**
   * Duplicates the fds and starts the workers: 0, or -errno (EBADF: progFd or netnsFd not open; EAGAIN:
   * no thread; EALREADY: started before). onDone runs once on the main thread when all workers have
   * stopped, never when start failed.
   */
  start(onDone: () => void): number;
  /**
   * out[0] = CLOCK_MONOTONIC now (ns); then `LiveRun.snapshotStride` values per worker, in the order of
   * `LiveRun.snapshotFields`; then frames sent from each packet template. `out` needs `snapshotLength`
   * elements.
   */
  snapshot(out: Float64Array): void;
  /** Stops every worker after its current call. */
  stop(): void;
  /** Waits for the worker threads to exit (call after onDone) and closes the duplicated fds. */
  join(): void;
  readonly workers: number;
  readonly snapshotLength: number;
}

/** `native.LiveRun`: the constructor, and the layout of its snapshots. */
export interface NativeLiveRunConstructor {
  /** Reads and copies the config; starts nothing. @throws TypeError/RangeError naming `config.<field>`. */
  new (config: NativeLiveRunConfig): NativeLiveRun;
  /** Values per worker in a snapshot. */
  readonly snapshotStride: number;
  /** Their names, in snapshot order. */
  readonly snapshotFields: readonly string[];
  /** Names of the worker state codes of a snapshot, by code. */
  readonly workerStates: readonly string[];
  /** Names of the failed-step codes of a snapshot, by code. */
  readonly failedSteps: readonly string[];
}

// ---------------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------------

/** Environment variable naming the addon file to load instead of the package's own build. */
export const NATIVE_PATH_ENV = 'PROGRUN_NATIVE_PATH';

const require = createRequire(import.meta.url);

/** node-gyp-build's path resolution: the source build, else the prebuild for this platform. */
const nodeGypBuild = require('node-gyp-build') as { resolve(dir: string): string };

/** The package's directory, from src/ (tests) or dist/ alike (import.meta.dirname needs Node 20.11). */
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The addon file: the one PROGRUN_NATIVE_PATH names, else the package's build or prebuild. */
function loadFile(): NativeBinding {
  const override = process.env[NATIVE_PATH_ENV];
  if (override) {
    try {
      return require(resolve(override)) as NativeBinding;
    } catch (cause) {
      throw new Error(
        `@progrun/syscall: cannot load the native addon named by ${NATIVE_PATH_ENV} (${override}): ` +
          `${cause instanceof Error ? cause.message : String(cause)}. Point ${NATIVE_PATH_ENV} at a ` +
          "progrun_syscall.node built for this platform, or unset it to use the package's own addon.",
        { cause },
      );
    }
  }
  let file: string;
  try {
    file = nodeGypBuild.resolve(packageDir);
  } catch (cause) {
    throw new Error(
      `@progrun/syscall: no native addon for ${process.platform}-${process.arch}: no prebuilt binary ships ` +
        'for this platform and C library (prebuilds exist for linux-x64 and linux-arm64 with glibc >= 2.31), ' +
        'and none was built from source (build/Release/progrun_syscall.node). Build it with ' +
        '`npm rebuild @progrun/syscall` (install scripts allowed), which needs cmake, make, a C++ compiler, ' +
        `pkg-config and libbpf >= 1.0, libelf and zlib with their headers; or set ${NATIVE_PATH_ENV} to a ` +
        'progrun_syscall.node built for this platform.',
      { cause },
    );
  }
  try {
    return require(file) as NativeBinding;
  } catch (cause) {
    throw new Error(
      `@progrun/syscall: the native addon ${file} does not load here: ` +
        `${cause instanceof Error ? cause.message : String(cause)}. The prebuilt binaries need glibc >= 2.31; ` +
        'elsewhere build the addon from source with `npm rebuild @progrun/syscall`.',
      { cause },
    );
  }
}

function load(): NativeBinding {
  const binding = loadFile();
  // The argument orders and slots come from one table on both sides; an addon built from another
  // version of it (a stale build) would read every argument from the wrong place.
  if (binding.nativeBoundary !== NATIVE_BOUNDARY || binding.testRunSlots.length !== TEST_RUN_SLOT_COUNT) {
    throw new Error(
      `@progrun/syscall: the native addon was built from another calling convention (${binding.nativeBoundary}, ` +
        `${binding.testRunSlots.length} test-run slots; this package expects ${NATIVE_BOUNDARY}, ` +
        `${TEST_RUN_SLOT_COUNT}): rebuild it with \`npm rebuild @progrun/syscall\` (or \`npm run build:native\`).`,
    );
  }
  return binding;
}

/** The loaded addon. */
export const native: NativeBinding = load();
