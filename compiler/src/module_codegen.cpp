// Module-level code generation: partitioning, per-thread LLVM modules,
// the optimisation pipeline, object emission, and the glue object with the
// exported descriptor, entry trampolines and host adapters.
#include "module_codegen.h"

#include "compile_progress.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <utility>

#include <llvm/ADT/SmallVector.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DataLayout.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Passes/StandardInstrumentations.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/CodeGen.h>
#include <llvm/Support/SHA256.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/Triple.h>
#include <llvm/TargetParser/X86TargetParser.h>

#include "codegen_types.h"
#include "function_emitter.h"
#include "trampolines.h"
#include "trap_preservation.h"
#include "wasmaot/abi/build_id.h"
#include "wasmaot/abi/descriptor.h"
#include "wasmaot/compiler/compile_error.h"
#include "wasmaot/compiler/validator.h"

namespace wasmaot::compiler {
namespace {

struct TargetChoice {
  std::string triple;
  std::string cpu;
  std::string features;  // LLVM feature string ("+sse4.2,-avx,..."), may be empty
};

// The features a named CPU implies, as "+name" strings (x86 only; empty
// elsewhere). LLVM enables exactly these for -mcpu=NAME, so passing them
// explicitly changes nothing in code generation but makes the recorded list
// complete.
std::vector<std::string> impliedFeatures(const llvm::Triple& triple, llvm::StringRef cpu) {
  std::vector<std::string> result;
  if (triple.getArch() != llvm::Triple::x86_64) return result;
  llvm::SmallVector<llvm::StringRef, 64> features;
  llvm::X86::getFeaturesForCPU(cpu, features, /*NeedPlus=*/true);
  for (llvm::StringRef f : features) result.push_back(f.str());
  return result;
}

std::string joinSorted(std::vector<std::string> features) {
  std::sort(features.begin(), features.end());  // deterministic output
  features.erase(std::unique(features.begin(), features.end()), features.end());
  std::string joined;
  for (const std::string& f : features) {
    if (!joined.empty()) joined += ',';
    joined += f;
  }
  return joined;
}

// "native" (the default): the host CPU and its features; "portable": the
// x86-64 baseline (SSE2); anything else: an LLVM CPU name. What is chosen is
// recorded in the descriptor -- the CPU name and every feature passed to
// LLVM ("+x" required, "-x" disabled) -- so that the loader can refuse a .so
// built for features the running CPU lacks.
TargetChoice chooseTarget(const std::string& target_cpu) {
  TargetChoice choice;
  choice.triple = llvm::sys::getProcessTriple();
  const llvm::Triple triple(choice.triple);
  const bool x86_64 = triple.getArch() == llvm::Triple::x86_64;
  std::vector<std::string> features;
  if (target_cpu.empty() || target_cpu == "native") {
    choice.cpu = llvm::sys::getHostCPUName().str();
    llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
    for (const auto& feature : host) {
      features.push_back((feature.second ? "+" : "-") + feature.first().str());
    }
    // Features the CPU name implies stay on unless the host list turns them
    // off (a hypervisor may hide some); list them too.
    for (const std::string& implied : impliedFeatures(triple, choice.cpu)) {
      if (host.find(llvm::StringRef(implied).drop_front()) == host.end()) features.push_back(implied);
    }
  } else {
    choice.cpu = target_cpu == "portable" ? (x86_64 ? "x86-64" : "generic") : target_cpu;
    features = impliedFeatures(triple, choice.cpu);
  }
  choice.features = joinSorted(std::move(features));
  return choice;
}

llvm::CodeGenOptLevel codegenOptLevel(unsigned opt_level) {
  switch (opt_level) {
    case 0: return llvm::CodeGenOptLevel::None;
    case 1: return llvm::CodeGenOptLevel::Less;
    case 2: return llvm::CodeGenOptLevel::Default;
    default: return llvm::CodeGenOptLevel::Aggressive;
  }
}

std::unique_ptr<llvm::TargetMachine> createTargetMachine(const TargetChoice& choice,
                                                         unsigned opt_level) {
  std::string error;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(choice.triple, error);
  if (target == nullptr) throw std::runtime_error("no LLVM target for " + choice.triple + ": " + error);
  llvm::TargetOptions options;
  // Wasm floating point is IEEE 754 with round-to-nearest and no contraction:
  // a fused multiply-add would change results.
  options.AllowFPOpFusion = llvm::FPOpFusion::Strict;
  options.UnsafeFPMath = false;
  options.NoInfsFPMath = false;
  options.NoNaNsFPMath = false;
  options.NoSignedZerosFPMath = false;
  options.NoTrappingFPMath = true;  // wasm never enables FP exceptions
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      choice.triple, choice.cpu, choice.features, options, llvm::Reloc::PIC_,
      llvm::CodeModel::Small, codegenOptLevel(opt_level)));
  if (!machine) throw std::runtime_error("cannot create an LLVM target machine for " + choice.triple);
  return machine;
}

