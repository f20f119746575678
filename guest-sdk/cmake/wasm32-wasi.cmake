# CMake toolchain file: build guest programs for wasm32-wasi with the
# distribution's clang-19 and wasi-libc, plus the wasmaot guest SDK.
#
#   cmake -S app -B app/build -G Ninja \
#         -DCMAKE_TOOLCHAIN_FILE=/path/to/wasmaot/guest-sdk/cmake/wasm32-wasi.cmake \
#         -DWASMAOT_SOCKET_WASI_EXT=/path/to/build/guest-sdk/lib/libsocket_wasi_ext.a
#
# Executables get the suffix .wasm. The SDK headers (<wasi_socket_ext.h>,
# <netdb.h>, the extended <sys/socket.h> ...) are searched before wasi-libc's.
# libsocket_wasi_ext.a is linked into every executable (an archive: only the
# functions a program uses are pulled in); it is looked for, unless
# WASMAOT_SOCKET_WASI_EXT names it, in <sdk>/lib and in the build trees
# <repo>/build*/guest-sdk/lib. It is also available as the imported target
# wasmaot::socket_wasi_ext after project() (see the end of this file).
#
# Variables: WASMAOT_CLANG (clang-19), WASMAOT_CLANGXX (clang++-19),
# WASMAOT_WASI_SYSROOT (/usr: headers in /usr/include/wasm32-wasi, libraries
# in /usr/lib/wasm32-wasi), WASMAOT_SOCKET_WASI_EXT, WASMAOT_WASM_OPT (ON lets
# clang run wasm-opt after linking; OFF by default, as wasmaot-cc).

set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)

get_filename_component(_wasmaot_sdk_dir "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
get_filename_component(_wasmaot_repo_dir "${_wasmaot_sdk_dir}/.." ABSOLUTE)

# Cache entries survive into try_compile projects through this list.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES
  WASMAOT_CLANG WASMAOT_CLANGXX WASMAOT_WASI_SYSROOT WASMAOT_SOCKET_WASI_EXT WASMAOT_WASM_OPT)

if(NOT WASMAOT_CLANG)
  find_program(WASMAOT_CLANG NAMES clang-19 clang REQUIRED)
endif()
if(NOT WASMAOT_CLANGXX)
  find_program(WASMAOT_CLANGXX NAMES clang++-19 clang++)
endif()
if(NOT WASMAOT_WASI_SYSROOT)
  set(WASMAOT_WASI_SYSROOT "/usr" CACHE PATH "wasi-libc sysroot (<root>/include/wasm32-wasi, <root>/lib/wasm32-wasi)")
endif()

set(CMAKE_C_COMPILER "${WASMAOT_CLANG}")
set(CMAKE_C_COMPILER_TARGET wasm32-wasi)
if(WASMAOT_CLANGXX)
  set(CMAKE_CXX_COMPILER "${WASMAOT_CLANGXX}")
  set(CMAKE_CXX_COMPILER_TARGET wasm32-wasi)
endif()
set(CMAKE_SYSROOT "${WASMAOT_WASI_SYSROOT}")

find_program(WASMAOT_LLVM_AR NAMES llvm-ar-19 llvm-ar)
find_program(WASMAOT_LLVM_RANLIB NAMES llvm-ranlib-19 llvm-ranlib)
if(WASMAOT_LLVM_AR)
  set(CMAKE_AR "${WASMAOT_LLVM_AR}" CACHE FILEPATH "archiver for wasm objects")
endif()
if(WASMAOT_LLVM_RANLIB)
  set(CMAKE_RANLIB "${WASMAOT_LLVM_RANLIB}" CACHE FILEPATH "ranlib for wasm archives")
endif()

set(CMAKE_EXECUTABLE_SUFFIX ".wasm")
set(CMAKE_EXECUTABLE_SUFFIX_C ".wasm")
set(CMAKE_EXECUTABLE_SUFFIX_CXX ".wasm")
# No shared libraries or PIC on wasm32-wasi with this libc.
set(CMAKE_POSITION_INDEPENDENT_CODE OFF)
set_property(GLOBAL PROPERTY TARGET_SUPPORTS_SHARED_LIBS FALSE)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# setjmp/longjmp lowered onto wasm exception handling (<setjmp.h> of the SDK).
set(CMAKE_C_FLAGS_INIT "-mllvm -wasm-enable-sjlj")

