import { xdpMd } from '@progrun/ctx-builders';
import { requireFeature, xdpMdContext } from '@progrun/syscall/features';
import { XdpAction } from '@progrun/uapi';
import { expect, test } from 'vitest';
import { useXdpMetaProgram } from './xdp-meta-program.js';

const program = useXdpMetaProgram();

test('a packet whose metadata carries the mark is dropped (xdp_md ctx_in: Linux 5.15+)', (t) => {
  requireFeature(t, xdpMdContext); // skips on older kernels, naming the feature; fails on newer ones that lack it
  const metadata = Buffer.alloc(4);
  metadata.writeUInt32LE(0xdecaf);
  const ctx = xdpMd({ packet: Buffer.alloc(64, 0x11), metadata });
  expect(program().run({ data: ctx.dataIn, ctx: ctx.ctxIn }).retval).toBe(XdpAction.DROP);
});
