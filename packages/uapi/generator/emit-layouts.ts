import type { HeaderSetContents } from './collect-header-set.js';
import { banner, quote } from './emit-common.js';
import type { GenField, GenLayout, GenType } from './record-layouts.js';

function typeConstName(type: GenType): string | undefined {
  if (type.kind === 'int')
    return `${type.signed ? 's' : 'u'}${type.size * 8}${type.endian === 'big' ? 'be' : ''}`;
  if (type.kind === 'pointer') return `ptr${type.size * 8}`;
  return undefined;
}

class LayoutWriter {
  readonly typeConsts = new Map<string, string>();
  /** Layouts already declared as consts (canonical JSON -> name): nested copies refer to them. */
  readonly declared = new Map<string, string>();

  type(type: GenType, indent: string): string {
    const shared = typeConstName(type);
    if (shared) {
      const body =
        type.kind === 'int'
          ? `{ kind: 'int', size: ${type.size}, signed: ${type.signed}, endian: '${type.endian}' }`
          : `{ kind: 'pointer', size: ${type.kind === 'pointer' ? type.size : 0} }`;
      this.typeConsts.set(shared, body);
      return shared;
    }
    switch (type.kind) {
      case 'chars':
        return `{ kind: 'chars', length: ${type.length} }`;
      case 'array':
        return `{ kind: 'array', length: ${type.length}, element: ${this.type(type.element, indent)} }`;
      case 'record':
        return `{ kind: 'record', layout: ${this.declared.get(JSON.stringify(type.layout)) ?? this.layout(type.layout, indent)} }`;
      default:
        throw new Error(`unexpected type ${JSON.stringify(type)}`);
    }
  }

  field(field: GenField, indent: string): string {
    const bits =
      field.bitWidth === undefined ? '' : `, bitOffset: ${field.bitOffset}, bitWidth: ${field.bitWidth}`;
    return (
      `${indent}{ name: ${quote(field.name)}, offset: ${field.offset}, size: ${field.size}, ` +
      `cType: ${quote(field.cType)}, firstHeaderSet: '${field.firstHeaderSet}'${bits}, type: ${this.type(field.type, indent)} },`
    );
  }

  layout(layout: GenLayout, indent: string): string {
    const inner = `${indent}  `;
    const container = layout.container
      ? `${inner}container: { cName: ${quote(layout.container.cName)}, member: ${
          layout.container.member === null ? 'null' : quote(layout.container.member)
        } },\n`
      : '';
    return (
      `{\n${inner}name: ${quote(layout.name)},\n${inner}cName: ${quote(layout.cName)},\n${container}` +
      `${inner}kind: '${layout.kind}',\n${inner}size: ${layout.size},\n${inner}align: ${layout.align},\n` +
      `${inner}firstHeaderSet: '${layout.firstHeaderSet}',\n${inner}fields: [\n` +
      layout.fields.map((f) => this.field(f, `${inner}  `)).join('\n') +
      `\n${inner}],\n${indent}}`
    );
  }
}

/** How a layouts module names what it exports and where its layouts come from. */
export interface LayoutModuleNames {
  /** The exported object of layouts per version (`layoutsByVersion`). */
  readonly exportName: string;
  /** Its TSDoc. */
  readonly exportDoc: string;
  /** Ends `\`struct xdp_md\` as laid out by ...` for one version: `the 6.12 headers`. */
  readonly laidOutBy: (version: string) => string;
}

/**
 * The body of a layouts module (after its banner): every record layout per version, a layout
 * identical in several versions emitted once and shared. One writer for every layouts module, so
 * they all have the shape `StructLayout` describes.
 */
export function layoutModule(
  versions: readonly string[],
  merged: Map<string, GenLayout[]>,
  names: LayoutModuleNames,
): string {
  const writer = new LayoutWriter();
  const declarations: string[] = [];
  const byVersion: string[] = [];
  for (const version of versions) {
    const entries: string[] = [];
    for (const layout of merged.get(version) ?? []) {
      const canonical = JSON.stringify(layout);
      let constName = writer.declared.get(canonical);
      if (!constName) {
        constName = `${layout.name}_${version.replace('.', '_')}`;
        declarations.push(
          `/** \`${layout.cName}\` as laid out by ${names.laidOutBy(version)}. */\n` +
            `const ${constName} = ${writer.layout(layout, '')} as const satisfies StructLayout;\n`,
        );
        writer.declared.set(canonical, constName);
      }
      entries.push(`    ${layout.name}: ${constName},`);
    }
    byVersion.push(`  '${version}': {\n${entries.join('\n')}\n  },`);
  }
  const typeConsts = [...writer.typeConsts].sort(([a], [b]) => (a < b ? -1 : 1));
  return [
    `import type { StructLayout } from '../layout-types.js';`,
    ``,
    // Named interfaces keep the emitted declarations small: they are referenced, not inlined.
    ...typeConsts.map(([name, body]) => {
      const type = name.charAt(0).toUpperCase() + name.slice(1);
      const members = body
        .replace(/^\{ | \}$/g, '')
        .split(', ')
        .map((m) => `readonly ${m};`)
        .join(' ');
      return `export interface ${type} { ${members} }\nconst ${name}: ${type} = ${body};`;
    }),
    ``,
    ...declarations,
    `/** ${names.exportDoc} */`,
    `export const ${names.exportName} = {`,
    ...byVersion,
    `} as const;`,
    ``,
  ].join('\n');
}

/** layouts.ts: every record layout of the UAPI headers, per header set. */
export function emitLayouts(sets: readonly HeaderSetContents[], merged: Map<string, GenLayout[]>): string {
  const what =
    'Record layouts (offset, size, type of every field) from clang -fdump-record-layouts, per header set.';
  return (
    `${banner(sets, what)}\n` +
    layoutModule(
      sets.map((s) => s.set.version),
      merged,
      {
        exportName: 'layoutsByVersion',
        exportDoc: 'Every layout, per header set (oldest first).',
        laidOutBy: (version) => `the ${version} headers`,
      },
    )
  );
}
