// Linear memory: one PROT_NONE reservation of 8 GiB + 64 KiB per memory, so
// that any 32-bit address plus any 32-bit offset (plus an access of up to
// 16 bytes) lands inside it and generated code needs no bounds checks.
// Growth commits pages with mprotect; the base never moves. The reservation
// is registered with the fault registry so the signal handler can tell an
// out-of-bounds wasm access from a host bug.
#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "runtime_private.h"

namespace wasmaot::runtime {
namespace {

constexpr uint64_t kPageSize = 65536;
constexpr uint64_t kMaxPages32 = 65536;  // 4 GiB
constexpr uint64_t kReservationBytes = (uint64_t{8} << 30) + kPageSize;

}  // namespace

std::shared_ptr<Memory> Memory::create(const abi::MemoryType& type, std::string* error) {
  auto set_error = [&](const std::string& text) {
    if (error) *error = text;
  };
  if (type.limits.min > kMaxPages32 || (type.limits.max && *type.limits.max > kMaxPages32)) {
    set_error("memory size must be at most 65536 pages (4 GiB)");
    return nullptr;
  }
  if (type.limits.max && *type.limits.max < type.limits.min) {
    set_error("memory maximum is below its minimum");
    return nullptr;
  }
  void* base = mmap(nullptr, kReservationBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) {
    set_error(std::string("cannot reserve address space for a linear memory: ") + std::strerror(errno));
    return nullptr;
  }
  std::shared_ptr<Memory> memory(new Memory());
  memory->state_.base = static_cast<uint8_t*>(base);
  memory->state_.size_bytes = 0;
  memory->reserved_bytes_ = kReservationBytes;
  memory->max_pages_ = type.limits.max;
  memory->shared_ = type.shared;
  if (!registerMemoryRange(reinterpret_cast<uintptr_t>(base), reinterpret_cast<uintptr_t>(base) + kReservationBytes)) {
    // Without registration an out-of-bounds access would crash the host.
    munmap(base, kReservationBytes);
    memory->state_.base = nullptr;
    set_error("too many linear memories (fault registry full)");
    return nullptr;
  }
  if (type.limits.min > 0 && memory->grow(static_cast<uint32_t>(type.limits.min)) == UINT32_MAX) {
    set_error("cannot commit " + std::to_string(type.limits.min) + " pages of linear memory");
    return nullptr;
  }
  return memory;
}

Memory::~Memory() {
  if (state_.base) {
    unregisterMemoryRange(reinterpret_cast<uintptr_t>(state_.base));
    munmap(state_.base, reserved_bytes_);
  }
}

uint32_t Memory::grow(uint32_t delta_pages) {
  // Growing only commits pages inside the fixed reservation, so other
  // threads never see the memory move; the lock orders concurrent grows.
  std::lock_guard<std::mutex> lock(grow_mutex_);
  uint64_t old_pages = state_.size_bytes / kPageSize;
  uint64_t new_pages = old_pages + delta_pages;
  uint64_t limit = kMaxPages32;
  if (max_pages_ && *max_pages_ < limit) limit = *max_pages_;
  if (page_limit_ < limit) limit = page_limit_;
  if (new_pages > limit) return UINT32_MAX;
  if (delta_pages == 0) return static_cast<uint32_t>(old_pages);
  if (mprotect(state_.base + state_.size_bytes, uint64_t{delta_pages} * kPageSize, PROT_READ | PROT_WRITE) != 0) {
    return UINT32_MAX;
  }
  __atomic_store_n(&state_.size_bytes, new_pages * kPageSize, __ATOMIC_RELEASE);
  return static_cast<uint32_t>(old_pages);
}

abi::MemoryType Memory::type() const {
  abi::MemoryType t;
  t.limits.min = sizePages();
  t.limits.max = max_pages_;
  t.shared = shared_;
  return t;
}

}  // namespace wasmaot::runtime
