import type { HeaderVersion } from './header-version.js';

/**
 * Metadata of one generated enum (`bpfProgTypeEnum`, `xdpActionEnum`...): its C name, the prefix
 * its keys drop, the `as const` values object and the oldest header set of each member.
 */
export interface UapiEnum {
  readonly cName: string;
  readonly prefix: string;
  readonly values: Readonly<Record<string, number>>;
  readonly firstHeaderSet: Readonly<Record<string, HeaderVersion>>;
}