void configureModule(llvm::Module& module, const llvm::TargetMachine& machine) {
  module.setTargetTriple(machine.getTargetTriple().str());
  module.setDataLayout(machine.createDataLayout());
  module.setPICLevel(llvm::PICLevel::BigPIC);
}

// WASMAOT_LLVM_ARGS="-time-passes ..." hands options to LLVM (a developer
// aid for finding where compile time goes; use -j 1 with -time-passes).
bool llvmArgsGiven() {
  static const bool given = std::getenv("WASMAOT_LLVM_ARGS") != nullptr;
  return given;
}

void optimizeModule(llvm::Module& module, llvm::TargetMachine& machine, unsigned opt_level,
                    bool exact_trap_state, detail::StageCounter* optimised) {
  llvm::LoopAnalysisManager loop_analyses;
  llvm::FunctionAnalysisManager function_analyses;
  llvm::CGSCCAnalysisManager cgscc_analyses;
  llvm::ModuleAnalysisManager module_analyses;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = opt_level >= 2;
  tuning.SLPVectorization = opt_level >= 2;
  tuning.LoopUnrolling = opt_level >= 1;
  tuning.LoopInterleaving = opt_level >= 2;
  // No promotion of memory to registers across a loop: a trap inside the
  // loop would lose the stores LICM moved to the loop's exits. Producers of
  // wasm (clang) already promoted what their source language allowed.
  tuning.LicmMssaNoAccForPromotionCap = 0;
  // Dead-store elimination deletes a store that a later one overwrites, but a
  // trap between the two must leave the first one in memory.
  llvm::PassInstrumentationCallbacks instrumentation;
  instrumentation.registerShouldRunOptionalPassCallback(
      [](llvm::StringRef pass, llvm::Any) { return pass != "DSEPass"; });
  // With WASMAOT_LLVM_ARGS, LLVM's own instrumentation (-time-passes, -print-after=...).
  std::optional<llvm::StandardInstrumentations> standard;
  if (llvmArgsGiven()) {
    standard.emplace(module.getContext(), /*DebugLogging=*/false);
    standard->registerCallbacks(instrumentation, &module_analyses);
  }
  llvm::PassBuilder builder(&machine, tuning, std::nullopt, &instrumentation);
  builder.registerVectorizerStartEPCallback([exact_trap_state](llvm::FunctionPassManager& passes,
                                                               llvm::OptimizationLevel) {
    detail::PinBeforeVectorizers pin;
    pin.pin_stores = exact_trap_state;
    passes.addPass(std::move(pin));
  });
  // Progress: a function counts as optimised once the inliner's walk has
  // simplified it (the bulk of the optimiser's time).
  builder.registerScalarOptimizerLateEPCallback([optimised](llvm::FunctionPassManager& passes,
                                                            llvm::OptimizationLevel) {
    passes.addPass(detail::CountFunctionsPass{{}, optimised});
  });
  builder.registerModuleAnalyses(module_analyses);
  builder.registerCGSCCAnalyses(cgscc_analyses);
  builder.registerFunctionAnalyses(function_analyses);
  builder.registerLoopAnalyses(loop_analyses);
  builder.crossRegisterProxies(loop_analyses, function_analyses, cgscc_analyses, module_analyses);

  llvm::ModulePassManager passes;
  switch (opt_level) {
    case 0: passes = builder.buildO0DefaultPipeline(llvm::OptimizationLevel::O0); break;
    case 1: passes = builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O1); break;
    case 2: passes = builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2); break;
    default: passes = builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3); break;
  }
  passes.run(module, module_analyses);
}

