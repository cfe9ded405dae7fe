import { enumCNameOf, uapiConstants, XdpAction } from '@progrun/uapi';

// linux/pkt_cls.h, which the generated UAPI package does not cover: the tc actions a SCHED_CLS or
// SCHED_ACT program returns.
const tcActions: Readonly<Record<number, string>> = {
  [-1]: 'TC_ACT_UNSPEC',
  0: 'TC_ACT_OK',
  1: 'TC_ACT_RECLASSIFY',
  2: 'TC_ACT_SHOT',
  3: 'TC_ACT_PIPE',
  4: 'TC_ACT_STOLEN',
  5: 'TC_ACT_QUEUED',
  6: 'TC_ACT_REPEAT',
  7: 'TC_ACT_REDIRECT',
  8: 'TC_ACT_TRAP',
};

function namesOf(origin: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const [name, constant] of Object.entries(uapiConstants)) {
    if (constant.origin === origin && typeof constant.value === 'number' && !names.has(constant.value)) {
      names.set(constant.value, name);
    }
  }
  return names;
}

const skActions = namesOf('enum sk_action');
const bpfRetCodes = namesOf('enum bpf_ret_code');

/**
 * The name of a program's return value for its type (`XDP_TX`, `TC_ACT_SHOT`, `SK_PASS`, `BPF_OK`),
 * or undefined for types whose return value is a plain number (raw tracepoints, SYSCALL, socket
 * filters, which return a length).
 * @param progType a `BpfProgType` key: `XDP`, `SCHED_CLS`, ...
 */
export function verdictName(progType: string, retval: number): string | undefined {
  const signed = retval | 0;
  switch (progType) {
    case 'XDP':
      return enumCNameOf(XdpAction, retval);
    case 'SCHED_CLS':
    case 'SCHED_ACT':
      return tcActions[signed];
    case 'SK_LOOKUP':
    case 'SK_REUSEPORT':
    case 'SK_SKB':
    case 'SK_MSG':
      return skActions.get(retval);
    case 'FLOW_DISSECTOR':
    case 'LWT_IN':
    case 'LWT_OUT':
    case 'LWT_XMIT':
    case 'LWT_SEG6LOCAL':
      return bpfRetCodes.get(retval);
    case 'CGROUP_SKB':
      return retval === 1 ? 'allow' : retval === 0 ? 'drop' : undefined;
    default:
      return undefined;
  }
}
