import type { Style } from './style.js';

/** What {@link analyzeVerifierLog} finds in a verifier log. */
export interface VerifierLogAnalysis {
  /** Index (in the log's lines) of the instruction the verifier stopped at, if there is one. */
  readonly failingLineIndex: number | undefined;
  /** That instruction's number in the program. */
  readonly failingInstruction: number | undefined;
  /** The verifier's complaint: the first line after the failing instruction. */
  readonly reason: string | undefined;
  /** The C source line the failing instruction came from (`; ... @ file.c:12`), when BTF line info exists. */
  readonly sourceLine: string | undefined;
}

const instructionLine = /^(\d+): \([0-9a-f]{2}\)/;

/**
 * Finds the instruction a verifier log ends on: the last `N: (op) ...` line, the complaint after it, and
 * the nearest `; source @ file:line` annotation above it. Logs that end another way (load-time errors
 * such as an unknown helper) yield only the reason.
 */
export function analyzeVerifierLog(log: string): VerifierLogAnalysis {
  const lines = log.replace(/\s+$/, '').split('\n');
  let failingLineIndex: number | undefined;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (instructionLine.test(lines[i] ?? '')) {
      failingLineIndex = i;
      break;
    }
  }
  const isSummary = (line: string) =>
    /^(processed \d+ insns|verification time|stack depth|-- END)/.test(line);
  let reason: string | undefined;
  let sourceLine: string | undefined;
  if (failingLineIndex !== undefined) {
    reason = lines.slice(failingLineIndex + 1).find((line) => line.trim() !== '' && !isSummary(line));
    for (let i = failingLineIndex - 1; i >= 0; i--) {
      const line = lines[i] ?? '';
      if (line.startsWith('; ')) {
        sourceLine = line.slice(2).trim();
        break;
      }
      if (instructionLine.test(line) && i < failingLineIndex - 8) break;
    }
  } else {
    reason = [...lines].reverse().find((line) => line.trim() !== '' && !isSummary(line));
  }
  const match =
    failingLineIndex === undefined ? undefined : instructionLine.exec(lines[failingLineIndex] ?? '');
  return {
    failingLineIndex,
    failingInstruction: match ? Number(match[1]) : undefined,
    reason: reason?.trim(),
    sourceLine,
  };
}

/**
 * Renders a verifier log for a terminal: the last `tailLines` lines (all of them when `tailLines` is
 * undefined), with the failing instruction marked `>` and highlighted, and its complaint in red.
 */
export function renderVerifierLog(log: string, style: Style, tailLines?: number): string {
  const lines = log.replace(/\s+$/, '').split('\n');
  const { failingLineIndex } = analyzeVerifierLog(log);
  let start = tailLines === undefined ? 0 : Math.max(0, lines.length - tailLines);
  // Keep a few lines of context above the failing instruction in view.
  if (failingLineIndex !== undefined) start = Math.min(start, Math.max(0, failingLineIndex - 6));
  const rendered = lines.slice(start).map((line, offset) => {
    const index = start + offset;
    if (index === failingLineIndex) return `${style.red('>')} ${style.inverse(style.bold(line))}`;
    if (failingLineIndex !== undefined && index === failingLineIndex + 1) return `  ${style.red(line)}`;
    if (line.startsWith('; ')) return `  ${style.cyan(line)}`;
    return `  ${style.dim(line)}`;
  });
  const header =
    style.bold('verifier log') +
    (start > 0
      ? style.dim(` (last ${lines.length - start} of ${lines.length} lines; --full-log prints all)`)
      : '');
  return [header, ...rendered].join('\n');
}
