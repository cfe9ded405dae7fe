#include "live-run.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <limits>
#include <system_error>

#include "bpf-syscall.h"
#include "test-run.h"

#ifndef BPF_F_TEST_XDP_LIVE_FRAMES
#define BPF_F_TEST_XDP_LIVE_FRAMES (1U << 1)
#endif

namespace progrun {

namespace {

// The kernel's repeat is a u32; stay well below it so per-call counters never wrap.
constexpr std::uint64_t kMaxChunk = 1ull << 30;
constexpr std::uint64_t kForever = std::numeric_limits<std::uint64_t>::max();

// A private duplicate of fd, so that the run keeps working if JavaScript closes the original (as
// PromiseWorker::HoldFd does for the async calls). The duplicate, or -errno.
int DupCloexec(int fd) {
  int dup = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  return dup < 0 ? -errno : dup;
}

// One live-frame test run; 0 or -errno. *duration is the kernel's mean ns per frame.
long LiveTestRun(int prog_fd, const std::vector<std::uint8_t>& packet, const std::vector<std::uint8_t>* ctx,
                 std::uint32_t repeat, std::uint32_t batch_size, std::uint32_t* duration) {
  TestRunInput in;
  in.prog_fd = prog_fd;
  in.data_in = packet.data();
  in.data_in_size = packet.size();
  if (ctx != nullptr) {
    in.ctx_in = ctx->data();
    in.ctx_in_size = ctx->size();
  }
  in.repeat = repeat;
  in.flags = BPF_F_TEST_XDP_LIVE_FRAMES;
  in.batch_size = batch_size;
  // The workers hold every signal off for their whole life (see Start), so no call ends in EINTR.
  TestRunOutput out = TestRun(in, false);
  if (out.ret < 0) return out.ret;
  *duration = out.duration;
  return 0;
}

std::uint64_t ThreadCpuNs() {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

}  // namespace

std::uint64_t MonotonicNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

LiveRun::LiveRun(LiveRunConfig config) : config_(std::move(config)) {
  if (config_.ifindex != 0) {
    for (const auto& packet : config_.packets) {
      struct xdp_md md;
      std::memset(&md, 0, sizeof md);
      md.data_end = static_cast<std::uint32_t>(packet.size());
      md.ingress_ifindex = config_.ifindex;
      md.rx_queue_index = config_.rx_queue;
      const auto* bytes = reinterpret_cast<const std::uint8_t*>(&md);
      contexts_.emplace_back(bytes, bytes + sizeof md);
    }
  }
  workers_ = config_.cpus.size();
  counters_ = std::make_unique<WorkerCounters[]>(workers_);
  for (std::size_t i = 0; i < workers_; i++) counters_[i].cpu = config_.cpus[i];
  packet_frames_ = std::make_unique<std::atomic<std::uint64_t>[]>(config_.packets.size());
}

long LiveRun::Start(std::function<void()> on_done) {
  if (started_) return -EALREADY;
  started_ = true;
  int prog_fd = DupCloexec(config_.prog_fd);
  if (prog_fd < 0) return prog_fd;
  prog_fd_ = prog_fd;
  if (config_.netns_fd >= 0) {
    int netns_fd = DupCloexec(config_.netns_fd);
    if (netns_fd < 0) {
      Join();
      return netns_fd;
    }
    netns_fd_ = netns_fd;
  }
  on_done_ = std::move(on_done);
  remaining_ = config_.count;
  running_ = workers_;
  start_ns_ = MonotonicNs();

  // Threads inherit the mask: no signal is ever delivered to a worker.
  ScopedSignalBlock block(true);
  long err = 0;
  try {
    threads_.reserve(workers_);
    for (std::size_t i = 0; i < workers_; i++) threads_.emplace_back([this, i] { Work(i); });
  } catch (const std::system_error& error) {
    err = -static_cast<long>(error.code().value());
  } catch (const std::bad_alloc&) {
    err = -ENOMEM;
  }
  if (err != 0) {
    // Workers already started see abandoned_ and leave without calling on_done.
    abandoned_ = true;
    Stop();
    running_ -= workers_ - threads_.size();
    Join();
  }
  return err;
}

LiveRun::~LiveRun() {
  Stop();
  Join();
}

void LiveRun::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
}

void LiveRun::Join() {
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
  // No worker uses them any more: release the duplicates now rather than when JavaScript collects this.
  if (prog_fd_ >= 0) close(prog_fd_);
  if (netns_fd_ >= 0) close(netns_fd_);
  prog_fd_ = -1;
  netns_fd_ = -1;
}

bool LiveRun::ClaimFrames(std::uint64_t wanted, std::uint64_t* granted) {
  std::uint64_t left = remaining_.load();
  do {
    if (left == 0) return false;
    *granted = std::min(left, wanted);
  } while (!remaining_.compare_exchange_weak(left, left - *granted));
  return true;
}

bool LiveRun::SleepUntil(std::uint64_t deadline_ns) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    std::uint64_t now = MonotonicNs();
    if (now >= deadline_ns) return true;
    wake_.wait_for(lock, std::chrono::nanoseconds(deadline_ns - now));
  }
  return false;
}

