import { type CompileInput, compileAndRun, dumpRecordLayouts, failingLines } from './clang.js';

/** A field type as the layouts describe it (mirrors src/layout-types.ts, without `firstHeaderSet`). */
export type GenType =
  | { kind: 'int'; size: number; signed: boolean; endian: 'little' | 'big' }
  | { kind: 'pointer'; size: number }
  | { kind: 'chars'; length: number }
  | { kind: 'array'; length: number; element: GenType }
  | { kind: 'record'; layout: GenLayout };

export interface GenField {
  name: string;
  offset: number;
  size: number;
  cType: string;
  type: GenType;
  bitOffset?: number;
  bitWidth?: number;
  firstHeaderSet?: string;
}

export interface GenLayout {
  name: string;
  cName: string;
  /** For members of a union: the union (`union bpf_attr`) and the member name, null when anonymous. */
  container?: { cName: string; member: string | null };
  kind: 'struct' | 'union';
  size: number;
  align: number;
  fields: GenField[];
  firstHeaderSet?: string;
}

/** The records the package describes, by C type. */
export const LAYOUT_TARGETS = [
  'union bpf_attr',
  'struct bpf_insn',
  'struct xdp_md',
  'struct __sk_buff',
  'struct bpf_flow_keys',
  'struct bpf_sk_lookup',
  'struct bpf_sock',
  'struct bpf_sock_ops',
  'struct bpf_prog_info',
  'struct bpf_map_info',
  'struct bpf_btf_info',
  'struct bpf_link_info',
  'struct bpf_raw_tracepoint_args',
  'struct bpf_func_info',
  'struct bpf_line_info',
] as const;

/**
 * The anonymous members of `union bpf_attr` have no C name; each is named after the commands it
 * serves, recognised by its first field. A new anonymous member fails generation until named here.
 */
const BPF_ATTR_ANONYMOUS_MEMBERS: Record<string, string> = {
  map_type: 'map_create',
  map_fd: 'map_elem',
  prog_type: 'prog_load',
  pathname: 'obj',
  target_fd: 'prog_attach',
  start_id: 'get_id',
  btf: 'btf_load',
};

interface DumpField {
  offset: number;
  bitStart?: number;
  bitEnd?: number;
  type: string;
  name: string;
}

interface DumpRecord {
  kind: 'struct' | 'union';
  size: number;
  align: number;
  fields: DumpField[];
}

