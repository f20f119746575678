// The guest's fd table, safe to use from several guest threads at once
// (wasi-threads: every thread's instance shares one WasiContext).
//
// Each open fd is a heap object with a reference count. A lookup takes a
// reference (FdRef) under its slot's lock, so a call that is using an
// fd keeps its host descriptor open even if another thread closes the guest
// fd meanwhile: the host descriptor is closed when the last reference goes,
// never while a call is still using its number. (Linux behaves alike: a
// close() does not interrupt a recv() blocked on the same socket.)
//
// Each slot has its own lock on its own cache line: threads working on
// different fds (a thread-per-connection server) never touch a shared line
// on the send/recv path. Installing, closing and renumbering also take the
// table's mutex. Until a second thread exists the slot lock is skipped
// (setThreaded), so a single-threaded guest pays two uncontended atomic
// operations per call.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include "wasi/fd_entry.h"

namespace wasmaot::runtime::wasi {

struct FdObject {
  explicit FdObject(FdEntry e) : entry(std::move(e)) {}
  ~FdObject();  // closes the directory stream and the host fd
  FdEntry entry;
  std::atomic<uint32_t> refs{1};
  // Serialises the rare state changes two threads could make on one fd at
  // once (the host socket's blocking mode and timeouts, readdir's stream).
  std::mutex mutex;
};

// A counted reference to an open fd's entry (null if the fd is not open).
class FdRef {
 public:
  FdRef() = default;
  explicit FdRef(FdObject* object) : object_(object) {}
  FdRef(const FdRef&) = delete;
  FdRef& operator=(const FdRef&) = delete;
  FdRef(FdRef&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
  FdRef& operator=(FdRef&& other) noexcept {
    if (this != &other) {
      reset();
      object_ = std::exchange(other.object_, nullptr);
    }
    return *this;
  }
  ~FdRef() { reset(); }

  void reset() {
    if (object_ && object_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete object_;
    object_ = nullptr;
  }
  explicit operator bool() const { return object_ != nullptr; }
  FdEntry* operator->() const { return &object_->entry; }
  FdEntry& operator*() const { return object_->entry; }
  FdEntry* get() const { return object_ ? &object_->entry : nullptr; }
  std::mutex& mutex() const { return object_->mutex; }
  // Passing a held reference to a helper that takes FdEntry* is fine; taking
  // a raw pointer out of a temporary would leave it dangling, so that does
  // not compile.
  operator FdEntry*() const& { return get(); }
  operator FdEntry*() const&& = delete;

 private:
  FdObject* object_ = nullptr;
};

class FdTable {
 public:
  FdTable() = default;
  ~FdTable();
  FdTable(const FdTable&) = delete;
  FdTable& operator=(const FdTable&) = delete;

  // The table holds at most `limit` open fds (EMFILE past it).
  void setLimit(uint32_t limit);
  // Appends an entry at start-up (stdio, preopens, listeners), before any
  // guest code runs.
  void append(FdEntry entry);
  // Called before the first extra guest thread starts: from then on lookups
  // take the slot lock.
  void setThreaded() { threaded_.store(true, std::memory_order_release); }

  FdRef get(uint32_t fd) const {
    if (fd >= slots_.size()) return FdRef();
    const Slot& slot = slots_[fd];
    if (!threaded_.load(std::memory_order_relaxed)) return take(slot);
    slot.lock();
    FdRef ref = take(slot);
    slot.unlock();
    return ref;
  }
  // Installs at the lowest free fd; EMFILE past the limit (the entry is
  // then released, closing its host fd).
  int32_t install(FdEntry entry, uint32_t* guest_fd);
  // Removes a guest fd; its host fd closes when the last reference goes.
  // *closed receives the removed reference (so the caller can unregister
  // it from its poll loop first).
  int32_t close(uint32_t fd, FdRef* closed);
  // fd_renumber: `to` takes `from`'s entry; `from` becomes free.
  int32_t renumber(uint32_t from, uint32_t to);

 private:
  // One fd: its object (null = closed) and a spin lock held only for a
  // pointer read and a reference increment (or a pointer swap).
  struct alignas(64) Slot {
    FdObject* object = nullptr;
    mutable std::atomic<bool> busy{false};
    void lock() const {
      while (busy.exchange(true, std::memory_order_acquire)) {
        while (busy.load(std::memory_order_relaxed)) __builtin_ia32_pause();
      }
    }
    void unlock() const { busy.store(false, std::memory_order_release); }
  };
  static FdRef take(const Slot& slot) {
    FdObject* object = slot.object;
    if (!object) return FdRef();
    object->refs.fetch_add(1, std::memory_order_relaxed);
    return FdRef(object);
  }
  // Swaps a slot's object under its lock (the table mutex held).
  FdObject* exchange(uint32_t fd, FdObject* object) {
    Slot& slot = slots_[fd];
    slot.lock();
    FdObject* old = slot.object;
    slot.object = object;
    slot.unlock();
    return old;
  }
  static void drop(FdObject* object) { FdRef dropped(object); }

  std::mutex mutex_;  // install, close, renumber
  std::atomic<bool> threaded_{false};
  // Sized once to the limit: slots never move.
  std::vector<Slot> slots_;
  uint32_t open_count_ = 0;
  uint64_t next_serial_ = 1;
};

}  // namespace wasmaot::runtime::wasi
