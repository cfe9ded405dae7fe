// One BPF_PROG_TEST_RUN call as plain C++ (no Node-API): the synchronous and async exports
// (prog-test-run.cc), the live-frame engine (live-run.cc) and the in-namespace verdict preview
// (netns-thread.cc) all run programs through TestRun. Inline: the synchronous export's hot path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "bpf-syscall.h"

namespace progrun {

// Only the known prefix of union bpf_attr is passed, so kernels that predate later fields accept it.
constexpr unsigned int kTestRunAttrSize = PROGRUN_ATTR_SIZE(test.batch_size);

// Where an empty buffer passed as present points: the kernel reads and writes none of it.
inline std::uint8_t empty_test_run_buffer[1];

// A buffer with a zero size is passed as "no buffer" (NULL, 0), unless its pass_empty_* flag asks for a
// non-NULL pointer of size 0: the kernel refuses that for ctx_in and ctx_out (EINVAL), and a caller must
// be able to send what the kernel validates. data_out has no such flag: with data_size_out 0 the kernel
// would copy the whole packet into it.
struct TestRunInput {
  int prog_fd = -1;
  const std::uint8_t* data_in = nullptr;
  std::size_t data_in_size = 0;
  bool pass_empty_data_in = false;
  std::uint8_t* data_out = nullptr;
  std::size_t data_out_size = 0;
  const std::uint8_t* ctx_in = nullptr;
  std::size_t ctx_in_size = 0;
  bool pass_empty_ctx_in = false;
  std::uint8_t* ctx_out = nullptr;
  std::size_t ctx_out_size = 0;
  bool pass_empty_ctx_out = false;
  std::uint32_t repeat = 0;
  std::uint32_t flags = 0;
  std::uint32_t cpu = 0;
  std::uint32_t batch_size = 0;
};

struct TestRunOutput {
  long ret = 0;  // bpf()'s return: -errno, or what the kernel returned (0 unless bpf_test_finish's tracepoint set it)
  std::uint32_t retval = 0;
  std::uint32_t duration = 0;  // the kernel's mean ns per run
  std::uint32_t data_size_out = 0;
  std::uint32_t ctx_size_out = 0;
  std::uint32_t restarts = 0;  // EINTR reissues
};

// block_signals: see RestartPolicy.
inline TestRunOutput TestRun(const TestRunInput& in, bool block_signals) {
  union bpf_attr attr;
  std::memset(&attr, 0, kTestRunAttrSize);
  attr.test.prog_fd = static_cast<std::uint32_t>(in.prog_fd);
  if (in.data_in_size > 0 || in.pass_empty_data_in) {
    attr.test.data_in = PtrToU64(in.data_in_size > 0 ? in.data_in : empty_test_run_buffer);
    attr.test.data_size_in = static_cast<std::uint32_t>(in.data_in_size);
  }
  if (in.data_out_size > 0) {
    attr.test.data_out = PtrToU64(in.data_out);
    attr.test.data_size_out = static_cast<std::uint32_t>(in.data_out_size);
  }
  if (in.ctx_in_size > 0 || in.pass_empty_ctx_in) {
    attr.test.ctx_in = PtrToU64(in.ctx_in_size > 0 ? in.ctx_in : empty_test_run_buffer);
    attr.test.ctx_size_in = static_cast<std::uint32_t>(in.ctx_in_size);
  }
  if (in.ctx_out_size > 0 || in.pass_empty_ctx_out) {
    attr.test.ctx_out = PtrToU64(in.ctx_out_size > 0 ? in.ctx_out : empty_test_run_buffer);
    attr.test.ctx_size_out = static_cast<std::uint32_t>(in.ctx_out_size);
  }
  attr.test.repeat = in.repeat;
  attr.test.flags = in.flags;
  attr.test.cpu = in.cpu;
  attr.test.batch_size = in.batch_size;

  TestRunOutput out;
  out.ret = SysBpfRestarting(BPF_PROG_TEST_RUN, &attr, kTestRunAttrSize, RestartPolicy{block_signals}, &out.restarts);
  out.retval = attr.test.retval;
  out.duration = attr.test.duration;
  out.data_size_out = attr.test.data_size_out;
  out.ctx_size_out = attr.test.ctx_size_out;
  return out;
}

}  // namespace progrun
