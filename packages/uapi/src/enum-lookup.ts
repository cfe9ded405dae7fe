import {
  bpfAttachTypeEnum,
  bpfCmdEnum,
  bpfLinkTypeEnum,
  bpfMapTypeEnum,
  bpfProgTypeEnum,
  tcActionEnum,
  xdpActionEnum,
} from './generated/enums.js';
import { bpfFuncEnum } from './generated/helper-ids.js';
import type { HeaderVersion } from './header-version.js';
import type { UapiEnum } from './uapi-enum.js';

/** Every generated enum's metadata, by C tag. */
export const uapiEnums: {
  readonly bpf_cmd: typeof bpfCmdEnum;
  readonly bpf_map_type: typeof bpfMapTypeEnum;
  readonly bpf_prog_type: typeof bpfProgTypeEnum;
  readonly bpf_attach_type: typeof bpfAttachTypeEnum;
  readonly bpf_link_type: typeof bpfLinkTypeEnum;
  readonly xdp_action: typeof xdpActionEnum;
  readonly tc_action: typeof tcActionEnum;
  readonly bpf_func_id: typeof bpfFuncEnum;
} = {
  bpf_cmd: bpfCmdEnum,
  bpf_map_type: bpfMapTypeEnum,
  bpf_prog_type: bpfProgTypeEnum,
  bpf_attach_type: bpfAttachTypeEnum,
  bpf_link_type: bpfLinkTypeEnum,
  xdp_action: xdpActionEnum,
  tc_action: tcActionEnum,
  bpf_func_id: bpfFuncEnum,
};

type EnumValues = Readonly<Record<string, number>>;

const metaByValues = new Map<EnumValues, UapiEnum>(Object.values(uapiEnums).map((e) => [e.values, e]));
const reverse = new WeakMap<UapiEnum, Map<number, string>>();

function metaOf(values: EnumValues | UapiEnum): UapiEnum {
  if ('prefix' in values && 'values' in values) return values as UapiEnum;
  const meta = metaByValues.get(values as EnumValues);
  if (!meta)
    throw new TypeError('not one of the generated enums (BpfCmd, BpfProgType, XdpAction, BpfFunc...)');
  return meta;
}

/** value -> key, preferring the oldest name for aliases (10 -> PROG_TEST_RUN, not PROG_RUN). */
function reverseOf(meta: UapiEnum): Map<number, string> {
  let map = reverse.get(meta);
  if (!map) {
    map = new Map();
    for (const [key, value] of Object.entries(meta.values)) if (!map.has(value)) map.set(value, key);
    reverse.set(meta, map);
  }
  return map;
}

/**
 * The key of a value in a generated enum: `enumKeyOf(XdpAction, 3) === 'TX'`. Aliases resolve to
 * the oldest name. Undefined when the value is unknown to the newest header set.
 * @throws {TypeError} when `values` is not a generated enum.
 */
export function enumKeyOf<V extends EnumValues>(values: V, value: number): (keyof V & string) | undefined {
  return reverseOf(metaOf(values)).get(value) as (keyof V & string) | undefined;
}

/**
 * The C name of a value, for messages: `enumCNameOf(XdpAction, 3) === 'XDP_TX'`,
 * `enumCNameOf(BpfFunc, 1) === 'BPF_FUNC_map_lookup_elem'`.
 * @throws {TypeError} when `values` is not a generated enum.
 */
export function enumCNameOf(values: EnumValues | UapiEnum, value: number): string | undefined {
  const meta = metaOf(values);
  const key = reverseOf(meta).get(value);
  return key === undefined ? undefined : `${meta.prefix}${key}`;
}

/**
 * A value for an error message: `'XDP_TX (3)'`, or `'42 (unknown enum xdp_action value)'`.
 * @throws {TypeError} when `values` is not a generated enum.
 */
export function describeEnumValue(values: EnumValues | UapiEnum, value: number): string {
  const meta = metaOf(values);
  const name = enumCNameOf(meta, value);
  return name === undefined ? `${value} (unknown ${meta.cName} value)` : `${name} (${value})`;
}

/**
 * The oldest header set containing a member: `enumFirstHeaderSetOf(BpfProgType, 'NETFILTER') === '6.12'`.
 * A header set, not the mainline kernel that added the member (NETFILTER came in 6.4).
 * @throws {TypeError} when `values` is not a generated enum.
 */
export function enumFirstHeaderSetOf<V extends EnumValues>(
  values: V,
  key: keyof V & string,
): HeaderVersion | undefined {
  return metaOf(values).firstHeaderSet[key];
}
