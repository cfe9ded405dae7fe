const BRAND = Symbol.for('progrun.ValidationError');

/**
 * An argument broke a rule before any syscall was made. `field` names it (`'options.repeat'`), `rule`
 * says what it must be (`'an integer in [0, 2^32)'`). A TypeError, with Node.js's code for invalid
 * arguments.
 */
export class ValidationError extends TypeError {
  readonly code = 'ERR_INVALID_ARG_VALUE' as const;
  readonly field: string;
  readonly rule: string;

  /** `received`, when given, is described in the message. */
  constructor(field: string, rule: string, ...received: [] | [unknown]) {
    super(`${field} must be ${rule}${received.length === 0 ? '' : `; received ${describe(received[0])}`}`);
    this.name = 'ValidationError';
    this.field = field;
    this.rule = rule;
  }

  /** True for a ValidationError from any copy of @progrun/syscall. */
  static isInstance(value: unknown): value is ValidationError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  get [BRAND](): true {
    return true;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength} bytes)`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === 'object'
    ? `an object (${value.constructor?.name ?? 'null prototype'})`
    : typeof value;
}
