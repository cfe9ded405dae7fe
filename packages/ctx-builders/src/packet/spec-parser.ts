import { PacketError } from '../errors/packet-error.js';
import { SpecSyntaxError } from '../errors/spec-syntax-error.js';
import { checkUint, describe } from './field-checks.js';
import type { FieldType } from './field-type.js';
import { parseIpv4Flags } from './ipv4.js';
import { parseIpv4 } from './ipv4-address.js';
import { encodeIpv4Options } from './ipv4-options.js';
import { parseIpv6 } from './ipv6-address.js';
import { encodeIpv6Options } from './ipv6-options.js';
import type { Layer } from './layer.js';
import { layerCodecs } from './layer-registry.js';
import { parseMac } from './mac-address.js';
import { PacketBuilder } from './packet-builder.js';
import { parseTcpFlags } from './tcp.js';
import { encodeTcpOptions } from './tcp-options.js';
import { parseHex } from './tlv-options.js';

type SpecValue =
  | { readonly kind: 'atom'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly bytes: Uint8Array; readonly at: number }
  | { readonly kind: 'list'; readonly items: readonly SpecValue[]; readonly at: number };

const ATOM_STOP = new Set([',', '(', ')', '[', ']', '/', '"', '=']);
const NAME = /[A-Za-z0-9_]/;
// Layers whose single positional argument is their `data` field: payload("hi"), padding(0x0000).
const POSITIONAL: Readonly<Record<string, string>> = { payload: 'data', padding: 'data' };

/**
 * How deep lists may nest (`[[...]]`). Option lists need two levels; the limit keeps the recursive
 * descent far from the stack's end on any input.
 */
const MAX_SPEC_NESTING = 32;

class SpecReader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(rule: string, message: string, at = this.pos): never {
    throw new SpecSyntaxError(this.text, at, 'spec', rule, message);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  expect(ch: string, rule: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== ch) {
      this.fail(
        rule,
        `expected '${ch}' but found ${this.pos < this.text.length ? `'${this.text[this.pos]}'` : 'the end'}`,
      );
    }
    this.pos++;
  }

  name(rule: string): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.text.length && NAME.test(this.text[this.pos]!)) this.pos++;
    if (start === this.pos) this.fail(rule, 'expected a name');
    return this.text.slice(start, this.pos);
  }

  value(depth = 0): SpecValue {
    this.skipSpace();
    const at = this.pos;
    const ch = this.peek();
    if (ch === '"') return { kind: 'string', ...this.string(), at };
    if (ch === '[') {
      if (depth >= MAX_SPEC_NESTING)
        this.fail('nesting', `lists nest at most ${MAX_SPEC_NESTING} deep (depth ${depth + 1} here)`);
      this.pos++;
      const items: SpecValue[] = [];
      this.skipSpace();
      if (this.peek() === ']') {
        this.pos++;
        return { kind: 'list', items, at };
      }
      for (;;) {
        items.push(this.value(depth + 1));
        this.skipSpace();
        if (this.peek() === ',') this.pos++;
        else if (this.peek() === ']') {
          this.pos++;
          return { kind: 'list', items, at };
        } else this.fail('list', "expected ',' or ']' in a list");
      }
    }
    while (
      this.pos < this.text.length &&
      !ATOM_STOP.has(this.text[this.pos]!) &&
      !/\s/.test(this.text[this.pos]!)
    ) {
      this.pos++;
    }
    if (this.pos === at) this.fail('value', 'expected a value (number, address, "string" or [list])');
    return { kind: 'atom', text: this.text.slice(at, this.pos), at };
  }

  /** Reads a quoted string: characters are UTF-8, `\xHH` escapes single bytes. */
  string(): { text: string; bytes: Uint8Array } {
    const start = this.pos;
    this.pos++;
    let text = '';
    const bytes: number[] = [];
    const put = (ch: string) => {
      text += ch;
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
    };
    while (this.pos < this.text.length) {
      const ch = String.fromCodePoint(this.text.codePointAt(this.pos)!);
      this.pos += ch.length;
      if (ch === '"') return { text, bytes: Uint8Array.from(bytes) };
      if (ch !== '\\') {
        put(ch);
        continue;
      }
      const esc = this.text[this.pos++];
      if (esc === 'n') put('\n');
      else if (esc === 'r') put('\r');
      else if (esc === 't') put('\t');
      else if (esc === '0') put('\0');
      else if (esc === '"' || esc === '\\') put(esc);
      else if (esc === 'x' && /^[0-9a-fA-F]{2}$/.test(this.text.slice(this.pos, this.pos + 2))) {
        const b = Number.parseInt(this.text.slice(this.pos, this.pos + 2), 16);
        text += String.fromCharCode(b);
        bytes.push(b);
        this.pos += 2;
      } else
        this.fail('string-escape', 'unknown escape; use \\" \\\\ \\n \\r \\t \\0 or \\xHH', this.pos - 2);
    }
    return this.fail('string', 'unterminated string', start);
  }
}

