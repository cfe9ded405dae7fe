import { resolve } from 'node:path';

/**
 * The files a compile read, from the Make-style dependency file clang writes with `-MD -MF FILE -MT T`:
 * `T: a.c b.h \` continued over lines, a space in a name escaped as `\ ` (backslashes before it doubled),
 * `#` as `\#` and `$` as `$$`.
 * Relative names (from relative `-I` flags) are resolved against `cwd`, where clang ran.
 */
export function parseDepfile(text: string, cwd: string): string[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const colon = joined.search(/:(\s|$)/);
  const list = colon === -1 ? '' : joined.slice(colon + 1);
  const files: string[] = [];
  let name = '';
  for (let i = 0; i < list.length; i++) {
    const char = list[i]!;
    if (char === '\\') {
      // clang doubles the backslashes that precede a space, and escapes the space with one more.
      let run = 1;
      while (list[i + run] === '\\') run++;
      const next = list[i + run];
      if (next === ' ') {
        name += '\\'.repeat(run >> 1);
        if (run % 2 === 1) name += ' ';
        i += run - (run % 2 === 1 ? 0 : 1);
      } else if (next === '#' && run === 1) {
        name += '#';
        i++;
      } else {
        name += '\\'.repeat(run);
        i += run - 1;
      }
    } else if (char === '$' && list[i + 1] === '$') {
      name += '$';
      i++;
    } else if (/\s/.test(char)) {
      if (name) files.push(resolve(cwd, name));
      name = '';
    } else {
      name += char;
    }
  }
  if (name) files.push(resolve(cwd, name));
  return [...new Set(files)];
}
