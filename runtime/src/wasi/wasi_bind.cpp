// Binding WASI imports: every function abi/host_functions.h declares is
// bound once, at instantiation, to its native entry point (the
// wasi_unstable variants where that module's layouts differ). The socket
// calls (preview 1's sock_*, WAMR's and WasmEdge's extensions) live in
// wasi/sockets/ and are served under both module names, as WAMR does. WAMR
// and WasmEdge use some names with different signatures: an import gets
// preview 1's or WAMR's call if its wasm type is theirs, else WasmEdge V1's,
// else V2's; a type none has is a link error naming what was tried.
#include <cstdlib>
#include <string_view>

#include "wasi/wasi_context.h"
#include "wasi/wasi_functions.h"
#include "wasi/sockets/socket_functions.h"
#include "wasi/sockets/wasmedge_functions.h"
#include "wasi/wasi_sandbox_path.h"
#include "wasmaot/abi/host_functions.h"

namespace wasmaot::runtime {
namespace {

struct NativeEntry {
  std::string_view name;
  void* preview1;
  void* unstable;  // null: same as preview1
};

template <typename F>
void* native(F f) {
  return reinterpret_cast<void*>(f);
}

using namespace wasi;

const NativeEntry kEntries[] = {
    {"args_get", native(&args_get), nullptr},
    {"args_sizes_get", native(&args_sizes_get), nullptr},
    {"environ_get", native(&environ_get), nullptr},
    {"environ_sizes_get", native(&environ_sizes_get), nullptr},
    {"clock_res_get", native(&clock_res_get), nullptr},
    {"clock_time_get", native(&clock_time_get), nullptr},
    {"fd_advise", native(&fd_advise), nullptr},
    {"fd_allocate", native(&fd_allocate), nullptr},
    {"fd_close", native(&fd_close), nullptr},
    {"fd_datasync", native(&fd_datasync), nullptr},
    {"fd_fdstat_get", native(&fd_fdstat_get), nullptr},
    {"fd_fdstat_set_flags", native(&fd_fdstat_set_flags), nullptr},
    {"fd_fdstat_set_rights", native(&fd_fdstat_set_rights), nullptr},
    {"fd_filestat_get", native(&fd_filestat_get), native(&fd_filestat_get_unstable)},
    {"fd_filestat_set_size", native(&fd_filestat_set_size), nullptr},
    {"fd_filestat_set_times", native(&fd_filestat_set_times), nullptr},
    {"fd_pread", native(&fd_pread), nullptr},
    {"fd_prestat_get", native(&fd_prestat_get), nullptr},
    {"fd_prestat_dir_name", native(&fd_prestat_dir_name), nullptr},
    {"fd_pwrite", native(&fd_pwrite), nullptr},
    {"fd_read", native(&fd_read), nullptr},
    {"fd_readdir", native(&fd_readdir), nullptr},
    {"fd_renumber", native(&fd_renumber), nullptr},
    {"fd_seek", native(&fd_seek), native(&fd_seek_unstable)},
    {"fd_sync", native(&fd_sync), nullptr},
    {"fd_tell", native(&fd_tell), nullptr},
    {"fd_write", native(&fd_write), nullptr},
    {"path_create_directory", native(&path_create_directory), nullptr},
    {"path_filestat_get", native(&path_filestat_get), native(&path_filestat_get_unstable)},
    {"path_filestat_set_times", native(&path_filestat_set_times), nullptr},
    {"path_link", native(&path_link), nullptr},
    {"path_open", native(&path_open), nullptr},
    {"path_readlink", native(&path_readlink), nullptr},
    {"path_remove_directory", native(&path_remove_directory), nullptr},
    {"path_rename", native(&path_rename), nullptr},
    {"path_symlink", native(&path_symlink), nullptr},
    {"path_unlink_file", native(&path_unlink_file), nullptr},
    {"poll_oneoff", native(&poll_oneoff), native(&poll_oneoff_unstable)},
    {"proc_exit", native(&proc_exit), nullptr},
    {"proc_raise", native(&proc_raise), nullptr},
    {"sched_yield", native(&sched_yield), nullptr},
    {"random_get", native(&random_get), nullptr},
    {"sock_accept", native(&sock_accept), nullptr},
    {"sock_recv", native(&sock_recv), nullptr},
    {"sock_send", native(&sock_send), nullptr},
    {"sock_shutdown", native(&sock_shutdown), nullptr},
    // WAMR's socket extension (abi::kSocketFunctions).
    {"sock_open", native(&sock_open), nullptr},
    {"sock_bind", native(&sock_bind), nullptr},
    {"sock_connect", native(&sock_connect), nullptr},
    {"sock_listen", native(&sock_listen), nullptr},
    {"sock_recv_from", native(&sock_recv_from), nullptr},
    {"sock_send_to", native(&sock_send_to), nullptr},
    {"sock_close", native(&sock_close), nullptr},
    {"sock_addr_local", native(&sock_addr_local), nullptr},
    {"sock_addr_remote", native(&sock_addr_remote), nullptr},
    {"sock_addr_resolve", native(&sock_addr_resolve), nullptr},
#define WASMAOT_OPTION_ENTRIES(name) \
  {"sock_get_" #name, native(&sock_get_##name), nullptr}, {"sock_set_" #name, native(&sock_set_##name), nullptr},
    WASMAOT_OPTION_ENTRIES(recv_buf_size) WASMAOT_OPTION_ENTRIES(send_buf_size)
    WASMAOT_OPTION_ENTRIES(recv_timeout) WASMAOT_OPTION_ENTRIES(send_timeout)
    WASMAOT_OPTION_ENTRIES(reuse_addr) WASMAOT_OPTION_ENTRIES(reuse_port)
    WASMAOT_OPTION_ENTRIES(keep_alive) WASMAOT_OPTION_ENTRIES(broadcast)
    WASMAOT_OPTION_ENTRIES(linger) WASMAOT_OPTION_ENTRIES(tcp_no_delay)
    WASMAOT_OPTION_ENTRIES(tcp_quick_ack) WASMAOT_OPTION_ENTRIES(tcp_keep_idle)
    WASMAOT_OPTION_ENTRIES(tcp_keep_intvl) WASMAOT_OPTION_ENTRIES(tcp_fastopen_connect)
    WASMAOT_OPTION_ENTRIES(ip_multicast_loop) WASMAOT_OPTION_ENTRIES(ip_ttl)
    WASMAOT_OPTION_ENTRIES(ip_multicast_ttl) WASMAOT_OPTION_ENTRIES(ipv6_only)
#undef WASMAOT_OPTION_ENTRIES
    {"sock_set_ip_add_membership", native(&sock_set_ip_add_membership), nullptr},
    {"sock_set_ip_drop_membership", native(&sock_set_ip_drop_membership), nullptr},
};

// WasmEdge's socket calls (abi::kWasmEdgeV1/V2SocketFunctions), chosen by
// name and wasm type where WASI preview 1's or WAMR's signature did not match.
struct WasmEdgeEntry {
  bool v2;  // in kWasmEdgeV2SocketFunctions, else V1
  std::string_view name;
  void* native;
};

const WasmEdgeEntry kWasmEdgeEntries[] = {
    {false, "sock_open", native(&wasmedge::sock_open)},
    {false, "sock_bind", native(&wasmedge::sock_bind)},
    {false, "sock_connect", native(&wasmedge::sock_connect)},
    {false, "sock_accept", native(&wasmedge::sock_accept_v1)},
    {false, "sock_recv_from", native(&wasmedge::sock_recv_from_v1)},
    {false, "sock_send_to", native(&wasmedge::sock_send_to)},
    {false, "sock_getsockopt", native(&wasmedge::sock_getsockopt)},
    {false, "sock_setsockopt", native(&wasmedge::sock_setsockopt)},
    {false, "sock_getlocaladdr", native(&wasmedge::sock_getlocaladdr_v1)},
    {false, "sock_getpeeraddr", native(&wasmedge::sock_getpeeraddr_v1)},
    {false, "sock_getaddrinfo", native(&wasmedge::sock_getaddrinfo)},
    {false, "epoll_oneoff", native(&wasmedge::epoll_oneoff)},
    {true, "sock_recv_from", native(&wasmedge::sock_recv_from_v2)},
    {true, "sock_getlocaladdr", native(&wasmedge::sock_getlocaladdr_v2)},
    {true, "sock_getpeeraddr", native(&wasmedge::sock_getpeeraddr_v2)},
    {true, "sock_open_v2", native(&wasmedge::sock_open)},
    {true, "sock_bind_v2", native(&wasmedge::sock_bind)},
    {true, "sock_connect_v2", native(&wasmedge::sock_connect)},
    {true, "sock_listen_v2", native(&sock_listen)},
    {true, "sock_accept_v2", native(&sock_accept)},
    {true, "sock_recv_v2", native(&sock_recv)},
    {true, "sock_recv_from_v2", native(&wasmedge::sock_recv_from_v2)},
    {true, "sock_send_v2", native(&sock_send)},
    {true, "sock_send_to_v2", native(&wasmedge::sock_send_to)},
    {true, "sock_getlocaladdr_v2", native(&wasmedge::sock_getlocaladdr_v2)},
    {true, "sock_getpeeraddr_v2", native(&wasmedge::sock_getpeeraddr_v2)},
};

bool parseSignature(std::string_view sig, abi::FuncType* out) {
  bool results = false;
  for (char c : sig) {
    ValType t;
    switch (c) {
      case ':': results = true; continue;
      case 'i': t = ValType::I32; break;
      case 'I': t = ValType::I64; break;
      case 'f': t = ValType::F32; break;
      case 'F': t = ValType::F64; break;
      default: return false;
    }
    (results ? out->results : out->params).push_back(t);
  }
  return true;
}

// The WasmEdge call named `name` whose signature is `type` (V1 before V2,
// as WasmEdge links them), or null.
void* wasmedgeSocketEntry(std::string_view name, const abi::FuncType& type) {
  for (const WasmEdgeEntry& f : kWasmEdgeEntries) {
    if (f.name != name) continue;
    const abi::HostFunctionDecl* decl = f.v2 ? abi::findHostFunction(abi::kWasmEdgeV2SocketFunctions, name)
                                             : abi::findHostFunction(abi::kWasmEdgeV1SocketFunctions, name);
    abi::FuncType declared;
    if (decl && parseSignature(decl->signature, &declared) && declared == type) return f.native;
  }
  return nullptr;
}


void bindNative(void* code, Instance* caller, const abi::FuncType& type, abi::FuncRef* out) {
  out->code = code;
  out->ctx = WasiHost::context(caller);
  out->type_id = canonicalTypeId(type);
  out->reserved = 0;
  out->tail_code = nullptr;
}

// "(i32 i32) -> i32"
std::string describe(const abi::FuncType& type) {
  auto append = [](std::string& s, const std::vector<ValType>& v) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) s += ' ';
      s += abi::valTypeName(v[i]);
    }
  };
  std::string s;
  s += '(';
  append(s, type.params);
  s += ") -> ";
  if (type.results.size() != 1) s += '(';
  append(s, type.results);
  if (type.results.size() != 1) s += ')';
  return s;
}

