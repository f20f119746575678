// The out-of-line helpers generated code calls through VMContext::runtime:
// memory.grow/copy/fill/init, data.drop, table.get/set/grow/fill/copy/init
// and elem.drop, with the spec's bounds checks (an access that ends exactly
// at the end, zero-length ones included, is fine; one byte past it traps).
// Traps are raised with no C++ object alive in these frames.
#include <cstring>

#include "runtime_private.h"

namespace wasmaot::runtime {
namespace {

Instance* instanceOf(abi::VMContext* ctx) { return static_cast<Instance*>(ctx->instance); }

// True if [start, start + len) lies within [0, size).
bool inBounds(uint64_t start, uint64_t len, uint64_t size) { return start + len <= size; }

[[noreturn]] void memoryOutOfBounds() { raiseTrap(abi::TrapCode::OutOfBoundsMemoryAccess); }
[[noreturn]] void tableOutOfBounds() { raiseTrap(abi::TrapCode::OutOfBoundsTableAccess); }

}  // namespace

const abi::RuntimeFunctions* RuntimeHelpers::table() {
  static const abi::RuntimeFunctions functions = {
      trapFromGeneratedCode, memoryGrow, memoryCopy, memoryFill,     memoryInitEntry, dataDrop,
      tableGet,              tableSet,   tableGrow,  tableFill,      tableCopy,       tableInitEntry,
      elemDrop,              atomicWait32, atomicWait64, atomicNotify,    exceptionThrow,  exceptionRethrow,
      exceptionCatch,        memoryCopyBetween, memoryFillIn, memoryInitIn,
  };
  return &functions;
}

uint32_t RuntimeHelpers::memoryGrow(abi::VMContext* ctx, uint32_t memory, uint32_t delta) {
  Instance* inst = instanceOf(ctx);
  if (memory >= inst->memories_.size()) return UINT32_MAX;
  return inst->memories_[memory]->grow(delta);
}

void RuntimeHelpers::memoryCopy(abi::VMContext* ctx, uint32_t dst, uint32_t src, uint32_t len) {
  uint64_t size = ctx->memory ? ctx->memory->size_bytes : 0;
  if (!inBounds(src, len, size) || !inBounds(dst, len, size)) memoryOutOfBounds();
  if (len) std::memmove(ctx->memory_base + dst, ctx->memory_base + src, len);
}

void RuntimeHelpers::memoryFill(abi::VMContext* ctx, uint32_t dst, uint32_t value, uint32_t len) {
  uint64_t size = ctx->memory ? ctx->memory->size_bytes : 0;
  if (!inBounds(dst, len, size)) memoryOutOfBounds();
  if (len) std::memset(ctx->memory_base + dst, static_cast<int>(value & 0xff), len);
}

void RuntimeHelpers::memoryInit(Instance* inst, uint32_t memory, uint32_t segment, uint32_t dst, uint32_t src,
                                uint32_t len) {
  const auto& data = inst->module_->info().data;
  uint64_t segment_size =
      segment < data.size() && !inst->dropped_data_[segment] ? data[segment].bytes.size() : 0;
  abi::LinearMemoryState* state = inst->ctx_.memories[memory];
  if (!inBounds(src, len, segment_size) || !inBounds(dst, len, state->size_bytes)) memoryOutOfBounds();
  if (len) std::memcpy(state->base + dst, data[segment].bytes.data() + src, len);
}

void RuntimeHelpers::memoryInitEntry(abi::VMContext* ctx, uint32_t segment, uint32_t dst, uint32_t src,
                                     uint32_t len) {
  memoryInit(instanceOf(ctx), 0, segment, dst, src, len);
}

void RuntimeHelpers::memoryInitIn(abi::VMContext* ctx, uint32_t memory, uint32_t segment, uint32_t dst,
                                  uint32_t src, uint32_t len) {
  memoryInit(instanceOf(ctx), memory, segment, dst, src, len);
}

void RuntimeHelpers::memoryCopyBetween(abi::VMContext* ctx, uint32_t dst_memory, uint32_t src_memory, uint32_t dst,
                                       uint32_t src, uint32_t len) {
  abi::LinearMemoryState* to = ctx->memories[dst_memory];
  abi::LinearMemoryState* from = ctx->memories[src_memory];
  if (!inBounds(src, len, from->size_bytes) || !inBounds(dst, len, to->size_bytes)) memoryOutOfBounds();
  if (len) std::memmove(to->base + dst, from->base + src, len);
}

void RuntimeHelpers::memoryFillIn(abi::VMContext* ctx, uint32_t memory, uint32_t dst, uint32_t value, uint32_t len) {
  abi::LinearMemoryState* state = ctx->memories[memory];
  if (!inBounds(dst, len, state->size_bytes)) memoryOutOfBounds();
  if (len) std::memset(state->base + dst, static_cast<int>(value & 0xff), len);
}

void RuntimeHelpers::dataDrop(abi::VMContext* ctx, uint32_t segment) {
  Instance* inst = instanceOf(ctx);
  if (segment < inst->dropped_data_.size()) inst->dropped_data_[segment] = true;
}

void* RuntimeHelpers::tableGet(abi::VMContext* ctx, uint32_t table, uint32_t index) {
  abi::TableState* t = ctx->tables[table];
  if (index >= t->size) tableOutOfBounds();
  return t->elements[index];
}

void RuntimeHelpers::tableSet(abi::VMContext* ctx, uint32_t table, uint32_t index, void* value) {
  abi::TableState* t = ctx->tables[table];
  if (index >= t->size) tableOutOfBounds();
  t->elements[index] = value;
}

uint32_t RuntimeHelpers::tableGrow(abi::VMContext* ctx, uint32_t table, void* init, uint32_t delta) {
  Instance* inst = instanceOf(ctx);
  if (table >= inst->tables_.size()) return UINT32_MAX;
  return inst->tables_[table]->grow(delta, init);
}

void RuntimeHelpers::tableFill(abi::VMContext* ctx, uint32_t table, uint32_t index, void* value, uint32_t count) {
  abi::TableState* t = ctx->tables[table];
  if (!inBounds(index, count, t->size)) tableOutOfBounds();
  for (uint32_t i = 0; i < count; ++i) t->elements[index + i] = value;
}

void RuntimeHelpers::tableCopy(abi::VMContext* ctx, uint32_t dst_table, uint32_t src_table, uint32_t dst,
                               uint32_t src, uint32_t count) {
  abi::TableState* d = ctx->tables[dst_table];
  abi::TableState* s = ctx->tables[src_table];
  if (!inBounds(src, count, s->size) || !inBounds(dst, count, d->size)) tableOutOfBounds();
  if (count) std::memmove(d->elements + dst, s->elements + src, uint64_t{count} * sizeof(void*));
}

void RuntimeHelpers::tableInit(Instance* inst, uint32_t table, uint32_t segment, uint32_t dst, uint32_t src,
                               uint32_t count) {
  const auto& items = inst->element_items_;
  uint64_t segment_size =
      segment < items.size() && !inst->dropped_elements_[segment] ? items[segment].size() : 0;
  abi::TableState* t = inst->ctx_.tables[table];
  if (!inBounds(src, count, segment_size) || !inBounds(dst, count, t->size)) tableOutOfBounds();
  for (uint32_t i = 0; i < count; ++i) t->elements[dst + i] = items[segment][src + i];
}

void RuntimeHelpers::tableInitEntry(abi::VMContext* ctx, uint32_t table, uint32_t segment, uint32_t dst,
                                    uint32_t src, uint32_t count) {
  tableInit(instanceOf(ctx), table, segment, dst, src, count);
}

void RuntimeHelpers::elemDrop(abi::VMContext* ctx, uint32_t segment) {
  Instance* inst = instanceOf(ctx);
  if (segment < inst->dropped_elements_.size()) inst->dropped_elements_[segment] = true;
}

}  // namespace wasmaot::runtime
