// Runs inside a guest kernel, started by tracing-in-guest.test.ts: loads the syscall package's fentry/fexit
// fixture through libbpf (BTF attach points resolved against the guest's vmlinux), test-runs the programs
// before and after attaching them, and records what they saw, as JSON in the harness's results directory.
// The host refuses BPF trampolines, so this is where @progrun/syscall's TRACING path runs for real.
//
// A TRACING test run only calls the kernel's bpf_fentry_test* functions; a program sees those calls only
// while it is attached to them (BPF_RAW_TRACEPOINT_OPEN with no name).
import { writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join, resolve } from 'node:path';
import { BpfLink, BpfObject } from '@progrun/syscall';

const fixture = resolve(import.meta.dirname, '../../packages/syscall/fixtures/build/fentry.bpf.o');
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by harness-vm in the guest; no build reads it
const results = process.env.PROGRUN_RESULTS_DIR;
const report = { release: release() };
// Plain JavaScript for Node.js 20 (no `using`): objects are closed in finally blocks.
const obj = BpfObject.open(fixture);
try {
  obj.load();
  const fentry = obj.program('fentry_test1').toProgram();
  const fexit = obj.program('fexit_test1').toProgram();
  const bss = obj.map('.bss').toMap();
  try {
    const seen = () => {
      const values = bss.lookup(new Uint8Array(4));
      return { fentryArg: Number(values.readBigUInt64LE(0)), fexitRet: Number(values.readBigUInt64LE(8)) };
    };
    report.types = [fentry.type, fexit.type];
    report.unattachedRetval = fentry.run({}).retval;
    report.unattached = seen();
    const links = [BpfLink.rawTracepoint(fentry, null)];
    try {
      report.fentryRetval = fentry.run({}).retval;
      report.fentryAttached = seen();
      links.push(BpfLink.rawTracepoint(fexit, null));
      report.fexitRetval = fexit.run({}).retval;
      report.bothAttached = seen();
    } finally {
      for (const link of links) link.close();
    }
  } finally {
    for (const owned of [fentry, fexit, bss]) owned.close();
  }
} catch (error) {
  report.error = { name: error?.name, code: error?.code, message: error?.message };
} finally {
  obj.close();
}
writeFileSync(join(results, 'tracing-runs.json'), JSON.stringify(report));
