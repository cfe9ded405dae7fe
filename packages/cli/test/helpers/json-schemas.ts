import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';

/** The package's schemas/ directory. */
export const schemasDir = join(import.meta.dirname, '..', '..', 'schemas');

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
for (const file of readdirSync(schemasDir))
  ajv.addSchema(JSON.parse(readFileSync(join(schemasDir, file), 'utf8')));

/** Asserts that a `--json` document names the schema of `document` in `$schema` and validates against it. */
export function expectValidDocument(document: Record<string, unknown>, kind: string): void {
  expect(document.$schema).toBe(`https://unpkg.com/@progrun/cli/schemas/${kind}.v1.json`);
  const validate = ajv.getSchema(document.$schema as string);
  expect(validate, `no schema ${document.$schema}`).toBeDefined();
  expect(validate!(document), JSON.stringify(validate!.errors, null, 2)).toBe(true);
}
