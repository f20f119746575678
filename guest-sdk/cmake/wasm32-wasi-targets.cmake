# Included after project() by wasm32-wasi.cmake (CMAKE_PROJECT_INCLUDE):
# the imported target wasmaot::socket_wasi_ext for explicit linking.
if(WASMAOT_SOCKET_WASI_EXT AND NOT TARGET wasmaot::socket_wasi_ext)
  add_library(wasmaot::socket_wasi_ext STATIC IMPORTED GLOBAL)
  set_target_properties(wasmaot::socket_wasi_ext PROPERTIES
    IMPORTED_LOCATION "${WASMAOT_SOCKET_WASI_EXT}"
    INTERFACE_INCLUDE_DIRECTORIES "${CMAKE_CURRENT_LIST_DIR}/../include")
endif()
