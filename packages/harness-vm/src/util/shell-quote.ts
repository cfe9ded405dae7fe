/** Quotes one word for POSIX sh: `it's` becomes `'it'\''s'`. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A command line for sh: a string is used as is, an argv array is quoted word by word. */
export function shellCommand(command: string | readonly string[]): string {
  return typeof command === 'string' ? command : command.map(shellQuote).join(' ');
}
