import { ValidationError } from './errors/validation-error.js';
import { kernelInternalLayoutsByVersion } from './generated/kernel-internal-layouts.js';
import { layoutsByVersion } from './generated/layouts.js';
import type { FieldType, StructLayout } from './layout-types.js';

/** Every generated layout of every header set, nested records included. */
const known = new WeakSet<StructLayout>();

function addType(type: FieldType): void {
  if (type.kind === 'record') addLayout(type.layout);
  else if (type.kind === 'array') addType(type.element);
}

function addLayout(layout: StructLayout): void {
  if (known.has(layout)) return;
  known.add(layout);
  for (const field of layout.fields) addType(field.type);
}

for (const byVersion of [layoutsByVersion, kernelInternalLayoutsByVersion]) {
  for (const set of Object.values(byVersion)) {
    for (const layout of Object.values(set as Record<string, StructLayout>)) addLayout(layout);
  }
}

/**
 * A layout argument: one of the generated layouts (`layouts.xdp_md`, `layoutFor(...)`,
 * `kernelInternalLayouts.nf_hook_state` and the records nested in them), the only ones the codecs and
 * lookups can trust to be well formed.
 * @throws {ValidationError} naming `field` for anything else.
 * @internal
 */
export function layoutArgument(field: string, value: unknown): StructLayout {
  if (typeof value !== 'object' || value === null || !known.has(value as StructLayout))
    throw new ValidationError(field, 'a layout of @progrun/uapi (layouts.<name>, layoutFor(...))', {
      received: value,
    });
  return value as StructLayout;
}
