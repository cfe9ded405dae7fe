/** A context or flow-key value as text: numbers in decimal, bytes in hex, lists comma-separated. */
export function formatValue(value: unknown): string {
  if (value instanceof Uint8Array) return value.length === 0 ? '(none)' : Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'string') return value === '' ? "''" : value;
  return String(value);
}

/** Whether two decoded values are equal (bigint, number, bytes and arrays of them). */
export function sameValue(a: unknown, b: unknown): boolean {
  return formatValue(a) === formatValue(b);
}

/**
 * `name=value` pairs of a decoded struct, with fields that differ from `before` marked `(was ...)`.
 * `mark` colours the changed ones.
 */
export function formatFields(
  fields: Readonly<Record<string, unknown>>,
  before: Readonly<Record<string, unknown>> | undefined,
  mark: (text: string) => string = (text) => text,
): string[] {
  return Object.entries(fields).map(([name, value]) => {
    const text = `${name}=${formatValue(value)}`;
    if (before && name in before && !sameValue(before[name], value)) {
      return mark(`${text} (was ${formatValue(before[name])})`);
    }
    return text;
  });
}

/** The changed fields of a decoded struct, for JSON: `{ mark: { before: 0, after: 7 } }`. */
export function changedFields(
  fields: Readonly<Record<string, unknown>>,
  before: Readonly<Record<string, unknown>> | undefined,
): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  if (!before) return changes;
  for (const [name, value] of Object.entries(fields)) {
    if (name in before && !sameValue(before[name], value))
      changes[name] = { before: before[name], after: value };
  }
  return changes;
}
