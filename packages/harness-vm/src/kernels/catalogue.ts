import { ValidationError } from '@progrun/uapi';
import { arrayArgument, stringArgument } from '../util/argument-checks.js';

/** A kernel that is booted in a guest: a Debian suite's newest `linux-image-*-amd64`. */
export interface DebianKernelEntry {
  readonly kind: 'debian';
  /** Short name used on the command line and in reports, e.g. `5.10`. */
  readonly name: string;
  /** Debian suite whose kernel this is, e.g. `bullseye`. */
  readonly suite: string;
  /**
   * The meta package whose dependency names the newest real image package of the suite
   * (`linux-image-amd64` depends on `linux-image-5.10.0-32-amd64`).
   */
  readonly metaPackage: string;
  /** What the image package's name must look like; guards against the meta package pointing elsewhere. */
  readonly imagePackagePattern: RegExp;
  /** Upstream series the suite ships, for reports and expectation checks before resolution. */
  readonly series: string;
  /**
   * Set for a kernel named outside the catalogue: the suites searched, in order, for the newest package
   * matching {@link DebianKernelEntry.imagePackagePattern} among all of a suite's packages (not only the
   * meta package's dependency); the first suite holding one provides the kernel. `suite` is then only
   * the first of them.
   */
  readonly searchSuites?: readonly string[];
}

/** The running kernel, tested directly on the host without a VM. */
export interface HostKernelEntry {
  readonly kind: 'host';
  readonly name: 'host';
}

/** One row of the kernel catalogue. */
export type KernelEntry = DebianKernelEntry | HostKernelEntry;

const amd64Image = /^linux-image-(\d+\.\d+[^\s]*)-amd64$/;

/**
 * The checked-in kernel catalogue: Debian's kernels for bullseye (5.10), bookworm (6.1) and trixie
 * (6.12); forky's 7.2 (pinned to the series, for reproducible CI: it fails to resolve, naming the
 * series, once forky moves on); `latest`, whatever sid ships newest; plus `host`. Names resolve to exact
 * package versions at provisioning time; results always record the exact version.
 */
export const kernelCatalogue: readonly KernelEntry[] = Object.freeze([
  { kind: 'host', name: 'host' },
  {
    kind: 'debian',
    name: '5.10',
    suite: 'bullseye',
    metaPackage: 'linux-image-amd64',
    imagePackagePattern: amd64Image,
    series: '5.10',
  },
  {
    kind: 'debian',
    name: '6.1',
    suite: 'bookworm',
    metaPackage: 'linux-image-amd64',
    imagePackagePattern: amd64Image,
    series: '6.1',
  },
  {
    kind: 'debian',
    name: '6.12',
    suite: 'trixie',
    metaPackage: 'linux-image-amd64',
    imagePackagePattern: amd64Image,
    series: '6.12',
  },
  {
    kind: 'debian',
    name: '7.2',
    suite: 'forky',
    metaPackage: 'linux-image-amd64',
    imagePackagePattern: /^linux-image-(7\.2\.[^\s]*)-amd64$/,
    series: '7.2',
  },
  {
    kind: 'debian',
    name: 'latest',
    suite: 'sid',
    metaPackage: 'linux-image-amd64',
    imagePackagePattern: amd64Image,
    // What sid shipped when this entry was written; the resolved kernel records the exact version.
    series: '7.2',
  },
]);

/**
 * The suites the private apt searches for a kernel named outside the catalogue, newest stable first:
 * a version both sid and forky ship comes from sid, a release candidate only from experimental.
 */
export const searchedSuites: readonly string[] = Object.freeze([
  'sid',
  'forky',
  'trixie-backports',
  'trixie',
  'bookworm',
  'bullseye',
  'experimental',
]);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The entry of a kernel named outside the catalogue by its Debian image package
 * (`linux-image-7.2.13+deb14-amd64`) or its upstream version (`7.3.4`, `7.3`: the newest image of that
 * version, not the cloud or rt flavour), searched in {@link searchedSuites}; undefined for any other name.
 * @throws {ValidationError} when `name` is not a string.
 */
export function kernelOutsideCatalogue(name: string): DebianKernelEntry | undefined {
  stringArgument('name', name);
  let pattern: RegExp;
  if (/^linux-image-\d+\.\d+[0-9a-z.+~-]*-amd64$/.test(name)) {
    pattern = new RegExp(`^${escapeRegExp(name)}$`);
  } else if (/^\d+\.\d+(\.\d+)?$/.test(name)) {
    pattern = new RegExp(
      `^linux-image-${escapeRegExp(name)}(?:[.+~-][0-9a-z.+~]*)*(?<!-(?:cloud|rt))-amd64$`,
    );
  } else {
    return undefined;
  }
  const series = /(\d+\.\d+)/.exec(name)?.[1] ?? name;
  return {
    kind: 'debian',
    name,
    suite: searchedSuites[0] as string,
    metaPackage: 'linux-image-amd64',
    imagePackagePattern: pattern,
    series,
    searchSuites: searchedSuites,
  };
}

/**
 * Looks a kernel name up in a catalogue; a name it lacks that is a Debian image package or an upstream
 * version is a kernel outside the catalogue ({@link kernelOutsideCatalogue}), resolved when provisioned.
 *
 * @throws {ValidationError} naming `field` when the name is neither (the message lists the catalogue).
 * @throws {ValidationError} naming an argument of the wrong kind.
 */
export function findKernel(
  name: string,
  catalogue: readonly KernelEntry[] = kernelCatalogue,
  field = 'kernel',
): KernelEntry {
  stringArgument('field', field);
  arrayArgument('catalogue', catalogue);
  if (typeof name !== 'string')
    throw new ValidationError(field, 'the name of a kernel (a string)', { received: name });
  const entry = catalogue.find((k) => k.name === name) ?? kernelOutsideCatalogue(name);
  if (!entry) {
    const names = catalogue.map((k) => k.name).join(', ');
    throw new ValidationError(field, `a kernel of the catalogue (${names})`, {
      message: `unknown kernel "${name}"; the catalogue has ${names} (or name a Debian image package, linux-image-...-amd64, or a version such as 7.2.13)`,
    });
  }
  return entry;
}