/** Parses `-fdump-record-layouts` output into records keyed by the type name clang prints. */
export function parseRecordLayoutDump(dump: string): Map<string, DumpRecord> {
  const records = new Map<string, DumpRecord>();
  for (const section of dump.split('*** Dumping AST Record Layout').slice(1)) {
    const lines = section.split('\n').filter((l) => l.includes('|'));
    const head = /^\s*0 \| (struct|union) (.+)$/.exec(lines[0] ?? '');
    const tail = /\[sizeof=(\d+),(?: dsize=\d+,)? align=(\d+)/.exec(lines.at(-1) ?? '');
    if (!head || !tail) throw new Error(`unrecognised record layout section:\n${section}`);
    const fields: DumpField[] = [];
    for (const line of lines.slice(1, -1)) {
      const m = /^\s*(\d+)(?::(\d+)-(\d+))? \| ( *)(.*)$/.exec(line);
      if (!m) throw new Error(`unrecognised record layout line: ${line}`);
      if ((m[4] ?? '').length !== 2) continue; // deeper lines belong to nested records, dumped on their own
      const text = m[5] ?? '';
      const split = text.lastIndexOf(' ');
      fields.push({
        offset: Number(m[1]),
        ...(m[2] === undefined ? {} : { bitStart: Number(m[2]), bitEnd: Number(m[3]) }),
        type: text.slice(0, split),
        name: text.slice(split + 1),
      });
    }
    const key = `${head[1]} ${head[2]}`;
    records.set(key, {
      kind: head[1] as 'struct' | 'union',
      size: Number(tail[1]),
      align: Number(tail[2]),
      fields,
    });
  }
  return records;
}

const ARRAY_TYPE = /^([^[]*?)\s*((?:\[\d*\])+)$/;
const RECORD_TYPE = /^(struct|union) /;

function isRecordType(type: string): boolean {
  return RECORD_TYPE.test(type) && !type.endsWith('*') && !ARRAY_TYPE.test(type);
}

/** The scalar and array type spellings the compiler must size for us. */
function sizedTypes(records: Map<string, DumpRecord>): string[] {
  const types = new Set<string>();
  for (const record of records.values()) {
    for (const field of record.fields) {
      if (field.name === '' || isRecordType(field.type)) continue;
      types.add(field.type);
      const array = ARRAY_TYPE.exec(field.type);
      if (array) types.add(array[1] ?? '');
    }
  }
  return [...types].sort();
}

interface TypeFacts {
  size: number;
  align: number;
  signed: boolean;
}

/** Pointers to data (`struct sock *`) and to functions (`int (*)(struct net *)`). */
function isPointerType(type: string): boolean {
  return type.endsWith('*') || /\(\*\)\(/.test(type);
}

/** sizeof, _Alignof and signedness of each type spelling, evaluated by the compiler. */
function probeTypes(set: CompileInput, include: string, types: readonly string[]): Map<string, TypeFacts> {
  const lines = types.map((t) => {
    const scalar = !isPointerType(t) && !ARRAY_TYPE.test(t);
    const signed = scalar ? `(int)(((${t})-1) < 0)` : '0';
    return `  printf("%s\\t%zu\\t%zu\\t%d\\n", ${JSON.stringify(t)}, sizeof(${t}), _Alignof(${t}), ${signed});`;
  });
  const program = `#include <${include}>\n#include <stdio.h>\nint main(void) {\n${lines.join('\n')}\n  return 0;\n}\n`;
  const facts = new Map<string, TypeFacts>();
  for (const line of compileAndRun(set, program).trim().split('\n')) {
    const [type, size, align, signed] = line.split('\t');
    facts.set(type ?? '', { size: Number(size), align: Number(align), signed: signed === '1' });
  }
  return facts;
}

/** Which of the targets the header declares. */
function presentTargets(set: CompileInput, include: string, targets: readonly string[]): string[] {
  const source = `#include <${include}>\n${targets.map((t, i) => `enum { uapi_probe_${i} = sizeof(${t}) };`).join('\n')}\n`;
  const failing = failingLines(set, source);
  return targets.filter((_, i) => !failing.has(i + 2));
}

/** The C spelling of a type as shown in the layouts: anonymous records lose their source location. */
function displayType(type: string): string {
  return type.replace(/::\((?:anonymous|unnamed) at [^)]*\)/g, ' (unnamed)');
}

class LayoutResolver {
  constructor(
    private readonly records: Map<string, DumpRecord>,
    private readonly types: Map<string, TypeFacts>,
  ) {}

  layout(cType: string, name: string, cName: string): GenLayout {
    const record = this.records.get(cType);
    if (!record) throw new Error(`clang dumped no layout for ${cType}`);
    return {
      name,
      cName,
      kind: record.kind,
      size: record.size,
      align: record.align,
      fields: this.fieldsOf(record, name, 0),
    };
  }

  /** Named fields of the record, with the fields of anonymous members lifted into it (as C does). */
  private fieldsOf(record: DumpRecord, layoutName: string, base: number): GenField[] {
    const fields: GenField[] = [];
    for (const field of record.fields) {
      if (field.name === '') {
        if (!isRecordType(field.type)) continue; // unnamed bitfield: padding
        const inner = this.records.get(field.type);
        if (!inner) throw new Error(`clang dumped no layout for ${field.type}`);
        fields.push(...this.fieldsOf(inner, layoutName, base + field.offset));
        continue;
      }
      fields.push(this.field(field, layoutName, base));
    }
    return fields;
  }

  private field(field: DumpField, layoutName: string, base: number): GenField {
    const cType = displayType(field.type);
    if (field.bitStart !== undefined && field.bitEnd !== undefined) {
      const width = field.bitEnd - field.bitStart + 1;
      const bitOffset = field.bitStart % 8;
      return {
        name: field.name,
        offset: base + field.offset + Math.floor(field.bitStart / 8),
        size: Math.ceil((bitOffset + width) / 8),
        cType,
        type: this.type(field.type, `${layoutName}.${field.name}`),
        bitOffset,
        bitWidth: width,
      };
    }
    const type = this.type(field.type, `${layoutName}.${field.name}`);
    return {
      name: field.name,
      offset: base + field.offset,
      size: this.sizeOf(field.type, type),
      cType,
      type,
    };
  }

  private sizeOf(spelling: string, type: GenType): number {
    return type.kind === 'record' ? type.layout.size : this.facts(spelling).size;
  }

  private facts(spelling: string): TypeFacts {
    const facts = this.types.get(spelling);
    if (!facts) throw new Error(`no sizeof/_Alignof probed for ${spelling}`);
    return facts;
  }

  private type(spelling: string, nestedName: string): GenType {
    if (isPointerType(spelling)) return { kind: 'pointer', size: this.facts(spelling).size };
    const array = ARRAY_TYPE.exec(spelling);
    if (array) {
      const element = array[1] ?? '';
      const lengths = [...(array[2] ?? '').matchAll(/\[(\d*)\]/g)].map((m) => Number(m[1] || 0));
      if (element === 'char' && lengths.length === 1) return { kind: 'chars', length: lengths[0] ?? 0 };
      let type = this.type(element, nestedName);
      for (const length of lengths.reverse()) type = { kind: 'array', length, element: type };
      return type;
    }
    if (isRecordType(spelling)) {
      const cName = /::\((?:anonymous|unnamed) at /.test(spelling)
        ? `${spelling.split(' ')[0]} (unnamed)`
        : spelling;
      return { kind: 'record', layout: this.layout(spelling, nestedName, cName) };
    }
    const facts = this.facts(spelling);
    if (![1, 2, 4, 8].includes(facts.size))
      throw new Error(`${spelling} is ${facts.size} bytes: not an integer type`);
    return {
      kind: 'int',
      size: facts.size,
      signed: facts.signed,
      endian: spelling.startsWith('__be') ? 'big' : 'little',
    };
  }

  /** One layout per member of the union, named `<union>_<member>`; anonymous members named by the table. */
  members(cType: string, unionName: string): GenLayout[] {
    const record = this.records.get(cType);
    if (!record) throw new Error(`clang dumped no layout for ${cType}`);
    return record.fields.map((field) => {
      if (field.name !== '') {
        const layout = this.layout(field.type, `${unionName}_${field.name}`, `${cType} member ${field.name}`);
        return { ...layout, container: { cName: cType, member: field.name } };
      }
      const probe = this.layout(field.type, unionName, cType);
      const first = probe.fields[0]?.name ?? '';
      const member = BPF_ATTR_ANONYMOUS_MEMBERS[first];
      if (!member)
        throw new Error(
          `anonymous ${cType} member starting with '${first}' has no name: add it to the table`,
        );
      const name = `${unionName}_${member}`;
      return {
        ...this.layout(field.type, name, `${cType} anonymous member (${member})`),
        container: { cName: cType, member: null },
      };
    });
  }
}

/** Name of the layout of a C record type: `struct xdp_md` -> `xdp_md`. */
export function layoutName(cType: string): string {
  return cType.replace(/^(struct|union) /, '');
}

/**
 * The layout of every target the header declares (default: the UAPI records of linux/bpf.h), plus
 * one layout per `union bpf_attr` member, all from clang's record layouts; integer sizes and
 * signedness from compiled probes.
 */
export function collectLayouts(
  set: CompileInput,
  include = 'linux/bpf.h',
  candidates: readonly string[] = LAYOUT_TARGETS,
): GenLayout[] {
  const targets = presentTargets(set, include, candidates);
  const source = `#include <${include}>\nint uapi_probe(void) {\n  return 0${targets.map((t) => `\n    + (int)sizeof(${t})`).join('')};\n}\n`;
  const records = parseRecordLayoutDump(dumpRecordLayouts(set, source));
  const resolver = new LayoutResolver(records, probeTypes(set, include, sizedTypes(records)));
  const layouts: GenLayout[] = [];
  for (const target of targets) {
    const layout = resolver.layout(target, layoutName(target), target);
    if (target === 'union bpf_attr') {
      // Members first, and the union's named members are those very layouts (`attr.test` is bpf_attr_test).
      const members = resolver.members(target, 'bpf_attr');
      for (const field of layout.fields) {
        const member = members.find((m) => m.container?.member === field.name);
        if (member && field.type.kind === 'record') field.type = { kind: 'record', layout: member };
      }
      layouts.push(...members);
    }
    layouts.push(layout);
  }
  return layouts;
}
