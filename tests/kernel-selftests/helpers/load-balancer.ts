import type { BpfObject } from '@progrun/syscall';

/** network_helpers.h: the value the load balancers write as the destination, and their repeat count. */
export const MAGIC_VAL = 0x1234;
export const NUM_ITER = 100000;
const VIP_NUM = 5;

/**
 * The map setup l4lb_all.c and xdp_noinline.c share: a TCP VIP (vip_map), consistent-hash ring slot 11
 * pointing at real 3 (ch_rings), whose destination is MAGIC_VAL (reals). `vip` is the C files'
 * `struct vip key = {.protocol = 6}` in the program's own key type: test_l4lb's `struct vip` names the
 * field `protocol`, test_xdp_noinline's `struct vip_definition` (the same layout) names it `proto`.
 */
export function configureLoadBalancer(obj: BpfObject, vip: { protocol: 6 } | { proto: 6 }): void {
  using vipMap = obj.map('vip_map').toMap();
  vipMap.typed().set(vip, { vip_num: VIP_NUM });
  using chRings = obj.map('ch_rings').toMap();
  chRings.typed().set(11, 3);
  using reals = obj.map('reals').toMap();
  reals.typed().set(3, { dst: MAGIC_VAL });
}

/**
 * The VIP's bytes and packets summed over every CPU's slot of the `stats` map. The C files read it as
 * `struct vip_stats { __u64 bytes; __u64 pkts; }`; the program's own value type names the two fields
 * `bytes`/`pkts` (test_l4lb) or `v2`/`v1` (test_xdp_noinline's `struct lb_stats`): `names` says which.
 */
export function vipStats(
  obj: BpfObject,
  names: { bytes: string; pkts: string } = { bytes: 'bytes', pkts: 'pkts' },
): { bytes: bigint; pkts: bigint } {
  using stats = obj.map('stats').toMap();
  const perCpu = stats.typed<number, Record<string, bigint>[]>().get(VIP_NUM) ?? [];
  return {
    bytes: perCpu.reduce((sum, cpu) => sum + cpu[names.bytes]!, 0n),
    pkts: perCpu.reduce((sum, cpu) => sum + cpu[names.pkts]!, 0n),
  };
}
