// Persistent socket registrations for poll_oneoff
// (runtime/src/wasi/fd_watchers.h) on a real libuv loop and a socketpair:
// one watcher per socket, interest changed only when a round wants other
// events, level-triggered reports, lazy stop of a socket a round leaves
// out, unregistration on close. Doctest suite `fd_watchers`.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "../../../runtime/src/wasi/fd_watchers.h"
#include "../../../runtime/src/wasi/wasi_context.h"

using namespace wasmaot::runtime::wasi;

namespace {

struct LoopAndPair {
  uv_loop_t loop;
  int sv[2] = {-1, -1};
  LoopAndPair() {
    REQUIRE(uv_loop_init(&loop) == 0);
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  }
  ~LoopAndPair() {
    uv_run(&loop, UV_RUN_NOWAIT);  // finishes pending closes
    CHECK(uv_loop_close(&loop) == 0);  // every handle was closed
    close(sv[0]);
    close(sv[1]);
  }
};

FdEntry socketEntry(int host) {
  FdEntry e;
  e.host = host;
  e.filetype = kFiletypeSocketStream;
  e.host_blocking = true;  // as after a blocking recv switched it
  return e;
}

// One poll_oneoff round that wants `events` on `w` (0: left out), with the
// interest registered.
void round(FdWatchers& watchers, FdWatcher* w, int events) {
  watchers.beginRound();
  if (events) watchers.want(w, events);
  watchers.applyInterest();
}

}  // namespace

TEST_SUITE("fd_watchers") {
  TEST_CASE("one watcher per socket, made once; the blocking mode change is recorded") {
    LoopAndPair t;
    FdEntry e = socketEntry(t.sv[0]);
    {
      FdWatchers watchers(&t.loop);
      FdWatcher* w = watchers.get(e);
      REQUIRE(w != nullptr);
      CHECK(e.host_blocking == false);  // uv_poll_init made the socket non-blocking
      e.host_blocking = true;
      CHECK(watchers.get(e) == w);      // the same watcher, no second init
      CHECK(e.host_blocking == true);   // and no second mode change
      CHECK(watchers.count() == 1);
      watchers.forget(t.sv[0]);
      CHECK(watchers.count() == 0);
    }
  }

  TEST_CASE("interest is registered when it changes, readiness is reported per round") {
    LoopAndPair t;
    FdEntry e = socketEntry(t.sv[0]);
    FdWatchers watchers(&t.loop);
    FdWatcher* w = watchers.get(e);
    REQUIRE(w != nullptr);

    // Round 1: readable wanted, nothing to read.
    watchers.beginRound();
    CHECK(watchers.want(w, UV_READABLE));  // the round's first want of it
    watchers.applyInterest();
    CHECK(w->registered == UV_READABLE);
    uv_run(&t.loop, UV_RUN_NOWAIT);
    CHECK(watchers.firedThisRound().empty());
    REQUIRE(write(t.sv[1], "x", 1) == 1);
    uv_run(&t.loop, UV_RUN_ONCE);
    REQUIRE(watchers.firedThisRound().size() == 1);
    CHECK(watchers.firedThisRound()[0] == w);
    CHECK((w->events & UV_READABLE) != 0);

    // Round 2: read and write wanted (two subscriptions): the union is
    // registered; the byte is still there, so it is reported again.
    watchers.beginRound();
    CHECK(watchers.firedThisRound().empty());
    CHECK(watchers.want(w, UV_READABLE));
    CHECK_FALSE(watchers.want(w, UV_WRITABLE));  // same socket, same round
    watchers.applyInterest();
    CHECK(w->registered == (UV_READABLE | UV_WRITABLE));
    uv_run(&t.loop, UV_RUN_ONCE);
    REQUIRE(watchers.firedThisRound().size() == 1);
    CHECK((w->events & UV_READABLE) != 0);
    CHECK((w->events & UV_WRITABLE) != 0);

    // Round 3: the same union again: nothing to change.
    round(watchers, w, UV_READABLE | UV_WRITABLE);
    CHECK(w->registered == (UV_READABLE | UV_WRITABLE));

    // Round 4: the socket is left out while it is ready: not reported, and
    // stopped when it fires (level-triggered readiness would wake every wait).
    round(watchers, w, 0);
    uv_run(&t.loop, UV_RUN_NOWAIT);
    CHECK(watchers.firedThisRound().empty());
    CHECK(w->registered == 0);

    // Round 5: wanted again: registered again and reported.
    round(watchers, w, UV_READABLE);
    CHECK(w->registered == UV_READABLE);
    uv_run(&t.loop, UV_RUN_ONCE);
    CHECK(watchers.firedThisRound().size() == 1);

    watchers.forget(t.sv[0]);
  }

  TEST_CASE("a closed peer is reported to a read interest") {
    LoopAndPair t;
    FdEntry e = socketEntry(t.sv[0]);
    FdWatchers watchers(&t.loop);
    FdWatcher* w = watchers.get(e);
    REQUIRE(w != nullptr);
    round(watchers, w, UV_READABLE | UV_DISCONNECT);
    shutdown(t.sv[1], SHUT_WR);
    uv_run(&t.loop, UV_RUN_ONCE);
    REQUIRE(watchers.firedThisRound().size() == 1);
    CHECK((w->events & (UV_READABLE | UV_DISCONNECT)) != 0);
    watchers.forget(t.sv[0]);
  }
}
