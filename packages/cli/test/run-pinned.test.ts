import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type BpffsDir, bpffsDir } from './helpers/bpffs-dir.js';
import { expectValidDocument } from './helpers/json-schemas.js';
import { exampleSource, progrun } from './helpers/run-progrun.js';

// progrun run --pin leaves the program pinned; --pinned and --prog-id run it again, with the type the
// kernel reports and the same report as the run from the file.

const seeRunHelp = 'See `progrun run --help` for the options and examples.';

/** The report without its first line, which says where the program came from. */
const body = (stdout: string) =>
  stdout
    .split('\n')
    .slice(1)
    .filter((line) => !line.startsWith('pinned at '));
/** The report without the durations, which vary from run to run. */
const steady = (lines: string[]) => lines.filter((line) => !line.startsWith('duration'));

describe('progrun run --pin, --pinned, --prog-id', { tags: ['privileged'], timeout: 60_000 }, () => {
  test('a pinned program runs again with the same output, by path and by id', async () => {
    using dir: BpffsDir = bpffsDir();
    const pin = join(dir.path, 'ttl');
    const packet = ['--packet', 'eth()/ipv4(ttl=9)/udp(dport=53)'];
    const first = await progrun(['run', exampleSource('xdp-ttl-forwarder'), ...packet, '--pin', pin]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`pinned at ${pin}: run it again with progrun run --pinned ${pin}`);

    const again = await progrun(['run', '--pinned', pin, ...packet]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.split('\n')[0]).toMatch(
      new RegExp(`^xdp_forward XDP pinned at ${pin} \\(id \\d+\\)$`),
    );
    expect(steady(body(again.stdout))).toEqual(steady(body(first.stdout)));

    const json = await progrun(['run', '--pinned', pin, ...packet, '--json']);
    const document = JSON.parse(json.stdout);
    expectValidDocument(document, 'run');
    expect(document.program).toMatchObject({ name: 'xdp_forward', type: 'XDP', pinned: pin });

    const byId = await progrun(['run', '--prog-id', String(document.program.id), ...packet]);
    expect(byId.code, byId.stderr).toBe(0);
    expect(byId.stdout.split('\n')[0]).toBe(`xdp_forward XDP loaded (id ${document.program.id})`);
    expect(steady(body(byId.stdout))).toEqual(steady(body(first.stdout)));
  });

  test('the type comes from the kernel: a pinned tc program reads its verdict as TC_ACT_*', async () => {
    using dir = bpffsDir();
    const pin = join(dir.path, 'tc');
    expect((await progrun(['run', exampleSource('tc-classifier'), '--pin', pin])).code).toBe(0);
    const { code, stdout } = await progrun(['run', '--pinned', pin, '--ctx', '{"mark": 7}', '--json']);
    expect(code).toBe(0);
    const { program, runs } = JSON.parse(stdout);
    expect(program.type).toBe('SCHED_CLS');
    expect(runs[0].verdict).toMatch(/^TC_ACT_/);
    expect(runs[0].ctxOut.mark).toBe(7);
  });

  test('what cannot be run is a usage error naming the flag', async () => {
    using dir = bpffsDir();
    const pin = join(dir.path, 'refl');
    const missing = await progrun(['run', '--pinned', join(dir.path, 'none')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`progrun: nothing is pinned at ${join(dir.path, 'none')}. ${seeRunHelp}\n`);

    expect((await progrun(['run', exampleSource('xdp-reflector'), '--pin', pin])).code).toBe(0);
    const taken = await progrun(['run', exampleSource('xdp-reflector'), '--pin', pin]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toBe(`progrun: --pin ${pin}: something is pinned there already. ${seeRunHelp}\n`);

    const both = await progrun(['run', exampleSource('xdp-reflector'), '--pinned', pin]);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe(
      `progrun: give one program to run, not the file ${exampleSource('xdp-reflector')} and --pinned. ${seeRunHelp}\n`,
    );
    const type = await progrun(['run', '--pinned', pin, '--type', 'tc']);
    expect(type.stderr).toBe(
      `progrun: --type applies to a program loaded from a file, and --pinned runs one that is loaded already. ${seeRunHelp}\n`,
    );
    const noId = await progrun(['run', '--prog-id', '4294967295']);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toBe(
      `progrun: no program has id 4294967295 (bpftool prog list shows the loaded ones). ${seeRunHelp}\n`,
    );
  });

  test('--pin outside a bpf filesystem says so', async () => {
    const { code, stderr } = await progrun([
      'run',
      exampleSource('xdp-reflector'),
      '--pin',
      '/tmp/progrun-no-bpffs',
    ]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `progrun: --pin /tmp/progrun-no-bpffs: '/tmp' is not on a bpf filesystem: mount one (mount -t bpf bpf /sys/fs/bpf) and pin below it. ${seeRunHelp}\n`,
    );
  });
});
