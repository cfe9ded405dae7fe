// Compiles bpf/*.bpf.c into dist/bpf/*.bpf.o (gitignored, shipped in the package) with clang.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, 'dist', 'bpf');
mkdirSync(out, { recursive: true });
// <linux/bpf.h> includes <asm/types.h>, which Debian keeps under the multiarch include directory.
let multiarch = [];
try {
  multiarch = [`-I/usr/include/${execFileSync('gcc', ['-print-multiarch'], { encoding: 'utf8' }).trim()}`];
} catch {
  // no gcc: rely on clang's default include path
}
for (const file of readdirSync(join(root, 'bpf')).filter((name) => name.endsWith('.bpf.c'))) {
  const object = join(out, file.replace(/\.c$/, '.o'));
  execFileSync(
    process.env.CLANG ?? 'clang',
    [
      '-O2',
      '-g',
      '-Wall',
      '-Werror',
      '-target',
      'bpf',
      '-mcpu=v3',
      ...multiarch,
      '-c',
      join(root, 'bpf', file),
      '-o',
      object,
    ],
    { stdio: 'inherit' },
  );
  // On stderr: `npm pack --json` runs this build first (prepack), and its stdout must stay JSON.
  console.error(`built ${object}`);
}
