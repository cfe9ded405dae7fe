import { type DemoScenario, Expectations } from '../demo-scenario.js';

const entries = 8;
const step = 10;

/**
 * The SYSCALL program: it creates an array map with bpf_sys_bpf() and fills it; the map's new fd comes
 * back in the program's argument struct, and the demo reads the map through it.
 */
export const syscallMapFillScenario: DemoScenario = {
  example: 'syscall-map-fill',
  program: 'create_and_fill',
  title: 'SYSCALL program (creates a map)',
  testRunType: 'SYSCALL',
  async run({ run }) {
    // Imported when it runs: the scenario list is part of `progrun demo --help`, which needs no addon.
    const { BpfMap } = await import('@progrun/syscall');
    const record = run({
      ctx: { max_entries: `u32:${entries}`, step: `u32:${step}`, map_fd: 's32', err: 's32' },
      origin: `fill_args { max_entries ${entries}, step ${step} }`,
    });
    const out = record.outputs.ctx ?? {};
    const fd = Number(out.map_fd);
    const expect = new Expectations()
      .equal('the return value', record.retval, 0)
      .equal('fill_args.err', out.err, 0);
    let values: bigint[] = [];
    if (Number.isInteger(fd) && fd >= 0) {
      using map = BpfMap.fromFd(fd);
      values = Array.from({ length: entries }, (_, i) => {
        const key = Buffer.alloc(4);
        key.writeUInt32LE(i, 0);
        return map.lookup(key)?.readBigUInt64LE(0) ?? -1n;
      });
      expect.equal(
        'the map contents',
        values.join(','),
        Array.from({ length: entries }, (_, i) => i * step).join(','),
      );
    } else {
      expect.that(false, `fill_args.map_fd is ${String(out.map_fd)}, not a file descriptor`);
    }
    return [
      {
        input: `max_entries ${entries}, step ${step}`,
        record,
        summary: `new map fd ${fd}: [${values.join(', ')}]`,
        problems: expect.problems,
      },
    ];
  },
};
