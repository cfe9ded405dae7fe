import type { BtfTypeInfo, KernelBtf } from '../src/kernel-btf.js';

/**
 * C declarations of kernel records as a kernel's BTF describes them, self-contained (no #include):
 * each root record and every type its layout depends on (typedefs, enums and records held by value)
 * in full, in dependency order; records reached only through pointers are declared, not defined.
 * BTF keeps no alignment attributes or packing, so the caller must check the compiled layout
 * against the BTF (see layout-btf-differences.ts): a record that needs them fails that check.
 */
export function btfCDeclarations(btf: KernelBtf, roots: readonly string[]): string {
  const writer = new DeclarationWriter(btf);
  for (const root of roots) {
    const [kind, name] = root.split(' ') as ['struct' | 'union', string];
    const id = btf.typeId(kind, name);
    if (id === undefined) throw new Error(`${root} is not in the BTF`);
    writer.define(id);
  }
  return writer.text();
}

class DeclarationWriter {
  private readonly out: string[] = [];
  /** Records and enums already defined, typedefs already written (by id). */
  private readonly done = new Set<number>();
  /** Records being defined: a reference back to one needs only its declaration. */
  private readonly inProgress = new Set<number>();
  private readonly declared = new Set<string>();

  constructor(private readonly btf: KernelBtf) {}

  text(): string {
    return `${this.out.join('\n')}\n`;
  }

  private info(id: number): BtfTypeInfo {
    return this.btf.typeInfo(id);
  }

  /** Makes the type usable by value: its own definition and those of everything it holds. */
  define(id: number): void {
    const type = this.info(id);
    switch (type.kind) {
      case 'pointer':
        this.declare(type.target);
        return;
      case 'array':
        this.define(type.element);
        return;
      case 'const':
      case 'volatile':
      case 'restrict':
        this.define(type.target);
        return;
      case 'func_proto':
        this.declare(type.returns);
        for (const p of type.params) if (p.type !== 0) this.declare(p.type);
        return;
      case 'typedef':
        // Also when the typedef was written for a pointer use: its record may now be needed by value.
        this.define(type.target);
        this.typedef(id, type);
        return;
      case 'enum':
        if (!type.name || this.done.has(id)) return;
        this.done.add(id);
        this.out.push(`${this.enumBody(type, '')};`, '');
        return;
      case 'struct':
      case 'union':
        if (this.done.has(id) || this.inProgress.has(id)) return;
        if (!type.name) {
          for (const m of type.members) this.define(m.type);
          return;
        }
        this.inProgress.add(id);
        for (const m of type.members) this.define(m.type);
        this.inProgress.delete(id);
        this.done.add(id);
        this.out.push(`${this.recordBody(id, '')};`, '');
        return;
      case 'fwd':
        this.forward(`${type.union ? 'union' : 'struct'} ${type.name}`);
        return;
      default:
        return;
    }
  }

  /** Makes the type usable behind a pointer: records declared, everything else defined. */
  private declare(id: number): void {
    const type = this.info(id);
    if ((type.kind === 'struct' || type.kind === 'union') && type.name) {
      if (!this.done.has(id) && !this.inProgress.has(id)) this.forward(`${type.kind} ${type.name}`);
      return;
    }
    if (
      type.kind === 'pointer' ||
      type.kind === 'const' ||
      type.kind === 'volatile' ||
      type.kind === 'restrict'
    ) {
      this.declare(type.target);
      return;
    }
    if (type.kind === 'typedef') {
      // A typedef of a record needs only the record's declaration.
      this.declare(type.target);
      this.typedef(id, type);
      return;
    }
    this.define(id);
  }

  private typedef(id: number, type: Extract<BtfTypeInfo, { kind: 'typedef' }>): void {
    if (this.done.has(id)) return;
    this.done.add(id);
    this.out.push(`typedef ${this.declarator(type.target, type.name, '')};`, '');
  }

  private forward(spelling: string): void {
    if (this.declared.has(spelling)) return;
    this.declared.add(spelling);
    this.out.push(`${spelling};`, '');
  }

  private enumBody(type: Extract<BtfTypeInfo, { kind: 'enum' }>, indent: string): string {
    const values = type.values.map((v) => `${indent}\t${v.name} = ${v.value},`);
    return `enum${type.name ? ` ${type.name}` : ''} {\n${values.join('\n')}\n${indent}}`;
  }

  private recordBody(id: number, indent: string): string {
    const type = this.info(id) as Extract<BtfTypeInfo, { kind: 'struct' | 'union' }>;
    const members = type.members.map((m) => {
      const bits = m.bitfieldSize > 0 ? `: ${m.bitfieldSize}` : '';
      return `${indent}\t${this.declarator(m.type, m.name, `${indent}\t`)}${bits};`;
    });
    return `${type.kind}${type.name ? ` ${type.name}` : ''} {\n${members.join('\n')}\n${indent}}`;
  }

  /** `T name` as C spells it, for any nesting of pointers, arrays, functions and qualifiers. */
  private declarator(id: number, inner: string, indent: string): string {
    const type = this.info(id);
    const named = (spelling: string) => (inner ? `${spelling} ${inner}` : spelling);
    switch (type.kind) {
      case 'void':
        return named('void');
      case 'int':
      case 'float':
      case 'typedef':
        return named(type.name);
      case 'fwd':
        return named(`${type.union ? 'union' : 'struct'} ${type.name}`);
      case 'struct':
      case 'union':
        return named(type.name ? `${type.kind} ${type.name}` : this.recordBody(id, indent));
      case 'enum':
        return named(type.name ? `enum ${type.name}` : this.enumBody(type, indent));
      case 'pointer': {
        const target = this.unqualified(type.target);
        const wrap = target.kind === 'array' || target.kind === 'func_proto';
        return this.declarator(type.target, wrap ? `(*${inner})` : `*${inner}`, indent);
      }
      case 'const':
      case 'volatile':
      case 'restrict': {
        // A qualified pointer is qualified after its `*`; anything else before its type.
        if (this.info(type.target).kind === 'pointer')
          return this.declarator(type.target, `${type.kind} ${inner}`, indent);
        return `${type.kind} ${this.declarator(type.target, inner, indent)}`;
      }
      case 'array':
        return this.declarator(type.element, `${inner}[${type.length}]`, indent);
      case 'func_proto': {
        const params = type.params.map((p) => (p.type === 0 ? '...' : this.declarator(p.type, '', indent)));
        return this.declarator(
          type.returns,
          `${inner}(${params.length ? params.join(', ') : 'void'})`,
          indent,
        );
      }
    }
  }

  private unqualified(id: number): BtfTypeInfo {
    let type = this.info(id);
    while (type.kind === 'const' || type.kind === 'volatile' || type.kind === 'restrict')
      type = this.info(type.target);
    return type;
  }
}
