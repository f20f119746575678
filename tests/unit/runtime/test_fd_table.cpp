// The fd table shared by a guest's threads (runtime/src/wasi/fd_table.h):
// lowest-free allocation and the limit, a held reference keeping the host
// fd open across a close, renumber, and lookups racing closes and installs
// from several threads. Doctest suite `fd_table` (labels unit, threads).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "../../../runtime/src/wasi/fd_table.h"

using namespace wasmaot::runtime::wasi;

namespace {

FdEntry pipeEnd(int* other = nullptr) {
  int p[2];
  REQUIRE(pipe(p) == 0);
  if (other) *other = p[1];
  else close(p[1]);
  FdEntry e;
  e.host = p[0];
  e.filetype = kFiletypeUnknown;
  return e;
}

bool hostOpen(int fd) { return fcntl(fd, F_GETFD) != -1; }

}  // namespace

TEST_SUITE("fd_table") {
  TEST_CASE("lowest free fd, the limit, and EBADF") {
    FdTable t;
    t.setLimit(3);
    uint32_t a, b, c, d;
    REQUIRE(t.install(pipeEnd(), &a) == kSuccess);
    REQUIRE(t.install(pipeEnd(), &b) == kSuccess);
    REQUIRE(t.install(pipeEnd(), &c) == kSuccess);
    CHECK(a == 0);
    CHECK(b == 1);
    CHECK(c == 2);
    int host = t.get(2)->host;
    CHECK(t.install(pipeEnd(), &d) == kMfile);
    FdRef closed;
    CHECK(t.close(1, &closed) == kSuccess);
    closed.reset();
    CHECK(t.close(1, &closed) == kBadf);
    CHECK(!t.get(1));
    CHECK(!t.get(99));
    REQUIRE(t.install(pipeEnd(), &d) == kSuccess);
    CHECK(d == 1);  // the lowest free one again
    CHECK(t.renumber(2, 0) == kSuccess);
    CHECK(!t.get(2));
    CHECK(t.get(0)->host == host);
  }

  TEST_CASE("a reference keeps the host fd open until it goes") {
    FdTable t;
    t.setLimit(8);
    t.setThreaded();
    uint32_t fd;
    REQUIRE(t.install(pipeEnd(), &fd) == kSuccess);
    FdRef held = t.get(fd);
    int host = held->host;
    FdRef closed;
    REQUIRE(t.close(fd, &closed) == kSuccess);
    closed.reset();
    CHECK(!t.get(fd));        // the guest fd is gone at once
    CHECK(hostOpen(host));    // the host fd is not: a call still uses it
    held.reset();
    CHECK(!hostOpen(host));   // closed with the last reference
  }

  TEST_CASE("lookups race closes and installs from several threads") {
    FdTable t;
    t.setLimit(64);
    t.setThreaded();
    std::atomic<bool> stop{false};
    std::atomic<long> seen{0};
    std::atomic<long> closed_while_held{0};  // checked on this thread: doctest asserts are not thread-safe
    std::vector<std::thread> readers;
    for (int r = 0; r < 4; ++r) {
      readers.emplace_back([&] {
        while (!stop.load()) {
          for (uint32_t fd = 0; fd < 16; ++fd) {
            if (FdRef e = t.get(fd)) {
              // A held entry's host fd must be open, whatever the others do.
              if (!hostOpen(e->host)) closed_while_held.fetch_add(1);
              seen.fetch_add(1);
            }
          }
        }
      });
    }
    for (int round = 0; round < 2000; ++round) {
      uint32_t fd;
      REQUIRE(t.install(pipeEnd(), &fd) == kSuccess);
      FdRef closed;
      t.close(static_cast<uint32_t>(round * 7) % 16, &closed);  // some fd of the sixteen, open or not
    }
    stop = true;
    for (auto& th : readers) th.join();
    CHECK(closed_while_held.load() == 0);
    CHECK(seen.load() > 0);
  }
}
