import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultCacheDir } from '@progrun/harness-vm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// Every command line a reader is shown is run: the lines of the shell blocks of the READMEs and docs
// pages, and the examples of every `--help`, found in the texts themselves so that a new example is
// covered as soon as it is written. A ```console block (`$ command`, then what it prints) is compared
// with what the command prints. The few lines that cannot run here are listed below, each with why.

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'packages', 'cli', 'bin', 'progrun.js');

/** Lines that are not run, and why. Each must still be in the docs (a stale entry fails). */
const notRun: Readonly<Record<string, string>> = {
  'bash scripts/setup.sh && npx progrun demo':
    'installs system packages on a fresh machine; `npx progrun demo` runs on its own from the CLI README',
  'npm test': 'the whole test suite, this test included',
  'npm install @progrun/cli':
    'needs the package on the registry; tests/packed-packages.test.ts installs the packed tarball instead',
  'npm run refresh-kernel-internal -w @progrun/uapi': "downloads Debian's kernel packages",
  'npm run generate': "rewrites the committed generated code; CI's drift check runs it",
  'npm run generate -w @progrun/uapi': "rewrites the committed generated code; CI's drift check runs it",
  'npm ci && npm run build': 'reinstalls and rebuilds the checkout these tests run from',
  'sudo npm run prebuilds':
    'builds the addon in Debian roots with debootstrap (downloads, minutes); tests/install-without-compiler.test.ts loads the prebuilds it makes',
  'npm pack --workspaces --pack-destination /tmp/progrun-tarballs':
    'builds and packs every package; tests/packed-packages.test.ts and tests/install-without-compiler.test.ts pack them into directories of their own',
  'npm install /tmp/progrun-tarballs/progrun-*-0.1.0.tgz':
    "installs into the reader's project; tests/packed-packages.test.ts installs the packed tarballs into empty projects",
  'npm install /tmp/progrun-tarballs/progrun-{uapi,syscall}-0.1.0.tgz':
    "installs into the reader's project; tests/packed-packages.test.ts installs the packed tarballs into empty projects",
  "progrun live prog.o --dev eth1 --packet 'eth(dst=02:00:00:00:00:02)/ipv4()/udp()' --rate 100000 --workers 2":
    "a device of the reader's machine; packages/cli/test/live.test.ts runs --dev on devices of its own",
  "progrun live prog.o --dev eth1 --packet 'eth(dst=02:00:00:00:00:02)/ipv4()/udp()' --rate 100000":
    "a device of the reader's machine; packages/cli/test/live.test.ts runs --dev on devices of its own",
};

/** Guest kernels besides the running one make a line a `vm` test (QEMU, minutes). */
const needsGuests = (line: string) =>
  /progrun vm (run|matrix)|progrun matrix/.test(line) && /\b\d+\.\d+\b/.test(line);

interface Documented {
  readonly source: string;
  readonly line: string;
  /** What the doc shows it printing (a ```console block), if anything. */
  readonly shows?: string;
}

const markdown = [
  'README.md',
  ...['docs', 'docs/packages'].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `${dir}/${name}`),
  ),
  ...readdirSync(join(root, 'packages')).map((name) => `packages/${name}/README.md`),
];

