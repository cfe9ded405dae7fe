// `npm pack`/`npm publish` of @progrun/syscall run this first (prepack): the tarball must carry a
// prebuilt addon for every platform the README promises, made from the sources being packed. A
// missing or stale prebuild fails the pack with the command that makes it, rather than shipping a
// package that compiles at install or a binary older than its sources.
// PROGRUN_PACK_WITHOUT_PREBUILDS=1 packs without them (a source-only tarball, for tests of the
// fallback build); prebuilds that are present must still be current.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const pkg = join(import.meta.dirname, '..');
const targets = ['linux-x64', 'linux-arm64'];
const binary = 'progrun_syscall.napi.glibc.node';
const remedy = 'run `npm run prebuilds` at the repository root (as root: it uses debootstrap and chroot)';

const missing = targets.filter((target) => !existsSync(join(pkg, 'prebuilds', target, binary)));
const allowMissing = process.env.PROGRUN_PACK_WITHOUT_PREBUILDS === '1';
if (missing.length > 0 && !(allowMissing && missing.length === targets.length)) {
  console.error(`@progrun/syscall: cannot pack: no prebuilt addon for ${missing.join(', ')}: ${remedy}.`);
  process.exit(1);
}
if (missing.length < targets.length) {
  // The glibc floor and the NEEDED list, checked again on exactly what is packed.
  const present = targets.filter((target) => !missing.includes(target));
  try {
    execFileSync(
      join(import.meta.dirname, 'check.sh'),
      present.map((target) => join(pkg, 'prebuilds', target, binary)),
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  } catch {
    console.error(
      '@progrun/syscall: cannot pack: a prebuilt addon breaks the glibc floor or NEEDED rule (above).',
    );
    process.exit(1);
  }
  const recorded = join(pkg, 'prebuilds', 'sources.sha256');
  const current = execFileSync(process.execPath, [join(import.meta.dirname, 'sources-digest.mjs')], {
    encoding: 'utf8',
  }).trim();
  if (!existsSync(recorded) || readFileSync(recorded, 'utf8').trim() !== current) {
    console.error(
      '@progrun/syscall: cannot pack: the prebuilt addons in prebuilds/ were built from other sources ' +
        `(native/, CMakeLists.txt or the prebuild scripts changed since): ${remedy}.`,
    );
    process.exit(1);
  }
}
