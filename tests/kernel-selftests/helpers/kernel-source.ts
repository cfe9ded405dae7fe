import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileBpfC } from '@progrun/compile';

/** The cached kernel source the ported selftests come from (scripts/kernel-source.sh). */
export interface KernelSource {
  /** The source tree: `tools/` and what the selftests' BPF programs include. */
  readonly dir: string;
  /** Its upstream version, the directory's name (`7.2.8`). */
  readonly version: string;
  /** `tools/testing/selftests/bpf`. */
  readonly selftests: string;
}

const repoRoot = resolve(import.meta.dirname, '../../..');
let cached: KernelSource | undefined;

/**
 * The kernel source of the selftests: `PROGRUN_KERNEL_SRC` when set (a tree with `tools/`), else the one
 * `scripts/kernel-source.sh` caches (it downloads sid's newest `linux` tarball the first time; setup runs it).
 */
export function kernelSource(): KernelSource {
  if (cached) return cached;
  const dir =
    process.env.PROGRUN_KERNEL_SRC ??
    execFileSync(join(repoRoot, 'scripts/kernel-source.sh'), {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  const selftests = join(dir, 'tools/testing/selftests/bpf');
  if (!existsSync(join(selftests, 'progs')))
    throw new Error(`${dir} holds no tools/testing/selftests/bpf/progs`);
  cached = { dir, version: dir.split('/').at(-1) ?? dir, selftests };
  return cached;
}

/**
 * A vmlinux.h for the running kernel, written by bpftool from /sys/kernel/btf/vmlinux once per BTF
 * (the selftests' programs include it, as the kernel's build generates it).
 */
function vmlinuxHeaderDir(source: KernelSource): string {
  const btf = readFileSync('/sys/kernel/btf/vmlinux');
  const dir = join(
    source.dir,
    '..',
    'vmlinux-h',
    createHash('sha256').update(btf).digest('hex').slice(0, 16),
  );
  const header = join(dir, 'vmlinux.h');
  if (!existsSync(header)) {
    mkdirSync(dir, { recursive: true });
    const text = execFileSync('bpftool', ['btf', 'dump', 'file', '/sys/kernel/btf/vmlinux', 'format', 'c'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    writeFileSync(`${header}.partial`, text);
    renameSync(`${header}.partial`, header);
  }
  return dir;
}

/**
 * The clang of the selftests: `PROGRUN_CLANG` when set, else clang-19 (setup installs it; the programs of
 * a 7.x source need a newer clang than bookworm's default 14).
 */
function selftestClangEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PROGRUN_CLANG: process.env.PROGRUN_CLANG ?? 'clang-19' };
}

/**
 * Compiles `progs/NAME.c` of the cached source as the selftests' Makefile does (its include paths and
 * warning flags, `-mcpu=v3`, test_progs' `-DENABLE_ATOMICS_TESTS`), through @progrun/compile's object cache; resolves to the object's path.
 */
export async function selftestObject(name: string): Promise<string> {
  const source = kernelSource();
  const tools = join(source.dir, 'tools');
  const cflags = [
    // test_progs' runner builds with the atomics tests on (progs/atomics.c skips itself otherwise).
    '-DENABLE_ATOMICS_TESTS',
    '-mcpu=v3',
    '-std=gnu11',
    '-fno-strict-aliasing',
    '-fms-extensions',
    '-Wno-microsoft-anon-tag',
    '-Wno-compare-distinct-pointer-types',
    '-Wno-initializer-overrides',
    '-I',
    vmlinuxHeaderDir(source),
    '-I',
    join(tools, 'lib'),
    '-I',
    source.selftests,
    '-I',
    join(source.selftests, 'libarena/include'),
    '-I',
    join(tools, 'include/uapi'),
    '-I',
    join(tools, 'include'),
  ];
  const { objectPath } = await compileBpfC(join(source.selftests, 'progs', `${name}.c`), {
    cflags,
    env: selftestClangEnv(),
  });
  return objectPath;
}
