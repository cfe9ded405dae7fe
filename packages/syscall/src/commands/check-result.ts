import { BpfError, type BpfErrorOptions } from '../errors/bpf-error.js';

/**
 * The addon's `result | -errno` as a result, or a thrown {@link BpfError} for `command`.
 * @internal
 */
export function checkResult(
  ret: number,
  command: string,
  extra?: Omit<BpfErrorOptions, 'errno' | 'command'>,
): number {
  if (ret < 0) throw new BpfError({ errno: -ret, command, ...extra });
  return ret;
}
