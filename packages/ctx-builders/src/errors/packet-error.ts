const PACKET_ERROR_BRAND = Symbol.for('progrun.ctx-builders.PacketError');

/**
 * A packet could not be built, parsed from a spec string, or read from a capture file.
 *
 * `field` names the offending field as a dotted path (`ipv4.ttl`, `tcp.options[2]`, `spec`), and `rule`
 * names the rule it broke (`u8-range`, `ipv4-address`, `unknown-field`, ...). The check works across
 * copies of this package: use {@link PacketError.isInstance} rather than `instanceof`.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export class PacketError extends Error {
  /** Dotted path of the field that is wrong, e.g. `ipv4.src`. */
  readonly field: string;
  /** Short name of the rule the value broke, e.g. `u16-range`. */
  readonly rule: string;

  /**
   * @param field dotted path of the offending field
   * @param rule short rule name
   * @param message human-readable explanation; prefixed with the field
   */
  constructor(field: string, rule: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'PacketError';
    this.field = field;
    this.rule = rule;
    Object.defineProperty(this, PACKET_ERROR_BRAND, { value: true });
  }

  /** True for any `PacketError` (or subclass), even one created by another copy of this package. */
  static isInstance(value: unknown): value is PacketError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[PACKET_ERROR_BRAND] === true
    );
  }
}
