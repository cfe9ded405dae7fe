import { basename } from 'node:path';
import { types } from 'node:util';
import { KernelBtf, ProgrunErrorCode, ValidationError } from '@progrun/uapi';
import { explainVerifierLog } from '../asm/verifier-log.js';
import { BpfError } from '../errors/bpf-error.js';
import { errnoOf } from '../errors/errno-names.js';
import { type NativeElfHandle, native } from '../native.js';
import { logSizeOption } from '../program-load.js';
import * as v from '../validate.js';
import { BpfObjectError } from './bpf-object-error.js';
import { GlobalVariable } from './global-variable.js';
import { failedProgram, lastMessage, printedVerifierLog, withoutVerifierLogs } from './libbpf-log.js';
import { ObjectMap } from './object-map.js';
import { ObjectProgram } from './object-program.js';
import { ObjectState } from './object-state.js';

/** Options of {@link BpfObject.open}. Unknown fields are rejected. */
export interface BpfObjectOpenOptions {
  /**
   * The object's name: the prefix of its internal maps' names (`<name>.bss`). Default: the file name up
   * to its first dot, or `'object'` for bytes.
   */
  readonly name?: string;
}

/** Options of {@link BpfObject.load}. Unknown fields are rejected. */
export interface BpfObjectLoadOptions {
  /**
   * Verifier log level for every program (1: verdicts, 2: every instruction, 4: statistics); the logs
   * are then kept in {@link ObjectProgram.verifierLog}. Without one, a log is fetched only for a program
   * the verifier rejects, and travels in the thrown error.
   */
  readonly logLevel?: number;
  /** Log buffer per program with `logLevel`, in bytes (>= 128, default 1 MiB); too small gives ENOSPC. */
  readonly logSize?: number;
}

const DEFAULT_LOG_SIZE = 1 << 20;
const EPERM = errnoOf('EPERM');
const EAGAIN = errnoOf('EAGAIN');

interface Held {
  readonly handle: NativeElfHandle;
  readonly label: string;
}

// Safety net: an object nobody references any more is closed, with a warning, since it holds the fds of
// every program and map libbpf loaded.
const registry = new FinalizationRegistry<Held>((held) => {
  native.elfClose(held.handle);
  process.emitWarning(
    `BPF object '${held.label}' was garbage-collected without close(); it was closed. ` +
      'Call close() or use `using` to release it deterministically.',
    { code: 'PROGRUN_OBJECT_LEAK', type: 'ResourceWarning' },
  );
});

/**
 * An ELF object compiled by clang (`clang -target bpf -O2 -g`), opened by libbpf: its programs and maps,
 * BTF, and CO-RE relocations against the running kernel's BTF. Configure programs and maps, then
 * {@link load} once; take independent {@link Program} / {@link BpfMap} handles with `toProgram()` /
 * `toMap()`. Owns libbpf's object and the fds it loaded: `close()` it, or declare it with `using`;
 * handles taken from it keep working after it is closed.
 *
 * Minimum kernel: that of the program and map types inside; BTF-based features need their own (CO-RE
 * needs kernel BTF, `/sys/kernel/btf/vmlinux`, Linux 5.4+ with CONFIG_DEBUG_INFO_BTF).
 *
 * @example
 * ```ts
 * using obj = BpfObject.open('fixtures/build/xdp.bpf.o').load();
 * using prog = obj.program('xdp_pass').toProgram();
 * prog.run({ data: packet }).retval; // 2, XDP_PASS
 * ```
 */
export class BpfObject implements Disposable {
  readonly #state: ObjectState;
  readonly #token = {};
  readonly #programs: readonly ObjectProgram[];
  readonly #maps: readonly ObjectMap[];
  #globals: readonly GlobalVariable[] | undefined;
  /** The object's name (prefix of its internal maps). */
  readonly name: string;
  /** Whether the object carries BTF (needed for CO-RE, global variables, BTF-defined maps). */
  readonly hasBtf: boolean;

