import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// The packed tarballs, installed with install scripts disabled (npm --ignore-scripts, as pnpm 10 and bun
// behave) into empty projects inside a minimal Debian bookworm root that has Node.js and nothing else:
// no compiler, no cmake, no pkg-config, no libbpf or libelf. The prebuilt addon must load there and run
// programs on the real kernel. The root is debootstrapped once and cached (packages/syscall/prebuild/
// debian-root.sh); this machine's node and npm are bound into it read-only for each command, and every
// mount lives in a private mount namespace (prebuild/in-root.sh), so nothing outlives a command.

const repoRoot = resolve(import.meta.dirname, '..');
const prebuild = join(repoRoot, 'packages', 'syscall', 'prebuild');
const npmCli = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
const npmDir = dirname(dirname(npmCli));

let root: string;
let work: string;
const tarballs = new Map<string, string>();

/** `npm pack` of every package into work/tarballs; the names map to paths inside the root. */
function packAll(): void {
  mkdirSync(join(work, 'tarballs'));
  for (const dir of readdirSync(join(repoRoot, 'packages'))) {
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', join(work, 'tarballs')], {
      cwd: join(repoRoot, 'packages', dir),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [info] = JSON.parse(out) as [{ name: string; filename: string }];
    tarballs.set(info.name, `/work/tarballs/${info.filename}`);
  }
}

// The CA certificates this machine's npm trusts beyond Node's own (a TLS-inspecting proxy), if any.
const hostCaInside = '/etc/progrun-host-ca.pem';
const hostCa = process.env.NODE_EXTRA_CA_CERTS
  ? ['--ro-bind', `${process.env.NODE_EXTRA_CA_CERTS}:${hostCaInside}`]
  : [];

/** Runs a shell script inside the root, in /work, with this machine's node and npm; returns its stdout. */
function inRoot(script: string): string {
  return execFileSync(
    join(prebuild, 'in-root.sh'),
    [
      root,
      '--kernel',
      '--bind',
      `${work}:/work`,
      '--bind',
      `${join(homedir(), '.npm')}:/root/.npm`,
      '--ro-bind',
      `${process.execPath}:/usr/local/bin/node`,
      '--ro-bind',
      `${npmDir}:/usr/local/lib/node_modules/npm`,
      ...hostCa,
      '--',
      ...(hostCa.length > 0 ? [`NODE_EXTRA_CA_CERTS=${hostCaInside}`] : []),
      'sh',
      '-ec',
      `cd /work; npm() { node /usr/local/lib/node_modules/npm/bin/npm-cli.js "$@"; }; ${script}`,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 },
  );
}

/**
 * An empty project in work/NAME with PACKAGES installed from their tarballs, scripts disabled, plus any
 * further npm install FLAGS.
 */
