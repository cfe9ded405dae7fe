import { describe, expect, test } from 'vitest';
import { thrown } from '../../../tests/helpers/thrown.js';
import {
  BPF_ALU64,
  BPF_EXIT,
  BPF_F_TEST_XDP_LIVE_FRAMES,
  BPF_JMP,
  BPF_PSEUDO_MAP_FD,
  BpfCmd,
  BpfFunc,
  BpfMapType,
  BpfProgType,
  describeEnumValue,
  enumCNameOf,
  enumFirstHeaderSetOf,
  enumKeyOf,
  fieldOf,
  firstHeaderSetOf,
  isKnownIn,
  layouts,
  uapiConstants,
  ValidationError,
  XdpAction,
} from '../src/index.js';

describe('firstHeaderSet: the oldest header set with the item', () => {
  test('BPF_F_TEST_XDP_LIVE_FRAMES first appears in the 6.1 set (kernel 5.18)', () => {
    expect(firstHeaderSetOf('BPF_F_TEST_XDP_LIVE_FRAMES')).toBe('6.1');
    expect(uapiConstants.BPF_F_TEST_XDP_LIVE_FRAMES.firstHeaderSet).toBe('6.1');
    expect(BPF_F_TEST_XDP_LIVE_FRAMES).toBe(2);
  });

  test('BPF_PROG_TYPE_NETFILTER first appears in the 6.12 set (kernel 6.4)', () => {
    expect(firstHeaderSetOf('BPF_PROG_TYPE_NETFILTER')).toBe('6.12');
    expect(enumFirstHeaderSetOf(BpfProgType, 'NETFILTER')).toBe('6.12');
  });

  test('BPF_PROG_TYPE_XDP is in every set', () => {
    expect(firstHeaderSetOf('BPF_PROG_TYPE_XDP')).toBe('5.10');
    expect(BpfProgType.XDP).toBe(6);
  });

  test('fields carry firstHeaderSet: test.batch_size arrived with live frames, the rest of test is older', () => {
    expect(fieldOf(layouts.bpf_attr_test, 'batch_size').firstHeaderSet).toBe('6.1');
    expect(fieldOf(layouts.bpf_attr_test, 'cpu').firstHeaderSet).toBe('5.10');
    expect(fieldOf(layouts.bpf_sk_lookup, 'remote_port').firstHeaderSet).toBe('6.1'); // __u32 until 5.17, __be16 from 5.18
    expect(layouts.bpf_attr_token_create.firstHeaderSet).toBe('6.12');
  });

  test('helpers, aliases and errno names are looked up by C name', () => {
    expect(firstHeaderSetOf('BPF_FUNC_map_lookup_elem')).toBe('5.10');
    expect(firstHeaderSetOf('BPF_PROG_RUN')).toBe('6.1');
    expect(firstHeaderSetOf('BPF_PROG_TEST_RUN')).toBe('5.10');
    expect(firstHeaderSetOf('ENOTSUPP')).toBe('5.10');
    expect(firstHeaderSetOf('NOT_A_THING')).toBeUndefined();
  });

  test('isKnownIn compares kernel versions numerically', () => {
    expect(isKnownIn('BPF_F_TEST_XDP_LIVE_FRAMES', '6.18')).toBe(true);
    expect(isKnownIn('BPF_F_TEST_XDP_LIVE_FRAMES', '5.10.0-35-amd64')).toBe(false);
    expect(isKnownIn('BPF_PROG_TYPE_NETFILTER', '6.1')).toBe(false);
    expect(isKnownIn('BPF_PROG_TYPE_NETFILTER', '6.12')).toBe(true);
    expect(() => isKnownIn('BPF_PROG_TYPE_XDP', 'bookworm')).toThrow(ValidationError);
  });
});

describe('enums', () => {
  test('reverse lookup for messages', () => {
    expect(enumCNameOf(XdpAction, 3)).toBe('XDP_TX');
    expect(enumKeyOf(XdpAction, 3)).toBe('TX');
    expect(describeEnumValue(XdpAction, 3)).toBe('XDP_TX (3)');
    expect(describeEnumValue(XdpAction, 42)).toBe('42 (unknown enum xdp_action value)');
    expect(enumCNameOf(BpfFunc, 1)).toBe('BPF_FUNC_map_lookup_elem');
  });

  test('aliases resolve to the oldest name', () => {
    expect(BpfCmd.PROG_RUN).toBe(BpfCmd.PROG_TEST_RUN);
    expect(enumCNameOf(BpfCmd, 10)).toBe('BPF_PROG_TEST_RUN');
    expect(enumKeyOf(BpfMapType, BpfMapType.CGROUP_STORAGE)).toBe('CGROUP_STORAGE');
  });

  test('values are literal types', () => {
    const xdp: 6 = BpfProgType.XDP;
    const names: (keyof typeof XdpAction)[] = ['ABORTED', 'DROP', 'PASS', 'TX', 'REDIRECT'];
    expect(names.map((n) => XdpAction[n])).toEqual([0, 1, 2, 3, 4]);
    expect(xdp).toBe(6);
  });

  test('lookups reject objects that are not generated enums', () => {
    const error = thrown(() => enumCNameOf({ A: 1 }, 1));
    expect(ValidationError.isInstance(error) && error.field).toBe('values');
  });
});

describe('instruction encoding constants are enough to assemble', () => {
  test('r0 = 0; exit', () => {
    const mov = BPF_ALU64 | 0xb0 | 0x00; // BPF_MOV | BPF_K
    expect(mov).toBe(0xb7);
    expect(BPF_JMP | BPF_EXIT).toBe(0x95);
    expect(BPF_PSEUDO_MAP_FD).toBe(1);
  });
});
