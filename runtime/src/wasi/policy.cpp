// The policy manifest parser (nlohmann/json) and the merge of manifest and
// command-line flags into a WasiConfig. Strict: every key is known, every
// value has its type and range, and an error names the JSON path of the
// field ("filesystem.preopens[1].host: no such directory").
#include "wasmaot/runtime/policy.h"

#include "wasi/network_policy.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

extern char** environ;

namespace wasmaot::runtime {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Thrown inside the parser only; turned into PolicyResult::error.
struct PolicyError {
  std::string path, message;
};

[[noreturn]] void fail(const std::string& path, const std::string& message) { throw PolicyError{path, message}; }

// Errors quote keys and values from the file; keep them one line of printable
// text (a key "a\nb" is shown as a\nb). Found by fuzz_policy.
std::string oneLine(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string typeName(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}

void expectObject(const json& v, const std::string& path, std::initializer_list<const char*> keys) {
  if (!v.is_object()) fail(path, "expected an object, got " + typeName(v));
  for (auto it = v.begin(); it != v.end(); ++it) {
    bool known = false;
    for (const char* k : keys) known |= it.key() == k;
    if (!known) {
      std::string allowed;
      for (const char* k : keys) allowed += std::string(allowed.empty() ? "" : ", ") + k;
      fail(path.empty() ? it.key() : path + "." + it.key(), "unknown key (allowed here: " + allowed + ")");
    }
  }
}

const std::string& expectString(const json& v, const std::string& path) {
  if (!v.is_string()) fail(path, "expected a string, got " + typeName(v));
  return v.get_ref<const std::string&>();
}

bool expectBool(const json& v, const std::string& path) {
  if (!v.is_boolean()) fail(path, "expected true or false, got " + typeName(v));
  return v.get<bool>();
}

uint64_t expectInteger(const json& v, const std::string& path, uint64_t lo, uint64_t hi) {
  if (!v.is_number_integer()) fail(path, "expected an integer, got " + typeName(v));
  if (v.is_number_unsigned() ? v.get<uint64_t>() > hi || v.get<uint64_t>() < lo
                             : v.get<int64_t>() < static_cast<int64_t>(lo) || v.get<int64_t>() > static_cast<int64_t>(hi)) {
    fail(path, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  }
  return v.get<uint64_t>();
}

std::vector<std::string> expectStringArray(const json& v, const std::string& path) {
  if (!v.is_array()) fail(path, "expected an array of strings, got " + typeName(v));
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(expectString(v[i], path + "[" + std::to_string(i) + "]"));
  return out;
}

std::string indexed(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

// "no such directory" / "not a directory", or empty when fine.
std::string directoryProblem(const std::string& host) {
  struct stat st{};
  if (::stat(host.c_str(), &st) != 0) return "no such directory";
  if (!S_ISDIR(st.st_mode)) return "not a directory";
  return "";
}

std::string absoluteFrom(const std::string& base_dir, const std::string& p) {
  fs::path path(p);
  if (path.is_relative()) path = fs::path(base_dir.empty() ? "." : base_dir) / path;
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  return (ec ? path : abs).lexically_normal().string();
}

Policy parse(const json& root, const std::string& base_dir) {
  Policy policy;
  expectObject(root, "", {"version", "filesystem", "env", "limits", "network"});
  if (!root.contains("version")) fail("version", "missing (this runtime reads version 1)");
  policy.version = static_cast<int>(expectInteger(root["version"], "version", 0, UINT32_MAX));
  if (policy.version != 1) fail("version", "unsupported version " + std::to_string(policy.version) + " (expected 1)");

  if (root.contains("filesystem")) {
    const json& fsys = root["filesystem"];
    expectObject(fsys, "filesystem", {"preopens"});
    if (fsys.contains("preopens")) {
      const json& list = fsys["preopens"];
      if (!list.is_array()) fail("filesystem.preopens", "expected an array, got " + typeName(list));
      for (size_t i = 0; i < list.size(); ++i) {
        std::string at = "filesystem.preopens[" + std::to_string(i) + "]";
        const json& item = list[i];
        expectObject(item, at, {"host", "guest", "readonly"});
        if (!item.contains("host")) fail(at + ".host", "missing");
        WasiPreopen p;
        const std::string& host = expectString(item["host"], at + ".host");
        if (host.empty()) fail(at + ".host", "empty");
        p.host = absoluteFrom(base_dir, host);
        if (std::string problem = directoryProblem(p.host); !problem.empty()) fail(at + ".host", problem);
        p.guest = item.contains("guest") ? expectString(item["guest"], at + ".guest") : host;
        if (p.guest.empty()) fail(at + ".guest", "empty");
        if (item.contains("readonly")) p.readonly = expectBool(item["readonly"], at + ".readonly");
        policy.preopens.push_back(std::move(p));
      }
    }
  }

  if (root.contains("env")) {
    const json& env = root["env"];
    expectObject(env, "env", {"inherit", "set"});
    if (env.contains("inherit")) policy.env_inherit = expectBool(env["inherit"], "env.inherit");
    if (env.contains("set")) {
      const json& set = env["set"];
      if (!set.is_object()) fail("env.set", "expected an object of strings, got " + typeName(set));
      for (auto it = set.begin(); it != set.end(); ++it) {
        std::string at = "env.set." + it.key();
        if (it.key().empty() || it.key().find('=') != std::string::npos) {
          fail(at, "a variable name must be non-empty and without '='");
        }
        policy.env_set.emplace_back(it.key(), expectString(it.value(), at));
      }
    }
  }

  if (root.contains("limits")) {
    const json& limits = root["limits"];
    expectObject(limits, "limits", {"memory_pages", "open_fds", "threads", "thread_stack"});
    if (limits.contains("memory_pages")) {
      policy.memory_pages = expectInteger(limits["memory_pages"], "limits.memory_pages", 0, 65536);
    }
    if (limits.contains("open_fds")) {
      policy.open_fds = static_cast<uint32_t>(expectInteger(limits["open_fds"], "limits.open_fds", 3, 1u << 20));
    }
    if (limits.contains("threads")) {
      policy.threads = static_cast<uint32_t>(expectInteger(limits["threads"], "limits.threads", 1, kMaxGuestThreads));
    }
    if (limits.contains("thread_stack")) {
      policy.thread_stack = expectInteger(limits["thread_stack"], "limits.thread_stack", kMinThreadStack, kMaxThreadStack);
    }
  }

  if (root.contains("network")) {
    // Every rule is parsed here so that a bad one stops the run before the
    // guest starts; the sockets layer compiles them again per instance.
    const json& net = root["network"];
    expectObject(net, "network", {"connect", "bind", "resolve", "tcplisten"});
    if (net.contains("connect")) policy.network.connect = expectStringArray(net["connect"], "network.connect");
    if (net.contains("bind")) policy.network.bind = expectStringArray(net["bind"], "network.bind");
    if (net.contains("resolve")) policy.network.resolve = expectStringArray(net["resolve"], "network.resolve");
    if (net.contains("tcplisten")) policy.network.tcplisten = expectStringArray(net["tcplisten"], "network.tcplisten");
    std::string why;
    for (size_t i = 0; i < policy.network.tcplisten.size(); ++i) {
      if (!wasi::parseListenAddress(policy.network.tcplisten[i], nullptr, &why)) {
        fail(indexed("network.tcplisten", i), why);
      }
    }
    for (size_t i = 0; i < policy.network.connect.size(); ++i) {
      if (!wasi::parseNetRule(policy.network.connect[i], true, &why)) fail(indexed("network.connect", i), why);
    }
    for (size_t i = 0; i < policy.network.bind.size(); ++i) {
      if (!wasi::parseNetRule(policy.network.bind[i], false, &why)) fail(indexed("network.bind", i), why);
    }
    for (size_t i = 0; i < policy.network.resolve.size(); ++i) {
      if (!wasi::checkResolvePattern(policy.network.resolve[i], &why)) fail(indexed("network.resolve", i), why);
    }
  }
  return policy;
}

}  // namespace

PolicyResult parsePolicyText(std::string_view text, const std::string& base_dir) {
  PolicyResult result;
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number like 1e1000 (found by fuzz_policy)
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ..." -> from "parse error";
    // "[json.exception.out_of_range.406] number overflow parsing '1e1000'" -> after the "] ".
    size_t start = what.find("parse error");
    if (start == std::string::npos && what.find("] ") != std::string::npos) start = what.find("] ") + 2;
    result.error = "invalid JSON: " + (start == std::string::npos ? what : what.substr(start));
    return result;
  }
  try {
    result.policy = parse(root, base_dir);
  } catch (const PolicyError& e) {
    result.error = oneLine(e.path.empty() ? e.message : e.path + ": " + e.message);
  }
  return result;
}

PolicyResult parsePolicyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return PolicyResult{std::nullopt, path + ": cannot read policy file"};
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string base = fs::path(path).parent_path().string();
  PolicyResult result = parsePolicyText(buffer.str(), base.empty() ? "." : base);
  if (!result.policy) result.error = path + ": " + result.error;
  return result;
}

std::optional<WasiPreopen> parseDirFlag(const std::string& spelling, std::string* error) {
  auto bad = [&](const std::string& why) -> std::optional<WasiPreopen> {
    *error = "--dir '" + spelling + "': " + why + " (expected HOST or HOST::GUEST)";
    return std::nullopt;
  };
  WasiPreopen p;
  size_t sep = spelling.find("::");
  if (sep == std::string::npos) {
    p.host = p.guest = spelling;
  } else {
    if (spelling.find("::", sep + 2) != std::string::npos) return bad("more than one '::'");
    p.host = spelling.substr(0, sep);
    p.guest = spelling.substr(sep + 2);
    if (p.guest.empty()) return bad("empty guest name");
  }
  if (p.host.empty()) return bad("empty host directory");
  return p;
}

std::optional<std::string> applyPolicy(const Policy& policy, const std::vector<std::string>& dir_flags,
                                       const std::vector<std::string>& env_flags, std::vector<std::string> args,
                                       WasiConfig* out, char** host_environ) {
  WasiConfig config;
  config.args = std::move(args);

  // Environment: inherited, then the manifest's, then the flags'; a later
  // value for the same name replaces the earlier one in place.
  std::vector<std::string> env;
  std::map<std::string, size_t> index;
  auto put = [&](const std::string& key, const std::string& value) {
    auto it = index.find(key);
    if (it != index.end()) {
      env[it->second] = key + "=" + value;
    } else {
      index[key] = env.size();
      env.push_back(key + "=" + value);
    }
  };
  if (policy.env_inherit) {
    for (char** e = host_environ ? host_environ : environ; e && *e; ++e) {
      std::string kv = *e;
      size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) continue;
      put(kv.substr(0, eq), kv.substr(eq + 1));
    }
  }
  for (const auto& [k, v] : policy.env_set) put(k, v);
  for (const std::string& kv : env_flags) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) return "--env '" + kv + "': expected KEY=VALUE";
    put(kv.substr(0, eq), kv.substr(eq + 1));
  }
  config.env = std::move(env);

  config.preopens = policy.preopens;
  for (const std::string& spelling : dir_flags) {
    std::string error;
    auto p = parseDirFlag(spelling, &error);
    if (!p) return error;
    if (std::string problem = directoryProblem(p->host); !problem.empty()) {
      return "--dir '" + spelling + "': " + p->host + ": " + problem;
    }
    config.preopens.push_back(std::move(*p));
  }
  auto rules = [](const std::vector<std::string>& list, const char* path) {
    std::vector<WasiNetRule> out;
    for (size_t i = 0; i < list.size(); ++i) out.push_back({list[i], indexed(path, i)});
    return out;
  };
  config.network.connect = rules(policy.network.connect, "network.connect");
  config.network.bind = rules(policy.network.bind, "network.bind");
  config.network.resolve = rules(policy.network.resolve, "network.resolve");
  for (size_t i = 0; i < policy.network.tcplisten.size(); ++i) {
    config.network.tcplisten.push_back({policy.network.tcplisten[i], "network.tcplisten[" + std::to_string(i) + "]"});
  }
  if (policy.memory_pages) config.limits.memory_pages = policy.memory_pages;
  if (policy.open_fds) config.limits.open_fds = *policy.open_fds;
  if (policy.threads) config.limits.threads = *policy.threads;
  if (policy.thread_stack) config.limits.thread_stack_bytes = *policy.thread_stack;
  if (auto problem = checkWasiConfig(config)) return problem;
  *out = std::move(config);
  return std::nullopt;
}

