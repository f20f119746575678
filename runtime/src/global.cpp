// Globals: one GlobalCell each, shared by every instance that imports or
// exports it. Values are stored as Value::bits (i32/f32 in the low half).
#include "runtime_private.h"

namespace wasmaot::runtime {

std::shared_ptr<Global> Global::create(const abi::GlobalType& type, Value initial) {
  auto global = std::make_shared<Global>();
  global->type_ = type;
  global->set(initial);
  return global;
}

}  // namespace wasmaot::runtime
