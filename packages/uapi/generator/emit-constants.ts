import type { HeaderSetContents } from './collect-header-set.js';
import { banner, docText, integerLiteral, quote } from './emit-common.js';
import { mergeNamed } from './merge-versions.js';

/**
 * constants.ts: every integer constant of linux/bpf_common.h and linux/bpf.h outside the dedicated
 * enums, one export each (for assemblers and flags), plus a table with `firstHeaderSet` and provenance.
 */
export function emitConstants(sets: readonly HeaderSetContents[]): string {
  const merged = mergeNamed(
    sets,
    (c) => c.constants,
    (c) => c.value.toString(),
    'constant',
    (name) => /_MAX_/.test(name),
  ).sort((a, b) => a.item.header.localeCompare(b.item.header) || (a.item.name < b.item.name ? -1 : 1));
  const exports = merged.map(({ item, firstHeaderSet, valueBySet }) => {
    const where =
      item.origin === '#define' ? `\`#define ${item.name} ${item.definition ?? ''}\`` : `\`${item.origin}\``;
    const varies = valueBySet ? ` Value in the newest set; it varies: ${JSON.stringify(valueBySet)}.` : '';
    return `/** ${docText(where)} in ${item.header}, first header set ${firstHeaderSet}.${varies} */\nexport const ${item.name} = ${integerLiteral(item.value)};`;
  });
  const table = merged.map(({ item, firstHeaderSet, valueBySet }) => {
    const varies = valueBySet
      ? `, valueBySet: { ${Object.entries(valueBySet)
          .map(([v, n]) => `'${v}': ${integerLiteral(BigInt(n))}`)
          .join(', ')} }`
      : '';
    return `  ${item.name}: { value: ${item.name}, firstHeaderSet: '${firstHeaderSet}', header: ${quote(item.header)}, origin: ${quote(item.origin)}${varies} },`;
  });
  return [
    banner(
      sets,
      'Integer constants of linux/bpf_common.h and linux/bpf.h: #defines and enumerators outside the dedicated enums.',
    ),
    `import type { UapiConstant } from '../uapi-constant.js';`,
    ``,
    ...exports,
    ``,
    `/** Every constant above with its oldest header set, defining header and origin (\`#define\` or enum). */`,
    `export const uapiConstants = {`,
    ...table,
    `} as const satisfies Record<string, UapiConstant>;`,
    ``,
  ].join('\n');
}
