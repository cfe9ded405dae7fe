// A long repeat as several kernel calls ("chunks"), so an async run can stop between them: on an abort,
// or when the process exits (which waits for the pool threads). Each chunk lasts a few milliseconds of
// the kernel's own run time, sized from what the previous chunks measured.
//
// The kernel reports a chunk's mean time per run floored to whole nanoseconds (do_div in
// bpf_test_timer_continue), so sum(duration_k * repeat_k) undercounts the true total by less than one
// nanosecond per run: the recombined mean floor(sum / repeat) is the unchunked call's mean or one
// nanosecond below it.
//
// Every chunk starts again from the input packet and context, as every call does; the outputs are those
// of the last chunk's last run. XDP test runs with repeat >= 2 pay two RCU grace periods per call (the
// dispatcher swap, ~20-30 ms) unless the program is attached somewhere: chunks then grow until that cost
// is at most a quarter of a chunk, and an abort waits for up to about 100 ms.
#pragma once

#include <cstdint>

#include "test-run-cancel.h"
#include "test-run.h"

namespace progrun {

struct ChunkedRun {
  TestRunOutput out;  // duration: the recombined mean; ret -ECANCELED when cancel stopped it
  std::uint32_t chunks = 0;
};

// Runs in (in.repeat runs) in chunks, with signals blocked for each call. A repeat of at most the first
// chunk's size is one call. Checks cancel before every call.
ChunkedRun TestRunChunked(const TestRunInput& in, const CancelFlag& cancel);

}  // namespace progrun
