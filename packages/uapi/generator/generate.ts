import { collectHeaderSet } from './collect-header-set.js';
import { emitConstants } from './emit-constants.js';
import { emitEnums } from './emit-enums.js';
import { emitErrno } from './emit-errno.js';
import { emitHeaderSets } from './emit-header-sets.js';
import { emitKernelInternalLayouts } from './emit-kernel-internal-layouts.js';
import { emitLayouts } from './emit-layouts.js';
import { fetchAllHeaderSets } from './fetch-headers.js';
import { readKernelInternalInputs } from './kernel-internal-inputs.js';
import { KERNEL_INTERNAL_RECORDS } from './kernel-internal-records.js';
import { mergeLayouts } from './merge-versions.js';
import { collectLayouts } from './record-layouts.js';

/**
 * Fetches the header sets, evaluates everything (and the committed kernel-internal headers) with
 * the compiler and returns the generated files (name -> text). Pure apart from the cache: the same
 * packages give the same bytes.
 */
export function generateFiles(log: (line: string) => void = () => {}): Record<string, string> {
  const sets = fetchAllHeaderSets().map((set) => {
    log(`uapi: ${set.packageName} ${set.packageVersion} (${set.suite}) for ${set.version}`);
    return collectHeaderSet(set);
  });
  // From the committed headers only: the same bytes on any host, no download.
  const kernelInternal = readKernelInternalInputs().map((input) => {
    log(`uapi: kernel-internal records of ${input.packageName} ${input.packageVersion} for ${input.version}`);
    return { set: input, layouts: collectLayouts(input, input.include, KERNEL_INTERNAL_RECORDS) };
  });
  return {
    'header-sets.ts': emitHeaderSets(sets),
    'enums.ts': emitEnums(
      sets,
      [
        'bpf_cmd',
        'bpf_map_type',
        'bpf_prog_type',
        'bpf_attach_type',
        'bpf_link_type',
        'xdp_action',
        'tc_action',
      ],
      'Enums of linux/bpf.h (commands, map, program, attach and link types, XDP actions) and the tc actions of linux/pkt_cls.h.',
    ),
    'helper-ids.ts': emitEnums(
      sets,
      ['bpf_func_id'],
      'BPF helper function ids (enum bpf_func_id) of linux/bpf.h.',
    ),
    'constants.ts': emitConstants(sets),
    'errno.ts': emitErrno(sets),
    'layouts.ts': emitLayouts(sets, mergeLayouts(sets)),
    'kernel-internal-layouts.ts': emitKernelInternalLayouts(kernelInternal, mergeLayouts(kernelInternal)),
  };
}
