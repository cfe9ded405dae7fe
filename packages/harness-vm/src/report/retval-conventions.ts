import { programTypeProfiles, type RetvalConvention, retvalConventionFor } from '@progrun/uapi';
import type { KernelMatrix } from '../matrix/kernel-matrix.js';
import { columnHeader } from './matrix-markdown.js';

const MEANING: Readonly<Record<RetvalConvention['retval'], string>> = {
  returned: "the program's return value",
  'is-bpf-ok': '1 when the program returned BPF_OK, else 0',
};

/**
 * The section of `docs/kernel-matrix.md` on what a test run's `retval` means per program type and kernel,
 * from @progrun/uapi's program-type table (`retvalConventions`): one row per type with conventions, the
 * convention each column's kernel follows, then where each comes from.
 */
export function renderRetvalConventions(matrix: KernelMatrix): string {
  const typed = programTypeProfiles.filter((profile) => profile.testRun?.retvalConventions !== undefined);
  const header = `| program type | ${matrix.columns.map(columnHeader).join(' | ')} |`;
  const rule = `|---|${matrix.columns.map(() => '---').join('|')}|`;
  const rows = typed.map((profile) => {
    const cells = matrix.columns.map((column) => {
      const version = column.version ?? column.release;
      return version === undefined ? '?' : MEANING[retvalConventionFor(profile.name, version).retval];
    });
    return `| ${profile.name} | ${cells.join(' | ')} |`;
  });
  const sources = typed.flatMap((profile) =>
    profile.testRun!.retvalConventions!.map(
      (convention) =>
        `- ${profile.name} from ${convention.since}: ${MEANING[convention.retval]} (${convention.because}).`,
    ),
  );
  return [
    '## What retval means per kernel',
    '',
    "A test run's `retval` is the program's return value, except for these program types on these kernels (`retvalConventions` of `@progrun/uapi`'s program-type table). The typed run's `verdict` reads `retval` through the running kernel's convention: a FLOW_DISSECTOR program returning BPF_OK has the verdict `BPF_OK` on every kernel.",
    '',
    header,
    rule,
    ...rows,
    '',
    ...sources,
  ].join('\n');
}