void LiveRun::Work(std::size_t index) {
  WorkerCounters& c = counters_[index];
  c.tid = static_cast<std::int32_t>(syscall(SYS_gettid));
  auto fail = [&](FailedStep step, int err) {
    c.error = err;
    c.failed_step = static_cast<std::int32_t>(step);
    c.state = static_cast<std::uint32_t>(WorkerState::kFailed);
    Stop();
  };

  bool ready = true;
  if (netns_fd_ >= 0 && setns(netns_fd_, CLONE_NEWNET) != 0) {
    fail(FailedStep::kSetns, errno);
    ready = false;
  }
  if (ready && c.cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(c.cpu, &set);
    int err = pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    if (err != 0) {
      fail(FailedStep::kAffinity, err);
      ready = false;
    }
  }

  c.start_ns = MonotonicNs();
  const std::uint64_t cpu_start = ThreadCpuNs();
  if (ready && !abandoned_) {
    c.state = static_cast<std::uint32_t>(WorkerState::kRunning);
    const std::uint64_t batch = config_.batch_size;
    const std::uint64_t deadline = config_.duration_ns != 0 ? start_ns_ + config_.duration_ns : kForever;
    const double rate = config_.rate_pps / static_cast<double>(workers_);
    const std::size_t packets = config_.packets.size();
    std::size_t packet = index % packets;
    double ns_per_frame = 0;  // the kernel's own measure, from the previous call
    double due = static_cast<double>(c.start_ns);  // when the next call may start, under a rate

    while (!stop_) {
      std::uint64_t now = MonotonicNs();
      if (now >= deadline) break;

      std::uint64_t chunk;
      if (config_.chunk_frames != 0) {
        chunk = config_.chunk_frames;
      } else if (ns_per_frame > 0) {
        chunk = static_cast<std::uint64_t>(static_cast<double>(config_.call_target_ns) / ns_per_frame);
        chunk = std::max(batch, chunk / batch * batch);
      } else {
        chunk = batch * 16;  // first call: short, to learn the speed
      }
      if (rate > 0) {
        auto per_call = static_cast<std::uint64_t>(rate * static_cast<double>(config_.call_target_ns) / 1e9);
        chunk = std::min(chunk, std::max<std::uint64_t>(1, per_call));
      }
      if (deadline != kForever && ns_per_frame > 0) {
        auto fits = static_cast<std::uint64_t>(static_cast<double>(deadline - now) / ns_per_frame);
        chunk = std::min(chunk, std::max<std::uint64_t>(1, fits));
      }
      chunk = std::clamp<std::uint64_t>(chunk, 1, kMaxChunk);

      if (rate > 0) {
        // Paced by a schedule: call k starts when the frames of calls 0..k-1 are due at the worker's rate,
        // so oversleeping never accumulates into a lower rate. A worker that fell behind by more than one
        // call (a slow kernel, a busy CPU) rejoins the schedule instead of sending a catch-up burst.
        const double period = static_cast<double>(chunk) / rate * 1e9;
        due = std::max(due, static_cast<double>(now) - period);
        if (due >= static_cast<double>(deadline)) break;
        if (due > static_cast<double>(now) && !SleepUntil(static_cast<std::uint64_t>(due))) break;
      }

      if (config_.count != 0 && !ClaimFrames(chunk, &chunk)) break;

      std::uint32_t duration = 0;
      const std::vector<std::uint8_t>* ctx = contexts_.empty() ? nullptr : &contexts_[packet];
      long ret = LiveTestRun(prog_fd_, config_.packets[packet], ctx, static_cast<std::uint32_t>(chunk),
                             config_.batch_size, &duration);
      if (ret < 0) {
        if (config_.count != 0) remaining_ += chunk;
        fail(FailedStep::kTestRun, static_cast<int>(-ret));
        break;
      }
      c.frames += chunk;
      packet_frames_[packet] += chunk;
      c.calls += 1;
      c.kernel_ns += static_cast<std::uint64_t>(duration) * chunk;
      c.last_chunk = chunk;
      c.batch_frames += std::min(chunk, batch);
      c.cpu_ns = ThreadCpuNs() - cpu_start;
      if (duration > 0) ns_per_frame = duration;
      if (rate > 0) due += static_cast<double>(chunk) / rate * 1e9;
      packet = (packet + 1) % packets;
    }
  }
  c.end_ns = MonotonicNs();
  c.cpu_ns = ThreadCpuNs() - cpu_start;
  if (c.state.load() != static_cast<std::uint32_t>(WorkerState::kFailed))
    c.state = static_cast<std::uint32_t>(WorkerState::kDone);
  if (running_.fetch_sub(1) == 1 && !abandoned_ && on_done_) on_done_();
}

