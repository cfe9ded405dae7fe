import { numberArgument, stringArgument } from './arguments/argument-checks.js';
import { ValidationError } from './errors/validation-error.js';
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

const metas = new Set<unknown>(Object.values(uapiEnums));
const metaByValues = new Map<unknown, UapiEnum>(Object.values(uapiEnums).map((e) => [e.values, e]));
const reverse = new WeakMap<UapiEnum, Map<number, string>>();

// By identity only: nothing of the argument is read, so any value (a Proxy too) gets a ValidationError.
function metaOf(values: EnumValues | UapiEnum): UapiEnum {
  if (metas.has(values)) return values as UapiEnum;
  const meta = metaByValues.get(values);
  if (!meta)
    throw new ValidationError(
      'values',
      'one of the generated enums (BpfCmd, BpfProgType, XdpAction, BpfFunc...) or its uapiEnums entry',
      { received: values },
    );
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
 * @throws {ValidationError} when `values` is not a generated enum.
 */
export function enumKeyOf<V extends EnumValues>(values: V, value: number): (keyof V & string) | undefined {
  return reverseOf(metaOf(values)).get(value) as (keyof V & string) | undefined;
}

/**
 * The C name of a value, for messages: `enumCNameOf(XdpAction, 3) === 'XDP_TX'`,
 * `enumCNameOf(BpfFunc, 1) === 'BPF_FUNC_map_lookup_elem'`.
 * @throws {ValidationError} when `values` is not a generated enum.
 */
export function enumCNameOf(values: EnumValues | UapiEnum, value: number): string | undefined {
  const meta = metaOf(values);
  const key = reverseOf(meta).get(value);
  return key === undefined ? undefined : `${meta.prefix}${key}`;
}

/**
 * A value for an error message: `'XDP_TX (3)'`, or `'42 (unknown enum xdp_action value)'`.
 * @throws {ValidationError} when `values` is not a generated enum.
 */
export function describeEnumValue(values: EnumValues | UapiEnum, value: number): string {
  const meta = metaOf(values);
  numberArgument('value', value);
  const name = enumCNameOf(meta, value);
  return name === undefined ? `${value} (unknown ${meta.cName} value)` : `${name} (${value})`;
}

/**
 * The oldest header set containing a member: `enumFirstHeaderSetOf(BpfProgType, 'NETFILTER') === '6.12'`.
 * A header set, not the mainline kernel that added the member (NETFILTER came in 6.4).
 * @throws {ValidationError} when `values` is not a generated enum.
 */
export function enumFirstHeaderSetOf<V extends EnumValues>(
  values: V,
  key: keyof V & string,
): HeaderVersion | undefined {
  const { firstHeaderSet } = metaOf(values);
  stringArgument('key', key);
  return Object.hasOwn(firstHeaderSet, key) ? firstHeaderSet[key] : undefined;
}
