import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as asm from '../src/asm/index.js';
import { kernelOlderThan } from '../src/index.js';
import { BpfMap } from '../src/map.js';
import { Program } from '../src/program.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const one = (i: asm.Instruction) => hex(asm.assemble([i]));

describe('encoding (struct bpf_insn, little endian)', () => {
  test.each([
    ['mov64 r0, 2', asm.mov64('r0', 2), 'b700000002000000'],
    ['mov32 w0, -1', asm.mov32('r0', -1), 'b4000000ffffffff'],
    ['mov32 w0, 0xffffffff (unsigned spelling)', asm.mov32('r0', 0xffffffff), 'b4000000ffffffff'],
    ['mov64 r6, r1', asm.mov64('r6', 'r1'), 'bf16000000000000'],
    ['add64 r1, -8', asm.add64('r1', -8), '07010000f8ffffff'],
    ['sub32 w2, w3', asm.sub32('r2', 'r3'), '1c32000000000000'],
    ['sdiv64 r1, 3', asm.sdiv64('r1', 3), '3701010003000000'],
    ['smod32 w1, w2', asm.smod32('r1', 'r2'), '9c21010000000000'],
    ['arsh64 r3, 7', asm.arsh64('r3', 7), 'c703000007000000'],
    ['neg64 r4', asm.neg64('r4'), '8704000000000000'],
    ['neg32 w4', asm.neg32('r4'), '8404000000000000'],
    ['movsx64 r1, (s16) r2', asm.movsx64('r1', 'r2', 16), 'bf21100000000000'],
    ['be16 r0', asm.be('r0', 16), 'dc00000010000000'],
    ['le32 r0', asm.le('r0', 32), 'd400000020000000'],
    ['bswap64 r5', asm.bswap('r5', 64), 'd705000040000000'],
    ['ldx u32 r2 = *(r1 + 4)', asm.ldx('u32', 'r2', 'r1', 4), '6112040000000000'],
    ['ldx u8', asm.ldx('u8', 'r2', 'r1', 0), '7112000000000000'],
    ['ldx u16', asm.ldx('u16', 'r2', 'r1', 2), '6912020000000000'],
    ['ldx u64', asm.ldx('u64', 'r2', 'r1', 8), '7912080000000000'],
    ['ldxsx s8', asm.ldxsx('u8', 'r2', 'r1', 0), '9112000000000000'],
    ['stx u64 *(r10 - 8) = r1', asm.stx('u64', 'r10', 'r1', -8), '7b1af8ff00000000'],
    ['st u32 *(r10 - 4) = 7', asm.st('u32', 'r10', -4, 7), '620afcff07000000'],
    ['atomic add u64', asm.atomicAdd('u64', 'r1', 'r2', 0), 'db21000000000000'],
    ['atomic fetch_add u32', asm.atomic('fetch_add', 'u32', 'r1', 'r2', 0), 'c321000001000000'],
    ['atomic xchg u64', asm.atomic('xchg', 'u64', 'r1', 'r2', 0), 'db210000e1000000'],
    ['atomic cmpxchg u64', asm.atomic('cmpxchg', 'u64', 'r1', 'r2', 0), 'db210000f1000000'],
    ['ld_abs u16 [12]', asm.ldAbs('u16', 12), '280000000c000000'],
    ['ld_ind u8 [r7 + 14]', asm.ldInd('u8', 'r7', 14), '507000000e000000'],
    ['jeq r1, 0, +2', asm.jeq('r1', 0, 2), '1501020000000000'],
    ['jne32 w1, w2, -1', asm.jne32('r1', 'r2', -1), '5e21ffff00000000'],
    ['jsgt r1, r2', asm.jsgt('r1', 'r2', 0), '6d21000000000000'],
    ['jset32 w1, 0x80000000', asm.jset32('r1', 0x80000000, 1), '4601010000000080'],
    ['ja +3', asm.ja(3), '0500030000000000'],
    ['call map_lookup_elem', asm.call('map_lookup_elem'), '8500000001000000'],
    ['call bpf_map_lookup_elem', asm.call('bpf_map_lookup_elem'), '8500000001000000'],
    ['call #12', asm.call(12), '850000000c000000'],
    ['exit', asm.exit(), '9500000000000000'],
  ])('%s', (_name, instruction, expected) => {
    expect(one(instruction)).toBe(expected);
  });

  test('ld_imm64 takes two slots, low half first', () => {
    expect(one(asm.ldImm64('r1', 0x1122334455667788n))).toBe('1801000088776655' + '0000000044332211');
    expect(one(asm.ldImm64('r1', -1))).toBe('18010000ffffffff' + '00000000ffffffff');
    expect(one(asm.ldImm64('r1', 0xffffffffffffffffn))).toBe('18010000ffffffff' + '00000000ffffffff');
  });

  test('map fd and map value loads carry the pseudo source', () => {
    expect(one(asm.ldMapFd('r1', 5))).toBe('1811000005000000' + '0000000000000000');
    expect(one(asm.ldMapFd('r1', { fd: 6 }))).toBe('1811000006000000' + '0000000000000000');
    expect(one(asm.ldMapValue('r2', 7, 16))).toBe('1822000007000000' + '0000000010000000');
  });

  test('labels resolve to offsets relative to the next slot, across wide loads', () => {
    const bytes = asm.assemble([
      asm.mov64('r0', 0),
      asm.label('top'),
      asm.jeq('r0', 10, 'out'), // slot 1 -> slot 5: +3
      asm.ldImm64('r1', 1), // slots 2-3
      asm.add64('r0', 1), // slot 4
      asm.ja('top'), // slot 5 -> slot 1: -5
      asm.label('out'),
      asm.exit(), // slot 6
    ]);
    const decoded = asm.decode(bytes);
    expect(decoded.map((i) => i.slot)).toEqual([0, 1, 2, 4, 5, 6]);
    expect(decoded[1]!.off).toBe(4);
    expect(decoded[4]!.off).toBe(-5);
  });

  test('local calls resolve their label into imm', () => {
    const bytes = asm.assemble([
      asm.callLocal('sub'),
      asm.exit(),
      asm.label('sub'),
      asm.mov64('r0', 1),
      asm.exit(),
    ]);
    expect(hex(bytes.subarray(0, 8))).toBe('8510000001000000');
  });

  test('registers may also be given as numbers in raw instructions', () => {
    expect(one(asm.insn({ code: 0xbf, dst: 3, src: 4 }))).toBe('bf43000000000000');
  });
});

