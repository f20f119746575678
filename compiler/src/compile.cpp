// The compiler's public entry points: decode -> validate -> parallel code
// generation -> in-process link, with every failure turned into a
// CompileFailure (an offset when the input is at fault).
#include "wasmaot/compiler/compile.h"

#include <new>
#include <stdexcept>

#include "linker.h"
#include "module_codegen.h"
#include "wasmaot/compiler/compile_error.h"
#include "wasmaot/compiler/decoder.h"
#include "wasmaot/compiler/validator.h"

namespace wasmaot::compiler {
namespace {

CompileFailure inputFailure(const CompileError& error) {
  return CompileFailure{error.offset(), true, error.what()};
}

CompileFailure internalFailure(const std::string& message) { return CompileFailure{0, false, message}; }

}  // namespace

std::optional<CompileFailure> compileToSharedObject(std::span<const uint8_t> wasm,
                                                    const CompileOptions& options,
                                                    const std::string& output_path) {
  if (options.opt_level > 3) return internalFailure("optimisation level must be 0..3");
  try {
    DecodedModule module = decodeModule(wasm);
    validateModule(module);
    CodegenOptions codegen;
    codegen.opt_level = options.opt_level;
    codegen.threads = options.threads;
    codegen.target_cpu = options.target_cpu;
    codegen.exact_trap_state = options.exact_trap_state;
    codegen.progress = options.progress;
    std::vector<ObjectCode> objects = generateObjects(module, wasm, codegen);
    linkSharedObject(objects, output_path);
    return std::nullopt;
  } catch (const CompileError& error) {
    return inputFailure(error);
  } catch (const std::bad_alloc&) {
    return internalFailure("out of memory while compiling");
  } catch (const std::exception& error) {
    return internalFailure(error.what());
  }
}

std::optional<std::string> checkTargetCpu(const std::string& target_cpu) {
  try {
    return checkCodegenTargetCpu(target_cpu);
  } catch (const std::exception& error) {
    return std::string(error.what());
  }
}

std::optional<CompileFailure> validateWasm(std::span<const uint8_t> wasm) {
  try {
    DecodedModule module = decodeModule(wasm);
    validateModule(module);
    for (const FunctionBodyBytes& body : module.bodies) validateFunction(module, wasm, body);
    return std::nullopt;
  } catch (const CompileError& error) {
    return inputFailure(error);
  } catch (const std::bad_alloc&) {
    return internalFailure("out of memory while validating");
  } catch (const std::exception& error) {
    return internalFailure(error.what());
  }
}

}  // namespace wasmaot::compiler
