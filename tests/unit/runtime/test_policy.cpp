// The policy manifest parser and the merge with command-line flags
// (runtime/include/wasmaot/runtime/policy.h). Doctest suite `policy`.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "wasmaot/runtime/policy.h"
#include "wasmaot/runtime/runtime.h"

namespace fs = std::filesystem;
using namespace wasmaot::runtime;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/wasmaot_policy_XXXXXX";
    path = mkdtemp(tmpl);
    fs::create_directories(path + "/data");
    fs::create_directories(path + "/logs");
    std::ofstream(path + "/file.txt") << "x";
  }
  ~TempDir() { fs::remove_all(path); }
};

std::string errorOf(const std::string& json, const std::string& base) {
  PolicyResult r = parsePolicyText(json, base);
  CHECK_FALSE(r.policy.has_value());
  return r.error;
}

}  // namespace

TEST_SUITE("policy") {
  TEST_CASE("the brief's example parses") {
    TempDir t;
    PolicyResult r = parsePolicyText(R"({
      "version": 1,
      "network": { "connect": ["127.0.0.0/8:1024-65535", "[::1]:8080"], "bind": ["tcp:127.0.0.1:8080"],
                   "resolve": ["localhost"] },
      "filesystem": { "preopens": [ { "host": "./data", "guest": "/data", "readonly": true },
                                    { "host": "logs" } ] },
      "env": { "inherit": false, "set": { "LOG": "1", "MODE": "fast" } },
      "limits": { "memory_pages": 16384, "open_fds": 1024 }
    })", t.path);
    REQUIRE_MESSAGE(r.policy.has_value(), r.error);
    const Policy& p = *r.policy;
    REQUIRE(p.preopens.size() == 2);
    CHECK(p.preopens[0].host == fs::path(t.path + "/data").lexically_normal().string());
    CHECK(p.preopens[0].guest == "/data");
    CHECK(p.preopens[0].readonly);
    CHECK(p.preopens[1].guest == "logs");  // defaults to the host spelling
    CHECK_FALSE(p.preopens[1].readonly);
    CHECK(p.env_set.size() == 2);
    CHECK(p.memory_pages == 16384u);
    CHECK(p.open_fds == 1024u);
    CHECK(p.network.connect.size() == 2);
    CHECK(p.network.resolve == std::vector<std::string>{"localhost"});
  }

  TEST_CASE("errors name the JSON path") {
    TempDir t;
    const std::string& b = t.path;
    CHECK(errorOf(R"({"version":1,"filesystem":{"preopens":[{"host":"data"},{"host":"nope"}]}})", b) ==
          "filesystem.preopens[1].host: no such directory");
    CHECK(errorOf(R"({"version":1,"filesystem":{"preopens":[{"host":"file.txt"}]}})", b) ==
          "filesystem.preopens[0].host: not a directory");
    CHECK(errorOf(R"({"version":1,"filesystem":{"preopens":[{"guest":"/x"}]}})", b) ==
          "filesystem.preopens[0].host: missing");
    CHECK(errorOf(R"({"version":1,"filesystem":{"preopens":[{"host":"data","readonly":"yes"}]}})", b) ==
          "filesystem.preopens[0].readonly: expected true or false, got a string");
    CHECK(errorOf(R"({"version":1,"filesystem":{"preopens":[{"host":"data","mode":"rw"}]}})", b).rfind(
              "filesystem.preopens[0].mode: unknown key", 0) == 0);
    CHECK(errorOf(R"({"version":1,"filesystem":{"preopens":{}}})", b) ==
          "filesystem.preopens: expected an array, got an object");
    CHECK(errorOf(R"({"version":1,"bogus":true})", b).rfind("bogus: unknown key", 0) == 0);
    CHECK(errorOf(R"({"filesystem":{}})", b).rfind("version: missing", 0) == 0);
    CHECK(errorOf(R"({"version":2})", b) == "version: unsupported version 2 (expected 1)");
    CHECK(errorOf(R"({"version":"1"})", b) == "version: expected an integer, got a string");
    CHECK(errorOf(R"({"version":1,"env":{"set":{"LOG":1}}})", b) == "env.set.LOG: expected a string, got a number");
    CHECK(errorOf(R"({"version":1,"env":{"set":{"A=B":"1"}}})", b).rfind("env.set.A=B:", 0) == 0);
    CHECK(errorOf(R"({"version":1,"env":{"inherit":1}})", b) == "env.inherit: expected true or false, got a number");
    CHECK(errorOf(R"({"version":1,"limits":{"memory_pages":70000}})", b) ==
          "limits.memory_pages: must be between 0 and 65536");
    CHECK(errorOf(R"({"version":1,"limits":{"memory_pages":-1}})", b) ==
          "limits.memory_pages: must be between 0 and 65536");
    CHECK(errorOf(R"({"version":1,"limits":{"open_fds":2}})", b) == "limits.open_fds: must be between 3 and 1048576");
    CHECK(errorOf(R"({"version":1,"limits":{"open_fds":1.5}})", b) == "limits.open_fds: expected an integer, got a number");
    CHECK(errorOf(R"({"version":1,"network":{"connect":["a", 5]}})", b) ==
          "network.connect[1]: expected a string, got a number");
    CHECK(errorOf(R"({"version":1,"network":{"listen":[]}})", b).rfind("network.listen: unknown key", 0) == 0);
    CHECK(errorOf(R"([1,2])", b) == "expected an object, got an array");
    CHECK(errorOf(R"({"version":1,)", b).rfind("invalid JSON: parse error at line 1", 0) == 0);
  }

  TEST_CASE("files: relative hosts are relative to the manifest") {
    TempDir t;
    std::ofstream(t.path + "/p.json") << R"({"version":1,"filesystem":{"preopens":[{"host":"data","guest":"/d"}]}})";
    PolicyResult r = parsePolicyFile(t.path + "/p.json");
    REQUIRE_MESSAGE(r.policy.has_value(), r.error);
    CHECK(r.policy->preopens[0].host == fs::path(t.path + "/data").lexically_normal().string());
    PolicyResult missing = parsePolicyFile(t.path + "/none.json");
    CHECK(missing.error == t.path + "/none.json: cannot read policy file");
    std::ofstream(t.path + "/bad.json") << R"({"version":1,"limits":{"open_fd":3}})";
    CHECK(parsePolicyFile(t.path + "/bad.json").error.rfind(t.path + "/bad.json: limits.open_fd: unknown key", 0) == 0);
  }

  TEST_CASE("--dir spellings") {
    std::string error;
    auto p = parseDirFlag("data", &error);
    REQUIRE(p);
    CHECK(p->host == "data");
    CHECK(p->guest == "data");
    p = parseDirFlag("./data::/sandbox", &error);
    REQUIRE(p);
    CHECK(p->host == "./data");
    CHECK(p->guest == "/sandbox");
    CHECK_FALSE(parseDirFlag("a::b::c", &error));
    CHECK(error.find("more than one '::'") != std::string::npos);
    CHECK_FALSE(parseDirFlag("::/x", &error));
    CHECK(error.find("empty host directory") != std::string::npos);
    CHECK_FALSE(parseDirFlag("a::", &error));
    CHECK(error.find("empty guest name") != std::string::npos);
    CHECK_FALSE(parseDirFlag("", &error));
  }

  TEST_CASE("flags add to the manifest") {
    TempDir t;
    PolicyResult r = parsePolicyText(
        R"({"version":1,"env":{"inherit":true,"set":{"LOG":"1","HOME":"/guest"}},
            "filesystem":{"preopens":[{"host":"data","guest":"/data"}]},
            "limits":{"memory_pages":10,"open_fds":20}})",
        t.path);
    REQUIRE(r.policy);
    char a[] = "HOME=/root", b[] = "PATH=/bin", c[] = "LOG=0";
    char* host_env[] = {a, b, c, nullptr};
    WasiConfig config;
    auto err = applyPolicy(*r.policy, {t.path + "/logs::/logs"}, {"LOG=2", "NEW=x"}, {"prog", "arg"}, &config,
                           host_env);
    REQUIRE_FALSE(err);
    CHECK(config.env == std::vector<std::string>{"HOME=/guest", "PATH=/bin", "LOG=2", "NEW=x"});
    REQUIRE(config.preopens.size() == 2);
    CHECK(config.preopens[1].guest == "/logs");
    CHECK(config.args == std::vector<std::string>{"prog", "arg"});
    CHECK(config.limits.memory_pages == 10u);
    CHECK(config.limits.open_fds == 20u);

    CHECK(*applyPolicy(Policy{}, {t.path + "/absent"}, {}, {}, &config) ==
          "--dir '" + t.path + "/absent': " + t.path + "/absent: no such directory");
    CHECK(applyPolicy(Policy{}, {}, {"NOEQUALS"}, {}, &config)->find("expected KEY=VALUE") != std::string::npos);
    CHECK(buildWasiConfig(std::string(t.path + "/none.json"), {}, {}, {}, &config)->find("cannot read") !=
          std::string::npos);
  }

  TEST_CASE("default: nothing inherited, no preopens") {
    WasiConfig config;
    REQUIRE_FALSE(buildWasiConfig(std::nullopt, {}, {}, {"p"}, &config));
    CHECK(config.env.empty());
    CHECK(config.preopens.empty());
    CHECK_FALSE(config.limits.memory_pages.has_value());
  }

  TEST_CASE("enableWasi takes the memory page limit") {
    WasiConfig config;
    config.limits.memory_pages = 100;
    Imports imports;
    imports.enableWasi(config);
    CHECK(imports.memoryPageLimit() == 100);
    CHECK(imports.wasiEnabled());
  }
}
