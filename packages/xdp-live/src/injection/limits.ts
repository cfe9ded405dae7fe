/** Smallest frame the kernel accepts: an Ethernet header (ETH_HLEN; shorter is EINVAL since late 2024). */
export const MIN_FRAME = 14;

/**
 * Largest frame in live mode on x86-64 with 4 KiB pages: the page minus XDP headroom (256), the test
 * run's per-page header and skb_shared_info. Live mode has no multi-buffer frames (larger is EINVAL).
 */
export const MAX_LIVE_FRAME = 3408;

/** Largest batch_size (TEST_XDP_MAX_BATCH; larger is E2BIG). */
export const MAX_BATCH = 256;

/** The kernel's default batch_size (NAPI_POLL_WEIGHT). */
export const DEFAULT_BATCH = 64;
