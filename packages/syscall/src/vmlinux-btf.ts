import { KernelBtf, ValidationError } from '@progrun/uapi';
import { NotSupportedError } from './errors/not-supported-error.js';

/** Where the running kernel publishes its BTF (Linux 5.4+, CONFIG_DEBUG_INFO_BTF). */
const VMLINUX_BTF_PATH = '/sys/kernel/btf/vmlinux';

/** The running kernel's BTF, parsed on first use. */
let runningKernelBtf: KernelBtf | undefined;

function kernelBtf(): KernelBtf {
  if (runningKernelBtf === undefined) {
    try {
      runningKernelBtf = KernelBtf.read(VMLINUX_BTF_PATH);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NotSupportedError(`kernel BTF (${VMLINUX_BTF_PATH}, CONFIG_DEBUG_INFO_BTF)`, '5.4', {
          cause: error,
        });
      }
      throw error;
    }
  }
  return runningKernelBtf;
}

/** A function or struct of the running kernel's BTF, as {@link vmlinuxBtfType} finds it. */
export interface VmlinuxBtfType {
  /** The BTF type id: what `Program.load`'s `attachBtfId` takes. */
  readonly id: number;
  /**
   * A struct's member names, in order: for a STRUCT_OPS program, the index of the operation's member is
   * its `expectedAttachType`. Empty for a function.
   */
  readonly members: readonly string[];
}

/**
 * Finds a function or struct by name in the running kernel's BTF (/sys/kernel/btf/vmlinux), for loading
 * programs that attach through BTF: fentry/fexit/LSM programs take a function's id as `attachBtfId`
 * (`vmlinuxBtfType('func', 'bpf_fentry_test1')`), STRUCT_OPS programs the struct_ops type's id and the
 * operation's member index as `expectedAttachType` (`vmlinuxBtfType('struct', 'bpf_dummy_ops')`).
 * libbpf does this itself for ELF objects (`BpfObject`). The BTF is read once, on first use.
 *
 * Minimum kernel: 5.4, built with CONFIG_DEBUG_INFO_BTF.
 * @returns undefined when the kernel's BTF has no such function or struct.
 * @throws {ValidationError} for a kind other than 'func' or 'struct', or an empty name.
 * @throws {NotSupportedError} when the kernel publishes no BTF at /sys/kernel/btf/vmlinux.
 * @throws {Error} when that file cannot be read, or a `UapiLookupError` when it is not BTF.
 */
export function vmlinuxBtfType(kind: 'func' | 'struct', name: string): VmlinuxBtfType | undefined {
  if (kind !== 'func' && kind !== 'struct')
    throw new ValidationError('kind', "'func' or 'struct'", { received: kind });
  if (typeof name !== 'string' || name === '')
    throw new ValidationError('name', 'a non-empty string', { received: name });
  const btf = kernelBtf();
  const id = btf.typeId(kind, name);
  if (id === undefined) return undefined;
  return { id, members: kind === 'struct' ? btf.memberNames(`struct ${name}`)! : [] };
}
