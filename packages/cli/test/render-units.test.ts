import { describe, expect, test } from 'vitest';
import { parseProgramType } from '../src/program/program-type.js';
import { parseTestRunFlags } from '../src/program/test-run-flags.js';
import { createStyle, shouldColor, visibleLength } from '../src/render/style.js';
import { renderTable } from '../src/render/table.js';
import { analyzeVerifierLog, renderVerifierLog } from '../src/render/verifier-log.js';

const log = `func#0 @0
0: R1=ctx() R10=fp0
; unsigned char *data = (void *)(long)ctx->data; @ reject.bpf.c:8
0: (61) r1 = *(u32 *)(r1 +0)          ; R1=pkt(r=0)
; return data[20] == 0x45 ? XDP_DROP : XDP_PASS; @ reject.bpf.c:11
1: (71) r1 = *(u8 *)(r1 +20)
invalid access to packet, off=20 size=1, R1(id=0,off=20,r=0)
R1 offset is outside of the packet
processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
`;

describe('verifier log', () => {
  test('finds the failing instruction, the complaint and the source line', () => {
    expect(analyzeVerifierLog(log)).toEqual({
      failingLineIndex: 5,
      failingInstruction: 1,
      reason: 'invalid access to packet, off=20 size=1, R1(id=0,off=20,r=0)',
      sourceLine: 'return data[20] == 0x45 ? XDP_DROP : XDP_PASS; @ reject.bpf.c:11',
    });
  });

  test('a log without instructions yields its last message as the reason', () => {
    expect(analyzeVerifierLog('unknown func bpf_foo#999\nprocessed 0 insns\n')).toMatchObject({
      failingInstruction: undefined,
      reason: 'unknown func bpf_foo#999',
    });
  });

  test('renders the failing instruction marked, and keeps context when showing the tail', () => {
    const long = `${Array.from({ length: 100 }, (_, i) => `from ${i} to ${i + 1}: safe`).join('\n')}\n${log}`;
    const text = renderVerifierLog(long, createStyle(false), 3);
    expect(text).toContain('> 1: (71) r1 = *(u8 *)(r1 +20)');
    // Three lines were asked for, but the six above the failing instruction stay in view.
    expect(text).toContain('(last 10 of 109 lines; --full-log prints all)');
    expect(text).not.toContain('from 0 to 1');
    expect(renderVerifierLog(long, createStyle(false))).toContain('from 0 to 1');
  });
});

describe('colour and layout', () => {
  test('NO_COLOR wins over FORCE_COLOR and over a terminal', () => {
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(shouldColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(shouldColor({ isTTY: true }, { TERM: 'xterm' })).toBe(true);
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
  });

  test('tables align on the visible width of coloured cells', () => {
    const style = createStyle(true);
    const text = renderTable([
      [style.red('a'), 'bb'],
      ['ccc', 'd'],
    ]);
    const [first, second] = text.split('\n');
    expect(visibleLength(first!)).toBe(7);
    expect(second).toBe('ccc  d');
  });
});

describe('names', () => {
  test('program types accept names, prefixes and aliases', () => {
    expect(parseProgramType('xdp')).toBe('XDP');
    expect(parseProgramType('BPF_PROG_TYPE_SCHED_CLS')).toBe('SCHED_CLS');
    expect(parseProgramType('tc')).toBe('SCHED_CLS');
    expect(parseProgramType('raw-tp')).toBe('RAW_TRACEPOINT');
    expect(() => parseProgramType('teapot')).toThrow(/unknown program type "teapot"/);
  });

  test('test-run flags by name or number', () => {
    expect(parseTestRunFlags('run-on-cpu')).toBe(1);
    expect(parseTestRunFlags('BPF_F_TEST_SKB_CHECKSUM_COMPLETE,0x1')).toBe(5);
    expect(parseTestRunFlags('skb_checksum_complete')).toBe(4);
    expect(() => parseTestRunFlags('BPF_F_TEST_XDP_LIVE_FRAMES')).toThrow(
      '--flags xdp-live-frames injects frames instead of returning one: use `progrun live <prog>` for live-frame mode',
    );
    expect(() => parseTestRunFlags('fast')).toThrow(/unknown test-run flag "fast"/);
  });
});
