// Runtime objects without compiled code: linear memory reservation and
// growth (and that touching past the size faults), tables, globals,
// canonical type ids, the trap guard and the signal handler's decision.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "../../../runtime/src/runtime_private.h"

using namespace wasmaot;
using namespace wasmaot::runtime;

namespace {

abi::MemoryType memType(uint64_t min, std::optional<uint64_t> max = std::nullopt) {
  abi::MemoryType t;
  t.limits.min = min;
  t.limits.max = max;
  return t;
}

// Runs fn in a forked child; returns the signal that killed it (0 if none).
template <typename F>
int deathSignal(F fn) {
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    fn();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

}  // namespace

TEST_CASE("memory: reserve, grow, maximum and page limit") {
  std::string error;
  auto mem = Memory::create(memType(1, 3), &error);
  REQUIRE_MESSAGE(mem, error);
  CHECK(mem->sizePages() == 1);
  CHECK(mem->sizeBytes() == 65536);
  mem->data()[65535] = 7;
  CHECK(mem->grow(1) == 1);
  CHECK(mem->sizePages() == 2);
  mem->data()[2 * 65536 - 1] = 9;
  CHECK(mem->grow(2) == UINT32_MAX);  // past the maximum
  CHECK(mem->grow(0) == 2);
  CHECK(mem->grow(1) == 2);
  CHECK(mem->grow(0) == 3);
  CHECK(mem->type().limits.min == 3);
  CHECK(mem->type().limits.max == 3);

  auto unbounded = Memory::create(memType(0), &error);
  REQUIRE(unbounded);
  unbounded->setPageLimit(4);
  CHECK(unbounded->grow(4) == 0);
  CHECK(unbounded->grow(1) == UINT32_MAX);
  CHECK(unbounded->state()->base == unbounded->data());

  CHECK_FALSE(Memory::create(memType(65537), &error));
  CHECK(error.find("65536") != std::string::npos);
  CHECK(Memory::create(memType(0, 65536), &error));
}

TEST_CASE("memory: touching past the size faults (in a child)") {
  std::string error;
  auto mem = Memory::create(memType(1), &error);
  REQUIRE(mem);
  uint8_t* base = mem->data();
  CHECK(deathSignal([&] { base[100] = 1; }) == 0);
  CHECK(deathSignal([&] { base[65536] = 1; }) == SIGSEGV);
  CHECK(deathSignal([&] { base[(uint64_t{8} << 30) + 100] = 1; }) == SIGSEGV);
}

TEST_CASE("table: create, grow, limits") {
  abi::TableType type;
  type.element = abi::ValType::FuncRef;
  type.limits.min = 2;
  type.limits.max = 4;
  auto table = Table::create(type, nullptr);
  REQUIRE(table);
  CHECK(table->size() == 2);
  CHECK(table->get(1) == nullptr);
  int marker = 0;
  table->set(1, &marker);
  CHECK(table->get(1) == &marker);
  CHECK(table->grow(2, &marker) == 2);
  CHECK(table->get(3) == &marker);
  CHECK(table->state()->elements[1] == &marker);
  CHECK(table->grow(1, nullptr) == UINT32_MAX);
  CHECK(table->type().limits.min == 4);

  abi::TableType huge;
  huge.element = abi::ValType::ExternRef;
  auto open = Table::create(huge, nullptr);
  REQUIRE(open);
  CHECK(open->grow(UINT32_MAX, nullptr) == UINT32_MAX);  // refused, not an OOM
  CHECK(open->grow(0, nullptr) == 0);
}

TEST_CASE("global: value and type") {
  auto g = Global::create({abi::ValType::I64, true}, Value::i64(42));
  CHECK(g->get().bits == 42);
  CHECK(g->get().type == abi::ValType::I64);
  g->set(Value::i64(7));
  CHECK(g->cell()->bits == 7);
  CHECK(g->type().is_mutable);
  CHECK(Value::f32(1.0f).bits == 0x3f800000u);
}

TEST_CASE("canonicalTypeId: structural") {
  abi::FuncType a{{abi::ValType::I32}, {abi::ValType::I64}};
  abi::FuncType b{{abi::ValType::I32}, {abi::ValType::I64}};
  abi::FuncType c{{abi::ValType::I64}, {abi::ValType::I32}};
  abi::FuncType d{{}, {abi::ValType::I32, abi::ValType::I64}};
  abi::FuncType e{{abi::ValType::I32, abi::ValType::I64}, {}};
  CHECK(canonicalTypeId(a) == canonicalTypeId(b));
  CHECK(canonicalTypeId(a) != canonicalTypeId(c));
  CHECK(canonicalTypeId(d) != canonicalTypeId(e));
  CHECK(canonicalTypeId(abi::FuncType{}) != 0);
}

TEST_CASE("fault decision: only generated code touching a reservation is handled") {
  std::string error;
  auto mem = Memory::create(memType(1), &error);
  REQUIRE(mem);
  static char fake_code[256];
  auto code = reinterpret_cast<uintptr_t>(fake_code);
  auto base = reinterpret_cast<uintptr_t>(mem->data());
  REQUIRE(registerCodeRange(code, code + sizeof fake_code, nullptr));
  CHECK(classifyFault(code + 10, base + 65536) == FaultDecision::OutOfBoundsMemory);
  CHECK(classifyFault(code + 10, base + (uint64_t{8} << 30)) == FaultDecision::OutOfBoundsMemory);
  CHECK(classifyFault(code + 10, 16) == FaultDecision::NotOurs);             // null deref in "wasm"
  CHECK(classifyFault(code + sizeof fake_code, base + 65536) == FaultDecision::NotOurs);  // host pc
  CHECK(classifyFault(reinterpret_cast<uintptr_t>(&deathSignal<void (*)()>), base) == FaultDecision::NotOurs);
  unregisterCodeRanges(nullptr);
  CHECK(classifyFault(code + 10, base + 65536) == FaultDecision::NotOurs);
  uintptr_t freed = base;
  mem.reset();
  REQUIRE(registerCodeRange(code, code + sizeof fake_code, nullptr));
  CHECK(classifyFault(code + 10, freed + 65536) == FaultDecision::NotOurs);  // unregistered with the memory
  unregisterCodeRanges(nullptr);
}

namespace {

void raiseUnreachable(void*) { raiseTrap(abi::TrapCode::Unreachable); }
void raiseHostMessage(void*) { raiseTrap(abi::TrapCode::HostTrap, "custom failure"); }
void exitWith3(void*) { raiseExit(3); }
void returnNormally(void* p) { *static_cast<int*>(p) = 1; }

struct Nested {
  abi::VMContext* ctx;
  GuardOutcome inner;
};
void nestedTrap(void* p) {
  auto* n = static_cast<Nested*>(p);
  GuardOutcome inner = callGuarded(n->ctx, raiseUnreachable, nullptr);
  n->inner.kind = inner.kind;
  n->inner.trap.code = inner.trap.code;
  // The outer guard is still in place: this trap ends the outer call.
  raiseTrap(abi::TrapCode::IntegerOverflow);
}

int g_depth = 0;
__attribute__((noinline)) void recurseToLimit(abi::VMContext* ctx) {
  volatile char pad[256];
  pad[0] = 0;
  if (reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) < ctx->stack_limit) {
    raiseTrap(abi::TrapCode::CallStackExhausted);
  }
  ++g_depth;
  recurseToLimit(ctx);
  pad[1] = pad[0];
}
void recurseEntry(void* p) { recurseToLimit(static_cast<abi::VMContext*>(p)); }

}  // namespace

