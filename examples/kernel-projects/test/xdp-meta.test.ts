import { compileBpfC } from '@progrun/compile';
import { xdpMd } from '@progrun/ctx-builders';
import { BpfObject, type Program } from '@progrun/syscall';
import { requireFeature, xdpMdContext } from '@progrun/syscall/features';
import { XdpAction } from '@progrun/uapi';
import { afterAll, beforeAll, expect, test } from 'vitest';

let object: BpfObject;
let program: Program;

beforeAll(async () => {
  const { objectPath } = await compileBpfC(new URL('./xdp-meta.bpf.c', import.meta.url));
  object = BpfObject.open(objectPath).load();
  program = object.program('xdp_meta').toProgram();
});

afterAll(() => {
  program?.close();
  object?.close();
});

const packet = () => Buffer.alloc(64, 0x11);

test('a packet without metadata passes (any kernel with XDP test runs)', () => {
  expect(program.run({ data: packet() }).retval).toBe(XdpAction.PASS);
});

test('a packet whose metadata carries the mark is dropped (xdp_md ctx_in: Linux 5.15+)', (t) => {
  requireFeature(t, xdpMdContext); // skips on older kernels, naming the feature; fails on newer ones that lack it
  const metadata = Buffer.alloc(4);
  metadata.writeUInt32LE(0xdecaf);
  const ctx = xdpMd({ packet: packet(), metadata });
  expect(program.run({ data: ctx.dataIn, ctx: ctx.ctxIn }).retval).toBe(XdpAction.DROP);
});
