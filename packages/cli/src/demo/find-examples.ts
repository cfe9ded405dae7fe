import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Where the example sources are: `--examples DIR` when given; else the repository's `examples/` when
 * the CLI runs from a checkout; else the copy the build puts in the package (`dist/examples`, so that an
 * installed CLI has them).
 * @returns the directory, or undefined when none holds the examples.
 */
export function findExamplesDir(explicit?: string): string | undefined {
  const candidates = explicit
    ? [resolve(explicit)]
    : [join(here, '..', '..', '..', '..', 'examples'), join(here, '..', 'examples')];
  return candidates.find((dir) => existsSync(join(dir, 'xdp-reflector', 'xdp-reflector.bpf.c')));
}

/** The C source of an example in `dir`. */
export function exampleSourcePath(dir: string, example: string): string {
  return join(dir, example, `${example}.bpf.c`);
}