std::vector<char> emitObject(llvm::Module& module, llvm::TargetMachine& machine, detail::StageCounter* emitted) {
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream stream(buffer);
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, stream, nullptr, llvm::CodeGenFileType::ObjectFile)) {
    throw std::runtime_error("the LLVM target cannot emit object files");
  }
  passes.add(detail::createCountEmittedPass(emitted));
  passes.run(module);
  return std::vector<char>(buffer.begin(), buffer.end());
}

void verifyIfRequested(const llvm::Module& module) {
#ifdef NDEBUG
  static const bool requested = std::getenv("WASMAOT_VERIFY_IR") != nullptr;
  if (!requested) return;
#endif
  std::string message;
  llvm::raw_string_ostream stream(message);
  if (llvm::verifyModule(module, &stream)) {
    throw std::runtime_error("internal error: invalid LLVM IR generated: " + stream.str());
  }
}

// WASMAOT_DUMP_IR=DIR writes each partition's IR as emitted to
// DIR/partN.unoptimized.ll and as optimised (and sealed) to DIR/partN.ll (a
// developer aid for reading what the optimiser made of the code: hoisted
// loads, vectorised loops; feed the first to opt-19 to find which pass did it).
void dumpIrIfRequested(const llvm::Module& module, size_t partition, const char* stage) {
  const char* dir = std::getenv("WASMAOT_DUMP_IR");
  if (dir == nullptr || *dir == 0) return;
  std::error_code ec;
  llvm::raw_fd_ostream out(std::string(dir) + "/part" + std::to_string(partition) + stage + ".ll", ec);
  if (!ec) module.print(out, nullptr);
}

// Indices into DecodedModule::bodies, one list per partition, each sorted by
// function index. Longest-processing-time-first keeps partitions balanced.
std::vector<std::vector<size_t>> partitionBodies(const std::vector<FunctionBodyBytes>& bodies,
                                                 unsigned partitions) {
  std::vector<size_t> by_size(bodies.size());
  for (size_t i = 0; i < by_size.size(); ++i) by_size[i] = i;
  std::stable_sort(by_size.begin(), by_size.end(),
                   [&](size_t a, size_t b) { return bodies[a].size > bodies[b].size; });
  std::vector<std::vector<size_t>> result(partitions);
  std::vector<uint64_t> load(partitions, 0);
  for (size_t body : by_size) {
    size_t lightest = std::min_element(load.begin(), load.end()) - load.begin();
    result[lightest].push_back(body);
    load[lightest] += bodies[body].size + 16;  // + a per-function overhead
  }
  for (auto& part : result) std::sort(part.begin(), part.end());
  return result;
}

// Collects failures from the worker threads. Validation errors are reported
// deterministically: the one with the smallest offset wins, and a worker
// skips only functions that start after an error already found (they cannot
// hold an earlier one). Internal errors stop code generation everywhere but
// validation carries on, so an invalid module is always reported as such.
class FailureCollector {
 public:
  void addCompileError(const CompileError& error) {
    std::lock_guard lock(mutex_);
    if (!compile_error_ || error.offset() < compile_error_->offset()) compile_error_ = error;
    if (error.offset() < min_error_offset_.load()) min_error_offset_.store(error.offset());
    stop_emitting_.store(true);
  }
  void addInternalError(size_t partition, const std::string& message) {
    std::lock_guard lock(mutex_);
    if (!internal_error_ || partition < internal_error_->first) internal_error_.emplace(partition, message);
    stop_emitting_.store(true);
  }
  bool mayHoldEarlierError(size_t body_offset) const { return body_offset < min_error_offset_.load(); }
  bool stopEmitting() const { return stop_emitting_.load(); }

  void rethrowFirst() const {
    if (compile_error_) throw *compile_error_;
    if (internal_error_) throw std::runtime_error(internal_error_->second);
  }

 private:
  std::mutex mutex_;
  std::optional<CompileError> compile_error_;
  std::optional<std::pair<size_t, std::string>> internal_error_;
  std::atomic<size_t> min_error_offset_{std::numeric_limits<size_t>::max()};
  std::atomic<bool> stop_emitting_{false};
};

