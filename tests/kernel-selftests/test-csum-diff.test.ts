// Port of prog_tests/test_csum_diff.c with progs/csum_diff_test.c: bpf_csum_diff over push, pull, diff
// and edge cases gives the expected checksum, in one call and in two concatenated ones. The cases are
// read from the C file of the cached source (its `struct testcase` initialisers, little-endian branch),
// so they are the kernel's, not a copy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BpfObject } from '@progrun/syscall';
import { describe, expect, test } from 'vitest';
import { kernelSource, selftestObject } from './helpers/kernel-source.js';

const BUFF_SZ = 512;

interface Testcase {
  toBuff: Buffer;
  toBuffLen: number;
  fromBuff: Buffer;
  fromBuffLen: number;
  seed: number;
  result: number;
}

/** A `{ 0x..., 0 }` initialiser of an `unsigned long long[BUFF_SZ / 8]` as its bytes on this host. */
function buffer(initialiser: string | undefined): Buffer {
  const bytes = Buffer.alloc(BUFF_SZ);
  const values = (initialiser ?? '')
    .replace(/[{}\s]/g, '')
    .split(',')
    .filter(Boolean);
  values.forEach((value, i) => {
    bytes.writeBigUInt64LE(BigInt(value), 8 * i);
  });
  return bytes;
}

/** The C file's `struct testcase NAME_tests[NUM_NAME_TESTS]`, zero-filled to its declared count. */
function testcases(text: string, name: string): Testcase[] {
  const count = Number(new RegExp(`#define NUM_${name.toUpperCase()}_TESTS (\\d+)`).exec(text)?.[1]);
  const start = text.indexOf(`struct testcase ${name}_tests[`);
  const body = text.slice(text.indexOf('{', start) + 1, text.indexOf('\n};', start));
  const groups: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '{' && depth++ === 0) from = i + 1;
    if (body[i] === '}' && --depth === 0) groups.push(body.slice(from, i));
  }
  const cases = groups.map((group) => {
    const fields = Object.fromEntries(
      [...group.matchAll(/\.(\w+)\s*=\s*(\{[^}]*\}|[^,\n]+)/g)].map(([, key, value]) => [key, value!.trim()]),
    );
    return {
      toBuff: buffer(fields.to_buff),
      toBuffLen: Number(fields.to_buff_len ?? 0),
      fromBuff: buffer(fields.from_buff),
      fromBuffLen: Number(fields.from_buff_len ?? 0),
      seed: Number(fields.seed ?? 0),
      result: Number(fields.result ?? 0),
    };
  });
  while (cases.length < count) cases.push(zeroCase());
  return cases;
}

function zeroCase(): Testcase {
  return { toBuff: buffer(''), toBuffLen: 0, fromBuff: buffer(''), fromBuffLen: 0, seed: 0, result: 0 };
}

/** The C file with every `#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__` reduced to its first branch. */
function littleEndianSource(): string {
  const file = join(kernelSource().selftests, 'prog_tests/test_csum_diff.c');
  return readFileSync(file, 'utf8').replace(
    /#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__\n([\s\S]*?)#else\n[\s\S]*?#endif\n/g,
    '$1',
  );
}

describe('test_csum_diff', { tags: ['privileged'] }, () => {
  for (const subtest of ['push', 'pull', 'diff', 'edge']) {
    test(`csum_diff_${subtest}`, async () => {
      const objectPath = await selftestObject('csum_diff_test');
      const cases = testcases(littleEndianSource(), subtest);
      expect(cases.length).toBeGreaterThan(0);
      for (const testcase of cases) {
        using obj = BpfObject.open(objectPath);
        obj.global('to_buff_len').set(testcase.toBuffLen);
        obj.global('from_buff_len').set(testcase.fromBuffLen);
        obj.load();
        // memcpy(skel->bss->to_buff, tests[i].to_buff, tests[i].to_buff_len), the rest staying zero
        const to = Buffer.alloc(BUFF_SZ);
        testcase.toBuff.copy(to, 0, 0, testcase.toBuffLen);
        obj.global('to_buff').setBytes(to);
        const from = Buffer.alloc(BUFF_SZ);
        testcase.fromBuff.copy(from, 0, 0, testcase.fromBuffLen);
        obj.global('from_buff').setBytes(from);
        obj.global('seed').set(testcase.seed);

        using prog = obj.program('compute_checksum').toProgram();
        const run = prog.run({ data: Buffer.alloc(64), dataSizeOut: 64 << 2, repeat: 1 });
        expect(run.syscallReturn, 'test_run').toBe(0);
        // the C test reads the short result as an unsigned short
        const got = (obj.global('result').get() as number) & 0xffff;
        expect(got, 'csum_diff result').toBe(testcase.result);
      }
    });
  }
});