describe('typed errors name the instruction and the rule', () => {
  const failure = (items: asm.AsmItem[]): asm.AsmError => {
    try {
      asm.assemble(items);
    } catch (error) {
      expect(asm.AsmError.isInstance(error)).toBe(true);
      return error as asm.AsmError;
    }
    throw new Error('expected an AsmError');
  };

  test('register out of range', () => {
    const error = failure([asm.mov64('r0', 0), asm.mov64('r11' as asm.Register, 1)]);
    expect(error).toMatchObject({ index: 1, slot: 1, field: 'dst', code: 'ERR_PROGRUN_ASM' });
    expect(error.message).toMatch(/instruction 1 .*dst must be a register r0\.\.r10.*"r11"/);
    expect(failure([asm.insn({ code: 0xbf, dst: 0, src: 11 })]).field).toBe('src');
    expect(failure([asm.insn({ code: 0xbf, dst: -1 })]).field).toBe('dst');
  });

  test('immediates must fit a signed 32-bit field', () => {
    expect(failure([asm.mov64('r0', 2 ** 31)])).toMatchObject({
      field: 'imm',
      rule: 'must fit in a signed 32-bit integer',
    });
    expect(failure([asm.mov64('r0', -(2 ** 31) - 1)]).field).toBe('imm');
    expect(failure([asm.mov32('r0', 2 ** 32)]).rule).toBe('must be an integer in [-2^31, 2^32)');
    expect(failure([asm.mov64('r0', 1.5)]).field).toBe('imm');
    expect(failure([asm.ldImm64('r0', 1n << 64n)]).field).toBe('imm');
    expect(failure([asm.ldImm64('r0', 2 ** 53)]).field).toBe('imm');
  });

  test('offsets must fit a signed 16-bit field', () => {
    expect(failure([asm.ldx('u8', 'r0', 'r1', 0x8000)])).toMatchObject({ field: 'off', index: 0 });
    expect(failure([asm.ja(-0x8001)]).field).toBe('off');
  });

  test('labels: unknown, duplicate, at the end, too far, on a non-jump', () => {
    expect(failure([asm.ja('nowhere'), asm.exit()])).toMatchObject({ field: 'off', index: 0 });
    expect(failure([asm.ja('nowhere'), asm.exit()]).message).toContain("unknown label 'nowhere'");
    expect(failure([asm.label('a'), asm.label('a'), asm.exit()])).toMatchObject({ field: 'label', index: 1 });
    expect(failure([asm.ja('end'), asm.exit(), asm.label('end')]).rule).toMatch(/marks no instruction/);
    expect(failure([asm.insn({ code: 0x61, off: 'x' }), asm.label('x'), asm.exit()]).rule).toMatch(
      /only on a jump/,
    );
    const far = [
      asm.ja('far'),
      ...Array.from({ length: 0x8000 }, () => asm.mov64('r0', 0)),
      asm.label('far'),
      asm.exit(),
    ];
    expect(failure(far).rule).toMatch(/signed 16-bit/);
  });

  test('builders reject what they can check alone', () => {
    expect(() => asm.call('no_such_helper' as asm.HelperName)).toThrow(asm.AsmError);
    expect(() => asm.alu64('nope' as asm.AluOp, 'r0', 1)).toThrow(/op must be one of/);
    expect(() => asm.ldx('u128' as asm.Size, 'r0', 'r1', 0)).toThrow(/size must be one of/);
    expect(() => asm.atomic('add', 'u8' as 'u32', 'r1', 'r2', 0)).toThrow(/u32 or u64/);
    expect(() => asm.ldMapFd('r1', -1)).toThrow(/map must be an open map fd/);
  });

  test('disassembler rejects truncated input', () => {
    expect(() => asm.disassemble(new Uint8Array(7))).toThrow(/multiple of 8/);
    expect(() => asm.disassemble(asm.assemble([asm.ldImm64('r0', 1)]).subarray(0, 8))).toThrow(/second slot/);
  });
});

