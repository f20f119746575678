#!/bin/sh
# check_headers.sh CLANG SYSROOT SDK_INCLUDE_DIR
# Every SDK header must compile on its own, as C11 and as C++17 (syntax only).
set -eu
clang=$1 sysroot=$2 inc=$3
status=0
for h in wasi_socket_ext.h netdb.h sys/socket.h netinet/in.h arpa/inet.h poll.h setjmp.h; do
  for lang in c c++; do
    std=c11; [ $lang = c++ ] && std=c++17
    if ! printf '#include <%s>\nint wasmaot_header_check;\n' "$h" |
        "$clang" --target=wasm32-wasi --sysroot="$sysroot" -isystem "$inc" \
          -x $lang -std=$std -Wall -Wextra -Werror -fsyntax-only -; then
      echo "FAIL: <$h> as $lang" >&2
      status=1
    fi
  done
done
[ $status -eq 0 ] && echo "ok: SDK headers compile as C and C++"
exit $status