// Every signature the host knows for `name`, with the ABI it belongs to:
// "WASI preview 1 (i32 i32 i32) -> i32, WasmEdge V1 (i32 i32) -> i32"; empty if none.
std::string triedSignatures(std::string_view name) {
  struct Family {
    const char* label;
    const abi::HostFunctionDecl* decl;
  };
  const Family families[] = {
      {"WASI preview 1", abi::findHostFunction(abi::kWasiFunctions, name)},
      {"WAMR", abi::findHostFunction(abi::kSocketFunctions, name)},
      {"WasmEdge V1", abi::findHostFunction(abi::kWasmEdgeV1SocketFunctions, name)},
      {"WasmEdge V2", abi::findHostFunction(abi::kWasmEdgeV2SocketFunctions, name)},
  };
  std::string tried;
  for (const Family& f : families) {
    abi::FuncType t;
    if (!f.decl || !parseSignature(f.decl->signature, &t)) continue;
    if (!tried.empty()) tried += ", ";
    tried += std::string(f.label) + " " + describe(t);
  }
  return tried;
}
}  // namespace

bool isWasiModuleName(const std::string& module) {
  return module == abi::kWasiModule || module == abi::kWasiUnstableModule;
}

std::shared_ptr<void> makeWasiState(const Imports& imports, Instance*, std::string* error) {
  // Test knob: resolve paths by the component walk even where openat2 works.
  if (const char* v = std::getenv("WASMAOT_WASI_NO_OPENAT2"); v && *v && *v != '0') wasi::setOpenat2Allowed(false);
  auto state = std::make_shared<wasi::WasiContext>();
  if (!state->init(imports.wasiConfig(), error)) return nullptr;
  return state;
}

