#include "progress_display.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>

namespace wasmaot::cli {
namespace {

constexpr auto kQuietFor = std::chrono::seconds(1);
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);

uint32_t load(const uint32_t& counter) {
  return std::atomic_ref<uint32_t>(const_cast<uint32_t&>(counter)).load(std::memory_order_relaxed);
}

}  // namespace

ProgressDisplay::ProgressDisplay(std::string name, const WasmaotCompileProgress* progress)
    : name_(std::move(name)), progress_(progress), start_(std::chrono::steady_clock::now()) {
  if (::isatty(STDERR_FILENO)) thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

ProgressDisplay::~ProgressDisplay() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
  if (shown_) std::fputs("\r\033[K", stderr);  // erase the line
}

void ProgressDisplay::run(std::stop_token stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  if (wake.wait_for(lock, stop, kQuietFor, [] { return false; }), stop.stop_requested()) return;
  while (!stop.stop_requested()) {
    const uint32_t total = load(progress_->total);
    const uint32_t optimised = load(progress_->optimised), emitted = load(progress_->emitted);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (total == 0) {
      std::fprintf(stderr, "\r\033[Kwasmaot: compiling %s: reading %.1f s", name_.c_str(), seconds);
    } else if (emitted >= total) {
      std::fprintf(stderr, "\r\033[Kwasmaot: compiling %s: linking (%u functions) %.1f s", name_.c_str(), total,
                   seconds);
    } else {
      // The optimiser and the code generator take most of the time, about alike.
      unsigned percent = static_cast<unsigned>(100.0 * (double(optimised) + double(emitted)) / (2.0 * total));
      std::fprintf(stderr, "\r\033[Kwasmaot: compiling %s: %u%% (%u functions: %u optimised, %u in machine code) %.1f s",
                   name_.c_str(), percent, total, optimised, emitted, seconds);
    }
    std::fflush(stderr);
    shown_ = true;
    wake.wait_for(lock, stop, kRedrawEvery, [] { return false; });
  }
}

}  // namespace wasmaot::cli