function fromMarkdown(file: string): Documented[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: Documented[] = [];
  for (const [, lang, body] of text.matchAll(/^```(sh|bash|console)\n([\s\S]*?)^```$/gm)) {
    if (lang === 'console') {
      const [first, ...output] = body!.split('\n');
      expect(first, `${file}: a console block starts with "$ command"`).toMatch(/^\$ /);
      found.push({ source: file, line: first!.slice(2), shows: output.join('\n') });
      continue;
    }
    // Continuation lines joined; a comment after the command is not part of it.
    for (const line of body!.replace(/\\\n\s*/g, '').split('\n')) {
      const command = line.replace(/\s+#\s.*$/, '').trim();
      if (command !== '') found.push({ source: file, line: command });
    }
  }
  return found;
}

// The examples of every help text: the lines under "Examples:", without the words beside them.
function fromHelp(words: readonly string[]): Documented[] {
  const help = execFileSync(process.execPath, [bin, ...words, '--help'], { encoding: 'utf8' });
  const section = help.split('\nExamples:\n')[1]?.split('\n\n')[0] ?? '';
  return section
    .split('\n')
    .map((line) => line.trim().split(/\s{3,}/)[0]!)
    .filter((line) => line.startsWith('progrun '))
    .map((line) => ({ source: `progrun ${words.join(' ')} --help`.replace('  ', ' '), line }));
}

const helpTopics = [
  [],
  ['run'],
  ['probe'],
  ['demo'],
  ['live'],
  ['vm'],
  ['vm', 'run'],
  ['vm', 'matrix'],
  ['vm', 'kernels'],
];
const documented = [...markdown.flatMap(fromMarkdown), ...helpTopics.flatMap(fromHelp)];
const runnable = documented.filter((entry) => !(entry.line in notRun));

let work: string;
let bpffsMounted = false;

beforeAll(() => {
  // The commands run from a directory of their own, where the paths the docs use exist: the
  // repository's examples and packages, its node_modules (for npx), and the captures they name.
  work = mkdtempSync(join(tmpdir(), 'progrun-docs-'));
  for (const name of ['examples', 'packages', 'package.json', 'vitest.config.ts', 'tests']) {
    symlinkSync(join(root, name), join(work, name));
  }
  // node_modules is a directory of its own whose entries link to the repository's, so that what tools
  // write there (vite's temporary files, vitest's cache) stays in this directory: a guest may write
  // its working directory, not the repository behind a link.
  mkdirSync(join(work, 'node_modules'));
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (!name.startsWith('.vite') && name !== '.cache') {
      symlinkSync(join(root, 'node_modules', name), join(work, 'node_modules', name));
    }
  }
  // Its own compile cache (a documented run says whether it compiled), but the machine's kernel cache:
  // the guest lines boot the kernels the suite has already provisioned.
  mkdirSync(join(work, '.cache', 'progrun'), { recursive: true });
  mkdirSync(defaultCacheDir(), { recursive: true });
  symlinkSync(defaultCacheDir(), join(work, '.cache', 'progrun', 'harness-vm'));
  const ctx = join(root, 'packages', 'ctx-builders', 'dist', 'index.js');
  execFileSync(process.execPath, [
    '--input-type=module',
    '-e',
    `const { encodePcap, parsePacketSpec } = await import(${JSON.stringify(ctx)});
     const specs = ['eth()/ipv4()/udp(dport=53)', 'eth()/ipv6()/tcp(dport=443)', 'eth()/vlan(vid=7)/ipv4()/udp()'];
     const capture = encodePcap(specs.map((s) => parsePacketSpec(s).build()));
     for (const name of ['capture.pcap', 'big.pcap']) (await import('node:fs')).writeFileSync(${JSON.stringify(work)} + '/' + name, capture);`,
  ]);
  try {
    bpffsMounted = statfsSync('/sys/fs/bpf').type === 0xcafe4a11;
  } catch {}
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Runs a documented line with bash, `progrun` being the built CLI; in a private mount namespace with
 * a bpffs of its own at /sys/fs/bpf when the line pins there and the machine mounts none. */
function run(line: string): { status: number | null; output: string } {
  const script = `progrun() { ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} "$@"; }\n${line}`;
  const privateBpffs = line.includes('/sys/fs/bpf') && !bpffsMounted;
  const argv = privateBpffs
    ? [
        'unshare',
        '--mount',
        '--propagation',
        'private',
        'bash',
        '-c',
        `mount -t bpf bpf /sys/fs/bpf && ${script}`,
      ]
    : ['bash', '-c', script];
  // A reader's shell has none of what this suite's own run sets (CI runs it per kernel with
  // PROGRUN_KERNELS, which would turn a documented `vitest run` into another selection of files).
  const { PROGRUN_KERNELS: _kernels, PROGRUN_TEST_RESULTS: _results, ...readerEnv } = process.env;
  const result = spawnSync(argv[0]!, argv.slice(1), {
    cwd: work,
    encoding: 'utf8',
    env: {
      ...readerEnv,
      NO_COLOR: '1',
      XDG_CACHE_HOME: join(work, '.cache'),
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** What varies from run to run: durations, and whether the object came from the cache. */
function steady(text: string): string {
  return text
    .replace(/^(duration +)\d+ ns/gm, '$1N ns')
    .replace(/ \((compiled now|compiled earlier, from the cache)\)/g, ' (compiled)')
    .trimEnd();
}

describe('every documented command line', () => {
  test('is found: the docs and the help texts show commands, and every line not run is still shown', () => {
    expect(runnable.length).toBeGreaterThan(30);
    for (const line of Object.keys(notRun)) {
      expect(
        documented.some((entry) => entry.line === line),
        `"${line}" is listed as not run but no longer documented`,
      ).toBe(true);
    }
  });

  // Pinning lines run in document order, the --pin before the --pinned that needs it.
  const pinning = runnable.filter((entry) => entry.line.includes('/sys/fs/bpf'));
  test.each(runnable.filter((entry) => !needsGuests(entry.line) && !entry.line.includes('/sys/fs/bpf')))(
    '$source: $line',
    { tags: ['privileged', 'slow'], timeout: 300_000 },
    ({ line, shows }) => {
      const { status, output } = run(line);
      if (shows === undefined) {
        expect(status, output).toBe(0);
        return;
      }
      // A shown error ("progrun: ...") is expected to fail, with what the doc shows.
      if (/^progrun: /m.test(shows)) expect(status).not.toBe(0);
      else expect(status, output).toBe(0);
      expect(steady(output)).toBe(steady(shows));
    },
  );

  // Each source's pinning lines run in its order (the --pin before the --pinned that needs it), then
  // what they pinned is removed.
  const pinningSources = [...new Set(pinning.map((entry) => entry.source))];
  test.each(pinningSources)(
    '%s: the lines that pin in /sys/fs/bpf, in order',
    { tags: ['privileged'], timeout: 120_000 },
    (source) => {
      const lines = pinning.filter((entry) => entry.source === source).map((entry) => entry.line);
      const pins = [...new Set(lines.flatMap((line) => line.match(/\/sys\/fs\/bpf\/\S+/g) ?? []))];
      const { status, output } = run(
        `${lines.join(' && ')}; status=$?; rm -f ${pins.join(' ')}; exit $status`,
      );
      expect(status, output).toBe(0);
    },
  );

  // A guest line shown in several places runs once (each costs minutes of TCG boots and runs).
  const guestLines = runnable.filter(
    (entry, index) =>
      needsGuests(entry.line) && runnable.findIndex((other) => other.line === entry.line) === index,
  );
  test.each(guestLines)('$source: $line', { tags: ['vm'], timeout: 3_600_000 }, ({ line }) => {
    const { status, output } = run(line);
    expect(status, output).toBe(0);
  });
});
