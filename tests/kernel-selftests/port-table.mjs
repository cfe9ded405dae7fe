// Writes the port's table into README.md (between the markers): every prog_tests/*.c of the cached kernel
// source that calls the test-run API, and whether it is ported. Run: node tests/kernel-selftests/port-table.mjs
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Ported selftests: the C file, its port, and what the host (Linux 6.18) answered. */
const ported = {
  'atomics.c': { test: 'atomics.test.ts', host: 'pass' },
  'check_mtu.c': {
    test: 'check-mtu.test.ts',
    host: 'pass (XDP-run, TC-run, with and without ifindex); XDP-attach and the BPF_MTU_CHK_SEGS run left out: they attach to and change the loopback device, which the C file does in a namespace of its own',
  },
  'flow_dissector_load_bytes.c': { test: 'flow-dissector-load-bytes.test.ts', host: 'pass' },
  'for_each.c': { test: 'for-each.test.ts', host: 'pass' },
  'global_data.c': { test: 'global-data.test.ts', host: 'pass' },
  'global_func_args.c': { test: 'global-func-args.test.ts', host: 'pass' },
  'l4lb_all.c': {
    test: 'l4lb-all.test.ts',
    host: 'pass (l4lb_inline, l4lb_noinline); l4lb_noinline_dynptr left out: the host verifier refuses its bpf_dynptr_slice_rdwr() call',
  },
  'map_lock.c': { test: 'map-lock.test.ts', host: 'pass' },
  'map_ptr.c': { test: 'map-ptr.test.ts', host: 'pass' },
  'pkt_access.c': { test: 'pkt-access.test.ts', host: 'pass' },
  'pkt_md_access.c': { test: 'pkt-md-access.test.ts', host: 'pass' },
  'parse_tcp_hdr_opt.c': { test: 'parse-tcp-hdr-opt.test.ts', host: 'pass' },
  'prog_run_opts.c': { test: 'prog-run-opts.test.ts', host: 'pass' },
  'queue_stack_map.c': { test: 'queue-stack-map.test.ts', host: 'pass' },
  'raw_tp_test_run.c': { test: 'raw-tp-test-run.test.ts', host: 'pass' },
  'raw_tp_writable_test_run.c': { test: 'raw-tp-writable-test-run.test.ts', host: 'pass' },
  'skb_ctx.c': { test: 'skb-ctx.test.ts', host: 'pass' },
  'skb_helpers.c': { test: 'skb-helpers.test.ts', host: 'pass' },
  'skb_load_bytes.c': { test: 'skb-load-bytes.test.ts', host: 'pass' },
  'spin_lock.c': {
    test: 'spin-lock.test.ts',
    host: 'pass (test_spin_lock_success); 26 skip: test_spin_lock_fail.c needs the bpf_obj_new kfunc (the host has bpf_obj_new_impl)',
  },
  'syscall.c': { test: 'syscall.test.ts', host: 'pass (load_prog, update_outer_map)' },
  'test_csum_diff.c': { test: 'test-csum-diff.test.ts', host: 'pass' },
  'test_profiler.c': {
    test: 'test-profiler.test.ts',
    host: 'pass (load and sanity run of profiler1-3; the C test attaches their kprobes and tracepoints first, not done here: the run does not use them)',
  },
  'test_skb_pkt_end.c': { test: 'test-skb-pkt-end.test.ts', host: 'pass' },
  'type_cast.c': { test: 'type-cast.test.ts', host: 'pass' },
  'xdp.c': { test: 'xdp.test.ts', host: 'pass' },
  'xdp_adjust_frags.c': { test: 'xdp-adjust-frags.test.ts', host: 'pass' },
  'xdp_adjust_tail.c': { test: 'xdp-adjust-tail.test.ts', host: 'pass' },
  'xdp_noinline.c': { test: 'xdp-noinline.test.ts', host: 'pass' },
  'xdp_perf.c': { test: 'xdp-perf.test.ts', host: 'pass' },
};

/**
 * Unported files whose port was tried or read: what stands in the way (the heuristic below only guesses
 * from the prog_tests text, not from the programs it loads).
 */
