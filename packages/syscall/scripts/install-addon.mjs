// The package's install script. Where a prebuilt addon ships for this platform (prebuilds/linux-x64,
// linux-arm64, glibc), it does nothing: installing with scripts disabled gives the same package.
// Elsewhere (musl, other architectures) it builds the addon from source with cmake-js, after checking
// that the tools and libraries the build needs are there, so that a missing one is one short message
// naming the packages to install rather than a compiler's or cmake-js's wall of output.
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// import.meta.dirname needs Node 20.11; the package supports 20.4.
const pkg = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(pkg, 'package.json'));

/** Whether node-gyp-build finds a prebuilt addon for this platform (and only a prebuilt one). */
function prebuildFound() {
  process.env.PREBUILDS_ONLY = '1';
  try {
    require('node-gyp-build').resolve(pkg);
    return true;
  } catch {
    return false;
  } finally {
    delete process.env.PREBUILDS_ONLY;
  }
}

/** Whether `command args...` runs and exits 0. */
function runs(command, ...args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What the source build needs that this machine lacks, each named as a user would look for it. */
function missingRequirements() {
  const missing = [];
  if (!runs('cmake', '--version')) missing.push('cmake');
  if (!runs('make', '--version') && !runs('ninja', '--version')) missing.push('make');
  if (!['c++', 'g++', 'clang++'].some((compiler) => runs(compiler, '--version'))) {
    missing.push('a C++ compiler');
  }
  const pkgConfig = ['pkg-config', 'pkgconf'].find((tool) => runs(tool, '--version'));
  if (!pkgConfig) {
    missing.push('pkg-config', 'the libbpf, libelf and zlib headers (unchecked without pkg-config)');
    return missing;
  }
  if (!runs(pkgConfig, '--atleast-version=1.0.0', 'libbpf')) missing.push('libbpf >= 1.0');
  if (!runs(pkgConfig, '--exists', 'libelf')) missing.push('libelf');
  if (!runs(pkgConfig, '--exists', 'zlib')) missing.push('zlib');
  return missing;
}

const packages = [
  '  Debian/Ubuntu: apt-get install cmake make g++ pkg-config libbpf-dev libelf-dev zlib1g-dev',
  '  Fedora:        dnf install cmake make gcc-c++ pkgconf-pkg-config libbpf-devel elfutils-libelf-devel zlib-devel',
  '  Alpine:        apk add cmake make g++ pkgconf libbpf-dev elfutils-dev zlib-dev linux-headers',
].join('\n');

if (!prebuildFound()) {
  const target = `${platform()}-${arch()}`;
  const missing = missingRequirements();
  if (missing.length > 0) {
    console.error(
      `@progrun/syscall: no prebuilt addon ships for ${target} on this C library, and building it from ` +
        `source needs ${missing.join(', ')}. Install them, then run \`npm rebuild @progrun/syscall\`:\n${packages}`,
    );
    process.exit(1);
  }
  const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
  const build = spawnSync(process.execPath, [cmakeJs, 'compile', '--out', 'build'], {
    cwd: pkg,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    console.error(
      `@progrun/syscall: building the addon from source for ${target} failed (output above). The build ` +
        `needs libbpf >= 1.0 and a C++17 compiler; the packages:\n${packages}`,
    );
    process.exit(1);
  }
}
