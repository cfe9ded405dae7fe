import { DEDICATED_ENUMS, type HeaderSetContents } from './collect-header-set.js';
import { banner, integerLiteral, key } from './emit-common.js';
import { HEADER_SETS } from './header-sets.js';
import { mergeNamed, type Versioned } from './merge-versions.js';

type Dedicated = (typeof DEDICATED_ENUMS)[number];

const setRank = (version: string) => HEADER_SETS.findIndex((s) => s.version === version);

/** Members of one enum across the sets: ordered by value, then age, then declaration order. */
function mergedMembers(
  sets: readonly HeaderSetContents[],
  tag: string,
): Versioned<{ name: string; value: bigint }>[] {
  const members = mergeNamed(
    sets,
    (c) => c.enums.get(tag) ?? [],
    (m) => m.value.toString(),
    `enum ${tag} member`,
  );
  const latest = (sets.at(-1)?.enums.get(tag) ?? []).map((m) => m.name);
  return members.sort(
    (a, b) =>
      Number(a.item.value - b.item.value) ||
      setRank(a.firstHeaderSet) - setRank(b.firstHeaderSet) ||
      latest.indexOf(a.item.name) - latest.indexOf(b.item.name),
  );
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function emitEnum(sets: readonly HeaderSetContents[], e: Dedicated): string {
  const members = mergedMembers(sets, e.tag);
  if (members.length === 0) throw new Error(`enum ${e.tag} not found`);
  const keyOf = (name: string) => {
    if (!name.startsWith(e.prefix)) throw new Error(`${name} of enum ${e.tag} lacks the prefix ${e.prefix}`);
    return key(name.slice(e.prefix.length));
  };
  const values = members.map(
    (m) =>
      `  /** \`${m.item.name}\`, first header set ${m.firstHeaderSet} */\n  ${keyOf(m.item.name)}: ${integerLiteral(m.item.value)},`,
  );
  const firstSets = members.map((m) => `    ${keyOf(m.item.name)}: '${m.firstHeaderSet}',`);
  const meta = `${lowerFirst(e.exportName)}Enum`;
  const header = 'defines' in e ? e.defines : 'linux/bpf.h';
  const cName = 'defines' in e ? `${e.prefix}* (${header})` : `enum ${e.tag}`;
  const declaration = 'defines' in e ? `#define ${e.prefix}*` : `enum ${e.tag}`;
  return [
    `/**`,
    ` * \`${declaration}\` (${header}): ${e.what}. Keys are the C names without \`${e.prefix}\`.`,
    ` * Each member is present in the header sets from its \`firstHeaderSet\` on.`,
    ` */`,
    `export const ${e.exportName} = {`,
    ...values,
    `} as const;`,
    ``,
    `/** A key of {@link ${e.exportName}}. */`,
    `export type ${e.exportName}Name = keyof typeof ${e.exportName};`,
    ``,
    `/** A value of {@link ${e.exportName}}. */`,
    `export type ${e.exportName}Value = (typeof ${e.exportName})[${e.exportName}Name];`,
    ``,
    `/** \`${declaration}\` with its C prefix and the oldest header set of each member, for lookups and messages. */`,
    `export const ${meta} = {`,
    `  cName: '${cName}',`,
    `  prefix: '${e.prefix}',`,
    `  values: ${e.exportName},`,
    `  firstHeaderSet: {`,
    ...firstSets,
    `  },`,
    `} as const satisfies UapiEnum;`,
    ``,
  ].join('\n');
}

/** enums.ts (or helper-ids.ts for `bpf_func_id`): the dedicated enums as `as const` objects with metadata. */
export function emitEnums(sets: readonly HeaderSetContents[], tags: readonly string[], what: string): string {
  const chosen = DEDICATED_ENUMS.filter((e) => tags.includes(e.tag));
  return [
    banner(sets, what),
    `import type { UapiEnum } from '../uapi-enum.js';`,
    ``,
    ...chosen.map((e) => emitEnum(sets, e)),
  ].join('\n');
}
