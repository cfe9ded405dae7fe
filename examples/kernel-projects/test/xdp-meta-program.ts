import { compileBpfC } from '@progrun/compile';
import { BpfObject, type Program } from '@progrun/syscall';
import { afterAll, beforeAll } from 'vitest';

/**
 * Compiles and loads xdp-meta.bpf.c for the test file that calls it (once per file, before its tests) and
 * closes it after them; the returned function gives the loaded program.
 */
export function useXdpMetaProgram(): () => Program {
  let object: BpfObject | undefined;
  let program: Program | undefined;
  beforeAll(async () => {
    const { objectPath } = await compileBpfC(new URL('./xdp-meta.bpf.c', import.meta.url));
    object = BpfObject.open(objectPath).load();
    program = object.program('xdp_meta').toProgram();
  });
  afterAll(() => {
    program?.close();
    object?.close();
  });
  return () => program!;
}
