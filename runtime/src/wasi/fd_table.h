// The guest's fd table, safe to use from several guest threads at once
// (wasi-threads: every thread's instance shares one WasiContext).
//
// Each open fd is a heap object with a reference count. A lookup takes a
// reference (FdRef) under the table's read lock, so a call that is using an
// fd keeps its host descriptor open even if another thread closes the guest
// fd meanwhile: the host descriptor is closed when the last reference goes,
// never while a call is still using its number. (Linux behaves alike: a
// close() does not interrupt a recv() blocked on the same socket.)
//
// Until a second thread exists the read lock is skipped (setThreaded), so a
// single-threaded guest pays two uncontended atomic increments per call.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <shared_mutex>
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
  // take the read lock.
  void setThreaded() { threaded_.store(true, std::memory_order_release); }

  FdRef get(uint32_t fd) const {
    if (!threaded_.load(std::memory_order_relaxed)) return take(fd);
    std::shared_lock lock(mutex_);
    return take(fd);
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
  FdRef take(uint32_t fd) const {
    if (fd >= slots_.size() || !slots_[fd]) return FdRef();
    FdObject* object = slots_[fd];
    object->refs.fetch_add(1, std::memory_order_relaxed);
    return FdRef(object);
  }
  static void drop(FdObject* object) { FdRef dropped(object); }

  mutable std::shared_mutex mutex_;
  std::atomic<bool> threaded_{false};
  // Sized once to the limit: slots never move, so a reader under the read
  // lock needs nothing more.
  std::vector<FdObject*> slots_;
  uint32_t open_count_ = 0;
  uint64_t next_serial_ = 1;
};

}  // namespace wasmaot::runtime::wasi
