/** Counts of the `xdp:*` tracepoint events of one worker (or of all). */
export interface XdpEventTotals {
  /**
   * `xdp:xdp_redirect`: frames handed to a redirect target (XDP_TX included: live mode turns it into
   * one). Counted only with `stats.countRedirects` (it fires per frame); undefined otherwise.
   */
  readonly redirected: number | undefined;
  /** `xdp:xdp_redirect_err`: frames a redirect refused. */
  readonly redirectErrors: number;
  /** `xdp:xdp_devmap_xmit`: frames the target's ndo_xdp_xmit accepted when a bulk queue was flushed. */
  readonly xmitSent: number;
  /** `xdp:xdp_devmap_xmit`: frames ndo_xdp_xmit refused (and were freed). */
  readonly xmitDrops: number;
  /** Bulk-queue flushes, and those that reported an error. */
  readonly xmitFlushes: number;
  readonly xmitErrorFlushes: number;
}

/** Counts of the run's `xdp:*` tracepoint events. */
export interface XdpEventCounts extends XdpEventTotals {
  /** Refused redirects by errno name (`ENETDOWN`, `EINVAL`, ...). */
  readonly redirectErrno: Readonly<Record<string, number>>;
  /**
   * Frames ndo_xdp_xmit refused, by errno name (`ENXIO`: veth peer not ready), or `partial` when it took
   * part of a bulk without an error (veth: the peer's receive ring was full).
   */
  readonly xmitErrno: Readonly<Record<string, number>>;
  /** Per worker, by the CPU it is pinned to. */
  readonly workers: readonly (XdpEventTotals & { readonly cpu: number })[];
}