llvm::Function* getOrDeclareDefinedFunction(llvm::Module& module, const abi::ModuleInfo& info,
                                            uint32_t function_index, bool tail_calls) {
  llvm::FunctionType* type = nativeFunctionType(module.getContext(), info.functionType(function_index));
  llvm::FunctionCallee callee = module.getOrInsertFunction(definedFunctionSymbol(function_index), type);
  auto* function = llvm::dyn_cast<llvm::Function>(callee.getCallee());
  if (function == nullptr || function->getFunctionType() != type) {
    throw std::logic_error("symbol clash for " + definedFunctionSymbol(function_index));
  }
  if (tail_calls) function->setCallingConv(llvm::CallingConv::Tail);
  return function;
}

// Whether any function body has return_call or return_call_indirect: then
// every defined function is compiled `tailcc` (emit_calls.cpp). Bodies are
// validated here once more to read their instructions; a module without
// the two opcode bytes anywhere in its code skips that. An invalid body
// counts as "no": the partitions report the error.
bool usesTailCalls(const DecodedModule& module, std::span<const uint8_t> wasm_bytes) {
  bool candidate = false;
  for (const FunctionBodyBytes& body : module.bodies) {
    const uint8_t* begin = wasm_bytes.data() + body.offset;
    const uint8_t* end = begin + body.size;
    if (std::find_if(begin, end, [](uint8_t b) { return b == 0x12 || b == 0x13; }) != end) {
      candidate = true;
      break;
    }
  }
  if (!candidate) return false;
  for (const FunctionBodyBytes& body : module.bodies) {
    try {
      FunctionCode code = validateFunction(module, wasm_bytes, body);
      for (const Instruction& ins : code.instructions) {
        if (ins.op == Opcode::ReturnCall || ins.op == Opcode::ReturnCallIndirect) return true;
      }
    } catch (const CompileError&) {
      return false;
    }
  }
  return false;
}

// The guest SDK's thread-local errno marker (FunctionEmitOptions): three
// exported globals of the right shapes, or nothing.
std::optional<FunctionEmitOptions::ThreadLocalErrno> sdkThreadLocalErrno(const abi::ModuleInfo& info) {
  auto exportedGlobal = [&](const char* name) -> const abi::Global* {
    for (const abi::Export& e : info.exports) {
      if (e.name == name && e.kind == abi::ExternKind::Global && e.index < info.globals.size()) {
        return &info.globals[e.index];
      }
    }
    return nullptr;
  };
  auto constantI32 = [](const abi::Global* g) {
    return g && g->type.type == abi::ValType::I32 && !g->type.is_mutable && g->init.kind == abi::ConstExpr::Kind::I32Const;
  };
  const abi::Global* errno_word = exportedGlobal("errno");
  const abi::Global* tls_errno = exportedGlobal("__wasmaot_thread_local_errno");
  const abi::Global* tls_base = exportedGlobal("__tls_base");
  if (!constantI32(errno_word) || !constantI32(tls_errno) || !tls_base || tls_base->type.type != abi::ValType::I32 ||
      !tls_base->type.is_mutable) {
    return std::nullopt;
  }
  FunctionEmitOptions::ThreadLocalErrno tl;
  tl.errno_address = static_cast<uint32_t>(errno_word->init.bits);
  tl.tls_offset = static_cast<uint32_t>(tls_errno->init.bits);
  tl.tls_base_global = static_cast<uint32_t>(tls_base - info.globals.data());
  return tl;
}

// A tail-calling module's C-convention entry for defined function `index`
// (what FuncRef::code points at): calls the tailcc body and returns.
llvm::Function* emitCEntry(llvm::Module& module, const abi::ModuleInfo& info, uint32_t index) {
  llvm::Function* body = getOrDeclareDefinedFunction(module, info, index, true);
  llvm::Function* entry = llvm::Function::Create(body->getFunctionType(), llvm::GlobalValue::InternalLinkage,
                                                 "wasm_entry_" + std::to_string(index), module);
  entry->setUWTableKind(llvm::UWTableKind::Async);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(module.getContext(), "entry", entry));
  std::vector<llvm::Value*> args;
  for (llvm::Argument& arg : entry->args()) args.push_back(&arg);
  llvm::CallInst* call = b.CreateCall(body, args);
  call->setCallingConv(llvm::CallingConv::Tail);
  if (call->getType()->isVoidTy()) {
    b.CreateRetVoid();
  } else {
    b.CreateRet(call);
  }
  return entry;
}

