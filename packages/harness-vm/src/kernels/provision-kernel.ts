import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ProgrunErrorCode, parseKernelVersion } from '@progrun/uapi';
import { HarnessError, throwIfAborted } from '../errors.js';
import { stringArgument } from '../util/argument-checks.js';
import { acquireFileLock } from '../util/file-lock.js';
import { runTool } from '../util/run-tool.js';
import { cachePaths } from './cache-layout.js';
import type { DebianKernelEntry } from './catalogue.js';
import { digestImage, type ImageDigest, imageDamage } from './kernel-image-check.js';
import { kernelPartPackages, layOutKernelTree } from './kernel-tree-layout.js';
import { PrivateApt } from './private-apt.js';
import type { ProvisionedKernel } from './resolved-kernel.js';

/** What provisioning is doing; reported through `onStep`. */
export type ProvisioningStep =
  | 'lists-update'
  | 'lists-cached'
  | 'resolved'
  | 'download'
  | 'extract'
  | 'depmod'
  | 'cached'
  | 'damaged'
  | 'offline-fallback'
  | 'ready';

/** Options of {@link provisionKernel}. */
export interface ProvisionOptions {
  /** Cache directory (see `defaultCacheDir`). Required. */
  readonly cacheDir: string;
  /** Refresh a suite's package lists when older than this; default one day. */
  readonly listsMaxAgeMs?: number;
  /** Debian mirror; default `PROGRUN_DEBIAN_MIRROR` or deb.debian.org. */
  readonly mirror?: string;
  readonly signal?: AbortSignal;
  /** Called at each step, e.g. to print progress. */
  readonly onStep?: (step: ProvisioningStep, detail: string) => void;
}

const metadataFile = 'kernel.json';

/**
 * Resolves a catalogue entry to the suite's newest `linux-image-*-amd64` package and makes it
 * bootable: downloaded through a private apt configuration (with the `linux-binary-V`,
 * `linux-modules-V` and `linux-base-V` packages a 7.x image depends on for its files), extracted with
 * `dpkg-deb -x` into a directory named by the image package's SHA-256 (never into `/`), laid out as
 * `boot/vmlinuz-V` and `lib/modules/V`, `depmod -b` run on the tree. Runs of
 * any process are serialised per suite with a file lock; a kernel already in the cache is reused
 * without downloading or extracting, once its image is checked against the size and SHA-256 recorded
 * when it was extracted: a damaged one (truncated, zero-filled) is removed and provisioned again. Paths
 * derive from `cacheDir`, never from what the cache recorded, so a cache copied or restored elsewhere
 * (a CI cache under another home) is used where it is. Offline, the newest intact cached kernel of the
 * entry's suite is used. The result carries the entry's name, whatever name the cache holds it under.
 *
 * @throws {HarnessError} `PROVISIONING_FAILED` (network, archive, extraction), `MISSING_TOOL`
 *   (apt-get, dpkg-deb, depmod, flock), `ABORTED`.
 */
