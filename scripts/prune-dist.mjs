// Removes from a package's dist/ what tsc emitted for sources that no longer exist: `tsc -b` writes
// new outputs but never deletes old ones, and a tarball packed from such a dist ships modules (and
// source maps) of files long gone. Run in the package directory after its build, by its prepack.
// Only compiler outputs (.js, .d.ts and their maps) are touched: copied files (dist/examples) and BPF
// objects (dist/bpf) stay.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const outputs = /\.(d\.ts\.map|d\.ts|js\.map|js)$/;
const removed = [];
function prune(distDir, srcDir) {
  for (const name of readdirSync(distDir)) {
    const path = join(distDir, name);
    if (statSync(path).isDirectory()) {
      prune(path, join(srcDir, name));
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
      continue;
    }
    const base = name.replace(outputs, '');
    if (base !== name && !existsSync(join(srcDir, `${base}.ts`))) {
      rmSync(path);
      removed.push(relative(process.cwd(), path));
    }
  }
}
if (existsSync('dist')) prune('dist', 'src');
if (removed.length > 0) console.error(`prune-dist: removed ${removed.length} outputs of deleted sources`);
