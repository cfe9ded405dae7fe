import { eth } from '@progrun/ctx-builders';
import { asm, Program } from '@progrun/syscall';
import { inject, VethTopology } from '@progrun/xdp-live';

// Two namespaces joined by a veth pair; the far end drops what it receives (XDP_DROP), so the
// measurement is of the sender. Deleted again by `await using`, on errors, and on process exit.
await using topology = await VethTopology.create({ receive: 'xdp-drop' });
const { a, b } = topology;

// return XDP_TX: every frame goes back out of the device it "arrived" on, a, and so to b.
using program = Program.load({
  type: 'XDP',
  instructions: asm.assemble([asm.mov64('r0', 3), asm.exit()]),
  license: 'GPL',
});

const injection = inject({
  program,
  packet: eth({ src: a.mac, dst: b.mac })
    .ipv4({ src: a.ipv4, dst: b.ipv4 })
    .udp({ dport: 9 })
    .payload('hi')
    .build(),
  netns: a.netns,
  ifindex: a.name,
  duration: 500,
  rate: 2_000_000,
  stats: { receive: b },
});
injection.on('progress', (p) => console.log(`${p.frames} frames, ${(p.pps / 1e6).toFixed(2)} Mpps`));

const result = await injection;
console.log(`injected ${result.frames} frames at ${(result.pps / 1e6).toFixed(2)} Mpps`);
console.log(`delivery: ${result.stats?.delivery.status}: ${result.stats?.delivery.message}`);
console.log(`frames transmitted in bulks (xdp:xdp_devmap_xmit): ${result.stats?.xdp?.xmitSent}`);
const pool = result.stats?.pagePool;
console.log(
  `page pools: ${pool?.measured.pools}, pages held ${pool?.measured.hold} (model ${pool?.model.hold})`,
);
