// Binding WASI imports: every function abi/host_functions.h declares is
// bound once, at instantiation, to its native entry point (the
// wasi_unstable variants where that module's layouts differ). The sock_*
// functions belong to the sockets issue and link to an ENOSYS stub here.
#include <cstdlib>
#include <string_view>

#include "wasi/wasi_context.h"
#include "wasi/wasi_functions.h"
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
  if (!decl) {
    *error = "unknown import";
    return false;
  }
  abi::FuncType declared;
  if (!parseSignature(decl->signature, &declared) || declared != type) {
    *error = "incompatible import type";
    return false;
  }
  bool unstable = module == abi::kWasiUnstableModule;
  for (const NativeEntry& f : kEntries) {
    if (f.name != name) continue;
    out->code = unstable && f.unstable ? f.unstable : f.preview1;
    out->ctx = WasiHost::context(caller);
    out->type_id = canonicalTypeId(type);
    out->reserved = 0;
    return true;
  }
  // Declared but served elsewhere (sock_*: the sockets issue): ENOSYS.
  size_t results = type.results.size();
  Function stub = makeHostFunction(type, [results](Instance*, std::span<uint64_t> slots) -> std::optional<Trap> {
    for (size_t i = 0; i < results; ++i) slots[i] = 0;
    if (results > 0) slots[0] = static_cast<uint64_t>(wasi::kNoSys);
    return std::nullopt;
  });
  return bindHostFunction(stub, caller, adapter, out, owner);
}

}  // namespace wasmaot::runtime
