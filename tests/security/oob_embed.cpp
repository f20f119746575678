// Out-of-bounds memory access at every width, around the 4 GiB boundary and
// around the end of memory, through the embedding API (the host process
// calls the guest ~7,000 times and must survive every trap).
//
//   oob_embed OOB.so
//
// OOB.so is gen_oob_wat.py's module compiled by `wasmaot compile`: one export
// per (load/store op, offset immediate), named load|store:OP:SIZE:OFFSET.
// Each is called with addresses 0xFFFFFFFF - k, 2^31 ± k, the end of memory
// - k and a few in-bounds ones. The effective address addr + offset is a
// 33-bit sum (no wrap-around in wasm): the access must trap with "out of
// bounds memory access" exactly when addr + offset + size > memory size, and
// otherwise load what is there / store what it was given. A trapping store
// must not change memory (no partial write at the boundary). Then memory
// grows by a page and everything runs again against the new boundary.
// Prints the counts; exit 0 when every call behaved.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "wasmaot/runtime/runtime.h"

using namespace wasmaot;
using namespace wasmaot::runtime;
using abi::ValType;

namespace {

struct Access {
  std::string name, op;
  bool store;
  uint32_t size;
  uint64_t offset;
  ValType type;
};

uint64_t readLe(const uint8_t* p, uint32_t n) {
  uint64_t v = 0;
  for (uint32_t i = 0; i < n; ++i) v |= uint64_t{p[i]} << (8 * i);
  return v;
}

// What a load of `a` at `ea` must return (as the result's bits).
uint64_t expectedLoad(const Access& a, const uint8_t* mem, uint64_t ea) {
  uint64_t raw = readLe(mem + ea, a.size);
  bool is_signed = a.op.find("_s") != std::string::npos;
  if (is_signed && a.size < 8) {
    uint64_t sign = uint64_t{1} << (a.size * 8 - 1);
    if (raw & sign) raw |= ~((sign << 1) - 1);
  }
  if (a.type == ValType::I32 || a.type == ValType::F32) raw &= 0xFFFFFFFFu;
  return raw;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: oob_embed OOB.so\n");
    return 2;
  }
  std::string error;
  auto module = LoadedModule::load(argv[1], &error);
  if (!module) {
    std::fprintf(stderr, "oob_embed: %s\n", error.c_str());
    return 2;
  }
  std::vector<Access> accesses;
  for (const abi::Export& e : module->info().exports) {
    if (e.kind != abi::ExternKind::Function) continue;
    char kind[8] = {}, op[32] = {};
    unsigned size = 0;
    unsigned long long offset = 0;
    if (std::sscanf(e.name.c_str(), "%7[a-z]:%31[^:]:%u:%llu", kind, op, &size, &offset) != 4) continue;
    const abi::FuncType& ft = module->info().functionType(e.index);
    Access a{e.name, op, std::strcmp(kind, "store") == 0, size, offset,
             std::strcmp(kind, "store") == 0 ? ft.params.at(1) : ft.results.at(0)};
    accesses.push_back(a);
  }
  auto made = Instance::instantiate(module, Imports{});
  if (made.kind != InstantiateResult::Kind::Ok) {
    std::fprintf(stderr, "oob_embed: instantiate: %s\n", made.message.c_str());
    return 2;
  }
  auto inst = made.instance;
  std::mt19937_64 rng(12345);

  uint64_t calls = 0, traps = 0, in_bounds = 0, wrong = 0, partial_writes = 0;
  for (int round = 0; round < 2; ++round) {
    Memory* mem = inst->memory();
    const uint64_t size = mem->sizeBytes();
    std::vector<uint64_t> addrs = {0xFFFFFFFFull, 0xFFFFFFFEull, 0xFFFFFFFDull, 0xFFFFFFFCull, 0xFFFFFFF9ull,
                                   0xFFFFFFF8ull, 0xFFFFFFF0ull, 0xFFFF0000ull, 0x80000000ull, 0x7FFFFFFFull,
                                   0x7FFFFFF8ull, 0x00010000ull, 0x00020000ull, 0, 1, 8, 0x100};
    for (uint64_t k : {1, 2, 3, 4, 7, 8, 9, 16}) addrs.push_back(size - k);
    addrs.push_back(size);
    for (const Access& a : accesses) {
      for (uint64_t addr : addrs) {
        // Fresh random contents, so loads prove they read memory and a
        // trapping store can be caught writing part of its value.
        uint8_t* base = mem->data();
        for (uint64_t i = 0; i < 64; ++i) base[size - 64 + i] = static_cast<uint8_t>(rng());
        for (uint64_t i = 0; i < 64; ++i) base[i] = static_cast<uint8_t>(rng());
        std::vector<uint8_t> before(base, base + size);
        const uint64_t ea = addr + a.offset;  // 33 bits, no wrap
        const bool oob = ea + a.size > size;
        const uint64_t value = rng();
        std::vector<Value> args = {Value::i32(static_cast<uint32_t>(addr))};
        if (a.store) args.push_back(Value{a.type, (a.type == ValType::I32 || a.type == ValType::F32) ? value & 0xFFFFFFFFu : value});
        CallOutcome out = inst->call(a.name, args);
        ++calls;
        bool ok;
        if (oob) {
          ok = out.kind == CallOutcome::Kind::Trapped && out.trap.message == "out of bounds memory access";
          if (ok) ++traps;
          if (a.store && std::memcmp(before.data(), mem->data(), size) != 0) {
            ++partial_writes;
            ok = false;
          }
        } else {
          ++in_bounds;
          if (out.kind != CallOutcome::Kind::Returned) {
            ok = false;
          } else if (a.store) {
            std::vector<uint8_t> want = before;
            for (uint32_t i = 0; i < a.size; ++i) want[ea + i] = static_cast<uint8_t>(value >> (8 * i));
            ok = std::memcmp(want.data(), mem->data(), size) == 0;
          } else {
            ok = out.results.size() == 1 && out.results[0].bits == expectedLoad(a, before.data(), ea);
          }
        }
        if (!ok) {
          ++wrong;
          if (wrong <= 20) {
            std::fprintf(stderr, "oob_embed: %s addr=0x%llx (ea 0x%llx, memory %llu bytes): expected %s, got %s%s\n",
                         a.name.c_str(), (unsigned long long)addr, (unsigned long long)ea,
                         (unsigned long long)size, oob ? "an out-of-bounds trap" : "success",
                         out.kind == CallOutcome::Kind::Trapped ? "trap: " : "no trap",
                         out.kind == CallOutcome::Kind::Trapped ? out.trap.message.c_str() : "");
          }
        }
      }
    }
    std::printf("oob_embed: memory %llu bytes: %zu accesses x %zu addresses\n", (unsigned long long)size,
                accesses.size(), addrs.size());
    if (round == 0) {
      CallOutcome g = inst->call("grow", {});
      if (g.kind != CallOutcome::Kind::Returned || g.results.at(0).bits != 1) {
        std::fprintf(stderr, "oob_embed: memory.grow failed\n");
        return 1;
      }
    }
  }
  std::printf("oob_embed: %llu calls: %llu out-of-bounds traps, %llu in-bounds accesses correct, "
              "%llu wrong, %llu partial writes; host alive\n",
              (unsigned long long)calls, (unsigned long long)traps, (unsigned long long)(in_bounds),
              (unsigned long long)wrong, (unsigned long long)partial_writes);
  return wrong == 0 ? 0 : 1;
}