// Defined functions are shared between the objects of one .so but never
// exported from it: hidden visibility lets calls across partitions bind
// directly (no PLT, no GOT).
void hideDefinedFunctionSymbols(llvm::Module& module) {
  for (llvm::Function& function : module) {
    if (function.getName().starts_with("wasm_func_")) {
      function.setVisibility(llvm::GlobalValue::HiddenVisibility);
      function.setDSOLocal(true);
    }
  }
}

void compilePartition(size_t partition, const std::vector<size_t>& body_indices,
                      const DecodedModule& module, std::span<const uint8_t> wasm_bytes,
                      const CodegenOptions& options, const TargetChoice& target, bool tail_calls,
                      FailureCollector& failures, ObjectCode& output) {
  try {
    llvm::LLVMContext context;
    auto llvm_module = std::make_unique<llvm::Module>("wasmaot.part" + std::to_string(partition), context);
    std::unique_ptr<llvm::TargetMachine> machine = createTargetMachine(target, options.opt_level);
    configureModule(*llvm_module, *machine);

    FunctionEmitOptions emit_options;
    emit_options.bounds_checks = options.bounds_checks;
    const llvm::MCSubtargetInfo& subtarget = *machine->getMCSubtargetInfo();
    emit_options.has_sse41_rounding = subtarget.checkFeatures("+sse4.1");
    emit_options.has_ssse3 = subtarget.checkFeatures("+ssse3");
    emit_options.has_fma = subtarget.checkFeatures("+fma");
    emit_options.tail_calls = tail_calls;
    emit_options.thread_local_errno = sdkThreadLocalErrno(module.info);
    CompileProgress* progress = options.progress;
    detail::StageCounter translated{progress ? &progress->translated : nullptr};
    detail::StageCounter optimised{progress ? &progress->optimised : nullptr};
    detail::StageCounter emitted{progress ? &progress->emitted : nullptr};
    for (size_t body_index : body_indices) {
      const FunctionBodyBytes& body = module.bodies[body_index];
      if (!failures.mayHoldEarlierError(body.offset)) break;
      try {
        FunctionCode code = validateFunction(module, wasm_bytes, body);
        if (failures.stopEmitting()) continue;  // only validating from now on
        llvm::Function* function =
            getOrDeclareDefinedFunction(*llvm_module, module.info, body.function_index, tail_calls);
        function->setUWTableKind(llvm::UWTableKind::Async);
        // Frames larger than a page are probed, so no guard page is skipped.
        function->addFnAttr("probe-stack", "inline-asm");
        // No library calls for loops LLVM recognises (memset, memcpy): a fault
        // inside libc is not a wasm trap (trap_preservation.cpp).
        function->addFnAttr("no-builtins");
        emitFunctionBody(*llvm_module, module.info, code, function, emit_options);
        translated.add(1);
      } catch (const CompileError& error) {
        failures.addCompileError(error);
        break;  // later bodies of this partition start after this error
      }
    }
    if (failures.stopEmitting()) return;

    hideDefinedFunctionSymbols(*llvm_module);
    verifyIfRequested(*llvm_module);
    dumpIrIfRequested(*llvm_module, partition, ".unoptimized");
    const auto functions = static_cast<uint32_t>(body_indices.size());
    translated.finish(functions);
    optimizeModule(*llvm_module, *machine, options.opt_level, options.exact_trap_state, &optimised);
    optimised.finish(functions);
    detail::sealTrappingAccesses(*llvm_module, *machine);
    dumpIrIfRequested(*llvm_module, partition, "");
    output.bytes = emitObject(*llvm_module, *machine, &emitted);
    emitted.finish(functions);
  } catch (const CompileError& error) {
    failures.addCompileError(error);
  } catch (const std::exception& error) {
    failures.addInternalError(partition, "code generation failed: " + std::string(error.what()));
  }
}

// ---- The glue object: descriptor, trampolines, host adapters --------------

