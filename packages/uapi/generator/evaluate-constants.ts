import { compileAndRun, failingLines } from './clang.js';
import type { FetchedHeaderSet } from './fetch-headers.js';

/**
 * Evaluates each name as a C integer constant expression with the compiler, against the given
 * headers. Names that are not integer constants (strings, types, expressions needing arguments)
 * are left out of the result.
 */
export function evaluateIntegerConstants(
  set: FetchedHeaderSet,
  headers: readonly string[],
  names: readonly string[],
): Map<string, bigint> {
  const includes = headers.map((h) => `#include <${h}>\n`).join('');
  const preamble = includes.split('\n').length - 1;
  const checks = names.map((n, i) => `enum { uapi_probe_${i} = (${n}) };`).join('\n');
  const failing = failingLines(set, `${includes}${checks}\n`);
  const constant = names.filter((_, i) => !failing.has(preamble + i + 1));

  const print = constant
    .map(
      (n) =>
        `  if ((${n}) < 0) printf("%s %lld\\n", "${n}", (long long)(${n}));\n` +
        `  else printf("%s %llu\\n", "${n}", (unsigned long long)(${n}));`,
    )
    .join('\n');
  const program = `${includes}#include <stdio.h>\nint main(void) {\n${print}\n  return 0;\n}\n`;
  const values = new Map<string, bigint>();
  for (const line of compileAndRun(set, program).trim().split('\n')) {
    if (!line) continue;
    const [name, value] = line.split(' ');
    values.set(name ?? '', BigInt(value ?? 'NaN'));
  }
  return values;
}