describe('disassembler and listing', () => {
  test.each([
    ['r0 = 2', asm.mov64('r0', 2)],
    ['w1 = w2', asm.mov32('r1', 'r2')],
    ['r1 += -8', asm.add64('r1', -8)],
    ['w1 s>>= 3', asm.arsh32('r1', 3)],
    ['r1 s/= r2', asm.sdiv64('r1', 'r2')],
    ['r3 = -r3', asm.neg64('r3')],
    ['r1 = (s8)r2', asm.movsx64('r1', 'r2', 8)],
    ['r0 = be16 r0', asm.be('r0', 16)],
    ['r0 = bswap32 r0', asm.bswap('r0', 32)],
    ['r2 = *(u32 *)(r1 +4)', asm.ldx('u32', 'r2', 'r1', 4)],
    ['r2 = *(s16 *)(r1 +4)', asm.ldxsx('u16', 'r2', 'r1', 4)],
    ['*(u64 *)(r10 -8) = r1', asm.stx('u64', 'r10', 'r1', -8)],
    ['*(u8 *)(r10 -1) = 5', asm.st('u8', 'r10', -1, 5)],
    ['lock *(u64 *)(r1 +0) += r2', asm.atomicAdd('u64', 'r1', 'r2', 0)],
    ['w2 = atomic_fetch_or((u32 *)(r1 +8), w2)', asm.atomic('fetch_or', 'u32', 'r1', 'r2', 8)],
    ['r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)', asm.atomic('cmpxchg', 'u64', 'r1', 'r2', 0)],
    ['r0 = *(u8 *)skb[23]', asm.ldAbs('u8', 23)],
    ['r0 = *(u32 *)skb[r1 + 2]', asm.ldInd('u32', 'r1', 2)],
    ['if r1 == 0x0 goto pc+3', asm.jeq('r1', 0, 3)],
    ['if w1 s< w2 goto pc-2', asm.jslt32('r1', 'r2', -2)],
    ['goto pc+1', asm.ja(1)],
    ['call bpf_map_lookup_elem#1', asm.call('map_lookup_elem')],
    ['exit', asm.exit()],
    ['r1 = 0xdeadbeef ll', asm.ldImm64('r1', 0xdeadbeefn)],
    ['r1 = map[fd:4]', asm.ldMapFd('r1', 4)],
    ['r1 = map[fd:4][0]+8', asm.ldMapValue('r1', 4, 8)],
  ] as const)('%s', (expected, instruction) => {
    const [decoded] = asm.disassemble(asm.assemble([instruction]));
    expect(asm.formatInstruction(decoded!)).toBe(expected);
  });

  test('builder output prints label targets by name', () => {
    expect(asm.formatInstruction(asm.jne('r0', 0, 'out'))).toBe('if r0 != 0x0 goto out');
  });

  const program = [
    asm.mov64('r0', 0),
    asm.label('loop'),
    asm.add64('r0', 1),
    asm.jlt('r0', 10, 'loop'),
    asm.ldImm64('r1', 7),
    asm.exit(),
  ];

  test('listing numbers slots, prints labels and jump targets', () => {
    expect(asm.formatProgram(program)).toBe(
      [
        '  0: (b7) r0 = 0',
        'loop:',
        '  1: (07) r0 += 1',
        '  2: (a5) if r0 < 0xa goto pc-2 <loop>',
        '  3: (18) r1 = 0x7 ll',
        '  5: (95) exit',
      ].join('\n'),
    );
  });

  test('highlight marks the slot a verifier message names; context trims around it', () => {
    const bytes = asm.assemble(program);
    expect(asm.formatProgram(bytes, { highlight: 2, context: 1 })).toBe(
      ['  1: (07) r0 += 1', '> 2: (a5) if r0 < 0xa goto pc-2', '  3: (18) r1 = 0x7 ll', '  ...'].join('\n'),
    );
    expect(asm.formatInstructionAt(bytes, 5)).toBe('5: (95) exit');
    expect(asm.formatInstructionAt(bytes, 4)).toBeUndefined();
    expect(asm.formatInstructionAt(bytes, 99)).toBeUndefined();
  });
});