# The SDK headers come before wasi-libc's (they #include_next it).
set(CMAKE_C_STANDARD_INCLUDE_DIRECTORIES "${_wasmaot_sdk_dir}/include")
set(CMAKE_CXX_STANDARD_INCLUDE_DIRECTORIES "${_wasmaot_sdk_dir}/include")

# clang runs wasm-opt after linking when one is installed; keep the output
# independent of that (see tools/wasm-opt-passthrough.in) unless asked.
if(NOT WASMAOT_WASM_OPT)
  set(_wasmaot_nowasmopt "${CMAKE_BINARY_DIR}/wasmaot-no-wasm-opt")
  if(NOT EXISTS "${_wasmaot_nowasmopt}/wasm-opt")
    file(MAKE_DIRECTORY "${_wasmaot_nowasmopt}")
    file(COPY_FILE "${_wasmaot_sdk_dir}/tools/wasm-opt-passthrough.in" "${_wasmaot_nowasmopt}/wasm-opt")
    file(CHMOD "${_wasmaot_nowasmopt}/wasm-opt" PERMISSIONS
      OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endif()
  set(CMAKE_EXE_LINKER_FLAGS_INIT "-B${_wasmaot_nowasmopt}/")
endif()

# libsocket_wasi_ext.a
if(NOT WASMAOT_SOCKET_WASI_EXT)
  file(GLOB _wasmaot_lib_candidates
    "${_wasmaot_sdk_dir}/lib/libsocket_wasi_ext.a"
    "${_wasmaot_repo_dir}/build/guest-sdk/lib/libsocket_wasi_ext.a"
    "${_wasmaot_repo_dir}/build*/guest-sdk/lib/libsocket_wasi_ext.a")
  if(_wasmaot_lib_candidates)
    list(GET _wasmaot_lib_candidates 0 _wasmaot_lib)
    set(WASMAOT_SOCKET_WASI_EXT "${_wasmaot_lib}" CACHE FILEPATH "libsocket_wasi_ext.a (wasm32-wasi)")
  endif()
endif()
if(WASMAOT_SOCKET_WASI_EXT)
  # Appended to every link line, before the driver's implicit -lc, so our
  # socket functions (accept, recv, send, poll ...) win over wasi-libc's.
  # libwasmaot_sjlj.a, beside it, is the setjmp/longjmp runtime (pulled in
  # only by programs that call setjmp).
  set(_wasmaot_libs "\"${WASMAOT_SOCKET_WASI_EXT}\"")
  get_filename_component(_wasmaot_lib_dir "${WASMAOT_SOCKET_WASI_EXT}" DIRECTORY)
  if(EXISTS "${_wasmaot_lib_dir}/libwasmaot_sjlj.a")
    string(APPEND _wasmaot_libs " \"${_wasmaot_lib_dir}/libwasmaot_sjlj.a\"")
  endif()
  set(CMAKE_C_STANDARD_LIBRARIES "${_wasmaot_libs}")
  set(CMAKE_CXX_STANDARD_LIBRARIES "${_wasmaot_libs}")
  # Imported target for projects that prefer to say it: after project(),
  # include this file's companion via CMAKE_PROJECT_INCLUDE.
  set(CMAKE_PROJECT_INCLUDE "${CMAKE_CURRENT_LIST_DIR}/wasm32-wasi-targets.cmake")
else()
  message(WARNING "wasm32-wasi toolchain: libsocket_wasi_ext.a not found; build the "
                  "socket_wasi_ext target of wasmaot and pass -DWASMAOT_SOCKET_WASI_EXT=<path>")
endif()

set(CMAKE_FIND_ROOT_PATH "${WASMAOT_WASI_SYSROOT}" "${_wasmaot_sdk_dir}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
