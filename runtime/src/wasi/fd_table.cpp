// The guest's fd table (see fd_table.h).
#include "wasi/fd_table.h"

#include <unistd.h>

#include "wasi/wasi_layouts.h"

namespace wasmaot::runtime::wasi {

FdObject::~FdObject() {
  if (entry.dir) closedir(entry.dir);
  if (entry.owns_host && entry.host >= 0) ::close(entry.host);
}

FdTable::~FdTable() {
  for (Slot& slot : slots_) {
    if (slot.object) drop(std::exchange(slot.object, nullptr));
  }
}

void FdTable::setLimit(uint32_t limit) { slots_ = std::vector<Slot>(limit); }

void FdTable::append(FdEntry entry) {
  entry.serial = next_serial_++;
  for (Slot& slot : slots_) {
    if (!slot.object) {
      slot.object = new FdObject(std::move(entry));
      ++open_count_;
      return;
    }
  }
  drop(new FdObject(std::move(entry)));  // past the limit (checkWasiConfig prevents it)
}

int32_t FdTable::install(FdEntry entry, uint32_t* guest_fd) {
  std::unique_lock lock(mutex_);
  if (open_count_ >= slots_.size()) {
    lock.unlock();
    drop(new FdObject(std::move(entry)));
    return kMfile;
  }
  entry.serial = next_serial_++;
  uint32_t fd = 0;
  while (slots_[fd].object) ++fd;  // a free slot exists: open_count_ < size
  exchange(fd, new FdObject(std::move(entry)));
  ++open_count_;
  *guest_fd = fd;
  return kSuccess;
}

int32_t FdTable::close(uint32_t fd, FdRef* closed) {
  std::unique_lock lock(mutex_);
  if (fd >= slots_.size() || !slots_[fd].object) return kBadf;
  *closed = FdRef(exchange(fd, nullptr));  // takes over the table's reference
  --open_count_;
  return kSuccess;
}

int32_t FdTable::renumber(uint32_t from, uint32_t to) {
  FdObject* replaced = nullptr;
  {
    std::unique_lock lock(mutex_);
    if (from >= slots_.size() || to >= slots_.size() || !slots_[from].object || !slots_[to].object) return kBadf;
    if (from == to) return kSuccess;
    replaced = exchange(to, exchange(from, nullptr));
    --open_count_;
  }
  drop(replaced);  // outside the lock: this may close a host fd
  return kSuccess;
}

}  // namespace wasmaot::runtime::wasi
