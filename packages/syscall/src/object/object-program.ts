import { BpfProgType, ProgrunErrorCode, ValidationError } from '@progrun/uapi';
import type { FormatOptions } from '../asm/format.js';
import { formatProgram } from '../asm/format.js';
import { progTypeName } from '../enum-names.js';
import { type AttachTypeInput, attachTypeValue, enumValue } from '../enum-value.js';
import { type NativeElfProgram, native } from '../native.js';
import { Program, type ProgTypeInput } from '../program.js';
import * as v from '../validate.js';
import { BpfObjectError } from './bpf-object-error.js';
import type { ObjectState } from './object-state.js';

/** Options of {@link ObjectProgram.setType}. */
export interface SetTypeOptions {
  /** The `enum bpf_attach_type` to load with (`BPF_PROG_LOAD`'s expected_attach_type). */
  readonly expectedAttachType?: AttachTypeInput;
}

/** Options of {@link ObjectProgram.setAttachTarget}. */
export interface AttachTargetOptions {
  /** fd of a loaded BPF program whose function is the target (freplace, fentry on BPF); default: the kernel. */
  readonly targetProgramFd?: number;
}

// Kernel program names hold at most BPF_OBJ_NAME_LEN - 1 bytes; libbpf truncates longer ones.
const KERNEL_NAME_BYTES = 15;

/**
 * One program of an ELF object: its section, type and autoload flag (configurable until the object is
 * loaded), its instructions, and after loading, independent {@link Program} handles to run it.
 */
export class ObjectProgram {
  readonly #state: ObjectState;
  /** The C function name. */
  readonly name: string;
  /** The ELF section (`'xdp'`, `'tc'`, `'fentry/bpf_fentry_test1'`), from which libbpf guesses the type. */
  readonly section: string;

  /** @internal */
  constructor(state: ObjectState, described: NativeElfProgram) {
    this.#state = state;
    this.name = described.name;
    this.section = described.section;
  }

  #describe(): NativeElfProgram {
    return this.#state.entry(native.elfPrograms(this.#state.handle()), this.name);
  }

  /** `enum bpf_prog_type` (0, UNSPEC, when the section name does not say and none was set). */
  get type(): number {
    return this.#describe().type;
  }

  /** `BPF_PROG_TYPE_XDP`, for messages. */
  get typeName(): string {
    return progTypeName(this.type);
  }

  /** `enum bpf_attach_type` the program loads with. */
  get expectedAttachType(): number {
    return this.#describe().expectedAttachType;
  }

  /** Whether load() loads this program (default true). Set it before loading. */
  get autoload(): boolean {
    return this.#describe().autoload;
  }

  set autoload(value: boolean) {
    if (typeof value !== 'boolean') throw new ValidationError('autoload', 'a boolean', { received: value });
    const handle = this.#state.handleBeforeLoad(`autoload of program '${this.name}'`);
    this.#state.check(
      native.elfProgramSetAutoload(handle, this.name, value),
      'configure',
      `set autoload of '${this.name}'`,
    );
  }

  /**
   * Sets the program type (and optionally the expected attach type) where the section name does not say
   * it or says something else. Before load() only.
   *
   * @throws {ValidationError} for an unknown type name.
   * @throws {BpfObjectError} ERR_PROGRUN_BPF_OBJECT_LOADED after load(), ERR_PROGRUN_BPF_OBJECT_CLOSED once closed.
   */
  setType(type: ProgTypeInput, options?: SetTypeOptions): this {
    const o = v.options<SetTypeOptions>('options', options, ['expectedAttachType']);
    const value = enumValue('type', type, BpfProgType, 'BPF_PROG_TYPE_');
    const attach =
      o.expectedAttachType === undefined
        ? undefined
        : attachTypeValue('options.expectedAttachType', o.expectedAttachType);
    const handle = this.#state.handleBeforeLoad(`the type of program '${this.name}'`);
    this.#state.check(
      native.elfProgramSetType(handle, this.name, value),
      'configure',
      `set the type of '${this.name}'`,
    );
    if (attach !== undefined) {
      this.#state.check(
        native.elfProgramSetExpectedAttachType(handle, this.name, attach),
        'configure',
        `set the expected attach type of '${this.name}'`,
      );
    }
    return this;
  }

  /**
   * Sets the function a tracing or freplace program attaches to (BTF-based programs: fentry, fexit,
   * fmod_ret, freplace), when the section name does not name it. Before load() only.
   *
   * Minimum kernel: 5.5 (fentry/fexit), 5.6 (freplace).
   * @throws {BpfObjectError} when libbpf cannot find the function (its message is in `libbpfLog`).
   */
  setAttachTarget(functionName: string, options?: AttachTargetOptions): this {
    const o = v.options<AttachTargetOptions>('options', options, ['targetProgramFd']);
    const fn = v.string('functionName', functionName, 255);
    const target = o.targetProgramFd === undefined ? 0 : v.fd('options.targetProgramFd', o.targetProgramFd);
    const handle = this.#state.handleBeforeLoad(`the attach target of program '${this.name}'`);
    const result = native.elfProgramSetAttachTarget(handle, this.name, target, fn);
    this.#state.check(
      -result.errno,
      'configure',
      `set the attach target of '${this.name}' to '${fn}'`,
      result.log,
    );
    return this;
  }

  /**
   * The program's instructions as `struct bpf_insn` bytes: as compiled before load(), and as loaded
   * (relocated, with subprograms appended and map fds embedded) after it. Matches the slot numbers of a
   * verifier log after load().
   */
  get instructions(): Uint8Array {
    const result = native.elfProgramInsns(this.#state.handle(), this.name);
    if (typeof result === 'number')
      this.#state.check(result, 'use', `read the instructions of '${this.name}'`);
    return result as Buffer;
  }

  /** A verifier-style listing of {@link instructions}. */
  listing(options?: FormatOptions): string {
    return formatProgram(this.instructions, options);
  }

  /** The verifier's log of this program, when load() was given a log level. */
  get verifierLog(): string | undefined {
    return this.#state.programLogs[this.name];
  }

  /**
   * A new {@link Program} handle on the loaded program, with its own fd (a duplicate): the caller owns it
   * and must close it; it stays valid after the object is closed. Each call returns a new handle.
   *
   * @throws {BpfObjectError} ERR_PROGRUN_BPF_OBJECT_NOT_LOADED before load() or for a program that was not
   *   loaded (autoload off); ERR_PROGRUN_BPF_OBJECT_CLOSED once the object is closed.
   */
  toProgram(): Program {
    const handle = this.#state.handleAfterLoad(`program '${this.name}'`);
    const fd = native.elfProgramFd(handle, this.name);
    if (fd < 0) {
      throw new BpfObjectError({
        operation: 'use',
        object: this.#state.label,
        code: ProgrunErrorCode.BPF_OBJECT_NOT_LOADED,
        detail: `program '${this.name}' was not loaded${this.autoload ? '' : ' (its autoload is off)'}`,
      });
    }
    try {
      return Program.fromFd(fd, { type: this.type, name: truncateName(this.name) });
    } catch (error) {
      native.closeFd(fd);
      throw error;
    }
  }
}

function truncateName(name: string): string {
  return Buffer.from(name).subarray(0, KERNEL_NAME_BYTES).toString('latin1');
}