std::optional<std::string> buildWasiConfig(const std::optional<std::string>& policy_file,
                                           const std::vector<std::string>& dir_flags,
                                           const std::vector<std::string>& env_flags,
                                           std::vector<std::string> args, WasiConfig* out) {
  Policy policy;
  if (policy_file) {
    PolicyResult parsed = parsePolicyFile(*policy_file);
    if (!parsed.policy) return parsed.error;
    policy = std::move(*parsed.policy);
  }
  return applyPolicy(policy, dir_flags, env_flags, std::move(args), out, nullptr);
}

}  // namespace wasmaot::runtime

namespace wasmaot::runtime {

std::optional<std::string> applyNetworkFlags(const NetworkFlags& flags, WasiConfig* config) {
  std::string why;
  for (const std::string& spelling : flags.addr_pool) {
    size_t start = 0;
    for (;;) {
      size_t comma = spelling.find(',', start);
      std::string entry = spelling.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!wasi::parseAddrPoolEntry(entry, &why)) {
        return "--addr-pool '" + spelling + "': " + (entry.empty() ? std::string("empty entry") : "'" + entry + "': " + why);
      }
      config->network.addr_pool.push_back({entry, "--addr-pool"});
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  for (const std::string& pattern : flags.allow_resolve) {
    if (!wasi::checkResolvePattern(pattern, &why)) return "--allow-resolve '" + pattern + "': " + why;
    config->network.resolve.push_back({pattern, "--allow-resolve"});
  }
  for (const std::string& address : flags.tcplisten) {
    if (!wasi::parseListenAddress(address, nullptr, &why)) return "--tcplisten '" + address + "': " + why;
    config->network.tcplisten.push_back({address, "--tcplisten"});
  }
  config->network.trace = config->network.trace || flags.trace_policy;
  return std::nullopt;
}

}  // namespace wasmaot::runtime
