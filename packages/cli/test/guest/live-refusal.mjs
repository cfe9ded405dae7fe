// Runs inside a guest kernel without XDP live frames (Linux 5.10), started by old-kernel.test.ts: asks
// `progrun live` and @progrun/xdp-live's inject() to inject, and records how each refused, as JSON in the
// harness's results directory. Both must refuse with the typed answer, never run a plain test run.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join, resolve } from 'node:path';
import { asm, NotSupportedError, Program } from '@progrun/syscall';
import { inject } from '@progrun/xdp-live';

const here = import.meta.dirname;
const results = process.env.PROGRUN_RESULTS_DIR;
const report = { release: release() };

const cli = spawnSync(
  process.execPath,
  [
    resolve(here, '../../bin/progrun.js'),
    'live',
    resolve(here, '../../../../examples/xdp-reflector/xdp-reflector.bpf.c'),
    '--count',
    '10',
  ],
  // The guest sees the host's root read-only: the compile cache goes to the results directory.
  { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: join(results, 'cache') } },
);
report.cli = { status: cli.status, stdout: cli.stdout, stderr: cli.stderr };

const program = Program.load({
  type: 'XDP',
  instructions: asm.assemble([asm.mov64('r0', 3), asm.exit()]), // XDP_TX
  license: 'GPL',
});
try {
  let started = false;
  const injection = inject({ program, packet: new Uint8Array(64), ifindex: 'lo', count: 100 });
  injection.on('start', () => {
    started = true;
  });
  const error = await injection.then(
    () => undefined,
    (e) => e,
  );
  report.inject = {
    resolved: error === undefined,
    notSupported: NotSupportedError.isInstance(error),
    name: error?.name,
    feature: error?.feature,
    minKernel: error?.minKernel,
    message: error?.message,
    started,
  };
} finally {
  program.close();
}
writeFileSync(join(results, 'live-refusal.json'), JSON.stringify(report));
