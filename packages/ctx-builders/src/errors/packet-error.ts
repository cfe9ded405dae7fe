import { ProgrunError, ValidationError } from '@progrun/uapi';

const MARKER = 'progrun.PacketError';
const symbol = Symbol.for(MARKER);

/**
 * A packet could not be built, parsed from a spec string, or read from a capture file: the
 * {@link ValidationError} of packets. `field` names the offending field as a dotted path (`ipv4.ttl`,
 * `tcp.options[2]`, `spec`), and `rule` names the rule it broke (`u8-range`, `ipv4-address`,
 * `unknown-field`, ...). The check works across copies of this package: use {@link PacketError.isInstance}
 * rather than `instanceof`.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export class PacketError extends ValidationError {
  /**
   * @param field dotted path of the offending field
   * @param rule short rule name
   * @param message human-readable explanation; prefixed with the field
   */
  constructor(field: string, rule: string, message: string) {
    super(field, rule, { message });
    this.name = 'PacketError';
  }

  get [symbol](): true {
    return true;
  }

  /** True for any `PacketError` (or subclass), even one created by another copy of this package. */
  static override isInstance(error: unknown): error is PacketError {
    return ProgrunError.hasMarker(error, MARKER);
  }
}
