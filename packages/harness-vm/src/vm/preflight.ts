import { findOnPath } from '../util/find-on-path.js';

/**
 * What a guest run needs on the host: vng, qemu, and udev (the guest runs the host's udevd to find
 * its virtio-serial ports; without it the command's output and exit status never arrive).
 *
 * @returns a sentence naming what is missing, or undefined when everything is there.
 */
export function missingGuestTools(vng = 'vng'): string | undefined {
  const needed: [string, string][] = [
    [vng, 'virtme-ng'],
    ['qemu-system-x86_64', 'qemu-system-x86'],
    ['udevadm', 'udev'],
  ];
  const extraPath = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;
  const missing = needed.filter(([binary]) => !findOnPath(binary, extraPath));
  if (missing.length === 0) return undefined;
  return `missing on the host: ${missing.map(([binary, pkg]) => `${binary} (package ${pkg})`).join(', ')}`;
}
