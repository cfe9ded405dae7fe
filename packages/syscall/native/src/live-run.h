// The live-injection engine of @progrun/xdp-live: worker threads, each pinned to one CPU, looping
// BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES over chunks of frames, bounded by a frame count, a
// duration and a rate, stopped between calls by a flag. Knows nothing of Node-API (see
// live-run-binding.cc).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace progrun {

// What one run does. Validated by the TypeScript layer, then by the binding's argument readers.
struct LiveRunConfig {
  int prog_fd = -1;   // borrowed: Start() takes its own duplicate for the whole run
  int netns_fd = -1;  // borrowed and duplicated; every worker enters it (ifindex is resolved there); -1 = stay
  std::vector<std::vector<std::uint8_t>> packets;  // frame templates; each call uses one, round-robin
  std::uint32_t ifindex = 0;                        // ingress device; 0 = no xdp_md (the kernel uses lo)
  std::uint32_t rx_queue = 0;                       // rx_queue_index in the xdp_md
  std::uint32_t batch_size = 64;                    // 1..256
  std::uint64_t count = 0;                          // frames over all workers; 0 = unbounded
  std::uint64_t duration_ns = 0;                    // 0 = unbounded
  double rate_pps = 0;                              // over all workers; 0 = as fast as possible
  std::vector<int> cpus;                            // one worker per entry
  std::uint32_t chunk_frames = 0;                   // fixed repeat per call; 0 = sized to call_target_ns
  std::uint64_t call_target_ns = 5'000'000;         // wanted length of one call (abort latency)
};

// Why a worker stopped early. The names, by code, are exported as LiveRun.failedSteps (kFailedStepNames).
enum class FailedStep : std::int32_t { kNone = 0, kSetns = 1, kAffinity = 2, kTestRun = 3 };
inline constexpr const char* kFailedStepNames[] = {"none", "setns", "affinity", "testRun"};
static_assert(sizeof(kFailedStepNames) / sizeof(kFailedStepNames[0]) == static_cast<std::size_t>(FailedStep::kTestRun) + 1,
              "one name per failed step");

// The names, by code, are exported as LiveRun.workerStates (kWorkerStateNames).
enum class WorkerState : std::uint32_t { kStarting = 0, kRunning = 1, kDone = 2, kFailed = 3 };
inline constexpr const char* kWorkerStateNames[] = {"starting", "running", "done", "failed"};
static_assert(sizeof(kWorkerStateNames) / sizeof(kWorkerStateNames[0]) == static_cast<std::size_t>(WorkerState::kFailed) + 1,
              "one name per worker state");

// Counters one worker publishes; read at any time by Snapshot().
struct alignas(64) WorkerCounters {
  std::atomic<std::uint64_t> frames{0};     // frames the kernel ran (sum of repeat of successful calls)
  std::atomic<std::uint64_t> calls{0};      // successful BPF_PROG_TEST_RUN calls
  std::atomic<std::uint64_t> kernel_ns{0};  // sum of duration x repeat: time inside the kernel's loop
  std::atomic<std::uint64_t> start_ns{0};   // CLOCK_MONOTONIC when the worker started sending
  std::atomic<std::uint64_t> end_ns{0};     // CLOCK_MONOTONIC when it stopped
  std::atomic<std::uint64_t> last_chunk{0};  // repeat of the latest call
  std::atomic<std::uint64_t> batch_frames{0};  // sum over calls of min(repeat, batch_size): one batch's pages
  std::atomic<std::uint64_t> cpu_ns{0};        // the worker thread's CPU time (CLOCK_THREAD_CPUTIME_ID) so far
  std::atomic<std::uint32_t> state{0};       // WorkerState
  std::atomic<std::int32_t> error{0};        // errno of the failed step
  std::atomic<std::int32_t> failed_step{0};  // FailedStep
  std::atomic<std::int32_t> tid{0};          // kernel thread id, to attribute tracepoint events
  int cpu = -1;
};

// The doubles Snapshot() writes per worker, in order: the one list that both Snapshot() and the names
// exported as LiveRun.snapshotFields are written from.
enum class SnapshotField : std::size_t {
  kFrames,
  kCalls,
  kKernelNs,
  kStartNs,
  kEndNs,
  kLastChunk,
  kState,
  kErrno,
  kFailedStep,
  kTid,
  kCpu,
  kBatchFrames,
  kCpuNs,
  kCount,
};
inline constexpr const char* kSnapshotFieldNames[] = {
    "frames", "calls", "kernelNs", "startNs", "endNs", "lastChunk", "state",
    "errno",  "failedStep", "tid", "cpu", "batchFrames", "cpuNs",
};
inline constexpr std::size_t kSnapshotStride = static_cast<std::size_t>(SnapshotField::kCount);
static_assert(sizeof(kSnapshotFieldNames) / sizeof(kSnapshotFieldNames[0]) == kSnapshotStride,
              "one name per snapshot field");

std::uint64_t MonotonicNs();

class LiveRun {
 public:
  // Prepares the counters and contexts; starts nothing and holds no fd yet.
  explicit LiveRun(LiveRunConfig config);
  ~LiveRun();
  LiveRun(const LiveRun&) = delete;
  LiveRun& operator=(const LiveRun&) = delete;

  // Duplicates the fds and starts the workers; on_done runs once, on the last worker's thread, when all
  // have stopped. 0, or -errno when a fd cannot be duplicated (EBADF: not open) or a thread cannot start
  // (EAGAIN); on_done is then never called. -EALREADY when called twice.
  long Start(std::function<void()> on_done);
  // Asks every worker to stop after its current call; wakes sleeping (rate-limited) workers at once.
  void Stop();
  // Waits for every worker thread to exit, then closes the duplicated fds. Idempotent; nothing to wait
  // for before Start().
  void Join();
  // out[0] = MonotonicNs() now; then per worker kSnapshotStride values (SnapshotField order); then
  // frames per packet template. Needs SnapshotLength() doubles.
  void Snapshot(double* out, std::size_t length) const;
  std::size_t SnapshotLength() const { return 1 + workers_ * kSnapshotStride + config_.packets.size(); }
  std::size_t workers() const { return workers_; }

 private:
  void Work(std::size_t index);
  bool ClaimFrames(std::uint64_t wanted, std::uint64_t* granted);
  bool SleepUntil(std::uint64_t deadline_ns);

  LiveRunConfig config_;
  bool started_ = false;
  int prog_fd_ = -1;
  int netns_fd_ = -1;
  std::uint64_t start_ns_ = 0;
  std::vector<std::vector<std::uint8_t>> contexts_;  // one xdp_md per packet, when ifindex is set
  std::size_t workers_ = 0;
  std::unique_ptr<WorkerCounters[]> counters_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> packet_frames_;  // frames sent from each template
  std::vector<std::thread> threads_;
  std::atomic<std::uint64_t> remaining_{0};  // frames not yet claimed when count is set
  std::atomic<bool> stop_{false};
  std::atomic<bool> abandoned_{false};  // Start() failed: workers already started leave quietly
  std::atomic<std::size_t> running_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::function<void()> on_done_;
};

}  // namespace progrun