function atomText(v: SpecValue, field: string, rule: string, spec: string): string {
  if (v.kind === 'list')
    throw new SpecSyntaxError(spec, v.at, field, rule, 'expected a single value, not a list');
  return v.text;
}

function convert(type: FieldType, v: SpecValue, field: string, spec: string): unknown {
  switch (type.type) {
    case 'uint': {
      const t = atomText(v, field, 'number', spec);
      const n = v.kind === 'atom' && /^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(t) ? Number(t) : t;
      return checkUint(field, n, type.bits);
    }
    case 'bool': {
      const t = atomText(v, field, 'boolean', spec);
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      throw new PacketError(field, 'boolean', `expected true or false, got ${describe(t)}`);
    }
    case 'mac':
      return parseMac(atomText(v, field, 'mac-address', spec), field);
    case 'ipv4':
      return parseIpv4(atomText(v, field, 'ipv4-address', spec), field);
    case 'ipv6':
      return parseIpv6(atomText(v, field, 'ipv6-address', spec), field);
    case 'ipv6-list':
      if (v.kind !== 'list')
        throw new PacketError(field, 'ipv6-address-list', 'expected a list like [2001:db8::1,2001:db8::2]');
      return v.items.map((item, i) =>
        parseIpv6(atomText(item, `${field}[${i}]`, 'ipv6-address', spec), `${field}[${i}]`),
      );
    case 'bytes':
      if (v.kind === 'string') return v.bytes;
      if (v.kind === 'atom')
        return parseHex(field, v.text.startsWith('0x') || v.text.startsWith('0X') ? v.text : `0x${v.text}`);
      return Uint8Array.from(
        v.items.map((item, i) => checkUint(`${field}[${i}]`, Number(atomText(item, field, 'u8', spec)), 8)),
      );
    case 'ipv4-flags': {
      const t = atomText(v, field, 'ipv4-flags', spec);
      const value = /^[0-9]+$/.test(t) ? Number(t) : t;
      parseIpv4Flags(value);
      return value;
    }
    case 'tcp-flags': {
      const t = atomText(v, field, 'tcp-flags', spec);
      const value = /^[0-9]+$/.test(t) && t !== '0' ? Number(t) : t;
      parseTcpFlags(value);
      return value;
    }
    case 'ipv4-options':
    case 'ipv6-options':
    case 'tcp-options': {
      const value =
        v.kind === 'list'
          ? v.items.map((item, i) => atomText(item, `${field}[${i}]`, type.type, spec))
          : parseHex(field, atomText(v, field, type.type, spec));
      if (type.type === 'ipv4-options') encodeIpv4Options(value);
      else if (type.type === 'tcp-options') encodeTcpOptions(value);
      else encodeIpv6Options(field, value);
      return value;
    }
  }
}

