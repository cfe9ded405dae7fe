import { ValidationError } from '@progrun/uapi';
import { formatProgram } from './format.js';

function logText(log: unknown): string {
  if (typeof log !== 'string')
    throw new ValidationError('log', 'a string (the verifier log)', { received: log });
  return log;
}

// A line the verifier prints for each instruction it checks: `12: (61) r2 = *(u32 *)(r1 +4)`.
const INSTRUCTION_LINE = /^(\d+): \([0-9a-f]{2}\)/;
// Statistics lines that close every log; they explain nothing.
const STATISTICS_LINE = /^(processed \d+ insns|verification time|stack depth|mark_read|\s*$)/;

/**
 * The instruction (slot) a verifier log blames: the last instruction it printed before giving up.
 * Undefined when the log names none (log level 0, or a failure before instruction checking).
 * @throws {ValidationError} when `log` is not a string.
 */
export function verifierErrorSlot(log: string): number | undefined {
  let slot: number | undefined;
  for (const line of logText(log).split('\n')) {
    const match = INSTRUCTION_LINE.exec(line);
    if (match) slot = Number(match[1]);
  }
  return slot;
}

/**
 * The verifier's explanation: the lines after the last instruction it printed, without the closing
 * statistics (e.g. `invalid access to packet, off=12 size=1 ... R1 offset is outside of the packet`).
 * @throws {ValidationError} when `log` is not a string.
 */
export function verifierErrorMessage(log: string): string {
  const lines = logText(log).split('\n');
  let last = -1;
  lines.forEach((line, index) => {
    if (INSTRUCTION_LINE.test(line)) last = index;
  });
  return lines
    .slice(last + 1)
    .filter((line) => !STATISTICS_LINE.test(line) && !line.startsWith(';'))
    .join('\n')
    .trim();
}

/**
 * A short account of a verifier rejection for error messages: the blamed instruction, the verifier's
 * explanation and, given the program's final instructions, a listing around the blamed one (marked `>`).
 * Empty when the log explains nothing.
 * @throws {ValidationError} when `log` is not a string or `program` not bytes.
 */
export function explainVerifierLog(log: string, program?: Uint8Array, context = 3): string {
  if (program !== undefined && !ArrayBuffer.isView(program))
    throw new ValidationError('program', 'a Uint8Array of instructions', { received: program });
  const slot = verifierErrorSlot(log);
  const message = verifierErrorMessage(log);
  const head = slot === undefined ? message : `at instruction ${slot}: ${message}`;
  if (program === undefined || slot === undefined || program.byteLength === 0) return head;
  try {
    return `${head}\n${formatProgram(program, { highlight: slot, context })}`;
  } catch {
    // A listing is a courtesy: bytes that do not decode must not hide the verifier's message.
    return head;
  }
}