const notPorted = {
  'cb_refs.c':
    'not ported; its programs call bpf_testmod kfuncs (bpf_kfunc_call_test_*, the bpf_testmod kernel module)',
  'dynptr.c':
    "not ported; dynptr_success.c calls kfuncs it does not declare, relying on the kfunc prototypes of a vmlinux.h built from a 7.x kernel: bookworm's bpftool 7.1 writes none from the host's BTF, and the source's own bpftool writes the host's 6.18 ones, which conflict with 7.2.8's bpf_kfuncs.h and the program's calls",
  'jit_probe_mem.c': 'not ported; its program calls bpf_testmod kfuncs (the bpf_testmod kernel module)',
  'pe_preserve_elems.c':
    'not ported; it fills a perf event array with perf_event_open() fds, a syscall progrun does not wrap and Node cannot make',
  'prepare.c':
    "not ported; it checks libbpf's bpf_object__prepare (maps created before any program loads), a step BpfObject does not expose: open() then load() is all there is",
  'string_kfuncs.c':
    "not ported; its programs call the string kfuncs without declaring them, relying on the kfunc prototypes of a vmlinux.h built from a 7.x kernel (see dynptr.c), and RUN_TESTS needs the test loader's annotations",
  'time_tai.c':
    "not ported; it compares the program's bpf_ktime_get_tai_ns() with clock_gettime(CLOCK_TAI), a clock Node does not read (process.hrtime is CLOCK_MONOTONIC, Date CLOCK_REALTIME)",
  'signal_pending.c':
    "not ported; it checks that a signal arriving during a 2^32-1 repeat run ends it early, and progrun holds signals during a run and splits long repeats into chunks (a run stops through runAsync's AbortSignal instead): the API cannot express the kernel's signal check",
};

/**
 * What an unported file uses beyond a plain test run, read from its C text (first match wins): the likely
 * obstacle of its port, not a verdict.
 */
const uses = [
  [/bpf_testmod|testmod/, 'the bpf_testmod kernel module'],
  [
    /fentry|fexit|fsession|fmod_ret|trampoline/,
    'fentry/fexit (the host refuses BPF trampolines; guests only)',
  ],
  [/kprobe/, 'kprobe attachment'],
  [/arena/, 'BPF arena maps (6.9)'],
  [/struct_ops|st_ops/, 'struct_ops registration'],
  [/netns|SYS\(/, 'a network namespace topology'],
  [/cgroup/, 'a cgroup'],
];

function reason(file, text) {
  if (notPorted[file]) return notPorted[file];
  const use = uses.find(([pattern]) => pattern.test(text));
  return use ? `not ported yet; uses ${use[1]}` : 'not ported yet';
}

const here = import.meta.dirname;
const source =
  process.env.PROGRUN_KERNEL_SRC ??
  execFileSync(join(here, '../../scripts/kernel-source.sh'), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
const progTests = join(source, 'tools/testing/selftests/bpf/prog_tests');

/** The prog_tests files that call bpf_prog_test_run, bpf_prog_test_run_opts or a variant. */
export function testRunFiles(dir = progTests) {
  return readdirSync(dir)
    .filter(
      (name) => name.endsWith('.c') && readFileSync(join(dir, name), 'utf8').includes('bpf_prog_test_run'),
    )
    .sort();
}

export function table(files = testRunFiles()) {
  const version = source.split('/').at(-1);
  const rows = files.map((file) => {
    const port = ported[file];
    return port
      ? `| \`${file}\` | ported: [${port.test}](${port.test}) | ${port.host} |`
      : `| \`${file}\` | not yet | ${reason(file, readFileSync(join(progTests, file), 'utf8'))} |`;
  });
  const done = files.filter((file) => ported[file]).length;
  return [
    `<!-- DO NOT EDIT: written by \`node tests/kernel-selftests/port-table.mjs\` from Linux ${version}'s prog_tests. -->`,
    '',
    `Linux ${version}: ${files.length} files of \`tools/testing/selftests/bpf/prog_tests/\` call the test-run API;`,
    `${done} ported, ${files.length - done} not yet.`,
    '',
    '| prog_tests file | status | host (6.18), or what it needs |',
    '|---|---|---|',
    ...rows,
  ].join('\n');
}

const readme = join(here, 'README.md');
const begin = '<!-- port-table:begin -->';
const end = '<!-- port-table:end -->';
if (process.argv[1] === import.meta.filename) {
  const text = readFileSync(readme, 'utf8');
  const head = text.slice(0, text.indexOf(begin) + begin.length);
  const tail = text.slice(text.indexOf(end));
  writeFileSync(readme, `${head}\n${table()}\n${tail}`);
}
