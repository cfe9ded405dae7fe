/**
 * What the repository's own tests found when run in guests of older kernels (`defineKernelProjects`),
 * beyond what the probes show: differences progrun passes on as the kernel reports them. Part of
 * `docs/kernel-matrix.md`.
 */
export const testSuiteDifferences = [
  '## What our own test suite found on older kernels',
  '',
  "Running the repository's tests in guests (`PROGRUN_KERNELS=host,5.10 npx vitest run --project 'kernel:*'`) showed these differences; progrun hands on what the kernel reports, and the tests expect each kernel's answer:",
  '',
  '- FLOW_DISSECTOR test runs: before 6.1 `retval` says whether the program returned BPF_OK (see what retval means per kernel, above).',
  "- `ctx_out` is as long as the running kernel's struct: an `__sk_buff` comes back with 184 bytes on 5.10 (192 from 5.16, which added `hwtstamp`). Decode it with that kernel's header set (`layoutFor('__sk_buff', '5.10')`).",
  '- The verifiers of 5.10 and 6.1 refuse `BPF_ST` (storing an immediate) into the context, which 6.12 accepts: store from a register (`BPF_STX`).',
  '- SYSCALL programs load from 5.14; `struct bpf_dummy_ops` (STRUCT_OPS test runs) is in the kernel BTF from 5.17.',
  '- A veth takes XDP frames (XDP_TX or XDP_REDIRECT into it) when its peer has an XDP program, or, from 5.13, GRO enabled; before 5.13 GRO, on by default, makes no difference: `checkXdpReceive` of `@progrun/xdp-live` counts GRO as a receive path only from 5.13.',
  '- XDP_PASS frames of a live-frames run: on 6.1 each costs a page (the skb built from it releases its page from the page pool of the run, as the documentation of the kernel says); from 6.4 (commit: xdp: recycle Page Pool backed skbs built from XDP frames) the page returns to the pool.',
].join('\n');
