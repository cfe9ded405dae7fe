/**
 * A BPF register by name: `r0` (return value, helper result), `r1`..`r5` (arguments, clobbered by calls),
 * `r6`..`r9` (callee-saved), `r10` (read-only frame pointer). The 32-bit views (`w0`..) are selected by
 * the instruction (the `*32` builders), not by the register name.
 */
export type Register = 'r0' | 'r1' | 'r2' | 'r3' | 'r4' | 'r5' | 'r6' | 'r7' | 'r8' | 'r9' | 'r10';

/** Every register in encoding order: `REGISTERS[n]` is register number n. */
export const REGISTERS: readonly Register[] = [
  'r0',
  'r1',
  'r2',
  'r3',
  'r4',
  'r5',
  'r6',
  'r7',
  'r8',
  'r9',
  'r10',
];

/** Highest register number (r10, the frame pointer). */
export const MAX_REGISTER = 10;

export const R0: Register = 'r0';
export const R1: Register = 'r1';
export const R2: Register = 'r2';
export const R3: Register = 'r3';
export const R4: Register = 'r4';
export const R5: Register = 'r5';
export const R6: Register = 'r6';
export const R7: Register = 'r7';
export const R8: Register = 'r8';
export const R9: Register = 'r9';
/** The frame pointer: read-only; the 512-byte stack lies below it (negative offsets). */
export const R10: Register = 'r10';

/** Whether `value` is a register name (`r0`..`r10`). */
export function isRegister(value: unknown): value is Register {
  return typeof value === 'string' && (REGISTERS as readonly string[]).includes(value);
}
