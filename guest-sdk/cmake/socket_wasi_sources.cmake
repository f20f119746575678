# The sources of libsocket_wasi_ext (in guest-sdk/src), listed once for the
# SDK's own build (guest-sdk/CMakeLists.txt) and for lib_socket_wasi.cmake.
set(WASMAOT_SOCKET_WASI_SOURCES
  addr.c socket.c io.c sockopt.c getaddrinfo.c netdb_extra.c inet.c poll.c errno_location.c)
