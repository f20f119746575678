// One guest file descriptor's state (the value kept in the fd table).
#pragma once

#include <dirent.h>

#include <cstdint>
#include <string>

#include "wasi/wasi_layouts.h"

namespace wasmaot::runtime::wasi {

struct FdEntry {
  int host = -1;
  bool owns_host = true;  // false for the host's stdio
  uint8_t filetype = kFiletypeUnknown;
  bool readonly = false;  // beneath a read-only preopen
  bool preopen = false;
  uint64_t rights_base = 0;
  uint64_t rights_inheriting = 0;
  std::string preopen_name;  // guest name of a preopen
  // fd_readdir: a stream on a separate open of the directory, and the cookie
  // its position corresponds to.
  DIR* dir = nullptr;
  uint64_t dir_cookie = 0;
  // Sockets (filetype socket_stream = TCP, socket_dgram = UDP). The host
  // socket is created non-blocking; `nonblock` is the guest's O_NONBLOCK.
  // Timeouts are SO_RCVTIMEO/SO_SNDTIMEO in microseconds, 0 = none.
  // The data path (sockets/socket_io.cpp) puts the host socket of a
  // guest-blocking fd into blocking mode with the guest's timeouts set on it,
  // so that a blocking receive sleeps in the kernel as a native one does;
  // `host_blocking` and the host_*_timeout_us fields say what the host
  // socket is set to now. Every other call wants it non-blocking
  // (sockets::hostNonblocking).
  bool nonblock = false;
  bool host_blocking = false;
  uint64_t host_recv_timeout_us = 0, host_send_timeout_us = 0;
  bool sock_v6 = false;
  bool sock_bound = false;  // bound through sock_bind (listen needs it, or a bind check)
  uint64_t recv_timeout_us = 0, send_timeout_us = 0;
  // Unique per opened entry (never reused): poll loops of other threads
  // tell a reused host fd number from the socket they registered.
  uint64_t serial = 0;
  bool isSocket() const { return filetype == kFiletypeSocketStream || filetype == kFiletypeSocketDgram; }
};

}  // namespace wasmaot::runtime::wasi
