import type { HeaderVersion } from './header-version.js';

/** One integer constant of linux/bpf.h or linux/bpf_common.h, as listed in `uapiConstants`. */
export interface UapiConstant {
  /** The value in the newest header set (bigint when beyond 2^53). */
  readonly value: number | bigint;
  /** The oldest header set that has it (a header set, not a mainline kernel version). */
  readonly firstHeaderSet: HeaderVersion;
  /** The header that defines it, e.g. `linux/bpf.h`. */
  readonly header: string;
  /** `#define`, `enum <tag>` for enumerators of other enums, `enum` for anonymous enums. */
  readonly origin: string;
  /** Present only for the few counts that grow with the kernel (BPF_TCP_MAX_STATES). */
  readonly valueBySet?: Readonly<Partial<Record<HeaderVersion, number | bigint>>>;
}