describe('property: assemble . disassemble is the identity on encodable programs', () => {
  const reg = fc.constantFrom(...asm.REGISTERS);
  const s32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
  const s16 = fc.integer({ min: -0x8000, max: 0x7fff });
  const source = fc.oneof(reg, s32);
  const aluOp = fc.constantFrom<asm.AluOp>(
    'add',
    'sub',
    'mul',
    'div',
    'sdiv',
    'or',
    'and',
    'lsh',
    'rsh',
    'mod',
    'smod',
    'xor',
    'mov',
    'arsh',
  );
  const jmpOp = fc.constantFrom<asm.JumpOp>(
    'jeq',
    'jgt',
    'jge',
    'jset',
    'jne',
    'jsgt',
    'jsge',
    'jlt',
    'jle',
    'jslt',
    'jsle',
  );
  const size = fc.constantFrom<asm.Size>('u8', 'u16', 'u32', 'u64');
  const instruction: fc.Arbitrary<asm.Instruction> = fc.oneof(
    fc.tuple(aluOp, reg, source).map(([op, d, s]) => asm.alu64(op, d, s)),
    fc.tuple(aluOp, reg, source).map(([op, d, s]) => asm.alu32(op, d, s)),
    fc.tuple(jmpOp, reg, source, s16).map(([op, d, s, o]) => asm.jmp(op, d, s, o)),
    fc.tuple(jmpOp, reg, source, s16).map(([op, d, s, o]) => asm.jmp32(op, d, s, o)),
    fc.tuple(size, reg, reg, s16).map(([z, d, s, o]) => asm.ldx(z, d, s, o)),
    fc.tuple(size, reg, reg, s16).map(([z, d, s, o]) => asm.stx(z, d, s, o)),
    fc.tuple(size, reg, s16, s32).map(([z, d, o, i]) => asm.st(z, d, o, i)),
    fc.tuple(reg, fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n })).map(([d, v]) => asm.ldImm64(d, v)),
    fc.tuple(reg, fc.nat(0x7fffffff)).map(([d, fd]) => asm.ldMapFd(d, fd)),
    fc.integer({ min: 0, max: 200 }).map((id) => asm.call(id)),
    fc.constant(asm.exit()),
  );

  test('bytes survive a round trip, and every instruction formats', () => {
    fc.assert(
      fc.property(fc.array(instruction, { maxLength: 40 }), (program) => {
        const bytes = asm.assemble(program);
        expect(asm.assemble(asm.disassemble(bytes))).toEqual(bytes);
        for (const i of asm.decode(bytes))
          expect(asm.formatInstruction(i)).not.toMatch(/^invalid opcode|undefined|NaN/);
      }),
    );
  });

  test('a helper whose name says "invalid" still formats as a call (bpf_set_hash_invalid, id 41)', () => {
    const [call] = asm.decode(asm.assemble([asm.call(41)]));
    expect(asm.formatInstruction(call!)).toBe('call bpf_set_hash_invalid#41');
  });

  test('arbitrary bytes either decode or throw AsmError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          for (const i of asm.decode(bytes)) asm.formatInstruction(i);
          asm.formatProgram(bytes);
        } catch (error) {
          expect(asm.AsmError.isInstance(error)).toBe(true);
        }
      }),
    );
  });
});

