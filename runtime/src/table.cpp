// Tables of references: funcref tables hold abi::FuncRef* and externref
// tables opaque host values, null meaning ref.null. The element array may
// move on growth; generated code reloads TableState::elements after calls.
#include <new>

#include "runtime_private.h"

namespace wasmaot::runtime {
namespace {

// Far above anything real programs use, low enough that a guest asking for
// 4 billion elements gets -1 instead of exhausting host memory.
constexpr uint64_t kMaxTableElements = 10'000'000;

}  // namespace

std::shared_ptr<Table> Table::create(const abi::TableType& type, void* init) {
  if (type.limits.min > kMaxTableElements) return nullptr;
  if (type.limits.max && *type.limits.max < type.limits.min) return nullptr;
  std::shared_ptr<Table> table(new Table());
  table->element_ = type.element;
  try {
    table->storage_.assign(type.limits.min, init);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
  table->state_.elements = table->storage_.data();
  table->state_.size = static_cast<uint32_t>(type.limits.min);
  table->state_.max = type.limits.max && *type.limits.max < UINT32_MAX ? static_cast<uint32_t>(*type.limits.max)
                                                                       : UINT32_MAX;
  return table;
}

uint32_t Table::grow(uint32_t delta, void* init) {
  uint64_t old_size = state_.size;
  uint64_t new_size = old_size + delta;
  uint64_t limit = state_.max == UINT32_MAX ? uint64_t{UINT32_MAX} : uint64_t{state_.max};
  if (new_size > limit || new_size > kMaxTableElements) return UINT32_MAX;
  try {
    storage_.resize(new_size, init);
  } catch (const std::bad_alloc&) {
    return UINT32_MAX;
  }
  state_.elements = storage_.data();
  state_.size = static_cast<uint32_t>(new_size);
  return static_cast<uint32_t>(old_size);
}

abi::TableType Table::type() const {
  abi::TableType t;
  t.element = element_;
  t.limits.min = state_.size;
  if (state_.max != UINT32_MAX) t.limits.max = state_.max;
  return t;
}

}  // namespace wasmaot::runtime
