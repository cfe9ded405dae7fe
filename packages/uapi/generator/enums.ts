import { astJson } from './clang.js';
import type { FetchedHeaderSet } from './fetch-headers.js';

/** An enum declared by the headers: its tag (undefined for anonymous enums), header and enumerators in order. */
export interface EnumDeclaration {
  readonly tag: string | undefined;
  readonly header: string;
  readonly members: readonly string[];
}

interface AstNode {
  readonly kind?: string;
  readonly name?: string;
  readonly loc?: unknown;
  readonly inner?: readonly AstNode[];
}

/**
 * clang's JSON writes a location's `file` only when it differs from the previous location it
 * wrote, so the file of a declaration is the last `file` seen in document order up to its `loc`.
 */
class FileTracker {
  current = '';

  visit(value: unknown): void {
    if (Array.isArray(value)) {
      for (const v of value) this.visit(v);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'includedFrom') continue;
        if (key === 'file' && typeof v === 'string') this.current = v;
        else this.visit(v);
      }
    }
  }
}

function relativeTo(set: FetchedHeaderSet, path: string): string {
  const dir = set.includeDirs.find((d) => path.startsWith(`${d}/`));
  return dir ? path.slice(dir.length + 1) : path;
}

/** Every enum with enumerators declared at file scope by the headers, read from clang's AST. */
export function collectEnums(set: FetchedHeaderSet, headers: readonly string[]): EnumDeclaration[] {
  const source = headers.map((h) => `#include <${h}>\n`).join('');
  const ast = astJson(set, source) as AstNode;
  const enums: EnumDeclaration[] = [];
  const files = new FileTracker();
  for (const node of ast.inner ?? []) {
    files.visit(node.loc);
    const header = relativeTo(set, files.current);
    files.visit({ ...node, loc: undefined });
    if (node.kind !== 'EnumDecl') continue;
    const members = (node.inner ?? []).filter((n) => n.kind === 'EnumConstantDecl').map((n) => n.name ?? '');
    if (members.length === 0) continue;
    if (!headers.includes(header)) throw new Error(`enum ${node.name ?? '(anonymous)'} found in ${header}`);
    enums.push({ tag: node.name, header, members });
  }
  return enums;
}
