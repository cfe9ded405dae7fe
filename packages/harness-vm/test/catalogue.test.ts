import { ValidationError } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { findKernel, kernelCatalogue } from '../src/index.js';
import { PrivateApt, parseStanza } from '../src/kernels/private-apt.js';

describe('kernel catalogue', () => {
  test('names the host, one Debian kernel per suite, the pinned 7.2 and the latest of sid', () => {
    expect(kernelCatalogue.map((k) => k.name)).toEqual(['host', '5.10', '6.1', '6.12', '7.2', 'latest']);
    const suites = Object.fromEntries(
      kernelCatalogue.flatMap((k) => (k.kind === 'debian' ? [[k.name, k.suite]] : [])),
    );
    expect(suites).toEqual({
      '5.10': 'bullseye',
      '6.1': 'bookworm',
      '6.12': 'trixie',
      '7.2': 'forky',
      latest: 'sid',
    });
  });

  test('image pattern accepts real image packages and rejects meta, unsigned and debug ones', () => {
    const entry = findKernel('6.12');
    if (entry.kind !== 'debian') throw new Error('6.12 is a Debian kernel');
    const accept = [
      'linux-image-5.10.0-32-amd64',
      'linux-image-6.12.107+deb13-amd64',
      'linux-image-6.1.0-50-amd64',
    ];
    const reject = [
      'linux-image-amd64',
      'linux-image-6.1.0-50-amd64-unsigned',
      'linux-image-6.1.0-50-amd64-dbg',
    ];
    for (const name of accept) expect(entry.imagePackagePattern.test(name), name).toBe(true);
    for (const name of reject) expect(entry.imagePackagePattern.test(name), name).toBe(false);
  });

  test('an unknown name is a typed error that lists the catalogue', () => {
    const error = (() => {
      try {
        findKernel('linux-4.19', kernelCatalogue, 'kernels[2]');
      } catch (e) {
        return e;
      }
    })();
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ERR_PROGRUN_VALIDATION', field: 'kernels[2]' });
    expect((error as Error).message).toContain('host, 5.10, 6.1, 6.12, 7.2, latest');
  });
});

describe('private apt configuration', () => {
  test('every apt directory and file lives in the private state directory', () => {
    const apt = new PrivateApt({ suite: 'bullseye', stateDir: '/cache/apt/bullseye' });
    const options = apt.aptOptions();
    const settings = Object.fromEntries(
      options.filter((_, i) => i % 2 === 1).map((setting) => setting.split('=') as [string, string]),
    );
    for (const key of [
      'Dir::Etc::SourceList',
      'Dir::State::Lists',
      'Dir::State::Status',
      'Dir::Cache',
      'Dir::Cache::Archives',
    ]) {
      expect(settings[key], key).toMatch(/^\/cache\/apt\/bullseye(\/|$)/);
    }
    // The system's sources.list.d and preferences are never read.
    expect(settings['Dir::Etc::SourceParts']).toBe('/dev/null');
    expect(settings['Dir::Etc::Preferences']).toBe('/dev/null');
  });

  test('rejects a suite name that is not one', () => {
    expect(() => new PrivateApt({ suite: 'bullseye main', stateDir: '/x' })).toThrow(/suite/);
  });

  test('parses the candidate stanza of apt-cache show', () => {
    const record = parseStanza(
      [
        'Package: linux-image-amd64',
        'Source: linux-signed-amd64 (5.10.223+1)',
        'Version: 5.10.223-1',
        'Depends: linux-image-5.10.0-32-amd64 (= 5.10.223-1), foo | bar',
        'Description: Linux for 64-bit PCs (meta-package)',
        ' This package depends on the latest Linux kernel',
        'SHA256: 4f3c',
        'Size: 1496',
        '',
        'Package: other',
        'Version: 1',
        'SHA256: ffff',
      ].join('\n'),
    );
    expect(record).toEqual({
      package: 'linux-image-amd64',
      version: '5.10.223-1',
      sha256: '4f3c',
      size: 1496,
      depends: ['linux-image-5.10.0-32-amd64', 'foo'],
    });
  });

  test('a stanza without a checksum is not a record', () => {
    expect(parseStanza('Package: x\nVersion: 1\n')).toBeUndefined();
  });
});