export async function provisionKernel(
  requested: DebianKernelEntry,
  options: ProvisionOptions,
): Promise<ProvisionedKernel> {
  const { cacheDir, signal } = options;
  const step = options.onStep ?? (() => {});
  const entry = requested.searchSuites ? await locateKernel(requested, options) : requested;
  const apt = new PrivateApt({
    suite: entry.suite,
    stateDir: cachePaths.aptState(cacheDir, entry.suite),
    mirror: options.mirror,
  });
  await using _lock = await acquireFileLock(cachePaths.lock(cacheDir, `suite-${entry.suite}`), signal);

  let image: ImagePackage;
  try {
    const updated = await apt.ensureLists(options.listsMaxAgeMs ?? 86_400_000, signal);
    step(updated ? 'lists-update' : 'lists-cached', entry.suite);
    image = await resolveImagePackage(apt, entry, signal);
  } catch (error) {
    throwIfAborted(signal);
    const cached = newestCachedKernel(cacheDir, entry);
    if (!cached) throw error;
    step('offline-fallback', `${cached.package}=${cached.packageVersion}: ${(error as Error).message}`);
    return { ...cached, name: entry.name };
  }
  step('resolved', `${image.package}=${image.version}`);

  const dir = cachePaths.kernel(cacheDir, image.sha256);
  const existing = inspectCachedKernel(dir);
  if (existing && 'kernel' in existing) {
    step('cached', dir);
    step('ready', existing.kernel.release);
    return { ...existing.kernel, name: entry.name };
  }
  if (existing) step('damaged', existing.damage);
  // A damaged or incomplete tree makes way for the new one (the rename below needs the name free).
  removeTree(dir);

  const debDir = cachePaths.debs(cacheDir, entry.suite);
  const packages = [image, ...image.parts];
  const debs: string[] = [];
  const staging = join(cachePaths.kernels(cacheDir), `.staging-${image.sha256}-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(cachePaths.kernels(cacheDir), { recursive: true });
  try {
    for (const part of packages) {
      step('download', `${part.package}=${part.version}`);
      debs.push(await apt.download(part.package, part.version, debDir, signal));
    }
    step('extract', staging);
    for (const deb of debs) await runTool('dpkg-deb', ['-x', deb, staging], { signal });
    const release = image.package.replace(/^linux-image-/, '');
    layOutKernelTree(staging, release, packages.map((part) => part.package).join(', '));
    const vmlinuz = join('boot', `vmlinuz-${release}`);
    step('depmod', release);
    await runTool(depmodPath(), ['-b', staging, release], { signal });
    const kernel: ProvisionedKernel = {
      name: entry.name,
      kind: 'debian',
      release,
      version: parseKernelVersion(image.version),
      suite: entry.suite,
      package: image.package,
      packageVersion: image.version,
      sha256: image.sha256,
      dir,
      image: join(dir, vmlinuz),
    };
    writeMetadata(staging, kernel, digestImage(join(staging, vmlinuz)), new Date());
    // The rename publishes the tree only once it is complete.
    renameSync(staging, dir);
    step('ready', release);
    return kernel;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    for (const deb of debs) rmSync(deb, { force: true });
  }
}

interface PackageRef {
  readonly package: string;
  readonly version: string;
}

interface ImagePackage extends PackageRef {
  readonly sha256: string;
  /** The packages holding the kernel's files when the image package is split (see {@link kernelPartPackages}). */
  readonly parts: readonly PackageRef[];
}

/**
 * The meta package's image dependency and its stanza. Asking apt-cache costs about a second per
 * suite, so the answer is remembered beside the lists it came from and reused until they change.
 */
async function resolveImagePackage(
  apt: PrivateApt,
  entry: LocatedEntry,
  signal: AbortSignal | undefined,
): Promise<ImagePackage> {
  const memoFile = join(apt.stateDir, 'resolved.json');
  const stamp = String(apt.listsMtimeMs());
  let memo: Record<string, { stamp: string; image: ImagePackage }> = {};
  try {
    memo = JSON.parse(readFileSync(memoFile, 'utf8'));
  } catch {
    // First resolution in this state directory.
  }
  const memoKey = entry.imagePackage ?? entry.metaPackage;
  const remembered = memo[memoKey];
  if (
    remembered?.stamp === stamp &&
    Array.isArray(remembered.image.parts) &&
    entry.imagePackagePattern.test(remembered.image.package)
  ) {
    return remembered.image;
  }
  const imagePackage = entry.imagePackage ?? (await metaDependency(apt, entry, signal));
  const { package: name, version, sha256, depends } = await apt.show(imagePackage, signal);
  const parts: PackageRef[] = [];
  for (const part of kernelPartPackages(name, depends)) {
    const record = await apt.show(part, signal);
    parts.push({ package: record.package, version: record.version });
  }
  const image: ImagePackage = { package: name, version, sha256, parts };
  memo[memoKey] = { stamp, image };
  writeFileSync(memoFile, `${JSON.stringify(memo, null, 2)}\n`);
  return image;
}

async function metaDependency(
  apt: PrivateApt,
  entry: DebianKernelEntry,
  signal: AbortSignal | undefined,
): Promise<string> {
  const meta = await apt.show(entry.metaPackage, signal);
  const imagePackage = meta.depends.find((dep) => entry.imagePackagePattern.test(dep));
  if (!imagePackage) {
    throw new HarnessError(
      ProgrunErrorCode.PROVISIONING_FAILED,
      `${entry.metaPackage} in ${entry.suite} depends on no package matching ${entry.imagePackagePattern} (depends: ${meta.depends.join(', ')})`,
    );
  }
  return imagePackage;
}

/** A catalogue entry bound to one image package of one suite. */
type LocatedEntry = DebianKernelEntry & { readonly imagePackage?: string };

/**
 * Finds a kernel named outside the catalogue: the first of the entry's search suites whose packages
 * include one matching its pattern (the highest version-sorted name when several do). Each suite's lists
 * are refreshed like a catalogue suite's, under that suite's lock. Offline (no suite answers), a cached
 * kernel matching the pattern stands in: its suite is searched first.
 *
 * @throws {HarnessError} `PROVISIONING_FAILED` naming the suites searched when none has the kernel.
 */
async function locateKernel(entry: DebianKernelEntry, options: ProvisionOptions): Promise<LocatedEntry> {
  const { cacheDir, signal } = options;
  const cachedSuite = listCachedKernels(cacheDir).find((kernel) =>
    entry.imagePackagePattern.test(kernel.package ?? ''),
  )?.suite;
  const suites = entry.searchSuites ?? [entry.suite];
  const errors: string[] = [];
  for (const suite of cachedSuite ? [cachedSuite, ...suites.filter((s) => s !== cachedSuite)] : suites) {
    const apt = new PrivateApt({
      suite,
      stateDir: cachePaths.aptState(cacheDir, suite),
      mirror: options.mirror,
    });
    try {
      await using _lock = await acquireFileLock(cachePaths.lock(cacheDir, `suite-${suite}`), signal);
      await apt.ensureLists(options.listsMaxAgeMs ?? 86_400_000, signal);
      // apt-get update succeeds with warnings when the mirror cannot be reached: no lists is no answer.
      if (apt.listsMtimeMs() === undefined) throw new Error('no package lists (offline?)');
      const found = (await apt.packageNames('linux-image-', signal))
        .filter((name) => entry.imagePackagePattern.test(name))
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
        .at(-1);
      if (found) return { ...entry, suite, searchSuites: undefined, imagePackage: found };
      errors.push(`${suite}: none`);
    } catch (error) {
      throwIfAborted(signal);
      if (suite === cachedSuite) return { ...entry, suite, searchSuites: undefined };
      errors.push(`${suite}: ${(error as Error).message}`);
    }
  }
  throw new HarnessError(
    ProgrunErrorCode.PROVISIONING_FAILED,
    `no suite has a package matching ${entry.imagePackagePattern} for kernel ${entry.name} (${errors.join('; ')})`,
  );
}

/**
 * What `kernel.json` holds: the kernel's identity, the image's size and SHA-256, and when it was
 * provisioned. No paths: the tree's directory is wherever the file is found.
 */
interface KernelMetadata {
  readonly kernel: Omit<ProvisionedKernel, 'dir' | 'image'>;
  readonly imageDigest?: ImageDigest;
  readonly provisionedAt?: string;
}

function writeMetadata(dir: string, kernel: ProvisionedKernel, imageDigest: ImageDigest, when: Date): void {
  const { dir: _dir, image: _image, ...identity } = kernel;
  writeFileSync(
    join(dir, metadataFile),
    `${JSON.stringify({ ...identity, imageDigest, provisionedAt: when }, null, 2)}\n`,
  );
}

function readMetadataFile(dir: string): KernelMetadata | undefined {
  try {
    const {
      provisionedAt,
      imageDigest,
      dir: _dir,
      image: _image,
      ...kernel
    } = JSON.parse(readFileSync(join(dir, metadataFile), 'utf8'));
    return { kernel, imageDigest, provisionedAt };
  } catch {
    return undefined;
  }
}

/**
 * A cached kernel tree as found: ready to boot, damaged (with the reason), or undefined when it holds no
 * complete provisioning. The image's path is derived from `dir` and the release. A tree written before
 * digests were recorded is checked for a boot header and gets its digest recorded (where the cache is
 * writable), so later runs check it in full.
 */
export function inspectCachedKernel(
  dir: string,
): { readonly kernel: ProvisionedKernel } | { readonly damage: string } | undefined {
  const metadata = readMetadataFile(dir);
  if (!metadata || typeof metadata.kernel.release !== 'string') return undefined;
  const kernel: ProvisionedKernel = {
    ...metadata.kernel,
    dir,
    image: join(dir, 'boot', `vmlinuz-${metadata.kernel.release}`),
  };
  const damage = imageDamage(kernel.image, metadata.imageDigest);
  if (damage) return { damage: `the cached kernel image ${damage}` };
  if (!metadata.imageDigest) {
    try {
      const when = metadata.provisionedAt ? new Date(metadata.provisionedAt) : new Date();
      writeMetadata(dir, kernel, digestImage(kernel.image), when);
    } catch {
      // A read-only cache (a guest's view, a mounted CI cache) is checked by its boot header only.
    }
  }
  return { kernel };
}

/**
 * Why a provisioned kernel's cached tree can no longer be booted (its image changed since provisioning,
 * or the tree is gone), or undefined. Asked after a guest failed to start, to tell a damaged image from
 * a failing VM.
 */
export function cachedImageDamage(kernel: ProvisionedKernel): string | undefined {
  const found = inspectCachedKernel(kernel.dir);
  if (found === undefined) return `${kernel.dir} no longer holds a complete kernel`;
  return 'damage' in found ? found.damage : undefined;
}

/** Reads a provisioned kernel's metadata, or undefined when the directory is not complete or its image is damaged. */
export function readMetadata(dir: string): ProvisionedKernel | undefined {
  const found = inspectCachedKernel(dir);
  return found && 'kernel' in found ? found.kernel : undefined;
}

/** Removes a kernel tree: renamed aside first, so no process finds it half-removed. */
function removeTree(dir: string): void {
  if (!existsSync(dir)) return;
  const aside = join(dirname(dir), `.removing-${basename(dir)}-${process.pid}`);
  renameSync(dir, aside);
  rmSync(aside, { recursive: true, force: true });
}

/**
 * Every complete kernel in the cache.
 * @throws {ValidationError} naming an argument of the wrong kind.
 */
export function listCachedKernels(cacheDir: string): ProvisionedKernel[] {
  stringArgument('cacheDir', cacheDir);
  const root = cachePaths.kernels(cacheDir);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => !name.startsWith('.'))
    .map((name) => readMetadata(join(root, name)))
    .filter((kernel): kernel is ProvisionedKernel => kernel !== undefined);
}

function newestCachedKernel(cacheDir: string, entry: DebianKernelEntry): ProvisionedKernel | undefined {
  return listCachedKernels(cacheDir)
    .filter((kernel) => kernel.suite === entry.suite && entry.imagePackagePattern.test(kernel.package ?? ''))
    .sort((a, b) => provisionedAt(b.dir) - provisionedAt(a.dir))[0];
}

function provisionedAt(dir: string): number {
  return Date.parse(readMetadataFile(dir)?.provisionedAt ?? '') || 0;
}

function depmodPath(): string {
  return ['/usr/sbin/depmod', '/sbin/depmod'].find((path) => existsSync(path)) ?? 'depmod';
}
