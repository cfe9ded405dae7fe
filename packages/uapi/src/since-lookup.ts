import { uapiEnums } from './enum-lookup.js';
import { uapiConstants } from './generated/constants.js';
import { errnoInfo } from './generated/errno.js';
import { compareKernelVersions, type HeaderVersion } from './header-version.js';

let index: Map<string, HeaderVersion> | undefined;

function sinceIndex(): Map<string, HeaderVersion> {
  if (!index) {
    index = new Map();
    for (const e of Object.values(uapiEnums)) {
      for (const [key, since] of Object.entries(e.since)) index.set(`${e.prefix}${key}`, since);
    }
    for (const [name, c] of Object.entries(uapiConstants)) index.set(name, c.since);
    for (const [name, e] of Object.entries(errnoInfo)) index.set(name, e.since);
  }
  return index;
}

/**
 * The oldest header set containing a C identifier: an enum member (`BPF_PROG_TYPE_NETFILTER`),
 * helper id (`BPF_FUNC_map_lookup_elem`), constant (`BPF_F_TEST_XDP_LIVE_FRAMES`) or errno name.
 * Undefined for names the package does not know. For struct fields see `FieldLayout.since`.
 */
export function sinceOf(cName: string): HeaderVersion | undefined {
  return sinceIndex().get(cName);
}

/**
 * Whether the headers of a kernel at least `kernelVersion` ('6.1', '6.18', '5.15.0-1') are sure to
 * have the identifier: true when its `since` header set is not newer than that kernel. A kernel
 * between two header sets (5.15) only counts the older set's items as sure.
 * @throws {RangeError} when `kernelVersion` is not a kernel version.
 */
export function isKnownIn(cName: string, kernelVersion: string): boolean {
  const since = sinceOf(cName);
  return since !== undefined && compareKernelVersions(since, kernelVersion) <= 0;
}
