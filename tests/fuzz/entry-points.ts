import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** One public entry point, as fuzz-module.mjs names it. */
export interface EntryPoint {
  /** The module to import: `@progrun/syscall`, `@progrun/ctx-builders/arbitraries`... */
  readonly module: string;
  /** `name`, `name.member`, `new Name` or `Name#method`. */
  readonly entry: string;
  /** Why it is not called with random arguments, when it is not. */
  readonly skipped?: string;
}

const packagesDir = resolve(import.meta.dirname, '../../packages');

/**
 * Subpaths that are not public API: syscall's `@internal` addon surface (fuzzed export by export in
 * syscall's marshalling-fuzz test) and the manifest.
 */
const INTERNAL_SUBPATHS = new Set(['./package.json', './native']);

/** Entry points whose successful call starts guests or downloads kernels: minutes each, not fuzzed here. */
const GUEST_WORK: Readonly<Record<string, string>> = {
  runInVm: 'boots a QEMU guest',
  runKernels: 'boots QEMU guests',
  runMatrix: 'boots QEMU guests',
  provisionKernel: 'downloads kernel packages',
  detectAccelerator: 'boots a QEMU guest to test KVM',
};

/** Classes whose instance methods are fuzzed on a fresh instance (fixtures in fuzz-module.mjs). */
const INSTANCE_FIXTURES = new Set(['Program', 'BpfMap', 'PacketBuilder', 'DecodedPacket', 'SyscallStruct']);

function isClass(value: unknown): value is abstract new (...args: never[]) => unknown {
  return typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((item) => {
    const path = join(dir, item.name);
    if (item.isDirectory()) return declarationFiles(path);
    return item.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * What a TypeScript caller cannot call, read from the packages' declaration files: the constructors of
 * abstract classes and the `private`, `protected` or `@internal` ones (objects made by a factory), as
 * `new Name`, and the `private` or `protected` methods, as `Name.method` (static) or `Name#method`.
 * JavaScript can still call them, but what they accept is not public API: the factories and public
 * methods are fuzzed instead.
 */
function notPublic(): Set<string> {
  const names = new Set<string>();
  // A class that declares no constructor has its base class's: PcapWriter, CaptureFileWriter's protected one.
  const inherits = new Map<string, string>();
  for (const dir of readdirSync(packagesDir)) {
    for (const file of declarationFiles(join(packagesDir, dir, 'dist'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(
        /declare (abstract )?class (\w+)(?:<[^{]*?>)?(?: extends (\w+))?[^{]*\{([\s\S]*?)\n\}/g,
      )) {
        const [, abstract, name, base, body] = match as unknown as [
          string,
          string | undefined,
          string,
          string | undefined,
          string,
        ];
        if (
          abstract ||
          /(private|protected) constructor/.test(body) ||
          /@internal[^\n]*\*\/\s*\n\s*constructor\(/.test(body)
        )
          names.add(`new ${name}`);
        else if (base && !/\bconstructor\(/.test(body)) inherits.set(name, base);
        for (const [, method] of body.matchAll(/(?:private|protected) static (\w+)/g))
          names.add(`${name}.${method}`);
        for (const [, method] of body.matchAll(/^ {4}(?:private|protected) (\w+)[;(]/gm))
          names.add(`${name}#${method}`);
      }
    }
  }
  for (const [name, base] of inherits) if (names.has(`new ${base}`)) names.add(`new ${name}`);
  return names;
}

/**
 * The error classes: what progrun throws, not what it is given. Like `Error`'s own, their constructors
 * build a message from what progrun passes them (an array-like Proxy of length 2^32-1 hangs `new Error`
 * too), so they are not fuzzed; their `isInstance` checks are.
 */
const isErrorClass = (value: unknown) =>
  typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof Error;

/**
 * Every public entry point of every package, grouped by module: the functions, classes (public
 * constructor, static methods, and for the classes with fixtures their methods) and namespaces' functions
 * exported by each subpath of each package's `exports` map, read from the built modules, so that a new
 * export is fuzzed without a change here. A function exported by several subpaths (ctx-builders' root
 * re-exports the errors of uapi) is listed once, under the first module that exports it.
 */
export async function publicEntryPoints(): Promise<Map<string, EntryPoint[]>> {
  const hidden = notPublic();
  const seen = new Set<unknown>();
  const modules = new Map<string, EntryPoint[]>();
  for (const dir of readdirSync(packagesDir).sort()) {
    const manifest = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as {
      name: string;
      exports: Record<string, unknown>;
    };
    for (const subpath of Object.keys(manifest.exports)) {
      if (INTERNAL_SUBPATHS.has(subpath)) continue;
      const module = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      const exports = (await import(module)) as Record<string, unknown>;
      const out: EntryPoint[] = [];
      const add = (fn: unknown, entry: string) => {
        if (seen.has(fn)) return;
        seen.add(fn);
        if (hidden.has(entry)) return;
        const name = entry.replace(/^new /, '').split(/[.#]/)[0] as string;
        out.push({ module, entry, ...(GUEST_WORK[name] ? { skipped: GUEST_WORK[name] } : {}) });
      };
      for (const [name, value] of Object.entries(exports).sort(([a], [b]) => a.localeCompare(b))) {
        if (isClass(value)) {
          if (isErrorClass(value)) seen.add(value);
          else add(value, `new ${name}`);
          for (const key of Object.getOwnPropertyNames(value)) {
            const member = (value as unknown as Record<string, unknown>)[key];
            if (typeof member === 'function' && key !== 'prototype') add(member, `${name}.${key}`);
          }
          if (INSTANCE_FIXTURES.has(name)) {
            for (const key of Object.getOwnPropertyNames(value.prototype)) {
              const descriptor = Object.getOwnPropertyDescriptor(value.prototype, key);
              if (key !== 'constructor' && typeof descriptor?.value === 'function')
                add(descriptor.value, `${name}#${key}`);
            }
          }
        } else if (typeof value === 'function') {
          add(value, name);
        } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          for (const [key, member] of Object.entries(value)) {
            if (isClass(member)) continue;
            if (typeof member === 'function') add(member, `${name}.${key}`);
          }
        }
      }
      if (out.length > 0) modules.set(module, out);
    }
  }
  return modules;
}
