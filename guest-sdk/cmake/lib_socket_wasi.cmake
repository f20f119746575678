# Drop-in for WAMR's core/iwasm/libraries/lib-socket/lib_socket_wasi.cmake:
# a CMake project written for WAMR's socket documentation
#
#   include(<path>/lib_socket_wasi.cmake)
#   add_executable(app app.c)
#   target_link_libraries(app socket_wasi_ext)
#
# builds against the wasmaot guest SDK by changing only the include path.
# As WAMR's file does, this compiles the socket library from source with the
# project's own wasm32-wasi C compiler (wasmaot's toolchain file
# wasm32-wasi.cmake, or any clang targeting wasm32-wasi with wasi-libc), so
# it needs no prebuilt archive. The SDK headers (<wasi_socket_ext.h>,
# <netdb.h>, <sys/socket.h> ...) come with the target and are searched before
# wasi-libc's, which they extend.
include_guard(GLOBAL)

set(_wasmaot_socket_sdk "${CMAKE_CURRENT_LIST_DIR}/..")
if(NOT TARGET socket_wasi_ext)
  include(${CMAKE_CURRENT_LIST_DIR}/socket_wasi_sources.cmake)
  list(TRANSFORM WASMAOT_SOCKET_WASI_SOURCES PREPEND ${_wasmaot_socket_sdk}/src/
       OUTPUT_VARIABLE _wasmaot_socket_sources)
  add_library(socket_wasi_ext STATIC ${_wasmaot_socket_sources})
  # BEFORE and SYSTEM-free: the SDK headers #include_next wasi-libc's.
  target_include_directories(socket_wasi_ext BEFORE PUBLIC ${_wasmaot_socket_sdk}/include)
  set_target_properties(socket_wasi_ext PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON)
endif()
