import { asm, BpfMap, Program } from '@progrun/syscall';
import { type DeviceRef, setDevmapEntry } from '../../src/index.js';

/** `return action;` (0 aborted, 1 drop, 2 pass, 3 tx). */
export function verdictProgram(action: 'drop' | 'pass' | 'tx'): Program {
  const retval = { drop: 1, pass: 2, tx: 3 }[action];
  return Program.load({
    type: 'XDP',
    instructions: asm.assemble([asm.mov64('r0', retval), asm.exit()]),
    license: 'GPL',
    name: `test_${action}`,
  });
}

/** `return bpf_redirect(ifindex, 0);` */
export function redirectProgram(ifindex: number): Program {
  return Program.load({
    type: 'XDP',
    instructions: asm.assemble([
      asm.mov64('r1', ifindex),
      asm.mov64('r2', 0),
      asm.call('redirect'),
      asm.exit(),
    ]),
    license: 'GPL',
    name: 'test_redirect',
  });
}

/** A devmap holding `device` at key 0, and `return bpf_redirect_map(&devmap, 0, 0);` */
export function devmapRedirectProgram(device: DeviceRef): { program: Program; map: BpfMap } {
  const map = BpfMap.create({ type: 'DEVMAP', keySize: 4, valueSize: 4, maxEntries: 1 });
  setDevmapEntry(map, 0, device);
  const program = Program.load({
    type: 'XDP',
    instructions: asm.assemble([
      asm.ldMapFd('r1', map.fd),
      asm.mov64('r2', 0),
      asm.mov64('r3', 0),
      asm.call('redirect_map'),
      asm.exit(),
    ]),
    license: 'GPL',
    name: 'test_devmap',
  });
  return { program, map };
}