/**
 * Parses a packet spec string into a {@link PacketBuilder}. Grammar (whitespace allowed between tokens):
 *
 * ```
 * packet = layer *( "/" layer )
 * layer  = name [ "(" [ arg *( "," arg ) ] ")" ]
 * arg    = name "=" value | value          ; a bare value only for payload and padding (their data)
 * value  = string | list | atom
 * string = '"' *( char | "\" ( '"' | "\" | "n" | "r" | "t" | "0" | "x" 2HEXDIG ) ) '"'
 * list   = "[" [ value *( "," value ) ] "]"
 * atom   = 1*( any character but whitespace and , ( ) [ ] / " = )
 * ```
 *
 * Layer names are the layer kinds (`eth`, `vlan`, `arp`, `ipv4`, `ipv6`, `hopopts`, `routing`,
 * `fragment`, `dstopts`, `udp`, `tcp`, `icmp`, `icmpv6`, `payload`, `padding`) and arguments their
 * fields. Numbers are decimal or `0x` hex; bytes are a string (UTF-8, `\xHH` for raw bytes) or hex;
 * options are lists of their text forms.
 *
 * @example `eth(dst=ff:ff:ff:ff:ff:ff)/ipv4(src=10.0.0.1,dst=10.0.0.2,ttl=64)/udp(dport=53)/payload("hi")`
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws SpecSyntaxError naming the 0-based position and the grammar rule (or the field and its value
 * rule) at the first error
 */
export function parsePacketSpec(spec: string): PacketBuilder {
  // The value is described, never converted: String() of an array-like Proxy joins every element.
  if (typeof spec !== 'string')
    throw new SpecSyntaxError('', 0, 'spec', 'string', `expected a spec string, got ${describe(spec)}`);
  const r: SpecReader = new SpecReader(spec);
  const layers: Layer[] = [];
  for (;;) {
    r.skipSpace();
    const nameAt = r.pos;
    const kind = r.name('layer');
    if (!Object.hasOwn(layerCodecs, kind)) {
      r.fail('layer', `unknown layer '${kind}'; known: ${Object.keys(layerCodecs).join(', ')}`, nameAt);
    }
    const codec = layerCodecs[kind as keyof typeof layerCodecs];
    const layer: Record<string, unknown> = { kind };
    r.skipSpace();
    if (r.peek() === '(') {
      r.pos++;
      r.skipSpace();
      if (r.peek() === ')') r.pos++;
      else {
        for (;;) {
          r.skipSpace();
          const argAt = r.pos;
          const save = r.pos;
          let field: string | undefined;
          if (NAME.test(r.peek() ?? '')) {
            const name = r.name('arg');
            r.skipSpace();
            if (r.peek() === '=') {
              r.pos++;
              field = name;
            } else r.pos = save;
          }
          if (field === undefined) {
            const positional = POSITIONAL[kind];
            if (!positional || Object.hasOwn(layer, positional))
              r.fail('arg', `expected name=value in ${kind}(...)`, argAt);
            field = positional;
          }
          if (!Object.hasOwn(codec.fields, field)) {
            r.fail(
              'field',
              `${kind} has no field '${field}'; fields: ${Object.keys(codec.fields).join(', ')}`,
              argAt,
            );
          }
          if (Object.hasOwn(layer, field)) r.fail('field', `field '${field}' given twice`, argAt);
          const value = r.value();
          try {
            layer[field] = convert(codec.fields[field]!, value, `${kind}.${field}`, spec);
          } catch (err) {
            if (SpecSyntaxError.isInstance(err) || !PacketError.isInstance(err)) throw err;
            const prefix = `${err.field}: `;
            const message = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
            throw new SpecSyntaxError(spec, value.at, err.field, err.rule, message);
          }
          r.skipSpace();
          if (r.peek() === ',') r.pos++;
          else if (r.peek() === ')') {
            r.pos++;
            break;
          } else r.fail('args', "expected ',' or ')' after an argument");
        }
      }
    }
    layers.push(layer as unknown as Layer);
    r.skipSpace();
    if (r.pos >= spec.length) break;
    if (r.peek() !== '/') r.fail('packet', "expected '/' between layers or the end of the spec");
    r.pos++;
  }
  return new PacketBuilder(layers);
}
