import { ProgrunError, ProgrunErrorCode } from '@progrun/uapi';

const MARKER = 'progrun.AsmError';
const symbol = Symbol.for(MARKER);

/** Which part of an instruction broke a rule. */
export type AsmField = 'code' | 'dst' | 'src' | 'off' | 'imm' | 'label' | 'op' | 'size' | 'bytes';

/**
 * An instruction that cannot be encoded: a register out of range, an immediate or offset that does not fit
 * its field, an unknown or duplicate label, a truncated program. Thrown by the builders (for operands
 * they can check alone), {@link assemble} and {@link disassemble}; never by the kernel.
 */
export class AsmError extends ProgrunError {
  /** Always `'ERR_PROGRUN_ASM'`. */
  declare readonly code: typeof ProgrunErrorCode.ASM;
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
    super({
      name: 'AsmError',
      code: ProgrunErrorCode.ASM,
      message: `${place}${field} ${rule}${where.detail ? ` (${where.detail})` : ''}`,
    });
    this.index = where.index;
    this.slot = where.slot;
    this.field = field;
    this.rule = rule;
  }

  get [symbol](): true {
    return true;
  }

  /** Whether `error` is an AsmError, also one from another copy of this package. */
  static override isInstance(error: unknown): error is AsmError {
    return ProgrunError.hasMarker(error, MARKER);
  }
}