describe('assembled programs on the real kernel', { tags: ['privileged'] }, () => {
  const frame = (() => {
    const bytes = new Uint8Array(64);
    bytes[12] = 0x08; // ethertype IPv4
    return bytes;
  })();
  const load = (program: asm.AsmItem[]) =>
    Program.load({ type: 'XDP', instructions: asm.assemble(program), license: 'GPL', name: 'asm_test' });
  const run = (program: asm.AsmItem[]) => {
    using prog = load(program);
    return prog.run({ data: frame }).retval;
  };

  test('a bounded loop over labels', () => {
    const sum = [
      asm.mov64('r0', 0),
      asm.mov64('r1', 10),
      asm.label('loop'),
      asm.add64('r0', 'r1'),
      asm.sub64('r1', 1),
      asm.jne('r1', 0, 'loop'),
      asm.exit(),
    ];
    expect(run(sum)).toBe(55);
  });

  test('packet access with a bounds check, and a byte swap', () => {
    const ethertype = [
      asm.ldx('u32', 'r2', 'r1', 0), // data
      asm.ldx('u32', 'r3', 'r1', 4), // data_end
      asm.mov64('r4', 'r2'),
      asm.add64('r4', 14),
      asm.mov64('r0', 0),
      asm.jgt('r4', 'r3', 'out'),
      asm.ldx('u16', 'r0', 'r2', 12),
      asm.be('r0', 16),
      asm.label('out'),
      asm.exit(),
    ];
    expect(run(ethertype)).toBe(0x0800);
  });

  test('64-bit immediates, 32-bit jumps, subprograms', () => {
    expect(run([asm.ldImm64('r0', 0x1122334455667788n), asm.rsh64('r0', 32), asm.exit()])).toBe(0x11223344);
    expect(
      run([
        asm.ldImm64('r1', 0xffffffff00000007n),
        asm.mov64('r0', 1),
        asm.jeq32('r1', 7, 'low'), // compares the low half only
        asm.mov64('r0', 0),
        asm.label('low'),
        asm.exit(),
      ]),
    ).toBe(1);
    expect(
      run([
        asm.mov64('r1', 20),
        asm.callLocal('double'),
        asm.exit(),
        asm.label('double'),
        asm.mov64('r0', 'r1'),
        asm.mul64('r0', 2),
        asm.exit(),
      ]),
    ).toBe(40);
  });

  test('map lookup through a map fd load, helper call by name and an atomic add', () => {
    using map = BpfMap.create({ type: 'ARRAY', keySize: 4, valueSize: 8, maxEntries: 1 });
    const count = [
      asm.st('u32', 'r10', -4, 0),
      asm.mov64('r2', 'r10'),
      asm.add64('r2', -4),
      asm.ldMapFd('r1', map),
      asm.call('map_lookup_elem'),
      asm.jeq('r0', 0, 'out'),
      asm.mov64('r1', 5),
      asm.atomicAdd('u64', 'r0', 'r1', 0),
      asm.label('out'),
      asm.mov64('r0', 2),
      asm.exit(),
    ];
    using prog = load(count);
    for (let i = 0; i < 3; i++) expect(prog.run({ data: frame }).retval).toBe(2);
    expect(map.lookup(new Uint8Array(4))!.readBigUInt64LE(0)).toBe(15n);
  });

  test.runIf(!kernelOlderThan('6.6'))(
    'cpuv4 instructions: signed division, sign-extending move, bswap (Linux 6.6)',
    () => {
      expect(run([asm.mov64('r0', -7), asm.sdiv64('r0', 2), asm.neg64('r0'), asm.exit()])).toBe(3);
      expect(run([asm.mov64('r1', 0xff), asm.movsx64('r0', 'r1', 8), asm.neg64('r0'), asm.exit()])).toBe(1);
      expect(run([asm.mov64('r0', 0x11223344), asm.bswap('r0', 32), asm.exit()])).toBe(0x44332211);
    },
  );

  test('a verifier error points at the assembled instruction it blames', () => {
    const bytes = asm.assemble([asm.mov64('r1', 1), asm.add64('r0', 'r1'), asm.exit()]);
    let log = '';
    try {
      Program.load({ type: 'XDP', instructions: bytes, license: 'GPL' }).close();
    } catch (error) {
      log = (error as { verifierLog?: string }).verifierLog ?? '';
    }
    expect(asm.verifierErrorSlot(log)).toBe(1);
    expect(asm.verifierErrorMessage(log)).toMatch(/R0 !read_ok/);
    expect(asm.explainVerifierLog(log, bytes)).toBe(
      ['at instruction 1: R0 !read_ok', '  0: (b7) r1 = 1', '> 1: (0f) r0 += r1', '  2: (95) exit'].join(
        '\n',
      ),
    );
  });
});
