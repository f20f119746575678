// Instance::instantiate, following WebAssembly 2.0: resolve and type-check
// imports, create the defined tables, memories and globals (constant
// initialisers included), fill the VM context, run the active element and
// data segments in order (a trap leaves earlier segments' effects in
// place), drop active and declarative segments, then run the start function.
#include <functional>

#include "runtime_private.h"

namespace wasmaot::runtime {
namespace {

std::string quoted(const abi::Import& imp) { return "\"" + imp.module + "\" \"" + imp.name + "\""; }

// Limits subtyping for imports: the provided object's current size must be
// at least the declared minimum, and if a maximum is declared the provided
// object must have one no larger.
bool limitsMatch(const abi::Limits& actual, const abi::Limits& declared) {
  if (actual.min < declared.min) return false;
  if (declared.max) return actual.max && *actual.max <= *declared.max;
  return true;
}

}  // namespace

// Segment initialisation runs under a trap guard; this is what it calls.
struct SegmentInit {
  Instance* inst;
  std::vector<uint32_t> element_offsets;  // per element segment (active only)
  std::vector<uint32_t> data_offsets;     // per data segment (active only)
};

InstantiateResult Instance::instantiate(std::shared_ptr<LoadedModule> module, const Imports& imports) {
  return instantiateImpl(std::move(module), imports, imports.threads_.get(), nullptr);
}

InstantiateResult Instance::instantiateThread(std::shared_ptr<LoadedModule> module, const Imports& imports,
                                              ThreadGroup* group, std::shared_ptr<void> wasi_state) {
  return instantiateImpl(std::move(module), imports, group, std::move(wasi_state));
}

InstantiateResult Instance::instantiateImpl(std::shared_ptr<LoadedModule> module, const Imports& imports,
                                            ThreadGroup* group, std::shared_ptr<void> shared_wasi_state) {
  InstantiateResult result;
  auto linkError = [&](std::string message) {
    result.kind = InstantiateResult::Kind::LinkError;
    result.message = std::move(message);
    return result;
  };
  if (!module) return linkError("no module");
  if (group) rememberThreadImports(group, imports);
  const abi::ModuleInfo& info = module->info();
  const abi::CompiledModuleDescriptor& desc = module->descriptor();

  std::shared_ptr<Instance> inst(new Instance());
  inst->module_ = module;
  for (const abi::FuncType& t : info.types) inst->type_ids_.push_back(canonicalTypeId(t));
  inst->functions_.resize(info.function_types.size());
  inst->tables_.resize(info.tables.size());
  inst->memories_.resize(info.memories.size());
  inst->globals_.resize(info.globals.size());
  inst->tags_.resize(info.tags.size());
  if (shared_wasi_state) {
    inst->wasi_state_ = std::move(shared_wasi_state);  // a wasi-threads thread: the main instance's
  } else if (imports.wasiEnabled()) {
    std::string wasi_error;
    inst->wasi_state_ = makeWasiState(imports, inst.get(), &wasi_error);
    if (!inst->wasi_state_) return linkError("WASI: " + wasi_error);
  }

  // Imports.
  for (const abi::Import& imp : info.imports) {
    const Extern* ext = imports.find(imp.module, imp.name);
    std::string incompatible = "incompatible import type for " + quoted(imp);
    switch (imp.kind) {
      case abi::ExternKind::Function: {
        if (imp.index >= info.function_types.size()) return linkError("corrupt module: bad import index");
        uint32_t type_index = info.function_types[imp.index];
        const abi::FuncType& type = info.types[type_index];
        void* adapter = desc.host_adapters[type_index];
        abi::FuncRef& slot = inst->functions_[imp.index];
        std::shared_ptr<void> owner;
        if (ext) {
          if (ext->kind != abi::ExternKind::Function || ext->function.type != type) return linkError(incompatible);
          if (!bindHostFunction(ext->function, inst.get(), adapter, &slot, &owner)) {
            if (!ext->function.ref.code) return linkError(incompatible);
            slot = ext->function.ref;
            owner = ext->function.owner;
          }
        } else if (group && imp.module == "wasi" && imp.name == "thread-spawn") {
          std::string error;
          if (!bindThreadSpawn(group, type, inst.get(), adapter, &slot, &owner, &error)) {
            return linkError(error + " " + quoted(imp));
          }
        } else if (group && imp.module == "wasmaot" && imp.name == "thread_exit") {
          std::string error;
          if (!bindThreadExit(type, inst.get(), &slot, &error)) return linkError(error + " " + quoted(imp));
        } else if (imports.wasiEnabled() && isWasiModuleName(imp.module)) {
          std::string error;
          if (!resolveWasiImport(imp.module, imp.name, type, inst.get(), adapter, &slot, &owner, &error)) {
            return linkError(error + " " + quoted(imp));
          }
        } else {
          return linkError("unknown import " + quoted(imp));
        }
        slot.type_id = inst->type_ids_[type_index];
        if (owner) inst->function_owners_.push_back(std::move(owner));
        break;
      }
      case abi::ExternKind::Table: {
        if (!ext) return linkError("unknown import " + quoted(imp));
        if (imp.index >= info.tables.size()) return linkError("corrupt module: bad import index");
        const abi::TableType& declared = info.tables[imp.index];
        if (ext->kind != abi::ExternKind::Table || !ext->table) return linkError(incompatible);
        abi::TableType actual = ext->table->type();
        if (actual.element != declared.element || !limitsMatch(actual.limits, declared.limits)) {
          return linkError(incompatible);
        }
        inst->tables_[imp.index] = ext->table;
        break;
      }
      case abi::ExternKind::Memory: {
        if (!ext) return linkError("unknown import " + quoted(imp));
        if (imp.index >= info.memories.size()) return linkError("corrupt module: bad import index");
        if (ext->kind != abi::ExternKind::Memory || !ext->memory) return linkError(incompatible);
        if (!limitsMatch(ext->memory->type().limits, info.memories[imp.index].limits) ||
            ext->memory->type().shared != info.memories[imp.index].shared) {
          return linkError(incompatible);
        }
        inst->memories_[imp.index] = ext->memory;
        break;
      }
      case abi::ExternKind::Global: {
        if (!ext) return linkError("unknown import " + quoted(imp));
        if (imp.index >= info.globals.size()) return linkError("corrupt module: bad import index");
        if (ext->kind != abi::ExternKind::Global || !ext->global) return linkError(incompatible);
        if (!(ext->global->type() == info.globals[imp.index].type)) return linkError(incompatible);
        inst->globals_[imp.index] = ext->global;
        break;
      }
      case abi::ExternKind::Tag: {
        if (!ext) return linkError("unknown import " + quoted(imp));
        if (imp.index >= info.tags.size()) return linkError("corrupt module: bad import index");
        if (ext->kind != abi::ExternKind::Tag || !ext->tag) return linkError(incompatible);
        if (ext->tag->type != info.types[info.tags[imp.index]]) return linkError(incompatible);
        inst->tags_[imp.index] = ext->tag;
        break;
      }
    }
  }
  for (size_t i = 0; i < info.num_imported_functions; ++i) {
    if (!inst->functions_[i].code) return linkError("corrupt module: function import " + std::to_string(i) + " unbound");
  }

  // Defined functions.
  for (uint32_t i = info.num_imported_functions; i < info.function_types.size(); ++i) {
    const uint32_t defined = i - info.num_imported_functions;
    inst->functions_[i] = abi::FuncRef{desc.function_code[defined], &inst->ctx_, inst->type_ids_[info.function_types[i]],
                                       0, desc.function_tail_code ? desc.function_tail_code[defined] : nullptr};
  }

  // Constant expressions; the referenced functions and globals exist by now
  // (the decoder only allows earlier globals).
  bool const_ok = true;
  // The value's bits; a v128's high half goes to *high.
  std::function<uint64_t(const abi::ConstExpr&, uint64_t*)> evaluate = [&](const abi::ConstExpr& e,
                                                                          uint64_t* high) -> uint64_t {
    using K = abi::ConstExpr::Kind;
    switch (e.kind) {
      case K::RefNull: return 0;
      case K::RefFunc:
        if (e.index >= inst->functions_.size()) break;
        return reinterpret_cast<uint64_t>(&inst->functions_[e.index]);
      case K::GlobalGet: {
        if (e.index >= inst->globals_.size() || !inst->globals_[e.index]) break;
        const Value value = inst->globals_[e.index]->get();
        if (high) *high = value.high;
        return value.bits;
      }
      case K::V128Const:
        if (high) *high = e.high;
        return e.bits;
      case K::Extended: {
        // Validated stack program of constants and i32/i64 add, sub, mul.
        std::vector<uint64_t> stack;
        for (const abi::ConstExpr& op : e.ops) {
          if (op.kind < K::I32Add || op.kind > K::I64Mul) {
            stack.push_back(evaluate(op, nullptr));
            continue;
          }
          if (stack.size() < 2) break;
          const uint64_t rhs = stack.back();
          stack.pop_back();
          uint64_t& lhs = stack.back();
          switch (op.kind) {
            case K::I32Add: case K::I64Add: lhs += rhs; break;
            case K::I32Sub: case K::I64Sub: lhs -= rhs; break;
            default: lhs *= rhs; break;
          }
          if (op.kind <= K::I32Mul) lhs &= 0xffffffffu;  // i32 arithmetic wraps at 32 bits
        }
        if (stack.size() == 1) return stack.back();
        break;
      }
      default: return e.bits;
    }
    const_ok = false;
    return 0;
  };

  // Defined tables, memories and globals.
  for (size_t i = info.num_imported_tables; i < info.tables.size(); ++i) {
    inst->tables_[i] = Table::create(info.tables[i], nullptr);
    if (!inst->tables_[i]) return linkError("cannot create table " + std::to_string(i) + ": too large");
  }
  for (size_t i = info.num_imported_memories; i < info.memories.size(); ++i) {
    const abi::MemoryType& type = info.memories[i];
    if (type.limits.min > imports.memoryPageLimit()) {
      return linkError("memory " + std::to_string(i) + " needs " + std::to_string(type.limits.min) +
                       " pages, more than the limit of " + std::to_string(imports.memoryPageLimit()));
    }
    std::string error;
    inst->memories_[i] = Memory::create(type, &error);
    if (!inst->memories_[i]) return linkError("cannot create memory " + std::to_string(i) + ": " + error);
    inst->memories_[i]->setPageLimit(imports.memoryPageLimit());
  }
  for (size_t i = info.num_imported_globals; i < info.globals.size(); ++i) {
    uint64_t high = 0;
    uint64_t bits = evaluate(info.globals[i].init, &high);
    inst->globals_[i] = Global::create(info.globals[i].type, Value{info.globals[i].type.type, bits, high});
  }
  for (size_t i = info.num_imported_tags; i < info.tags.size(); ++i) {
    auto tag = std::make_shared<Tag>();
    tag->type = info.types[info.tags[i]];
    tag->slot_count = static_cast<uint32_t>(abi::slotCount(tag->type.params));
    tag->name = "tag " + std::to_string(i);
    for (const abi::Export& e : info.exports) {
      if (e.kind == abi::ExternKind::Tag && e.index == i) {
        tag->name += " exported as \"" + e.name + "\"";
        break;
      }
    }
    inst->tags_[i] = std::move(tag);
  }
  for (auto& t : inst->tags_) inst->tag_pointers_.push_back(t.get());
  for (auto& m : inst->memories_) inst->memory_states_.push_back(m->state());
  for (auto& t : inst->tables_) inst->table_states_.push_back(t->state());
  for (auto& g : inst->globals_) inst->global_cells_.push_back(g->cell());

  // The VM context.
  abi::VMContext& ctx = inst->ctx_;
  if (!inst->memories_.empty()) {
    ctx.memory_base = inst->memories_[0]->data();
    ctx.memory = inst->memories_[0]->state();
  }
  ctx.stack_limit = currentThreadStackLimit();
  ctx.runtime = RuntimeHelpers::table();
  ctx.functions = inst->functions_.data();
  ctx.tables = inst->table_states_.data();
  ctx.globals = inst->global_cells_.data();
  ctx.type_ids = inst->type_ids_.data();
  ctx.instance = inst.get();
  ctx.tags = inst->tag_pointers_.data();
  ctx.memories = inst->memory_states_.data();

  // Segments: evaluate element items, then run active segments in order.
  SegmentInit init{inst.get(), {}, {}};
  for (const abi::ElementSegment& seg : info.elements) {
    std::vector<void*> items;
    items.reserve(seg.items.size());
    for (const abi::ConstExpr& e : seg.items) items.push_back(reinterpret_cast<void*>(evaluate(e, nullptr)));
    inst->element_items_.push_back(std::move(items));
    init.element_offsets.push_back(seg.mode == abi::SegmentMode::Active ? static_cast<uint32_t>(evaluate(seg.offset, nullptr)) : 0);
    if (seg.mode == abi::SegmentMode::Active && seg.table_index >= inst->tables_.size()) const_ok = false;
  }
  for (const abi::DataSegment& seg : info.data) {
    init.data_offsets.push_back(seg.mode == abi::SegmentMode::Active ? static_cast<uint32_t>(evaluate(seg.offset, nullptr)) : 0);
    if (seg.mode == abi::SegmentMode::Active && seg.memory_index >= inst->memories_.size()) const_ok = false;
  }
  if (!const_ok) return linkError("corrupt module: constant expression or segment refers to a missing entity");
  inst->dropped_elements_.assign(info.elements.size(), false);
  inst->dropped_data_.assign(info.data.size(), false);

  // Functions of this instance written into an imported table must outlive
  // this instance's other owners, even if instantiation fails below.
  for (size_t i = 0; i < info.elements.size(); ++i) {
    const abi::ElementSegment& seg = info.elements[i];
    if (seg.mode != abi::SegmentMode::Active || seg.table_index >= info.num_imported_tables || seg.items.empty()) {
      continue;
    }
    auto& keep = inst->tables_[seg.table_index]->keep_alive_;
    std::shared_ptr<void> self = inst;
    if (keep.empty() || keep.back() != self) keep.push_back(std::move(self));
  }

  GuardOutcome segments = callGuarded(&inst->ctx_, RuntimeHelpers::runSegmentInit, &init);
  if (segments.kind == GuardOutcome::Kind::Trapped) {
    result.kind = InstantiateResult::Kind::Trapped;
    result.trap = std::move(segments.trap);
    return result;
  }

  if (info.start_function) {
    CallOutcome start = inst->callFunction(*info.start_function, {});
    if (start.kind == CallOutcome::Kind::Trapped) {
      result.kind = InstantiateResult::Kind::Trapped;
      result.trap = std::move(start.trap);
      return result;
    }
    if (start.kind == CallOutcome::Kind::Exited) {
      result.kind = InstantiateResult::Kind::Exited;
      result.exit_status = start.exit_status;
      return result;
    }
  }
  result.instance = std::move(inst);
  return result;
}

// Runs under the trap guard: no C++ object with a destructor lives here.
void RuntimeHelpers::runSegmentInit(void* data) {
  auto* init = static_cast<SegmentInit*>(data);
  Instance* inst = init->inst;
  const abi::ModuleInfo& info = inst->module_->info();
  for (size_t i = 0; i < info.elements.size(); ++i) {
    const abi::ElementSegment& seg = info.elements[i];
    if (seg.mode == abi::SegmentMode::Active) {
      RuntimeHelpers::tableInit(inst, seg.table_index, static_cast<uint32_t>(i), init->element_offsets[i], 0,
                                static_cast<uint32_t>(inst->element_items_[i].size()));
    }
    if (seg.mode != abi::SegmentMode::Passive) inst->dropped_elements_[i] = true;
  }
  for (size_t i = 0; i < info.data.size(); ++i) {
    const abi::DataSegment& seg = info.data[i];
    if (seg.mode != abi::SegmentMode::Active) continue;
    RuntimeHelpers::memoryInit(inst, seg.memory_index, static_cast<uint32_t>(i), init->data_offsets[i], 0,
                               static_cast<uint32_t>(seg.bytes.size()));
    inst->dropped_data_[i] = true;
  }
}

}  // namespace wasmaot::runtime
