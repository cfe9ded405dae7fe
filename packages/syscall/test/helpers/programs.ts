// Small hand-assembled programs the tests load: each is the least code that shows one behaviour.
import { type BpfProgType, fieldOf, layouts } from '@progrun/uapi';
import { asm, Program, type ProgramLoadOptions } from '../../src/index.js';

/** Loads `items` as a program of `type` (GPL). */
export function load(
  type: keyof typeof BpfProgType,
  items: Parameters<typeof asm.assemble>[0],
  options: Partial<ProgramLoadOptions> = {},
): Program {
  return Program.load({ type, instructions: asm.assemble(items), license: 'GPL', ...options });
}

/** `r0 = value; exit` */
export function returns(value: number): Parameters<typeof asm.assemble>[0] {
  return [asm.mov64('r0', value), asm.exit()];
}

/**
 * XDP: if the packet has at least 14 bytes, write 0xAB into byte 0 and 0xCD into the last byte of the
 * Ethernet header, then return XDP_TX (3); otherwise XDP_ABORTED.
 */
export const xdpRewrite: Parameters<typeof asm.assemble>[0] = [
  asm.ldx('u32', 'r2', 'r1', 0), // data
  asm.ldx('u32', 'r3', 'r1', 4), // data_end
  asm.mov64('r4', 'r2'),
  asm.add64('r4', 14),
  asm.mov64('r0', 0),
  asm.jmp('jgt', 'r4', 'r3', 'out'),
  asm.st('u8', 'r2', 0, 0xab),
  asm.st('u8', 'r2', 13, 0xcd),
  asm.mov64('r0', 3),
  asm.label('out'),
  asm.exit(),
];

/** XDP: bpf_xdp_adjust_head(ctx, delta) then XDP_PASS; delta < 0 grows the packet at the front. */
export function xdpAdjustHead(delta: number): Parameters<typeof asm.assemble>[0] {
  return [asm.mov64('r2', delta), asm.call('xdp_adjust_head'), asm.mov64('r0', 2), asm.exit()];
}

/** XDP: bpf_xdp_adjust_tail(ctx, delta) then XDP_PASS; delta > 0 grows the packet at the end. */
export function xdpAdjustTail(delta: number): Parameters<typeof asm.assemble>[0] {
  return [asm.mov64('r2', delta), asm.call('xdp_adjust_tail'), asm.mov64('r0', 2), asm.exit()];
}

/** SCHED_CLS: bpf_skb_change_tail(skb, length, 0) then TC_ACT_OK (0); retval is the helper's result. */
export function tcChangeTail(length: number): Parameters<typeof asm.assemble>[0] {
  return [
    asm.mov64('r6', 'r1'),
    asm.mov64('r2', length),
    asm.mov64('r3', 0),
    asm.call('skb_change_tail'),
    asm.exit(),
  ];
}

/** Offset of a `struct __sk_buff` field, from the compiler. */
export const skb = (field: (typeof layouts.__sk_buff.fields)[number]['name']) =>
  fieldOf(layouts.__sk_buff, field).offset;

/** SCHED_CLS: skb->mark = skb->mark + 1; skb->priority = 7; return skb->len. */
export const tcMark: Parameters<typeof asm.assemble>[0] = [
  asm.ldx('u32', 'r2', 'r1', skb('mark')),
  asm.add64('r2', 1),
  asm.stx('u32', 'r1', 'r2', skb('mark')),
  // From a register: verifiers before 6.x refuse BPF_ST (an immediate store) into the context.
  asm.mov64('r3', 7),
  asm.stx('u32', 'r1', 'r3', skb('priority')),
  asm.ldx('u32', 'r0', 'r1', skb('len')),
  asm.exit(),
];

/** A loop of `n` iterations (bounded, so the verifier accepts it): for long repeated runs. */
export function busyLoop(n: number, verdict: number): Parameters<typeof asm.assemble>[0] {
  return [
    asm.mov64('r1', 0),
    asm.label('loop'),
    asm.add64('r1', 1),
    asm.jmp('jlt', 'r1', n, 'loop'),
    asm.mov64('r0', verdict),
    asm.exit(),
  ];
}
