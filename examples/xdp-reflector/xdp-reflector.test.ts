import { compileBpfC } from '@progrun/compile';
import { decodePacket, eth } from '@progrun/ctx-builders';
import { BpfObject } from '@progrun/syscall';
import { XdpAction } from '@progrun/uapi';
import { expect, test } from 'vitest';

test('the reflector swaps the MAC addresses and bounces the frame', { tags: ['privileged'] }, async () => {
  const { objectPath } = await compileBpfC(new URL('./xdp-reflector.bpf.c', import.meta.url));
  using object = BpfObject.open(objectPath).load();
  using program = object.program('xdp_reflect').toProgram();
  const packet = eth({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }).ipv4().udp().build();
  const { retval, dataOut } = program.run({ data: packet });
  expect(retval).toBe(XdpAction.TX);
  const { src, dst } = decodePacket(dataOut!).get('eth')!;
  expect([src, dst]).toEqual(['02:00:00:00:00:02', '02:00:00:00:00:01']);
  expect(dataOut!.subarray(12)).toEqual(packet.subarray(12)); // the rest of the frame is untouched
});
