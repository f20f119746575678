// libFuzzer target (c): the capability policy manifest parser on arbitrary
// text, then (when it parses) applying it to a WASI configuration, the
// network rules compiled on the way. Bad input must come back as one line of
// error, never as a crash or an escaping exception.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "wasi/network_policy.h"
#include "wasmaot/runtime/policy.h"

using namespace wasmaot::runtime;

// Link stub: the real checkWasiConfig lives in wasi_context.cpp, which pulls
// in the whole WASI host (libuv). applyPolicy calls it last; the part of it
// that reads policy text is the network rule compiler, run here too.
namespace wasmaot::runtime {
std::optional<std::string> checkWasiConfig(const WasiConfig& config) {
  std::string why;
  if (!wasi::NetworkPolicy::compile(config.network, &why)) return why;
  return std::nullopt;
}
}  // namespace wasmaot::runtime

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // A base directory that does not exist: relative preopens are refused
  // ("no such directory") rather than touching the working directory.
  PolicyResult result = parsePolicyText(text, "/nonexistent-wasmaot-fuzz");
  if (result.policy.has_value() == !result.error.empty()) std::abort();  // exactly one of the two
  if (!result.policy) {
    if (result.error.find('\n') != std::string::npos) std::abort();  // one line of error
    return 0;
  }
  static char env0[] = "HOME=/root";
  static char env1[] = "FUZZ=1";
  static char* host_environ[] = {env0, env1, nullptr};
  WasiConfig config;
  std::optional<std::string> error =
      applyPolicy(*result.policy, {}, {"A=1"}, {"guest.wasm"}, &config, host_environ);
  if (error && error->find('\n') != std::string::npos) std::abort();
  return 0;
}
