import { AsmError, type AsmField } from './asm-error.js';

/**
 * The entry of an operator or width table (`'add'`, `'jeq'`, `'u32'`) named by a builder's argument.
 * Only an own string key is looked up: indexing with any other value would convert it to a string
 * first, which throws for a null-prototype object and walks every element of an array-like Proxy.
 *
 * @throws AsmError on `field` naming the table's keys, for anything else.
 */
export function tableEntry<T>(table: Readonly<Record<string, T>>, field: AsmField, key: unknown): T {
  if (typeof key === 'string' && Object.hasOwn(table, key)) return table[key]!;
  throw new AsmError(field, `must be one of ${Object.keys(table).join(', ')}`);
}