TEST_CASE("trap guard: traps, exits, nesting, stack limit") {
  abi::VMContext ctx{};
  int flag = 0;
  GuardOutcome ok = callGuarded(&ctx, returnNormally, &flag);
  CHECK(ok.kind == GuardOutcome::Kind::Returned);
  CHECK(flag == 1);
  CHECK(ctx.stack_limit != 0);
  CHECK(ctx.stack_limit < reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
  CHECK_FALSE(insideGuardedCall());

  GuardOutcome t = callGuarded(&ctx, raiseUnreachable, nullptr);
  CHECK(t.kind == GuardOutcome::Kind::Trapped);
  CHECK(t.trap.code == abi::TrapCode::Unreachable);
  CHECK(t.trap.message == "unreachable");

  GuardOutcome h = callGuarded(&ctx, raiseHostMessage, nullptr);
  CHECK(h.trap.message == "custom failure");
  GuardOutcome after = callGuarded(&ctx, raiseUnreachable, nullptr);
  CHECK(after.trap.message == "unreachable");  // the host message does not stick

  GuardOutcome e = callGuarded(&ctx, exitWith3, nullptr);
  CHECK(e.kind == GuardOutcome::Kind::Exited);
  CHECK(e.exit_status == 3);

  Nested n{&ctx, {}};
  GuardOutcome outer = callGuarded(&ctx, nestedTrap, &n);
  CHECK(n.inner.kind == GuardOutcome::Kind::Trapped);
  CHECK(n.inner.trap.code == abi::TrapCode::Unreachable);
  CHECK(outer.trap.code == abi::TrapCode::IntegerOverflow);

  g_depth = 0;
  GuardOutcome deep = callGuarded(&ctx, recurseEntry, &ctx);
  CHECK(deep.trap.code == abi::TrapCode::CallStackExhausted);
  CHECK(g_depth > 1000);
  CHECK(callGuarded(&ctx, returnNormally, &flag).kind == GuardOutcome::Kind::Returned);
  CHECK_FALSE(insideGuardedCall());
}

TEST_CASE("trap outside any guard aborts with a message instead of jumping") {
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGABRT, SIG_DFL);
    int devnull_fd = ::open("/dev/null", O_WRONLY);
    dup2(devnull_fd, 2);
    raiseTrap(abi::TrapCode::Unreachable);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGABRT);
}