bool resolveWasiImport(const std::string& module, const std::string& name, const abi::FuncType& type,
                       Instance* caller, void* adapter, abi::FuncRef* out, std::shared_ptr<void>* owner,
                       std::string* error) {
  const abi::HostFunctionDecl* decl = abi::findHostFunction(abi::kWasiFunctions, name);
  if (!decl) decl = abi::findHostFunction(abi::kSocketFunctions, name);
  abi::FuncType declared;
  bool matches = decl && parseSignature(decl->signature, &declared) && declared == type;
  if (!matches) {
    // Not preview 1's or WAMR's signature: one of WasmEdge's, told apart by type.
    if (void* code = wasmedgeSocketEntry(name, type)) {
      bindNative(code, caller, type, out);
      return true;
    }
    std::string tried = triedSignatures(name);
    if (tried.empty()) {
      *error = "unknown import";
    } else {
      *error = "incompatible import type " + describe(type) + " (tried " + tried + ") for";
    }
    return false;
  }
  bool unstable = module == abi::kWasiUnstableModule;
  for (const NativeEntry& f : kEntries) {
    if (f.name != name) continue;
    bindNative(unstable && f.unstable ? f.unstable : f.preview1, caller, type, out);
    return true;
  }
  // Declared but not implemented here (none today): ENOSYS.
  size_t results = type.results.size();
  Function stub = makeHostFunction(type, [results](Instance*, std::span<uint64_t> slots) -> std::optional<Trap> {
    for (size_t i = 0; i < results; ++i) slots[i] = 0;
    if (results > 0) slots[0] = static_cast<uint64_t>(wasi::kNoSys);
    return std::nullopt;
  });
  return bindHostFunction(stub, caller, adapter, out, owner);
}

}  // namespace wasmaot::runtime
