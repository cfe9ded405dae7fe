import { ValidationError } from '@progrun/uapi';
import { stringArgument } from '../util/argument-checks.js';

/** What a guest's console log says about how the kernel fared. */
export interface ConsoleAnalysis {
  /** The kernel printed at least one timestamped message (it got past firmware and setup code). */
  readonly kernelStarted: boolean;
  /** The `Kernel panic - not syncing: ...` line, when the kernel panicked. */
  readonly panic: string | undefined;
  /** Oops, BUG and WARNING headlines: the kernel complained but may have carried on. */
  readonly warnings: readonly string[];
  /** The last non-empty lines, for a reason a human can act on. */
  readonly tail: readonly string[];
}

const printkLine = /^\[\s*\d+\.\d+\]/m;
const panicLine = /Kernel panic - not syncing:[^\n]*/;
const warningLine =
  /^(?:\[\s*\d+\.\d+\]\s*)?((?:BUG:|Oops:|WARNING:|general protection fault|kernel BUG at)[^\n]*)/gm;
const maxWarnings = 20;
const terminalEscape = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

/** Serial consoles carry NULs and terminal escapes; keep printable text, tabs and newlines. */
function printable(text: string): string {
  let out = '';
  for (const char of text.replace(terminalEscape, '')) {
    const code = char.charCodeAt(0);
    if (code === 9 || code === 10 || (code >= 32 && code !== 127)) out += char;
  }
  return out;
}

/**
 * Reads a console log (kernel messages, virtme-init's lines and qemu's own errors mixed as they
 * arrive) and extracts the facts classification needs.
 * @throws {ValidationError} naming an argument of the wrong kind.
 */
export function analyseConsole(text: string, tailLines = 15): ConsoleAnalysis {
  stringArgument('text', text);
  if (!Number.isSafeInteger(tailLines) || tailLines < 0)
    throw new ValidationError('tailLines', 'a safe integer >= 0', { received: tailLines });
  const lines = printable(text).split('\n');
  const warnings: string[] = [];
  for (const match of text.matchAll(warningLine)) {
    if (warnings.length >= maxWarnings) break;
    warnings.push(match[1]!.trim());
  }
  return {
    kernelStarted: printkLine.test(text) || text.includes('Linux version'),
    panic: panicLine.exec(text)?.[0].trim(),
    warnings,
    tail: lines
      .map((line) => line.trimEnd())
      .filter((line) => line.trim() !== '')
      .slice(-tailLines),
  };
}