void LiveRun::Snapshot(double* out, std::size_t length) const {
  if (length < SnapshotLength()) return;
  out[0] = static_cast<double>(MonotonicNs());
  for (std::size_t i = 0; i < workers_; i++) {
    const WorkerCounters& c = counters_[i];
    double* w = out + 1 + i * kSnapshotStride;
    auto set = [w](SnapshotField field, double value) { w[static_cast<std::size_t>(field)] = value; };
    set(SnapshotField::kFrames, static_cast<double>(c.frames.load()));
    set(SnapshotField::kCalls, static_cast<double>(c.calls.load()));
    set(SnapshotField::kKernelNs, static_cast<double>(c.kernel_ns.load()));
    set(SnapshotField::kStartNs, static_cast<double>(c.start_ns.load()));
    set(SnapshotField::kEndNs, static_cast<double>(c.end_ns.load()));
    set(SnapshotField::kLastChunk, static_cast<double>(c.last_chunk.load()));
    set(SnapshotField::kState, static_cast<double>(c.state.load()));
    set(SnapshotField::kErrno, static_cast<double>(c.error.load()));
    set(SnapshotField::kFailedStep, static_cast<double>(c.failed_step.load()));
    set(SnapshotField::kTid, static_cast<double>(c.tid.load()));
    set(SnapshotField::kCpu, static_cast<double>(c.cpu));
    set(SnapshotField::kBatchFrames, static_cast<double>(c.batch_frames.load()));
    set(SnapshotField::kCpuNs, static_cast<double>(c.cpu_ns.load()));
  }
  double* p = out + 1 + workers_ * kSnapshotStride;
  for (std::size_t i = 0; i < config_.packets.size(); i++) p[i] = static_cast<double>(packet_frames_[i].load());
}

}  // namespace progrun
