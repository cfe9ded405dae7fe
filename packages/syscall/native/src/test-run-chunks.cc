#include "test-run-chunks.h"

#include <time.h>

#include <algorithm>
#include <cerrno>

namespace progrun {
namespace {

// The first chunk only measures: small enough to be short for slow programs.
constexpr std::uint64_t kFirstChunk = 64;
// Kernel run time aimed at per chunk: an abort waits for at most about this long.
constexpr std::uint64_t kChunkTargetNs = 4'000'000;
// A chunk's run time is kept at least this many times the per-call cost outside it (the XDP dispatcher
// swap), so that cost is at most a quarter of a chunk's time.
constexpr std::uint64_t kOverheadFactor = 3;
// Growth per step, so one disturbed measurement cannot make a chunk run for seconds.
constexpr std::uint64_t kMaxGrowth = 256;

std::uint64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

}  // namespace

ChunkedRun TestRunChunked(const TestRunInput& in, const CancelFlag& cancel) {
  ChunkedRun run;
  if (cancel.Requested()) {
    run.out.ret = -ECANCELED;
    return run;
  }
  if (in.repeat <= kFirstChunk) {
    run.out = TestRun(in, in.repeat > 1);
    run.chunks = 1;
    return run;
  }
  TestRunInput chunk_in = in;
  std::uint64_t remaining = in.repeat;
  std::uint64_t chunk = kFirstChunk;
  unsigned __int128 total_ns = 0;
  std::uint32_t restarts = 0;
  for (;;) {
    chunk_in.repeat = static_cast<std::uint32_t>(std::min(chunk, remaining));
    const std::uint64_t start = NowNs();
    run.out = TestRun(chunk_in, chunk_in.repeat > 1);
    const std::uint64_t wall = NowNs() - start;
    run.chunks++;
    restarts += run.out.restarts;
    run.out.restarts = restarts;
    if (run.out.ret < 0) return run;
    const std::uint64_t run_ns = static_cast<std::uint64_t>(run.out.duration) * chunk_in.repeat;
    total_ns += run_ns;
    remaining -= chunk_in.repeat;
    if (remaining == 0) break;
    if (cancel.Requested()) {
      run.out.ret = -ECANCELED;
      return run;
    }
    const std::uint64_t overhead = wall > run_ns ? wall - run_ns : 0;
    const std::uint64_t target = std::max(kChunkTargetNs, kOverheadFactor * overhead);
    const std::uint64_t per_run = std::max<std::uint64_t>(run.out.duration, 1);
    chunk = std::clamp<std::uint64_t>(target / per_run, 1, chunk_in.repeat * kMaxGrowth);
  }
  const unsigned __int128 mean = total_ns / in.repeat;
  run.out.duration = mean > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(mean);
  return run;
}

}  // namespace progrun
