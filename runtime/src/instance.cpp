// Instances after instantiation: exports by name, calls into exported
// functions (argument checks, marshalling through the type's entry
// trampoline under the trap guard), plus the small pieces of the embedding
// API (values, import sets, canonical function type ids).
#include <algorithm>
#include <bit>
#include <map>
#include <mutex>

#include "runtime_private.h"

namespace wasmaot::runtime {
namespace {

uint64_t normalize(ValType type, uint64_t bits) {
  return type == ValType::I32 || type == ValType::F32 ? (bits & 0xffffffffu) : bits;
}

std::string typeList(const std::vector<ValType>& types) {
  std::string out = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) out += ", ";
    out += abi::valTypeName(types[i]);
  }
  return out + ")";
}

CallOutcome invalidCall(std::string message) {
  CallOutcome out;
  out.kind = CallOutcome::Kind::Trapped;
  out.trap.code = abi::TrapCode::HostTrap;
  out.trap.message = std::move(message);
  return out;
}

struct EntryCall {
  abi::EntryTrampoline trampoline;
  void* code;
  abi::VMContext* ctx;
  uint64_t* slots;
};

void runEntry(void* data) {
  auto* call = static_cast<EntryCall*>(data);
  call->trampoline(call->code, call->ctx, call->slots);
}

}  // namespace

Value Value::f32(float v) { return f32Bits(std::bit_cast<uint32_t>(v)); }
Value Value::f64(double v) { return f64Bits(std::bit_cast<uint64_t>(v)); }

uint32_t canonicalTypeId(const abi::FuncType& type) {
  static std::mutex mutex;
  static std::map<std::string, uint32_t> ids;
  std::string key;
  key.reserve(type.params.size() + type.results.size() + 1);
  for (ValType t : type.params) key.push_back(static_cast<char>(t));
  key.push_back(':');
  for (ValType t : type.results) key.push_back(static_cast<char>(t));
  std::lock_guard lock(mutex);
  // Ids start at 1 so that a zeroed FuncRef never matches a real type.
  auto [it, inserted] = ids.try_emplace(key, static_cast<uint32_t>(ids.size() + 1));
  return it->second;
}

void Imports::define(const std::string& module, const std::string& name, Extern value) {
  entries_[{module, name}] = std::move(value);
}

const Extern* Imports::find(const std::string& module, const std::string& name) const {
  auto it = entries_.find({module, name});
  return it == entries_.end() ? nullptr : &it->second;
}

void Imports::enableWasi(WasiConfig config) {
  wasi_enabled_ = true;
  if (config.limits.memory_pages) memory_page_limit_ = std::min(memory_page_limit_, *config.limits.memory_pages);
  wasi_config_ = std::move(config);
}

void Imports::enableWasi(std::vector<std::string> args, std::vector<std::string> env) {
  WasiConfig config;
  config.args = std::move(args);
  config.env = std::move(env);
  enableWasi(std::move(config));
}

Instance::~Instance() = default;

std::optional<Extern> Instance::exportNamed(const std::string& name) {
  const abi::ModuleInfo& info = module_->info();
  for (const abi::Export& e : info.exports) {
    if (e.name != name) continue;
    Extern ext;
    ext.kind = e.kind;
    switch (e.kind) {
      case abi::ExternKind::Function:
        if (e.index >= functions_.size()) return std::nullopt;
        ext.function.type = info.functionType(e.index);
        ext.function.ref = functions_[e.index];
        ext.function.owner = shared_from_this();
        break;
      case abi::ExternKind::Table:
        if (e.index >= tables_.size()) return std::nullopt;
        ext.table = tables_[e.index];
        break;
      case abi::ExternKind::Memory:
        if (e.index >= memories_.size()) return std::nullopt;
        ext.memory = memories_[e.index];
        break;
      case abi::ExternKind::Global:
        if (e.index >= globals_.size()) return std::nullopt;
        ext.global = globals_[e.index];
        break;
      case abi::ExternKind::Tag:
        if (e.index >= tags_.size()) return std::nullopt;
        ext.tag = tags_[e.index];
        break;
    }
    return ext;
  }
  return std::nullopt;
}

CallOutcome Instance::call(const std::string& export_name, std::span<const Value> args) {
  for (const abi::Export& e : module_->info().exports) {
    if (e.name != export_name) continue;
    if (e.kind != abi::ExternKind::Function) return invalidCall("export \"" + export_name + "\" is not a function");
    return callFunction(e.index, args);
  }
  return invalidCall("no export named \"" + export_name + "\"");
}

CallOutcome Instance::callFunction(uint32_t function_index, std::span<const Value> args) {
  const abi::ModuleInfo& info = module_->info();
  if (function_index >= info.function_types.size()) {
    return invalidCall("no function with index " + std::to_string(function_index));
  }
  uint32_t type_index = info.function_types[function_index];
  const abi::FuncType& type = info.types[type_index];
  bool types_match = args.size() == type.params.size();
  for (size_t i = 0; types_match && i < args.size(); ++i) types_match = args[i].type == type.params[i];
  if (!types_match) {
    std::vector<ValType> given;
    for (const Value& v : args) given.push_back(v.type);
    return invalidCall("function " + std::to_string(function_index) + " takes " + typeList(type.params) +
                       ", called with " + typeList(given));
  }
  // A v128 takes two slots (abi::slotCount).
  std::vector<uint64_t> slots(std::max<size_t>({abi::slotCount(type.params), abi::slotCount(type.results), 1}));
  for (size_t i = 0, slot = 0; i < args.size(); ++i) {
    slots[slot++] = normalize(args[i].type, args[i].bits);
    if (args[i].type == ValType::V128) slots[slot++] = args[i].high;
  }
  const abi::FuncRef& target = functions_[function_index];
  EntryCall call{module_->descriptor().entry_trampolines[type_index], target.code, target.ctx, slots.data()};
  GuardOutcome guarded = callGuarded(&ctx_, runEntry, &call);
  CallOutcome out;
  switch (guarded.kind) {
    case GuardOutcome::Kind::Returned:
      out.kind = CallOutcome::Kind::Returned;
      for (size_t i = 0, slot = 0; i < type.results.size(); ++i) {
        Value value{type.results[i], normalize(type.results[i], slots[slot++])};
        if (value.type == ValType::V128) value.high = slots[slot++];
        out.results.push_back(value);
      }
      break;
    case GuardOutcome::Kind::Trapped:
      out.kind = CallOutcome::Kind::Trapped;
      out.trap = std::move(guarded.trap);
      break;
    case GuardOutcome::Kind::Exited:
      out.kind = CallOutcome::Kind::Exited;
      out.exit_status = guarded.exit_status;
      break;
  }
  return out;
}

}  // namespace wasmaot::runtime
