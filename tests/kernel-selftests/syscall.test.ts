// Port of prog_tests/syscall.c with progs/syscall.c: a SYSCALL program loads BTF, a map and a program
// through bpf_sys_bpf(), handing the verifier a log buffer that is a user-space pointer inside its ctx.
import { BpfMap, BpfObject, BtfHandle, Program, withUserPointers } from '@progrun/syscall';
import { beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';

// struct args { __u64 log_buf; __u32 log_size; int max_entries; int map_fd; int prog_fd; int btf_fd; }
const args = { log_buf: 0, log_size: 8, max_entries: 12, map_fd: 16, prog_fd: 20, btf_fd: 24, size: 32 };

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('syscall');
});

describe('syscall', { tags: ['privileged'] }, () => {
  test('load_prog: the program loads a map and a program, the verifier log reaches the buffer', () => {
    using obj = BpfObject.open(objectPath).load();
    using prog = obj.program('load_prog').toProgram();
    const verifierLog = Buffer.alloc(8192);
    const ctx = Buffer.alloc(args.size);
    ctx.writeInt32LE(1024, args.max_entries);
    ctx.writeUInt32LE(verifierLog.length, args.log_size);

    const { syscallReturn, retval, ctxOut } = prog.run(
      withUserPointers(ctx, [{ offset: args.log_buf, buffer: verifierLog }]),
    );
    const out = Buffer.from(ctxOut!);
    // The fds the program created are this process's: owned here so that they are closed.
    const mapFd = out.readInt32LE(args.map_fd);
    const progFd = out.readInt32LE(args.prog_fd);
    const btfFd = out.readInt32LE(args.btf_fd);
    using map = mapFd > 0 ? BpfMap.fromFd(mapFd) : undefined;
    using _loaded = progFd > 0 ? Program.fromFd(progFd) : undefined;
    using _btf = btfFd > 0 ? BtfHandle.fromFd(btfFd) : undefined;

    expect(syscallReturn, 'err').toBe(0);
    expect(retval, 'retval').toBe(1);
    expect(mapFd, 'ctx.map_fd').toBeGreaterThan(0);
    expect(progFd, 'ctx.prog_fd').toBeGreaterThan(0);
    expect(verifierLog.subarray(0, 'processed'.length).toString(), 'verifier_log').toBe('processed');

    const key = Buffer.alloc(8);
    key.writeBigUInt64LE(12n);
    expect(map!.lookup(key)?.readBigUInt64LE(), 'map lookup value').toBe(34n);
  });

  test('update_outer_map: the program updates an array of maps through bpf_sys_bpf', () => {
    using obj = BpfObject.open(objectPath).load();
    using prog = obj.program('update_outer_map').toProgram();
    const { syscallReturn, retval } = prog.run({});
    expect(syscallReturn, 'err').toBe(0);
    expect(retval, 'retval').toBe(1);
  });
});
