import { XdpAction } from '@progrun/uapi';
import { expect, test } from 'vitest';
import { useXdpMetaProgram } from './xdp-meta-program.js';

const program = useXdpMetaProgram();

test('a packet without metadata passes (any kernel with XDP test runs)', () => {
  expect(program().run({ data: Buffer.alloc(64, 0x11) }).retval).toBe(XdpAction.PASS);
});
