import { collectHeaderSet } from './collect-header-set.js';
import { emitConstants } from './emit-constants.js';
import { emitEnums } from './emit-enums.js';
import { emitErrno } from './emit-errno.js';
import { emitHeaderSets } from './emit-header-sets.js';
import { emitLayouts } from './emit-layouts.js';
import { fetchAllHeaderSets } from './fetch-headers.js';
import { mergeLayouts } from './merge-versions.js';

/**
 * Fetches the header sets, evaluates everything with the compiler and returns the generated
 * files (name -> text). Pure apart from the cache: the same packages give the same bytes.
 */
export function generateFiles(log: (line: string) => void = () => {}): Record<string, string> {
  const sets = fetchAllHeaderSets().map((set) => {
    log(`uapi: ${set.packageName} ${set.packageVersion} (${set.suite}) for ${set.version}`);
    return collectHeaderSet(set);
  });
  return {
    'header-sets.ts': emitHeaderSets(sets),
    'enums.ts': emitEnums(
      sets,
      ['bpf_cmd', 'bpf_map_type', 'bpf_prog_type', 'bpf_attach_type', 'bpf_link_type', 'xdp_action'],
      'Enums of linux/bpf.h: commands, map, program, attach and link types, XDP actions.',
    ),
    'helper-ids.ts': emitEnums(
      sets,
      ['bpf_func_id'],
      'BPF helper function ids (enum bpf_func_id) of linux/bpf.h.',
    ),
    'constants.ts': emitConstants(sets),
    'errno.ts': emitErrno(sets),
    'layouts.ts': emitLayouts(sets, mergeLayouts(sets)),
  };
}