function installInRoot(name: string, packages: readonly string[], flags: readonly string[] = []): string {
  mkdirSync(join(work, name));
  writeFileSync(join(work, name, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  const files = packages.map((pkg) => tarballs.get(pkg) ?? pkg);
  inRoot(
    `cd ${name} && npm install --ignore-scripts --no-audit --no-fund ${[...flags, ...files].join(' ')} >&2`,
  );
  return `/work/${name}`;
}

/** Which of the .node files the process mapped, as a script line printing a JSON array. */
const mappedAddons = `[...new Set((await import('node:fs')).readFileSync('/proc/self/maps', 'utf8').split('\\n')
  .map((line) => line.split(/\\s+/)[5]).filter((path) => path?.endsWith('.node')))]`;

beforeAll(() => {
  // debootstrap the first time (a few minutes), then cached.
  root = execFileSync(join(prebuild, 'debian-root.sh'), ['bookworm-minbase', 'bookworm'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 1_200_000,
  }).trim();
  work = mkdtempSync(join(tmpdir(), 'progrun-bare-install-'));
  packAll();
}, 1_500_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('packed packages in a root without a compiler', { tags: ['slow', 'privileged'] }, () => {
  test('the root has Node.js, and no compiler, cmake, make, pkg-config, libbpf or libelf', () => {
    const found = inRoot(
      'node --version; for tool in cc gcc g++ c++ clang cmake make pkg-config pkgconf; do command -v $tool || true; done; ' +
        'find /usr /etc /opt \\( -name "libbpf*" -o -name "libelf*" \\) -print',
    );
    expect(found.trim()).toBe(process.version);
  });

  test('@progrun/uapi and @progrun/syscall load the prebuilt addon and run a program', {
    timeout: 600_000,
  }, () => {
    const project = installInRoot('syscall', ['@progrun/uapi', '@progrun/syscall']);
    writeFileSync(
      join(work, 'syscall', 'run.mjs'),
      `import { asm, Program } from '@progrun/syscall';
       const prog = Program.load({ type: 'XDP', instructions: asm.assemble([asm.mov64('r0', 2), asm.exit()]), license: 'GPL' });
       const { retval, dataOut } = prog.run({ data: Buffer.alloc(64, 7) });
     prog.close();
       console.log(JSON.stringify({ retval, length: dataOut.length, addons: ${mappedAddons} }));`,
    );
    const out = JSON.parse(inRoot(`cd ${project} && node run.mjs`));
    expect(out).toEqual({
      retval: 2,
      length: 64,
      addons: [
        `${project}/node_modules/@progrun/syscall/prebuilds/linux-${process.arch}/progrun_syscall.napi.glibc.node`,
      ],
    });
    // Nothing was compiled, and nothing needed to be.
    expect(readdirSync(join(work, 'syscall', 'node_modules', '@progrun', 'syscall'))).not.toContain('build');
  });

  test('@progrun/xdp-live injects live frames through the prebuilt addon', { timeout: 600_000 }, () => {
    const project = installInRoot('xdp-live', [
      '@progrun/uapi',
      '@progrun/syscall',
      '@progrun/ctx-builders',
      '@progrun/xdp-live',
    ]);
    writeFileSync(
      join(work, 'xdp-live', 'run.mjs'),
      `import { asm, Program } from '@progrun/syscall';
       import { inject } from '@progrun/xdp-live';
       const program = Program.load({ type: 'XDP', instructions: asm.assemble([asm.mov64('r0', 1), asm.exit()]), license: 'GPL' });
       const result = await inject({ program, packet: new Uint8Array(64), ifindex: 1, count: 1000 });
       program.close();
       console.log(JSON.stringify({ frames: result.frames }));`,
    );
    expect(JSON.parse(inRoot(`cd ${project} && node run.mjs`))).toEqual({ frames: 1000 });
  });

  test('`progrun run` of an ELF object compiled on this machine', { timeout: 600_000 }, () => {
    const packages = ['uapi', 'compile', 'syscall', 'ctx-builders', 'xdp-live', 'harness-vm', 'cli'];
    const project = installInRoot(
      'cli',
      packages.map((name) => `@progrun/${name}`),
    );
    // No headers: the object needs nothing but clang's BPF target.
    writeFileSync(
      join(work, 'tx.bpf.c'),
      '#define SEC(name) __attribute__((section(name), used))\nstruct xdp_md;\n' +
        'SEC("xdp") int reflect(struct xdp_md *ctx) { return 3; /* XDP_TX */ }\n' +
        'char LICENSE[] SEC("license") = "GPL";\n',
    );
    execFileSync('clang', [
      '-O2',
      '-g',
      '-target',
      'bpf',
      '-c',
      join(work, 'tx.bpf.c'),
      '-o',
      join(work, 'tx.bpf.o'),
    ]);
    const out = JSON.parse(inRoot(`cd ${project} && ./node_modules/.bin/progrun run /work/tx.bpf.o --json`));
    expect(JSON.stringify(out)).toContain('XDP_TX');
  });

  test('@progrun/harness-vm installs and imports without @progrun/syscall, its optional dependency', {
    timeout: 600_000,
  }, () => {
    // --omit=optional: what a project gets where syscall cannot be installed; only the probe suite needs it.
    const project = installInRoot(
      'harness-vm',
      ['@progrun/uapi', '@progrun/harness-vm'],
      ['--omit=optional'],
    );
    expect(readdirSync(join(work, 'harness-vm', 'node_modules', '@progrun')).sort()).toEqual([
      'harness-vm',
      'uapi',
    ]);
    writeFileSync(
      join(work, 'harness-vm', 'run.mjs'),
      `import { parseShard, probeDefinitions, runMatrix } from '@progrun/harness-vm';
       // runMatrix says what is missing before it boots anything.
       const matrix = await runMatrix({ cacheDir: '/work/harness-vm/cache' }).then(
         () => 'ran',
         (error) => ({ name: error.name, code: error.code, message: error.message }),
       );
       console.log(JSON.stringify({ shard: parseShard('2/3'), probes: probeDefinitions.length > 0, matrix,
         addons: ${mappedAddons} }));`,
    );
    const out = JSON.parse(inRoot(`cd ${project} && node run.mjs`));
    expect(out).toEqual({
      shard: { index: 2, count: 3 },
      probes: true,
      matrix: {
        name: 'HarnessError',
        code: 'ERR_PROGRUN_MISSING_TOOL',
        message: expect.stringContaining('@progrun/syscall, which is not installed'),
      },
      addons: [],
    });
  });

  test('`progrun vm kernels` answers where @progrun/syscall has no loadable addon', {
    timeout: 600_000,
  }, () => {
    const packages = ['uapi', 'compile', 'syscall', 'ctx-builders', 'xdp-live', 'harness-vm', 'cli'];
    const project = installInRoot(
      'cli-without-addon',
      packages.map((name) => `@progrun/${name}`),
    );
    // The prebuilds gone and nothing built from source (scripts disabled): no addon to load.
    const syscall = join(work, 'cli-without-addon', 'node_modules', '@progrun', 'syscall');
    rmSync(join(syscall, 'prebuilds'), { recursive: true, force: true });
    expect(readdirSync(syscall)).not.toContain('build');
    const out = JSON.parse(
      inRoot(
        `cd ${project} && ./node_modules/.bin/progrun vm kernels --json --cache-dir /work/cli-without-addon/cache`,
      ),
    ) as { kernels: { name: string; releases: { release: string }[] }[] };
    expect(out.kernels.map((kernel) => kernel.name)).toEqual([
      'host',
      '5.10',
      '6.1',
      '6.12',
      '7.2',
      'latest',
    ]);
    expect(out.kernels[0]!.releases).toEqual([{ release: release() }]);
  });

  test("the arm64 prebuild loads in Debian's arm64 Node.js under qemu-user-static and answers calls", {
    timeout: 1_200_000,
  }, () => {
    const sysroot = execFileSync(join(prebuild, 'arm64-node.sh'), {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 1_200_000,
    }).trim();
    installInRoot('arm64', ['@progrun/uapi', '@progrun/syscall']);
    // qemu-user has no bpf(2): loading a program is a typed error (ENOSYS), which is all this run can
    // show. closeFd of an fd that is not open reaches the kernel's close(2) through the addon: EBADF.
    writeFileSync(
      join(work, 'arm64', 'run.mjs'),
      `import { native } from '@progrun/syscall/native';
       import { Program, asm } from '@progrun/syscall';
       let error;
       try {
         Program.load({ type: 'XDP', instructions: asm.assemble([asm.mov64('r0', 2), asm.exit()]), license: 'GPL' });
       } catch (e) {
         error = e.name + ' ' + e.code;
       }
       console.log(JSON.stringify({ arch: process.arch, closed: native.closeFd(2147483647), error, addons: ${mappedAddons} }));`,
    );
    const out = execFileSync(
      'qemu-aarch64-static',
      ['-L', sysroot, join(sysroot, 'usr/bin/node'), 'run.mjs'],
      {
        cwd: join(work, 'arm64'),
        encoding: 'utf8',
        timeout: 600_000,
      },
    );
    expect(JSON.parse(out)).toEqual({
      arch: 'arm64',
      closed: -9,
      error: 'BpfError ENOSYS',
      addons: [
        join(
          work,
          'arm64/node_modules/@progrun/syscall/prebuilds/linux-arm64/progrun_syscall.napi.glibc.node',
        ),
      ],
    });
  });
});
