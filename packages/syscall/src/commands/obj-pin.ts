import { native } from '../native.js';
import * as v from '../validate.js';
import { checkResult } from './check-result.js';

const PATH_MAX = 4095;

/**
 * BPF_OBJ_PIN: pins the object behind `fd` at `path` in a bpf filesystem, so it outlives the fd.
 *
 * Minimum kernel: 4.4.
 * @throws {ValidationError} for arguments of the wrong type.
 * @throws {BpfError} EEXIST when the path exists, EPERM/EINVAL when the path is not on a bpffs, ...
 */
export function bpfObjPin(fd: number, path: string, fileFlags = 0): void {
  const checkedPath = v.string('path', path, PATH_MAX);
  checkResult(native.objPin(v.fd('fd', fd), checkedPath, v.u32('fileFlags', fileFlags)), 'BPF_OBJ_PIN', {
    path: checkedPath,
  });
}

/**
 * BPF_OBJ_GET: opens the object pinned at `path`, returning a new fd the caller owns. fileFlags:
 * BPF_F_RDONLY / BPF_F_WRONLY (Linux 4.15+).
 *
 * Minimum kernel: 4.4.
 * @throws {BpfError} ENOENT when nothing is pinned there, ...
 */
export function bpfObjGet(path: string, fileFlags = 0): number {
  const checkedPath = v.string('path', path, PATH_MAX);
  return checkResult(native.objGet(checkedPath, v.u32('fileFlags', fileFlags)), 'BPF_OBJ_GET', {
    path: checkedPath,
  });
}
