import type { HeaderSetContents } from './collect-header-set.js';
import { banner, quote } from './emit-common.js';
import { KERNEL_INTERNAL_ERRNOS } from './errno.js';
import { mergeNamed } from './merge-versions.js';

/** errno.ts: the UAPI errno codes with messages, then the kernel-internal codes that can leak out. */
export function emitErrno(sets: readonly HeaderSetContents[]): string {
  const uapi = mergeNamed(
    sets,
    (c) => c.errnos,
    (e) => String(e.errno),
    'errno',
  );
  const oldest = sets[0]?.set.version ?? '';
  const rows = [
    ...uapi.map(({ item, firstHeaderSet }) => ({ ...item, firstHeaderSet, internal: false })),
    ...KERNEL_INTERNAL_ERRNOS.map((e) => ({ ...e, firstHeaderSet: oldest, internal: true })),
  ].sort((a, b) => a.errno - b.errno || (a.name < b.name ? -1 : 1));
  const messages = new Map(rows.map((r) => [r.name, r.message]));
  const values = rows.map((r) => `  ${r.name}: ${r.errno},`);
  const info = rows.map((r) => {
    // Aliases such as EDEADLOCK carry no comment of their own in the header: use their target's.
    const message =
      r.message || messages.get(rows.find((o) => o.errno === r.errno && o.message)?.name ?? '') || '';
    return `  ${r.name}: { errno: ${r.errno}, message: ${quote(message)}, firstHeaderSet: '${r.firstHeaderSet}', internal: ${r.internal} },`;
  });
  return [
    banner(
      sets,
      'errno codes of asm-generic/errno-base.h and asm-generic/errno.h, plus the kernel-internal codes >= 512.',
    ),
    `import type { ErrnoInfo } from '../errno-info.js';`,
    ``,
    `/**`,
    ` * errno codes by name. Codes >= 512 are kernel-internal (include/linux/errno.h, not in the UAPI`,
    ` * headers) but some reach userspace: bpf() returns ENOTSUPP (524) from several paths.`,
    ` */`,
    `export const Errno = {`,
    ...values,
    `} as const;`,
    ``,
    `/** A key of {@link Errno}. */`,
    `export type ErrnoName = keyof typeof Errno;`,
    ``,
    `/** Message, oldest header set and whether the code is kernel-internal, per errno name. */`,
    `export const errnoInfo = {`,
    ...info,
    `} as const satisfies Record<ErrnoName, ErrnoInfo>;`,
    ``,
  ].join('\n');
}
