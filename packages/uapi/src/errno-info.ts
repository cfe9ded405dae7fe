import type { HeaderVersion } from './header-version.js';

/** What the package knows about one errno code. */
export interface ErrnoInfo {
  readonly errno: number;
  /** The message from the kernel header's comment. */
  readonly message: string;
  /** The oldest header set that has it. */
  readonly firstHeaderSet: HeaderVersion;
  /** True for kernel-internal codes (>= 512) that are not in the UAPI headers, such as ENOTSUPP. */
  readonly internal: boolean;
}
