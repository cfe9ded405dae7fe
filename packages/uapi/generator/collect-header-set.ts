import { collectEnums } from './enums.js';
import { collectErrnos, type ErrnoDefinition } from './errno.js';
import { evaluateIntegerConstants } from './evaluate-constants.js';
import type { FetchedHeaderSet } from './fetch-headers.js';
import { collectMacros } from './macros.js';
import { collectLayouts, type GenLayout } from './record-layouts.js';

/** The BPF headers whose enums and integer constants the package emits. */
export const BPF_HEADERS = ['linux/bpf_common.h', 'linux/bpf.h'] as const;

/**
 * Enums emitted as their own objects, keys without the common prefix. Most are C enums of the BPF
 * headers; a `defines` entry is a family of `#define`s sharing the prefix in its own header (linux/pkt_cls.h's
 * `TC_ACT_*` are macros, not an enum), without the range markers ending in `_MAX` or `_MASK`.
 */
export const DEDICATED_ENUMS = [
  { tag: 'bpf_cmd', exportName: 'BpfCmd', prefix: 'BPF_', what: 'bpf(2) commands' },
  { tag: 'bpf_map_type', exportName: 'BpfMapType', prefix: 'BPF_MAP_TYPE_', what: 'map types' },
  { tag: 'bpf_prog_type', exportName: 'BpfProgType', prefix: 'BPF_PROG_TYPE_', what: 'program types' },
  { tag: 'bpf_attach_type', exportName: 'BpfAttachType', prefix: 'BPF_', what: 'attach types' },
  { tag: 'bpf_link_type', exportName: 'BpfLinkType', prefix: 'BPF_LINK_TYPE_', what: 'link types' },
  { tag: 'xdp_action', exportName: 'XdpAction', prefix: 'XDP_', what: 'XDP program return codes' },
  { tag: 'bpf_func_id', exportName: 'BpfFunc', prefix: 'BPF_FUNC_', what: 'helper function ids' },
  {
    tag: 'tc_action',
    exportName: 'TcAction',
    prefix: 'TC_ACT_',
    what: 'tc actions, what SCHED_CLS and SCHED_ACT programs return',
    defines: 'linux/pkt_cls.h',
  },
] as const;

/** The `#define` families of {@link DEDICATED_ENUMS}, with the header that defines each. */
const DEFINE_FAMILIES = DEDICATED_ENUMS.flatMap((e) => ('defines' in e ? [e] : []));

/** A family member that marks a range (`TC_ACT_VALUE_MAX`, `TC_ACT_EXT_VAL_MASK`) rather than naming a value. */
function isRangeMarker(name: string): boolean {
  return /_(MAX|MASK)$/.test(name);
}

/**
 * Count sentinels (`__MAX_BPF_MAP_TYPE`, `MAX_BPF_LINK_TYPE`, `__BPF_FUNC_MAX_ID`) change with every
 * kernel and name no real value; names with a leading underscore are header internals.
 */
function isSentinelOrInternal(name: string): boolean {
  return name.startsWith('_') || name.startsWith('MAX_');
}

export interface EnumMemberValue {
  readonly name: string;
  readonly value: bigint;
}

export interface ConstantValue {
  readonly name: string;
  readonly value: bigint;
  readonly header: string;
  /** `#define`, `enum <tag>` or `enum` (anonymous). */
  readonly origin: string;
  /** The macro's body as written, for documentation. */
  readonly definition?: string;
}

/** Everything the package emits, as found in one header set. */
export interface HeaderSetContents {
  readonly set: FetchedHeaderSet;
  readonly enums: ReadonlyMap<string, readonly EnumMemberValue[]>;
  readonly constants: readonly ConstantValue[];
  readonly errnos: readonly ErrnoDefinition[];
  readonly layouts: readonly GenLayout[];
}

/** Collects enums, constants, errno codes and layouts from one header set, all evaluated by the compiler. */
export function collectHeaderSet(set: FetchedHeaderSet): HeaderSetContents {
  const dedicated = new Set<string>(DEDICATED_ENUMS.map((e) => e.tag));
  const declarations = collectEnums(set, BPF_HEADERS);
  const dedicatedNames = new Set(
    declarations.filter((d) => d.tag && dedicated.has(d.tag)).flatMap((d) => d.members),
  );

  const candidates = new Map<string, { header: string; origin: string; definition?: string }>();
  for (const decl of declarations) {
    if (decl.tag && dedicated.has(decl.tag)) continue;
    for (const name of decl.members) {
      if (isSentinelOrInternal(name)) continue;
      candidates.set(name, { header: decl.header, origin: decl.tag ? `enum ${decl.tag}` : 'enum' });
    }
  }
  for (const macro of collectMacros(set, BPF_HEADERS)) {
    if (isSentinelOrInternal(macro.name) || dedicatedNames.has(macro.name) || candidates.has(macro.name))
      continue;
    candidates.set(macro.name, { header: macro.header, origin: '#define', definition: macro.body });
  }

  const names = [...dedicatedNames, ...candidates.keys()].filter((n) => !isSentinelOrInternal(n));
  const values = evaluateIntegerConstants(set, BPF_HEADERS, names);

  const enums = new Map<string, EnumMemberValue[]>();
  for (const decl of declarations) {
    if (!decl.tag || !dedicated.has(decl.tag)) continue;
    enums.set(
      decl.tag,
      decl.members
        .filter((n) => !isSentinelOrInternal(n))
        .map((name) => {
          const value = values.get(name);
          if (value === undefined) throw new Error(`${name} of enum ${decl.tag} did not evaluate`);
          return { name, value };
        }),
    );
  }
  for (const family of DEFINE_FAMILIES) enums.set(family.tag, collectDefineFamily(set, family));
  const constants: ConstantValue[] = [];
  for (const [name, where] of candidates) {
    const value = values.get(name);
    if (value !== undefined) constants.push({ name, value, ...where });
  }
  return { set, enums, constants, errnos: collectErrnos(set), layouts: collectLayouts(set) };
}

/** The object-like `#define`s of a family in definition order, evaluated by the compiler against their header. */
function collectDefineFamily(
  set: FetchedHeaderSet,
  family: (typeof DEFINE_FAMILIES)[number],
): EnumMemberValue[] {
  const names = collectMacros(set, [family.defines])
    .map((m) => m.name)
    .filter((n) => n.startsWith(family.prefix) && !isSentinelOrInternal(n) && !isRangeMarker(n));
  const values = evaluateIntegerConstants(set, [family.defines], names);
  return names.map((name) => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`${name} of ${family.defines} did not evaluate`);
    return { name, value };
  });
}