// GCC misreads LLVM's placement-style operator new of GlobalVariable.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
llvm::GlobalVariable* createConstantGlobal(llvm::Module& module, llvm::Constant* initializer,
                                           llvm::GlobalValue::LinkageTypes linkage, const std::string& name) {
  return new llvm::GlobalVariable(module, initializer->getType(), /*isConstant=*/true, linkage, initializer, name);
}
llvm::GlobalVariable* createMutableGlobal(llvm::Module& module, llvm::Constant* initializer, const std::string& name) {
  return new llvm::GlobalVariable(module, initializer->getType(), /*isConstant=*/false,
                                  llvm::GlobalValue::ExternalLinkage, initializer, name);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

llvm::Constant* privateConstant(llvm::Module& module, llvm::Constant* initializer, const std::string& name) {
  llvm::GlobalVariable* global = createConstantGlobal(module, initializer, llvm::GlobalValue::PrivateLinkage, name);
  global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  return global;
}

llvm::Constant* cString(llvm::Module& module, const std::string& text, const std::string& name) {
  return privateConstant(module, llvm::ConstantDataArray::getString(module.getContext(), text, true), name);
}

// A private constant array of pointers, or null when empty.
llvm::Constant* pointerArray(llvm::Module& module, const std::vector<llvm::Constant*>& items,
                             const std::string& name) {
  llvm::PointerType* ptr = llvm::PointerType::get(module.getContext(), 0);
  if (items.empty()) return llvm::ConstantPointerNull::get(ptr);
  auto* type = llvm::ArrayType::get(ptr, items.size());
  return privateConstant(module, llvm::ConstantArray::get(type, items), name);
}

std::string typeKey(const abi::FuncType& type) {
  // Prefix the parameter count: no value-type byte can then act as the
  // separator ('|' is 0x7C, the code of f64).
  std::string key = std::to_string(type.params.size()) + ":";
  for (abi::ValType t : type.params) key += static_cast<char>(t);
  for (abi::ValType t : type.results) key += static_cast<char>(t);
  return key;
}

llvm::StructType* descriptorType(llvm::LLVMContext& context) {
  llvm::Type* i8 = llvm::Type::getInt8Ty(context);
  llvm::Type* i32 = llvm::Type::getInt32Ty(context);
  llvm::Type* i64 = llvm::Type::getInt64Ty(context);
  llvm::Type* ptr = llvm::PointerType::get(context, 0);
  // Field for field as abi::CompiledModuleDescriptor.
  return llvm::StructType::get(context, {i32, i32, llvm::ArrayType::get(i8, 48), llvm::ArrayType::get(i8, 32),
                                         ptr, i64, i32, i32, ptr, ptr, ptr, ptr, ptr, ptr, ptr});
}

// Guards against the descriptor struct and its IR mirror drifting apart.
void checkDescriptorLayout(const llvm::DataLayout& layout, llvm::StructType* type) {
  using D = abi::CompiledModuleDescriptor;
  const size_t expected[] = {offsetof(D, magic), offsetof(D, abi_version), offsetof(D, compiler_build_id),
                             offsetof(D, wasm_sha256), offsetof(D, module_info), offsetof(D, module_info_size),
                             offsetof(D, num_defined_functions), offsetof(D, num_types),
                             offsetof(D, function_code), offsetof(D, entry_trampolines),
                             offsetof(D, host_adapters), offsetof(D, target_cpu), offsetof(D, target_features),
                             offsetof(D, function_tail_code), offsetof(D, personality_target)};
  const llvm::StructLayout* struct_layout = layout.getStructLayout(type);
  for (unsigned i = 0; i < type->getNumElements(); ++i) {
    if (struct_layout->getElementOffset(i) != expected[i]) {
      throw std::logic_error("descriptor layout mismatch at field " + std::to_string(i));
    }
  }
  if (struct_layout->getSizeInBytes() != sizeof(D)) throw std::logic_error("descriptor size mismatch");
}

// The personality routine of every landing pad in the .so and the slot it
// forwards through (codegen_types.h); returns the slot. A forwarder keeps
// the .so free of any libstdc++ symbol: the executable loading it may have
// linked libstdc++ statically, exporting nothing.
llvm::GlobalVariable* emitPersonalityForwarder(llvm::Module& module) {
  llvm::LLVMContext& context = module.getContext();
  llvm::PointerType* ptr = llvm::PointerType::get(context, 0);
  llvm::GlobalVariable* slot =
      createMutableGlobal(module, llvm::ConstantPointerNull::get(ptr), kPersonalityTargetSymbol);
  slot->setVisibility(llvm::GlobalValue::HiddenVisibility);
  llvm::FunctionType* type = personalityFunctionType(context);
  llvm::Function* forwarder =
      llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage, kPersonalitySymbol, module);
  forwarder->setVisibility(llvm::GlobalValue::HiddenVisibility);
  forwarder->setDSOLocal(true);
  forwarder->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", forwarder));
  llvm::Value* target = b.CreateLoad(ptr, slot, "personality");
  std::vector<llvm::Value*> args;
  for (llvm::Argument& arg : forwarder->args()) args.push_back(&arg);
  llvm::CallInst* call = b.CreateCall(type, target, args);
  call->setTailCallKind(llvm::CallInst::TCK_MustTail);
  b.CreateRet(call);
  return slot;
}

