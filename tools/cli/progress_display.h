// The progress line of a compile that takes more than a second, on a
// terminal: "wasmaot: compiling app.wasm: 41% (1200 functions: 610
// optimised, 374 in machine code) 9.8 s", redrawn ten times a second on
// stderr and erased when the compile ends. Nothing when stderr is not a
// terminal (logs, pipes, CI, the background build).
#pragma once

#include <chrono>
#include <string>
#include <thread>

#include "wasmaot/abi/compiler_library.h"

namespace wasmaot::cli {

class ProgressDisplay {
 public:
  // Watches `progress` (which the compiler advances) for the compile of `name`.
  ProgressDisplay(std::string name, const WasmaotCompileProgress* progress);
  ~ProgressDisplay();  // stops the display and erases its line
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

 private:
  void run(std::stop_token stop);
  std::string name_;
  const WasmaotCompileProgress* progress_;
  std::chrono::steady_clock::time_point start_;
  bool shown_ = false;
  std::jthread thread_;  // last: starts after the members it reads
};

}  // namespace wasmaot::cli
