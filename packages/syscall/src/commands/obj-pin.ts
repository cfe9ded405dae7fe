import { dirname } from 'node:path';
import { onBpffs } from '../bpffs.js';
import { native } from '../native.js';
import * as v from '../validate.js';
import { checkResult } from './check-result.js';

/**
 * What to do when a pin failed because its directory is not on a bpf filesystem (the usual cause of
 * ENOENT/EPERM/EINVAL from BPF_OBJ_PIN: on a fresh machine nothing is mounted at /sys/fs/bpf).
 */
function bpffsHint(path: string): string | undefined {
  const dir = dirname(path);
  switch (onBpffs(dir)) {
    case true:
      return undefined;
    case false:
      return `'${dir}' is not on a bpf filesystem: mount one (mount -t bpf bpf /sys/fs/bpf) and pin below it`;
    default:
      return `directory '${dir}' does not exist`;
  }
}

/**
 * BPF_OBJ_PIN: pins the object behind `fd` at `path` in a bpf filesystem, so it outlives the fd.
 *
 * Minimum kernel: 4.4.
 * @throws {ValidationError} for arguments of the wrong type.
 * @throws {BpfError} EEXIST when the path exists; ENOENT/EPERM/EINVAL when its directory is missing or not
 *   on a bpf filesystem (the message then says so), ...
 */
export function bpfObjPin(fd: number, path: string, fileFlags = 0): void {
  const checkedPath = v.string('path', path, v.MAX_PATH_BYTES);
  const ret = native.objPin(v.fd('fd', fd), checkedPath, v.u32('fileFlags', fileFlags));
  if (ret < 0) checkResult(ret, 'BPF_OBJ_PIN', { path: checkedPath, hint: bpffsHint(checkedPath) });
}

/**
 * BPF_OBJ_GET: opens the object pinned at `path`, returning a new fd the caller owns. fileFlags:
 * BPF_F_RDONLY / BPF_F_WRONLY (Linux 4.15+).
 *
 * Minimum kernel: 4.4.
 * @throws {BpfError} ENOENT when nothing is pinned there, ...
 */
export function bpfObjGet(path: string, fileFlags = 0): number {
  const checkedPath = v.string('path', path, v.MAX_PATH_BYTES);
  return checkResult(native.objGet(checkedPath, v.u32('fileFlags', fileFlags)), 'BPF_OBJ_GET', {
    path: checkedPath,
  });
}