std::vector<char> compileGlue(const DecodedModule& module, std::span<const uint8_t> wasm_bytes,
                              const CodegenOptions& options, const TargetChoice& target, bool tail_calls) {
  const abi::ModuleInfo& info = module.info;
  llvm::LLVMContext context;
  llvm::Module glue("wasmaot.glue", context);
  std::unique_ptr<llvm::TargetMachine> machine = createTargetMachine(target, options.opt_level);
  configureModule(glue, *machine);
  llvm::Type* i32 = llvm::Type::getInt32Ty(context);
  llvm::Type* i64 = llvm::Type::getInt64Ty(context);

  // Trampolines and adapters, shared between type indices with equal types.
  std::unordered_map<std::string, std::pair<llvm::Function*, llvm::Function*>> glue_by_type;
  std::vector<llvm::Constant*> trampolines;
  std::vector<llvm::Constant*> adapters;
  for (size_t t = 0; t < info.types.size(); ++t) {
    auto [it, inserted] = glue_by_type.try_emplace(typeKey(info.types[t]));
    if (inserted) {
      it->second.first = emitEntryTrampoline(glue, info.types[t], "wasmaot_entry_trampoline_" + std::to_string(t));
      it->second.second = emitHostAdapter(glue, info.types[t], "wasmaot_host_adapter_" + std::to_string(t));
    }
    trampolines.push_back(it->second.first);
    adapters.push_back(it->second.second);
  }

  std::vector<llvm::Constant*> function_code, function_tail_code;
  for (uint32_t i = 0; i < info.numDefinedFunctions(); ++i) {
    const uint32_t index = info.num_imported_functions + i;
    if (tail_calls) {
      function_code.push_back(emitCEntry(glue, info, index));
      function_tail_code.push_back(getOrDeclareDefinedFunction(glue, info, index, true));
    } else {
      function_code.push_back(getOrDeclareDefinedFunction(glue, info, index, false));
    }
  }
  hideDefinedFunctionSymbols(glue);

  std::vector<uint8_t> encoded_info = abi::encodeModuleInfo(info);
  auto* info_bytes = llvm::ConstantDataArray::get(context, llvm::ArrayRef<uint8_t>(encoded_info));
  llvm::Constant* info_global = privateConstant(glue, info_bytes, "wasmaot_module_info");

  std::array<uint8_t, 48> build_id{};
  std::string_view build_id_text = abi::kBuildId;
  if (build_id_text.size() >= build_id.size()) throw std::logic_error("build id too long");
  std::copy(build_id_text.begin(), build_id_text.end(), build_id.begin());
  std::array<uint8_t, 32> wasm_hash = llvm::SHA256::hash(llvm::ArrayRef<uint8_t>(wasm_bytes.data(), wasm_bytes.size()));

  llvm::StructType* type = descriptorType(context);
  checkDescriptorLayout(glue.getDataLayout(), type);
  llvm::Constant* fields[] = {
      llvm::ConstantInt::get(i32, abi::kDescriptorMagic),
      llvm::ConstantInt::get(i32, abi::kAbiVersion),
      llvm::ConstantDataArray::get(context, llvm::ArrayRef<uint8_t>(build_id)),
      llvm::ConstantDataArray::get(context, llvm::ArrayRef<uint8_t>(wasm_hash)),
      info_global,
      llvm::ConstantInt::get(i64, encoded_info.size()),
      llvm::ConstantInt::get(i32, info.numDefinedFunctions()),
      llvm::ConstantInt::get(i32, info.types.size()),
      pointerArray(glue, function_code, "wasmaot_function_code"),
      pointerArray(glue, trampolines, "wasmaot_entry_trampolines"),
      pointerArray(glue, adapters, "wasmaot_host_adapters"),
      cString(glue, target.cpu, "wasmaot_target_cpu"),
      cString(glue, target.features, "wasmaot_target_features"),
      tail_calls ? pointerArray(glue, function_tail_code, "wasmaot_function_tail_code")
                 : llvm::ConstantPointerNull::get(llvm::PointerType::get(context, 0)),
      emitPersonalityForwarder(glue),
  };
  llvm::GlobalVariable* descriptor = createConstantGlobal(glue, llvm::ConstantStruct::get(type, fields),
                                                         llvm::GlobalValue::ExternalLinkage, abi::kDescriptorSymbol);
  descriptor->setVisibility(llvm::GlobalValue::DefaultVisibility);
  descriptor->setAlignment(llvm::Align(alignof(abi::CompiledModuleDescriptor)));

  verifyIfRequested(glue);
  detail::StageCounter uncounted;  // the glue is not one of the functions counted
  optimizeModule(glue, *machine, options.opt_level, false, &uncounted);
  return emitObject(glue, *machine, &uncounted);
}

}  // namespace

void initializeNativeTargetOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
    if (llvmArgsGiven()) {
      const char* argv[] = {"wasmaot"};
      llvm::cl::ParseCommandLineOptions(1, argv, "wasmaot", &llvm::errs(), "WASMAOT_LLVM_ARGS");
    }
  });
}

std::optional<std::string> checkCodegenTargetCpu(const std::string& target_cpu) {
  if (target_cpu.empty() || target_cpu == "native" || target_cpu == "portable") return std::nullopt;
  initializeNativeTargetOnce();
  const std::string triple = llvm::sys::getProcessTriple();
  std::string error;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (target == nullptr) return "no LLVM target for " + triple + ": " + error;
  bool known = false;
  if (llvm::Triple(triple).getArch() == llvm::Triple::x86_64) {
    // (Asking the subtarget would print a warning for an unknown name.)
    known = llvm::X86::parseArchX86(target_cpu, /*Only64Bit=*/true) != llvm::X86::CK_None;
  } else {
    std::unique_ptr<llvm::MCSubtargetInfo> subtarget(target->createMCSubtargetInfo(triple, target_cpu, ""));
    known = subtarget && subtarget->isCPUStringValid(target_cpu);
  }
  if (!known) return "unknown target CPU '" + target_cpu + "' (use native, portable or an LLVM CPU name such as x86-64-v3 or znver3)";
  return std::nullopt;
}

std::vector<ObjectCode> generateObjects(const DecodedModule& module, std::span<const uint8_t> wasm_bytes,
                                        const CodegenOptions& options) {
  initializeNativeTargetOnce();
  if (auto problem = checkCodegenTargetCpu(options.target_cpu)) throw std::runtime_error(*problem);
  const TargetChoice target = chooseTarget(options.target_cpu);

  unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const size_t num_partitions = std::min<size_t>(threads, module.bodies.size());
  if (options.progress) {
    std::atomic_ref<uint32_t>(options.progress->total).store(static_cast<uint32_t>(module.bodies.size()));
  }
  std::vector<std::vector<size_t>> partitions = partitionBodies(module.bodies, static_cast<unsigned>(num_partitions));

  std::vector<ObjectCode> objects(num_partitions + 1);
  objects[0].name = "glue.o";
  for (size_t p = 0; p < num_partitions; ++p) objects[p + 1].name = "part" + std::to_string(p) + ".o";

  const bool tail_calls = usesTailCalls(module, wasm_bytes);
  FailureCollector failures;
  {
    // Partitions 1.. run on their own threads; the calling thread builds the
    // glue and then partition 0, so `threads` threads work in total.
    std::vector<std::jthread> workers;
    for (size_t p = 1; p < num_partitions; ++p) {
      workers.emplace_back([&, p] {
        compilePartition(p, partitions[p], module, wasm_bytes, options, target, tail_calls, failures,
                         objects[p + 1]);
      });
    }
    try {
      objects[0].bytes = compileGlue(module, wasm_bytes, options, target, tail_calls);
    } catch (const std::exception& error) {
      failures.addInternalError(0, "code generation failed: " + std::string(error.what()));
    }
    if (num_partitions > 0) {
      compilePartition(0, partitions[0], module, wasm_bytes, options, target, tail_calls, failures, objects[1]);
    }
  }  // joins the workers
  failures.rethrowFirst();
  return objects;
}

}  // namespace wasmaot::compiler
