// End to end: exceptions and the embedding API (exceptions_host.wat, built
// with wat2wasm at build time). A wasm exception that no wasm frame catches
// ends the call as the trap "uncaught exception (tag ...)"; an exception
// never crosses a host function: a host function calling back into wasm
// sees that trap, and a trap it passes on is not catchable by wasm. The
// instance keeps working afterwards.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "wasmaot/compiler/compile.h"
#include "wasmaot/runtime/runtime.h"

using namespace wasmaot;
using namespace wasmaot::runtime;
using abi::ValType;

namespace {

struct Fixture {
  std::shared_ptr<LoadedModule> module;
  std::shared_ptr<Instance> instance;
  CallOutcome inner;  // what the host function's callback saw last
};

Fixture& fixture() {
  static Fixture f = [] {
    Fixture fx;
    std::ifstream in(WASMAOT_EXCEPTIONS_HOST_WASM, std::ios::binary);
    std::vector<uint8_t> wasm((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(!wasm.empty());
    char dir_template[] = "/tmp/wasmaot-exceptions-XXXXXX";
    std::string so = std::string(mkdtemp(dir_template)) + "/exceptions.so";
    compiler::CompileOptions options;
    options.threads = 1;
    auto failure = compiler::compileToSharedObject(wasm, options, so);
    if (failure) FAIL("compile failed: " << failure->message);
    std::string error;
    fx.module = LoadedModule::load(so, &error);
    if (!fx.module) FAIL("load failed: " << error);
    Imports imports;
    Extern call_back;
    call_back.function = makeHostFunction(
        {{ValType::I32}, {ValType::I32}}, [](Instance* caller, std::span<uint64_t> slots) -> std::optional<Trap> {
          Value arg[] = {Value::i32(static_cast<uint32_t>(slots[0]))};
          fixture().inner = caller->call("thrower", arg);
          if (fixture().inner.kind == CallOutcome::Kind::Trapped) return fixture().inner.trap;
          return std::nullopt;
        });
    imports.define("env", "call_back", call_back);
    auto r = Instance::instantiate(fx.module, imports);
    if (r.kind != InstantiateResult::Kind::Ok) FAIL("instantiate failed: " << r.message << r.trap.message);
    fx.instance = r.instance;
    return fx;
  }();
  return f;
}

CallOutcome call(const char* name, int32_t arg) {
  Value args[] = {Value::i32(static_cast<uint32_t>(arg))};
  return fixture().instance->call(name, args);
}

}  // namespace

TEST_CASE("thrown and caught in wasm, with the payload") {
  CallOutcome out = call("caught", 7);
  REQUIRE(out.kind == CallOutcome::Kind::Returned);
  CHECK(out.results.at(0).bits == 1007);
}

TEST_CASE("an uncaught exception ends the call as a trap naming the tag") {
  CallOutcome out = call("uncaught", 3);
  REQUIRE(out.kind == CallOutcome::Kind::Trapped);
  CHECK(out.trap.code == abi::TrapCode::UncaughtException);
  CHECK(out.trap.message == "uncaught exception (tag 0 exported as \"e\")");
}

TEST_CASE("an exception does not cross a host function") {
  CallOutcome out = call("through_host", 5);
  // The callback's own call ended with the exception as a trap ...
  REQUIRE(fixture().inner.kind == CallOutcome::Kind::Trapped);
  CHECK(fixture().inner.trap.code == abi::TrapCode::UncaughtException);
  // ... which the host passed on: a trap, which catch_all does not catch.
  REQUIRE(out.kind == CallOutcome::Kind::Trapped);
  CHECK(out.trap.code == abi::TrapCode::UncaughtException);
  // The instance still throws and catches afterwards, many times over.
  for (int i = 0; i < 1000; ++i) {
    CallOutcome again = call("caught", i);
    REQUIRE(again.kind == CallOutcome::Kind::Returned);
    CHECK(again.results.at(0).bits == static_cast<uint64_t>(1000 + i));
  }
}