  private constructor(handle: NativeElfHandle, label: string) {
    this.#state = new ObjectState(handle, label);
    registry.register(this.#state, { handle, label }, this.#token);
    const info = native.elfInfo(handle);
    this.name = info.name;
    this.hasBtf = info.hasBtf;
    this.#programs = native.elfPrograms(handle).map((p) => new ObjectProgram(this.#state, p));
    this.#maps = native.elfMaps(handle).map((m) => new ObjectMap(this.#state, m));
  }

  /**
   * Opens an ELF object from a file path or from its bytes, and parses it: programs, maps, BTF and
   * relocations are read, nothing is loaded into the kernel yet.
   *
   * @throws {ValidationError} for a source that is neither a path nor bytes, or a bad option.
   * @throws {BpfObjectError} `ENOENT`/`EACCES`... when the file cannot be read, `ENOEXEC` when it is not
   *   a sound little-endian BPF ELF object, a libbpf code (`LIBBPF_ERRNO__FORMAT`...) when libbpf rejects
   *   its contents.
   */
  static open(source: string | Uint8Array, options?: BpfObjectOpenOptions): BpfObject {
    const o = v.options<BpfObjectOpenOptions>('options', options, ['name']);
    if (typeof source !== 'string' && !types.isUint8Array(source)) {
      throw new ValidationError('source', 'a file path or the bytes of an ELF object (a Uint8Array)', {
        received: source,
      });
    }
    if (source === '') throw new ValidationError('source', 'a non-empty file path', { received: source });
    if (typeof source === 'string') v.string('source', source, v.MAX_PATH_BYTES);
    let name: string;
    if (o.name !== undefined) {
      name = v.string('options.name', o.name, 63);
      if (!/^[A-Za-z0-9_]+$/.test(name)) {
        throw new ValidationError(
          'options.name',
          'letters, digits and underscores (it prefixes kernel map names)',
          { received: name },
        );
      }
    } else {
      // As libbpf names objects it opens from files: the file name up to its first dot.
      const stem = typeof source === 'string' ? (basename(source).split('.')[0] ?? '') : '';
      // Cut to the length an explicit name may have (a file name can be longer than the addon takes).
      name = (stem.replace(/[^A-Za-z0-9_]/g, '_') || 'object').slice(0, 63);
    }
    const label = typeof source === 'string' ? source : name;
    const result = native.elfOpen(source, name);
    if (result.handle === undefined) {
      throw new BpfObjectError({
        operation: 'open',
        object: label,
        errno: result.errno,
        detail: lastMessage(result.log) || 'libbpf could not parse it',
        libbpfLog: result.log,
      });
    }
    return new BpfObject(result.handle, label);
  }

  /** Whether load() ran (successfully or not: libbpf loads an object once). */
  get loaded(): boolean {
    return this.#state.loaded;
  }

  /** True once close() ran. */
  get closed(): boolean {
    return this.#state.closed;
  }

  /** The programs, in ELF order. */
  get programs(): readonly ObjectProgram[] {
    return this.#programs;
  }

  /** The maps: `SEC(".maps")` definitions and internal maps for globals. */
  get maps(): readonly ObjectMap[] {
    return this.#maps;
  }

  /**
   * The program named `name` (its C function name).
   * @throws {ValidationError} when the object has no such program (the message lists those it has).
   */
  program(name: string): ObjectProgram {
    const found = this.#programs.find((p) => p.name === name);
    if (found === undefined) {
      const names = this.#programs.map((p) => `'${p.name}'`).join(', ');
      throw new ValidationError('name', `the name of a program of this object (${names || 'none'})`, {
        received: name,
      });
    }
    return found;
  }

  /**
   * The map named `name`; internal maps are also found by section (`'.bss'`, `'.rodata'`).
   * @throws {ValidationError} when the object has no such map (the message lists those it has).
   */
  map(name: string): ObjectMap {
    const found =
      this.#maps.find((m) => m.name === name) ?? this.#maps.find((m) => m.internal && m.section === name);
    if (found === undefined) {
      const names = this.#maps.map((m) => `'${m.name}'`).join(', ');
      throw new ValidationError('name', `the name of a map of this object (${names || 'none'})`, {
        received: name,
      });
    }
    return found;
  }

  /**
   * The global variables: every variable of the object's BTF data sections that has a map (`.bss`,
   * `.data`, `.rodata`, custom `.data.*` and `.rodata.*` sections; not `.kconfig` externs), section by
   * section as the BTF lists them, by offset within one. Empty for an object without BTF.
   *
   * Minimum kernel: 5.2 (global data).
   * @throws {BpfObjectError} ERR_PROGRUN_BPF_OBJECT_CLOSED once closed.
   */
  get globals(): readonly GlobalVariable[] {
    if (this.#globals === undefined) {
      const raw = native.elfBtf(this.#state.handle());
      const btf = typeof raw === 'number' ? undefined : new KernelBtf(raw);
      this.#globals = (btf?.datasecs() ?? []).flatMap((datasec) => {
        const map = this.#maps.find((m) => m.internal && m.section === datasec.name);
        if (map === undefined) return [];
        return datasec.variables
          .filter((variable) => variable.linkage !== 2)
          .map((variable) => new GlobalVariable(this.#state, map, btf!, variable));
      });
    }
    return this.#globals;
  }

  /**
   * The global variable named `name` (its C name), as {@link globals} lists them.
   * @throws {ValidationError} when the object has no such global (the message lists those it has).
   * @throws {BpfObjectError} ERR_PROGRUN_BPF_OBJECT_CLOSED once closed.
   */
  global(name: string): GlobalVariable {
    const found = this.globals.find((g) => g.name === name);
    if (found === undefined) {
      const names = this.globals.map((g) => `'${g.name}'`).join(', ');
      throw new ValidationError('name', `the name of a global variable of this object (${names || 'none'})`, {
        received: name,
      });
    }
    return found;
  }

  /**
   * Loads the object: creates its maps, applies CO-RE relocations against the running kernel's BTF, and
   * loads every program whose autoload is on. Runs once: after a failure, open the object again.
   *
   * Minimum kernel: as the program and map types inside.
   * @throws {BpfError} from BPF_PROG_LOAD when the kernel refuses a program: `verifierLog` holds the
   *   verifier's log, and the message names the program, the instruction it blamed and a listing around it.
   * @throws {BpfObjectError} for anything else (a program without a type, a failed CO-RE relocation, a map
   *   the kernel refused...), with libbpf's messages in `libbpfLog`; ERR_PROGRUN_BPF_OBJECT_LOADED when called twice.
   */
  load(options?: BpfObjectLoadOptions): this {
    const o = v.options<BpfObjectLoadOptions>('options', options, ['logLevel', 'logSize']);
    const logLevel = v.optionalU32('options.logLevel', o.logLevel);
    const logSize = logSizeOption('options.logSize', o.logSize) ?? DEFAULT_LOG_SIZE;
    const handle = this.#state.handleBeforeLoad('load()');
    const untyped = this.#programs.find((p) => p.autoload && p.type === 0);
    if (untyped !== undefined) {
      throw new BpfObjectError({
        operation: 'load',
        object: this.#state.label,
        code: ProgrunErrorCode.BPF_OBJECT_PROGRAM_TYPE,
        detail:
          `program '${untyped.name}' in section '${untyped.section}' has no program type (the section name does ` +
          `not say): call program('${untyped.name}').setType(...) or turn its autoload off`,
      });
    }
    const result = native.elfLoad(handle, logLevel, logLevel === 0 ? 0 : logSize);
    this.#state.loaded = true;
    this.#state.programLogs = result.programLogs;
    if (result.errno === 0) return this;

    // EAGAIN is the verifier giving up on a pending signal, not a rejection (load() holds signals off, so
    // only a signal it cannot block gets here).
    const failed = result.errno === EAGAIN ? undefined : failedProgram(result.log);
    if (failed !== undefined) {
      const verifierLog = result.programLogs[failed] ?? printedVerifierLog(result.log, failed) ?? '';
      const program = this.program(failed);
      const explained = explainVerifierLog(verifierLog, program.instructions);
      const hint =
        result.errno === EPERM && explained === ''
          ? `program '${failed}' (section '${program.section}'): the kernel refused it before verification; loading needs CAP_BPF plus CAP_PERFMON or CAP_NET_ADMIN for most types, and a security policy may forbid the type`
          : `program '${failed}' (section '${program.section}') was rejected${explained ? ` ${explained}` : ''}`;
      throw new BpfError({ errno: result.errno, command: 'BPF_PROG_LOAD', verifierLog, hint });
    }
    throw new BpfObjectError({
      operation: 'load',
      object: this.#state.label,
      errno: result.errno,
      // libbpf answers EPERM before any program with "make sure CONFIG_BPF_SYSCALL=y and RLIMIT_MEMLOCK":
      // on every kernel it supports, the reason is missing privilege.
      detail:
        result.errno === EPERM
          ? 'the kernel refused to load BPF for this process: it needs root or CAP_BPF (with CAP_PERFMON or CAP_NET_ADMIN for most program types)'
          : lastMessage(result.log) || 'libbpf could not load it',
      libbpfLog: withoutVerifierLogs(result.log),
    });
  }

  /**
   * Closes libbpf's object and every fd it holds. Handles taken with toProgram()/toMap() stay open.
   * Calling it again does nothing.
   */
  close(): void {
    if (this.#state.close() !== undefined) registry.unregister(this.#token);
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
