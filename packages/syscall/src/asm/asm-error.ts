const BRAND = Symbol.for('progrun.AsmError');

/** Which part of an instruction broke a rule. */
export type AsmField = 'code' | 'dst' | 'src' | 'off' | 'imm' | 'label' | 'op' | 'size' | 'bytes';

/**
 * An instruction that cannot be encoded: a register out of range, an immediate or offset that does not fit
 * its field, an unknown or duplicate label, a truncated program. Thrown by the builders (for operands
 * they can check alone), {@link assemble} and {@link disassemble}; never by the kernel.
 */
export class AsmError extends Error {
  /** Always `'ERR_BPF_ASM'`. */
  readonly code = 'ERR_BPF_ASM';
  /** Position of the instruction in the list given to `assemble` (labels count), when known. */
  readonly index: number | undefined;
  /** Instruction slot (8-byte unit, the numbering of the verifier log), when known. */
  readonly slot: number | undefined;
  /** The field that broke the rule. */
  readonly field: AsmField;
  /** The rule, e.g. `must be a register r0..r10`. */
  readonly rule: string;

  constructor(field: AsmField, rule: string, where: { index?: number; slot?: number; detail?: string } = {}) {
    const place =
      where.index === undefined
        ? ''
        : `instruction ${where.index}${where.slot === undefined ? '' : ` (slot ${where.slot})`}: `;
    super(`${place}${field} ${rule}${where.detail ? ` (${where.detail})` : ''}`);
    this.name = 'AsmError';
    this.index = where.index;
    this.slot = where.slot;
    this.field = field;
    this.rule = rule;
  }

  /** Whether `value` is an AsmError, also one from another copy of this package. */
  static isInstance(value: unknown): value is AsmError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  get [BRAND](): true {
    return true;
  }
}
