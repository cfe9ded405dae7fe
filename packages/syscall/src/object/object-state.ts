import { ProgrunErrorCode } from '@progrun/uapi';
import { type NativeElfHandle, native } from '../native.js';
import { BpfObjectError } from './bpf-object-error.js';

/**
 * What programs and maps of an ELF object share with it: the native handle and its lifecycle.
 * @internal
 */
export class ObjectState {
  #handle: NativeElfHandle | undefined;
  loaded = false;
  /** Verifier logs by program, when load() was given a log level. */
  programLogs: Readonly<Record<string, string>> = {};

  constructor(
    handle: NativeElfHandle,
    /** Path, or name for an object opened from memory: how errors name it. */
    readonly label: string,
  ) {
    this.#handle = handle;
  }

  get closed(): boolean {
    return this.#handle === undefined;
  }

  /** The native handle. @throws {BpfObjectError} ERR_PROGRUN_BPF_OBJECT_CLOSED once closed. */
  handle(): NativeElfHandle {
    if (this.#handle === undefined) {
      throw new BpfObjectError({
        operation: 'use',
        object: this.label,
        code: ProgrunErrorCode.BPF_OBJECT_CLOSED,
        detail: 'the object was closed',
      });
    }
    return this.#handle;
  }

  /** For setters: @throws {BpfObjectError} ERR_PROGRUN_BPF_OBJECT_LOADED after load(). */
  handleBeforeLoad(what: string): NativeElfHandle {
    const handle = this.handle();
    if (this.loaded) {
      throw new BpfObjectError({
        operation: 'configure',
        object: this.label,
        code: ProgrunErrorCode.BPF_OBJECT_LOADED,
        detail: `${what} must be set before load()`,
      });
    }
    return handle;
  }

  /** For fds: @throws {BpfObjectError} ERR_PROGRUN_BPF_OBJECT_NOT_LOADED before load(). */
  handleAfterLoad(what: string): NativeElfHandle {
    const handle = this.handle();
    if (!this.loaded) {
      throw new BpfObjectError({
        operation: 'use',
        object: this.label,
        code: ProgrunErrorCode.BPF_OBJECT_NOT_LOADED,
        detail: `${what} exists only after load()`,
      });
    }
    return handle;
  }

  /** The entry of `list` named `name`: libbpf's current description of a program or map. */
  entry<T extends { readonly name: string }>(list: readonly T[], name: string): T {
    const found = list.find((item) => item.name === name);
    if (found === undefined) throw new Error(`libbpf no longer lists '${name}' in '${this.label}'`);
    return found;
  }

  /** @throws {BpfObjectError} for a negative native result. */
  check(result: number, operation: 'configure' | 'use', detail: string, log = ''): number {
    if (result >= 0) return result;
    throw new BpfObjectError({ operation, object: this.label, errno: -result, detail, libbpfLog: log });
  }

  close(): NativeElfHandle | undefined {
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle !== undefined) native.elfClose(handle);
    return handle;
  }
}
