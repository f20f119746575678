// Runs the commands of one converted spec script (wast2json's .json) against
// wasmaot: modules are compiled with the compiler (cached by content hash),
// instantiated with the runtime, and every assert_* is checked. Results go
// to a ResultSink one command at a time, so a crash loses nothing reported.
#pragma once

#include <string>

namespace wasmaot::spec {

class ResultSink {
 public:
  virtual ~ResultSink() = default;
  // Number of assert_* commands in the script (sent first).
  virtual void total(unsigned assert_commands) = 0;
  virtual void passed(unsigned line) = 0;
  // `is_assert` is false for module/register/action commands, which count
  // only when they fail.
  virtual void failed(unsigned line, bool is_assert, const std::string& reason) = 0;
  virtual void skipped(unsigned line, const std::string& reason) = 0;
  // The module was rejected as expected, but with another message.
  virtual void messageMismatch(unsigned line, const std::string& expected, const std::string& ours) = 0;
};

struct ScriptOptions {
  std::string cache_dir;  // compiled .so files, named by content hash
  unsigned opt_level = 2;
  std::string target_cpu = "native";  // CompileOptions::target_cpu
  bool echo_prints = false;
};

// Returns false if the script itself cannot be read (reported through the sink as line 0).
bool runSpecScript(const std::string& json_path, const ScriptOptions& options, ResultSink& sink);

}  // namespace wasmaot::spec
