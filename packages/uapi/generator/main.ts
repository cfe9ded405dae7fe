import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectHeaderSet } from './collect-header-set.js';
import { emitConstants } from './emit-constants.js';
import { emitEnums } from './emit-enums.js';
import { emitErrno } from './emit-errno.js';
import { emitHeaderSets } from './emit-header-sets.js';
import { emitLayouts } from './emit-layouts.js';
import { fetchAllHeaderSets } from './fetch-headers.js';
import { mergeLayouts } from './merge-versions.js';
import { generatedDir } from './paths.js';

/** `npm run generate`: fetch the header sets, evaluate everything with the compiler, write src/generated. */
function main(): void {
  const sets = fetchAllHeaderSets().map((set) => {
    process.stderr.write(
      `uapi: ${set.packageName} ${set.packageVersion} (${set.suite}) for ${set.version}\n`,
    );
    return collectHeaderSet(set);
  });
  const files: Record<string, string> = {
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
  mkdirSync(generatedDir, { recursive: true });
  for (const stale of readdirSync(generatedDir)) {
    if (!(stale in files)) rmSync(join(generatedDir, stale));
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(join(generatedDir, name), text);
  process.stderr.write(`uapi: wrote ${Object.keys(files).length} files to ${generatedDir}\n`);
}

main();
