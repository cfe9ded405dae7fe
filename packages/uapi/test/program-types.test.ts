import { describe, expect, test } from 'vitest';
import {
  BpfProgType,
  type BpfProgTypeName,
  kernelLimitFor,
  NOT_BPF_OK,
  programTypeFromName,
  programTypeProfile,
  programTypeProfiles,
  programTypes,
  retvalConventionFor,
  TcAction,
  ValidationError,
  verdictEnums,
  verdictName,
  XdpAction,
} from '../src/index.js';

const names = Object.keys(BpfProgType) as BpfProgTypeName[];

describe('the program-type table', () => {
  test('has one row per enum bpf_prog_type member, and nothing else', () => {
    expect(Object.keys(programTypes).sort()).toEqual([...names].sort());
    expect(programTypeProfiles.map((p) => p.name)).toEqual(
      [...names].sort((a, b) => BpfProgType[a] - BpfProgType[b]),
    );
  });

  test('aliases are lowercase, name one type each, and never repeat a UAPI name', () => {
    const seen = new Map<string, string>();
    for (const { name, aliases } of programTypeProfiles) {
      for (const alias of aliases) {
        expect(alias).toBe(alias.toLowerCase());
        expect(names.map((n) => n.toLowerCase())).not.toContain(alias);
        expect(seen.get(alias), `${alias} names ${seen.get(alias)} and ${name}`).toBeUndefined();
        seen.set(alias, name);
        expect(programTypeFromName(alias)).toBe(name);
      }
    }
  });

  test('names resolve in every spelling people use', () => {
    expect(programTypeFromName('xdp')).toBe('XDP');
    expect(programTypeFromName('BPF_PROG_TYPE_SCHED_CLS')).toBe('SCHED_CLS');
    expect(programTypeFromName('tc')).toBe('SCHED_CLS');
    expect(programTypeFromName('raw-tp')).toBe('RAW_TRACEPOINT');
    expect(programTypeFromName('fentry')).toBe('TRACING');
    expect(programTypeFromName('unspec')).toBeUndefined();
    expect(programTypeFromName('teapot')).toBeUndefined();
    expect(programTypeProfile(BpfProgType.XDP)?.name).toBe('XDP');
    expect(programTypeProfile(999)).toBeUndefined();
  });

  test('kernel versions are ordered: ctx_in and removal come after the test run itself', () => {
    const at = (v: string) => v.split('.').map(Number) as [number, number];
    const before = (a: string, b: string) =>
      at(a)[0] < at(b)[0] || (at(a)[0] === at(b)[0] && at(a)[1] < at(b)[1]);
    for (const { name, testRun } of programTypeProfiles) {
      if (!testRun) continue;
      const since = testRun.context?.ctxInSince;
      if (since) expect(before(since, testRun.minKernel), name).toBe(false);
      if (testRun.removedIn) expect(before(testRun.minKernel, testRun.removedIn.version), name).toBe(true);
      expect(testRun.data === 'required', `${name}: packetStart goes with data`).toBe(
        testRun.packetStart !== undefined,
      );
      if (testRun.data !== 'required') expect(testRun.dataOut, name).toBe('none');
    }
  });

  test('verdict names come from the UAPI values, tc actions read as signed', () => {
    expect(verdictName('XDP', XdpAction.TX)).toBe('XDP_TX');
    expect(verdictName(BpfProgType.XDP, XdpAction.ABORTED)).toBe('XDP_ABORTED');
    expect(verdictName('SCHED_CLS', TcAction.SHOT)).toBe('TC_ACT_SHOT');
    expect(verdictName('SCHED_ACT', 0xffffffff)).toBe('TC_ACT_UNSPEC');
    expect(verdictName('SK_LOOKUP', 1)).toBe('SK_PASS');
    expect(verdictName('FLOW_DISSECTOR', 0)).toBe('BPF_OK');
    expect(verdictName('LWT_XMIT', 7)).toBe('BPF_REDIRECT');
    expect(verdictName('CGROUP_SKB', 1)).toBe('allow');
    expect(verdictName('RAW_TRACEPOINT', 0)).toBeUndefined();
    expect(verdictName('XDP', 99)).toBeUndefined();
  });

  test("every probe's program returns a value its type has a name for", () => {
    for (const { name, probe, verdicts } of programTypeProfiles) {
      if (!probe || !verdicts) continue;
      expect(verdictEnums[verdicts].names.has(probe.returns), name).toBe(true);
    }
  });

  test('XDP metadata limits per kernel (issue: 6.1 refuses 36 bytes, 6.12 and 6.18 refuse 220)', () => {
    const limits = programTypes.XDP.testRun.context.metadataLimits;
    expect(kernelLimitFor(limits, '5.15').max).toBe(32);
    expect(kernelLimitFor(limits, '6.1.0-13-amd64').max).toBe(32);
    expect(kernelLimitFor(limits, '6.8').max).toBe(252);
    expect(kernelLimitFor(limits, '6.11.2').max).toBe(252);
    expect(kernelLimitFor(limits, '6.12.48-amd64').max).toBe(216);
    expect(kernelLimitFor(limits, '6.18').max).toBe(216);
    expect(kernelLimitFor(limits, '6.19').max).toBe(216);
    expect(kernelLimitFor(limits).max).toBe(216);
    expect(() => kernelLimitFor(limits, 'latest')).toThrow(ValidationError);
  });

  test('retval conventions per kernel: FLOW_DISSECTOR reports "said BPF_OK" as 1 before 6.1, its verdict from 6.1', () => {
    expect(retvalConventionFor('FLOW_DISSECTOR', '5.10.0-32-amd64').retval).toBe('is-bpf-ok');
    expect(retvalConventionFor('FLOW_DISSECTOR', '6.0').retval).toBe('is-bpf-ok');
    expect(retvalConventionFor('FLOW_DISSECTOR', '6.1.0-50-amd64').retval).toBe('returned');
    expect(retvalConventionFor('FLOW_DISSECTOR').retval).toBe('returned');
    expect(retvalConventionFor('XDP', '5.10').retval).toBe('returned');
    expect(verdictName('FLOW_DISSECTOR', 1, '5.10')).toBe('BPF_OK');
    expect(verdictName('FLOW_DISSECTOR', 0, '5.10')).toBe(NOT_BPF_OK);
    expect(verdictName('FLOW_DISSECTOR', 2, '5.10')).toBeUndefined();
    expect(verdictName('FLOW_DISSECTOR', 0, '6.1')).toBe('BPF_OK');
    expect(verdictName('FLOW_DISSECTOR', 2, '6.12')).toBe('BPF_DROP');
    expect(verdictName('XDP', XdpAction.TX, '5.10')).toBe('XDP_TX');
    expect(() => verdictName('FLOW_DISSECTOR', 0, 'latest')).toThrow(ValidationError);
  });

  test('retval conventions are ordered and start with the test run itself', () => {
    for (const { name, testRun } of programTypeProfiles) {
      const conventions = testRun?.retvalConventions;
      if (!conventions) continue;
      expect(conventions[0]!.since, name).toBe(testRun.minKernel);
      for (let i = 1; i < conventions.length; i++)
        expect(kernelLimitFor(conventions, conventions[i]!.since), name).toBe(conventions[i]);
    }
  });
});
