import { decode, KernelBtf, layouts } from '@progrun/uapi';
import { checkResult } from './commands/check-result.js';
import { bpfGetFdById } from './commands/obj-by-id.js';
import { bpfObjGetInfoByFd } from './commands/obj-get-info-by-fd.js';
import { FdOwner } from './fd.js';
import { requireFdKind } from './fd-kind.js';
import { native } from './native.js';

/** What the kernel reports about a BTF object (BPF_OBJ_GET_INFO_BY_FD). */
export interface BtfInfo {
  /** The kernel's id of the BTF object. */
  readonly id: number;
  /** Bytes of its BTF blob. */
  readonly size: number;
  /** Whether it is the kernel's or a module's own BTF (Linux 5.11+; false before). */
  readonly kernelBtf: boolean;
}

/**
 * A BTF object loaded into the kernel (BPF_BTF_LOAD): the types of a map's key and value, of a program's
 * functions. Found by id (a map's `info().btfId`) or wrapped from an fd, such as the one a SYSCALL
 * program's `bpf_sys_bpf(BPF_BTF_LOAD, ...)` created in this process. Owns its fd: `close()` it, or
 * declare it with `using`.
 *
 * Minimum kernel: 4.18.
 */
export class BtfHandle extends FdOwner {
  private constructor(fd: number) {
    super(fd, 'BTF object');
  }

  /**
   * Wraps the fd of a BTF object, which the BtfHandle then owns.
   * @throws {ValidationError} for an fd that is not a BTF object's.
   * @throws {BpfError} EBADF when the fd is not open.
   */
  static fromFd(fd: number): BtfHandle {
    requireFdKind(fd, 'btf');
    return new BtfHandle(fd);
  }

  /**
   * Opens the BTF object with kernel id `id` (BPF_BTF_GET_FD_BY_ID). Needs CAP_SYS_ADMIN.
   *
   * Minimum kernel: 4.18.
   * @throws {BpfError} ENOENT when no BTF object has that id, EPERM without privileges.
   */
  static fromId(id: number): BtfHandle {
    return new BtfHandle(bpfGetFdById('btf', id));
  }

  /**
   * The kernel's information about the object.
   * @throws {BpfError} EBADF once closed.
   */
  info(): BtfInfo {
    const buffer = Buffer.alloc(layouts.bpf_btf_info.size);
    bpfObjGetInfoByFd(this.requireFd('BPF_OBJ_GET_INFO_BY_FD'), buffer);
    const info = decode(layouts.bpf_btf_info, buffer);
    return { id: info.id, size: info.btf_size, kernelBtf: info.kernel_btf !== 0 };
  }

  /**
   * The BTF blob (header, types, strings) as the kernel holds it.
   * @throws {BpfError} from BPF_OBJ_GET_INFO_BY_FD (EBADF once closed).
   */
  rawData(): Buffer {
    const result = native.btfRawData(this.requireFd('BPF_OBJ_GET_INFO_BY_FD'));
    if (typeof result === 'number') checkResult(result, 'BPF_OBJ_GET_INFO_BY_FD');
    return result as Buffer;
  }

  /**
   * The blob, parsed: its types by id (`typeInfo`), data sections (`datasecs`), records and enums.
   * @throws As {@link rawData}; `UapiLookupError` for BTF the parser does not understand.
   */
  types(): KernelBtf {
    return new KernelBtf(this.rawData());
  }
}
