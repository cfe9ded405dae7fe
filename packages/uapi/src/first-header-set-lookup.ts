import { uapiEnums } from './enum-lookup.js';
import { uapiConstants } from './generated/constants.js';
import { errnoInfo } from './generated/errno.js';
import type { HeaderVersion } from './header-version.js';
import { compareKernelVersions } from './kernel-version.js';

let index: Map<string, HeaderVersion> | undefined;

function firstHeaderSetIndex(): Map<string, HeaderVersion> {
  if (!index) {
    index = new Map();
    for (const e of Object.values(uapiEnums)) {
      for (const [key, set] of Object.entries(e.firstHeaderSet)) index.set(`${e.prefix}${key}`, set);
    }
    for (const [name, c] of Object.entries(uapiConstants)) index.set(name, c.firstHeaderSet);
    for (const [name, e] of Object.entries(errnoInfo)) index.set(name, e.firstHeaderSet);
  }
  return index;
}

/**
 * The oldest header set containing a C identifier: an enum member (`BPF_PROG_TYPE_NETFILTER`),
 * helper id (`BPF_FUNC_map_lookup_elem`), constant (`BPF_F_TEST_XDP_LIVE_FRAMES`) or errno name.
 * Undefined for names the package does not know. For struct fields see `FieldLayout.firstHeaderSet`.
 * A header set, not the mainline kernel that added the item: NETFILTER came in 6.4, its header set is 6.12.
 */
export function firstHeaderSetOf(cName: string): HeaderVersion | undefined {
  return firstHeaderSetIndex().get(cName);
}

/**
 * Whether the headers of a kernel at least `kernelVersion` ('6.1', '6.18', '5.15.0-1') are sure to
 * have the identifier: true when its first header set is not newer than that kernel. A kernel
 * between two header sets (5.15) only counts the older set's items as sure.
 * @throws {ValidationError} when `kernelVersion` is not a kernel version.
 */
export function isKnownIn(cName: string, kernelVersion: string): boolean {
  const first = firstHeaderSetOf(cName);
  return first !== undefined && compareKernelVersions(first, kernelVersion) <= 0;
}
