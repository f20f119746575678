// The registry of address ranges the signal handler trusts: executable
// segments of loaded modules (is the faulting pc generated code?) and
// linear-memory reservations (is the fault address a wasm memory?).
// Readers are lock-free because the signal handler is one of them; writers
// take a mutex. Also maps backtrace addresses to function names.
#include <atomic>
#include <mutex>

#include "runtime_private.h"

namespace wasmaot::runtime {
namespace {

struct RangeSlot {
  std::atomic<uintptr_t> begin{0};  // 0 = free
  std::atomic<uintptr_t> end{0};
  std::atomic<const LoadedModule*> module{nullptr};
};

// A module has a few executable segments; a memory is one 8 GiB reservation,
// so the address space runs out long before the memory slots do.
constexpr size_t kCodeSlots = 4096;
constexpr size_t kMemorySlots = 16384;

RangeSlot g_code[kCodeSlots];
RangeSlot g_memory[kMemorySlots];
std::atomic<size_t> g_code_used{0};
std::atomic<size_t> g_memory_used{0};
std::mutex g_registry_mutex;

bool insertRange(RangeSlot* slots, size_t capacity, std::atomic<size_t>& used, uintptr_t begin,
                 uintptr_t end, const LoadedModule* module) {
  std::lock_guard lock(g_registry_mutex);
  size_t n = used.load(std::memory_order_relaxed);
  size_t index = n;
  for (size_t i = 0; i < n; ++i) {
    if (slots[i].begin.load(std::memory_order_relaxed) == 0) {
      index = i;
      break;
    }
  }
  if (index == capacity) return false;
  RangeSlot& slot = slots[index];
  slot.module.store(module, std::memory_order_relaxed);
  slot.end.store(end, std::memory_order_relaxed);
  slot.begin.store(begin, std::memory_order_release);  // publishes the slot
  if (index == n) used.store(n + 1, std::memory_order_release);
  return true;
}

const RangeSlot* findRange(const RangeSlot* slots, const std::atomic<size_t>& used, uintptr_t addr) {
  size_t n = used.load(std::memory_order_acquire);
  for (size_t i = 0; i < n; ++i) {
    uintptr_t b = slots[i].begin.load(std::memory_order_acquire);
    if (b != 0 && addr >= b && addr < slots[i].end.load(std::memory_order_relaxed)) return &slots[i];
  }
  return nullptr;
}

}  // namespace

bool registerCodeRange(uintptr_t begin, uintptr_t end, const LoadedModule* module) {
  return insertRange(g_code, kCodeSlots, g_code_used, begin, end, module);
}

void unregisterCodeRanges(const LoadedModule* module) {
  std::lock_guard lock(g_registry_mutex);
  size_t n = g_code_used.load(std::memory_order_relaxed);
  for (size_t i = 0; i < n; ++i) {
    if (g_code[i].module.load(std::memory_order_relaxed) == module) {
      g_code[i].begin.store(0, std::memory_order_release);
      g_code[i].end.store(0, std::memory_order_relaxed);
      g_code[i].module.store(nullptr, std::memory_order_relaxed);
    }
  }
}

bool registerMemoryRange(uintptr_t begin, uintptr_t end) {
  return insertRange(g_memory, kMemorySlots, g_memory_used, begin, end, nullptr);
}

void unregisterMemoryRange(uintptr_t begin) {
  std::lock_guard lock(g_registry_mutex);
  size_t n = g_memory_used.load(std::memory_order_relaxed);
  for (size_t i = 0; i < n; ++i) {
    if (g_memory[i].begin.load(std::memory_order_relaxed) == begin) {
      g_memory[i].begin.store(0, std::memory_order_release);
      g_memory[i].end.store(0, std::memory_order_relaxed);
      return;
    }
  }
}

// Async-signal-safe.
bool isGeneratedCode(uintptr_t pc) { return findRange(g_code, g_code_used, pc) != nullptr; }
bool isLinearMemoryReservation(uintptr_t addr) {
  return findRange(g_memory, g_memory_used, addr) != nullptr;
}

std::vector<std::string> symbolizeBacktrace(const uintptr_t* pcs, int count) {
  std::vector<std::string> names;
  std::lock_guard lock(g_registry_mutex);
  for (int i = 0; i < count; ++i) {
    const RangeSlot* slot = findRange(g_code, g_code_used, pcs[i]);
    if (!slot) continue;
    const LoadedModule* module = slot->module.load(std::memory_order_relaxed);
    if (!module) continue;
    std::string name = ModuleLoader::describePc(*module, pcs[i]);
    if (!name.empty()) names.push_back(std::move(name));
  }
  return names;
}

}  // namespace wasmaot::runtime
