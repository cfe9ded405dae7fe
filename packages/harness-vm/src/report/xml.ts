/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry. */
export function xmlEscape(text: string): string {
  let clean = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code === 9 || code === 10 || code === 13 || (code >= 32 && code !== 0xfffe && code !== 0xffff))
      clean += char;
  }
  return clean
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** One JUnit test case. `failure` is a wrong answer, `error` a run that could not answer. */
export interface JunitCase {
  readonly name: string;
  readonly classname: string;
  readonly seconds: number;
  readonly failure?: { readonly type: string; readonly message: string; readonly details?: string };
  readonly error?: { readonly type: string; readonly message: string; readonly details?: string };
  readonly skipped?: string;
  readonly output?: string;
}

/** A JUnit XML document with one test suite per entry (the format CI systems import). */
export function renderJunit(suites: readonly { name: string; cases: readonly JunitCase[] }[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = suites.flatMap((s) => s.cases);
  const count = (cases: readonly JunitCase[], key: 'failure' | 'error' | 'skipped') =>
    cases.filter((c) => c[key] !== undefined).length;
  const time = (cases: readonly JunitCase[]) => cases.reduce((sum, c) => sum + c.seconds, 0).toFixed(3);
  out.push(
    `<testsuites tests="${all.length}" failures="${count(all, 'failure')}" errors="${count(all, 'error')}" skipped="${count(all, 'skipped')}" time="${time(all)}">`,
  );
  for (const suite of suites) {
    out.push(
      `  <testsuite name="${xmlEscape(suite.name)}" tests="${suite.cases.length}" failures="${count(suite.cases, 'failure')}" errors="${count(suite.cases, 'error')}" skipped="${count(suite.cases, 'skipped')}" time="${time(suite.cases)}">`,
    );
    for (const c of suite.cases) {
      out.push(
        `    <testcase name="${xmlEscape(c.name)}" classname="${xmlEscape(c.classname)}" time="${c.seconds.toFixed(3)}">`,
      );
      for (const [tag, value] of [
        ['failure', c.failure],
        ['error', c.error],
      ] as const) {
        if (value) {
          out.push(
            `      <${tag} type="${xmlEscape(value.type)}" message="${xmlEscape(value.message)}">${xmlEscape(value.details ?? '')}</${tag}>`,
          );
        }
      }
      if (c.skipped !== undefined) out.push(`      <skipped message="${xmlEscape(c.skipped)}"/>`);
      if (c.output) out.push(`      <system-out>${xmlEscape(c.output)}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
