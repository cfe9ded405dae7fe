/**
 * The documents `--json` prints, one JSON Schema each in the package's `schemas/` directory
 * (`schemas/<document>.v<version>.json`). Every document names its schema in a `$schema` field, so
 * that a tool embedding progrun can check what it reads and see when a shape changes: a change that
 * could break a reader gets a new version, in a new file beside the old one.
 */
export type JsonDocument =
  | 'run'
  | 'run-capture'
  | 'run-capture-record'
  | 'probe'
  | 'demo'
  | 'live'
  | 'vm-run'
  | 'vm-matrix'
  | 'vm-kernels'
  | 'error'
  | 'version';

/** The version of the documents' shapes; each schema file carries it in its name. */
export const jsonSchemaVersion = 1;

/** The `$schema` of a document: where its schema is published with the package. */
export function schemaUrl(document: JsonDocument): string {
  return `https://unpkg.com/@progrun/cli/schemas/${document}.v${jsonSchemaVersion}.json`;
}
