import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProgrunErrorCode, ValidationError } from '@progrun/uapi';
import { HarnessError } from '../errors.js';
import { runTool } from '../util/run-tool.js';

/** Where the Debian archive lives; `PROGRUN_DEBIAN_MIRROR` overrides the default. */
export const defaultDebianMirror = 'http://deb.debian.org/debian';

/** The fields of one package stanza that provisioning needs. */
export interface PackageRecord {
  readonly package: string;
  readonly version: string;
  readonly sha256: string;
  readonly size: number;
  readonly depends: readonly string[];
}

/**
 * Apt pointed at one Debian suite through its own state directory: its own sources list, package
 * lists, cache and an empty dpkg status, all passed with `-o Dir::...`. It only ever runs
 * `apt-get update`, `apt-cache show` and `apt-get download`: nothing is installed and the system's
 * sources and package database are never read or changed.
 */
export class PrivateApt {
  readonly suite: string;
  readonly stateDir: string;
  readonly mirror: string;

  constructor(options: { suite: string; stateDir: string; mirror?: string }) {
    if (!/^[a-z][a-z0-9-]*$/.test(options.suite)) {
      throw new ValidationError('suite', 'a Debian suite name', {
        message: `"${options.suite}" is not a Debian suite name`,
      });
    }
    this.suite = options.suite;
    this.stateDir = options.stateDir;
    this.mirror = options.mirror ?? process.env.PROGRUN_DEBIAN_MIRROR ?? defaultDebianMirror;
  }

  /** The `-o` options that confine apt to {@link PrivateApt.stateDir}. */
  aptOptions(): string[] {
    const dir = this.stateDir;
    const options: Record<string, string> = {
      'Dir::Etc::SourceList': join(dir, 'etc/sources.list'),
      'Dir::Etc::SourceParts': '/dev/null',
      'Dir::Etc::Preferences': '/dev/null',
      'Dir::Etc::PreferencesParts': join(dir, 'etc/preferences.d'),
      'Dir::State::Lists': join(dir, 'lists'),
      'Dir::State::Status': join(dir, 'status'),
      'Dir::Cache': dir,
      'Dir::Cache::Archives': join(dir, 'archives'),
      'APT::Architecture': 'amd64',
      'APT::Architectures': 'amd64',
      'Acquire::Languages': 'none',
      'Debug::NoLocking': 'true',
      'APT::Sandbox::User': 'root',
    };
    return Object.entries(options).flatMap(([key, value]) => ['-o', `${key}=${value}`]);
  }

  /** Age in ms of the newest package list, or undefined when there is none. */
  listsAgeMs(): number | undefined {
    const newest = this.listsMtimeMs();
    return newest === undefined ? undefined : Date.now() - newest;
  }

  /** Modification time of the newest package list: changes exactly when an update brought news. */
  listsMtimeMs(): number | undefined {
    let newest: number | undefined;
    try {
      for (const name of readdirSync(join(this.stateDir, 'lists'))) {
        if (!name.includes('_Packages')) continue;
        const mtime = statSync(join(this.stateDir, 'lists', name)).mtimeMs;
        newest = newest === undefined ? mtime : Math.max(newest, mtime);
      }
    } catch {
      return undefined;
    }
    return newest;
  }

  /**
   * Makes sure package lists exist and are younger than `maxAgeMs`, running `apt-get update` in
   * the private state otherwise. When an update fails but older lists exist, those are kept (an
   * offline machine can still use what it has cached) and `false` is returned.
   *
   * @returns true when lists were downloaded, false when the existing ones were used.
   * @throws {HarnessError} `PROVISIONING_FAILED` when no lists exist and the update fails.
   */
  async ensureLists(maxAgeMs: number, signal?: AbortSignal): Promise<boolean> {
    const age = this.listsAgeMs();
    if (age !== undefined && age < maxAgeMs) return false;
    const dir = this.stateDir;
    for (const sub of ['etc/preferences.d', 'lists/partial', 'archives/partial']) {
      mkdirSync(join(dir, sub), { recursive: true });
    }
    writeFileSync(join(dir, 'status'), '');
    writeFileSync(
      join(dir, 'etc/sources.list'),
      `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${this.mirror} ${this.suite} main\n`,
    );
    try {
      await runTool('apt-get', [...this.aptOptions(), '-q', 'update'], { signal });
      return true;
    } catch (error) {
      if (age !== undefined && !signal?.aborted) return false;
      throw error;
    }
  }

  /**
   * The candidate stanza of a package in this suite.
   *
   * @throws {HarnessError} `PROVISIONING_FAILED` when the suite has no such package.
   */
  async show(pkg: string, signal?: AbortSignal): Promise<PackageRecord> {
    const { stdout } = await runTool('apt-cache', [...this.aptOptions(), 'show', '--no-all-versions', pkg], {
      signal,
    });
    const record = parseStanza(stdout);
    if (!record) {
      throw new HarnessError(
        ProgrunErrorCode.PROVISIONING_FAILED,
        `${pkg} has no candidate in ${this.suite}`,
      );
    }
    return record;
  }

  /** The names of the suite's packages that start with `prefix` (`apt-cache pkgnames`), sorted. */
  async packageNames(prefix: string, signal?: AbortSignal): Promise<string[]> {
    const { stdout } = await runTool('apt-cache', [...this.aptOptions(), 'pkgnames', prefix], { signal });
    return stdout.split('\n').filter(Boolean).sort();
  }

  /**
   * Downloads `pkg=version` into `destDir` with `apt-get download` (signature and checksum checked
   * by apt) and returns the .deb's path.
   */
  async download(pkg: string, version: string, destDir: string, signal?: AbortSignal): Promise<string> {
    mkdirSync(destDir, { recursive: true });
    await runTool('apt-get', [...this.aptOptions(), '-q', 'download', `${pkg}=${version}`], {
      cwd: destDir,
      signal,
    });
    const fileVersion = version.replaceAll(':', '%3a');
    const deb = readdirSync(destDir).find((name) => name.startsWith(`${pkg}_${fileVersion}_`));
    if (!deb) {
      throw new HarnessError(
        ProgrunErrorCode.PROVISIONING_FAILED,
        `apt-get download ${pkg}=${version} left no .deb in ${destDir}`,
      );
    }
    return join(destDir, deb);
  }
}

/** Parses the first stanza of `apt-cache show` output. */
export function parseStanza(text: string): PackageRecord | undefined {
  const stanza = text.split(/\n\n/)[0] ?? '';
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const line of stanza.split('\n')) {
    if (/^\s/.test(line) && last) {
      fields.set(last, `${fields.get(last)}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon);
    fields.set(last, line.slice(colon + 1).trim());
  }
  const pkg = fields.get('Package');
  const version = fields.get('Version');
  const sha256 = fields.get('SHA256');
  if (!pkg || !version || !sha256) return undefined;
  const depends = (fields.get('Depends') ?? '')
    .split(',')
    .map((dep) => dep.trim().split(/[\s(|]/)[0] ?? '')
    .filter(Boolean);
  return { package: pkg, version, sha256, size: Number(fields.get('Size') ?? 0), depends };
}
