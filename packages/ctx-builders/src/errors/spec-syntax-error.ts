import { ProgrunError } from '@progrun/uapi';
import { PacketError } from './packet-error.js';

const MARKER = 'progrun.SpecSyntaxError';
const symbol = Symbol.for(MARKER);

/**
 * A packet spec string (`eth()/ipv4(ttl=1)/udp(dport=53)`) is malformed. `position` is the 0-based
 * character offset where parsing failed and `rule` the grammar rule that was expected there (see the
 * grammar in the package README). Field-value errors inside a well-formed spec are reported the same way,
 * with `field` set to the layer field.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export class SpecSyntaxError extends PacketError {
  /** 0-based character offset in the spec string. */
  readonly position: number;
  /** The spec string that failed to parse. */
  readonly spec: string;

  /**
   * @param spec the full spec string
   * @param position 0-based offset of the problem
   * @param field `spec` for grammar errors, or the layer field (`ipv4.ttl`) for value errors
   * @param rule grammar rule or value rule that failed
   * @param message explanation
   */
  constructor(spec: string, position: number, field: string, rule: string, message: string) {
    super(
      field,
      rule,
      `${message} at position ${position} (rule: ${rule})\n  ${spec}\n  ${' '.repeat(position)}^`,
    );
    this.name = 'SpecSyntaxError';
    this.position = position;
    this.spec = spec;
  }

  get [symbol](): true {
    return true;
  }

  /** True for any `SpecSyntaxError`, even one created by another copy of this package. */
  static override isInstance(error: unknown): error is SpecSyntaxError {
    return ProgrunError.hasMarker(error, MARKER);
  }
}
