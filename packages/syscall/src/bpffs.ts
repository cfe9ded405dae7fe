import { statfsSync } from 'node:fs';

/** statfs(2) f_type of a bpf filesystem. */
const BPF_FS_MAGIC = 0xcafe4a11;

/**
 * Whether `dir` is on a bpf filesystem (where BPF_OBJ_PIN can pin); `undefined` when it cannot be
 * examined (missing, unreadable).
 * @internal
 */
export function onBpffs(dir: string): boolean | undefined {
  try {
    return statfsSync(dir).type === BPF_FS_MAGIC;
  } catch {
    return undefined;
  }
}
