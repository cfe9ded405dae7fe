import { Errno } from '@progrun/uapi';
import { native } from '../native.js';
import * as v from '../validate.js';
import { checkResult } from './check-result.js';

/** The kinds of kernel object with ids. */
export type BpfObjectKind = 'prog' | 'map' | 'link' | 'btf';

const KINDS: readonly BpfObjectKind[] = ['prog', 'map', 'link', 'btf'];

const NEXT_ID = {
  prog: ['BPF_PROG_GET_NEXT_ID', (id: number) => native.progGetNextId(id)],
  map: ['BPF_MAP_GET_NEXT_ID', (id: number) => native.mapGetNextId(id)],
  link: ['BPF_LINK_GET_NEXT_ID', (id: number) => native.linkGetNextId(id)],
  btf: ['BPF_BTF_GET_NEXT_ID', (id: number) => native.btfGetNextId(id)],
} as const;

const FD_BY_ID = {
  prog: ['BPF_PROG_GET_FD_BY_ID', (id: number, flags: number) => native.progGetFdById(id, flags)],
  map: ['BPF_MAP_GET_FD_BY_ID', (id: number, flags: number) => native.mapGetFdById(id, flags)],
  link: ['BPF_LINK_GET_FD_BY_ID', (id: number, flags: number) => native.linkGetFdById(id, flags)],
  btf: ['BPF_BTF_GET_FD_BY_ID', (id: number, flags: number) => native.btfGetFdById(id, flags)],
} as const;

/**
 * BPF_PROG_GET_NEXT_ID / BPF_MAP_GET_NEXT_ID / BPF_LINK_GET_NEXT_ID / BPF_BTF_GET_NEXT_ID: the smallest id
 * above `startId`, or undefined when there is none.
 *
 * Minimum kernel: 4.13 (prog, map), 5.4 (btf), 5.8 (link). Needs CAP_SYS_ADMIN.
 * @throws {BpfError} EPERM without privileges, ...
 */
export function bpfGetNextId(kind: BpfObjectKind, startId: number): number | undefined {
  const entry = NEXT_ID[v.oneOf('kind', kind, KINDS)];
  const ret = entry[1](v.u32('startId', startId));
  if (ret === -Errno.ENOENT) return undefined;
  return checkResult(ret, entry[0]);
}

/**
 * BPF_PROG_GET_FD_BY_ID / BPF_MAP_GET_FD_BY_ID / BPF_LINK_GET_FD_BY_ID / BPF_BTF_GET_FD_BY_ID: opens the
 * object with `id`, returning a new fd the caller owns. openFlags: BPF_F_RDONLY / BPF_F_WRONLY for maps.
 *
 * Minimum kernel: 4.13 (prog, map), 4.18 (btf), 5.8 (link). Needs CAP_SYS_ADMIN.
 * @throws {BpfError} ENOENT when no object has that id, EPERM, ...
 */
export function bpfGetFdById(kind: BpfObjectKind, id: number, openFlags = 0): number {
  const entry = FD_BY_ID[v.oneOf('kind', kind, KINDS)];
  return checkResult(entry[1](v.u32('id', id), v.u32('openFlags', openFlags)), entry[0]);
}
