// `wasmaot inspect`: reads a compiled module's descriptor directly (so that a
// .so from another build can still be described) or decodes a .wasm with the
// compiler's decoder, and prints the module's shape.
#include "inspect_command.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli_args.h"
#include "compiler_loader.h"
#include "module_cache.h"
#include "run_command.h"
#include "sha256.h"
#include "wasmaot/abi/build_id.h"
#include "wasmaot/abi/descriptor.h"
#include "wasmaot/abi/module_info.h"
#include "wasmaot/runtime/runtime.h"

namespace wasmaot::cli {
namespace {

using abi::ModuleInfo;

std::string formatType(const abi::FuncType& type) {
  std::ostringstream out;
  out << "(";
  for (size_t i = 0; i < type.params.size(); ++i) out << (i ? ", " : "") << abi::valTypeName(type.params[i]);
  out << ") -> (";
  for (size_t i = 0; i < type.results.size(); ++i) out << (i ? ", " : "") << abi::valTypeName(type.results[i]);
  out << ")";
  return out.str();
}

std::string formatLimits(const abi::Limits& limits, const char* unit) {
  std::string text = "min " + std::to_string(limits.min) + " " + unit;
  text += limits.max ? ", max " + std::to_string(*limits.max) : ", no max";
  return text;
}

std::string formatConstExpr(const abi::ConstExpr& e) {
  using K = abi::ConstExpr::Kind;
  switch (e.kind) {
    case K::I32Const: return "i32.const " + std::to_string(static_cast<int32_t>(e.bits));
    case K::I64Const: return "i64.const " + std::to_string(static_cast<int64_t>(e.bits));
    case K::F32Const: {
      float f;
      uint32_t b = static_cast<uint32_t>(e.bits);
      std::memcpy(&f, &b, 4);
      std::ostringstream s;
      s << "f32.const " << f;
      return s.str();
    }
    case K::F64Const: {
      double d;
      std::memcpy(&d, &e.bits, 8);
      std::ostringstream s;
      s << "f64.const " << d;
      return s.str();
    }
    case K::RefNull: return std::string("ref.null ") + abi::valTypeName(e.ref_type);
    case K::RefFunc: return "ref.func " + std::to_string(e.index);
    case K::GlobalGet: return "global.get " + std::to_string(e.index);
    case K::V128Const: {
      char text[64];
      std::snprintf(text, sizeof text, "v128.const 0x%016llx%016llx", static_cast<unsigned long long>(e.high),
                    static_cast<unsigned long long>(e.bits));
      return text;
    }
    case K::I32Add: return "i32.add";
    case K::I32Sub: return "i32.sub";
    case K::I32Mul: return "i32.mul";
    case K::I64Add: return "i64.add";
    case K::I64Sub: return "i64.sub";
    case K::I64Mul: return "i64.mul";
    case K::Extended: {
      std::string text;
      for (const abi::ConstExpr& op : e.ops) text += (text.empty() ? "" : " ") + formatConstExpr(op);
      return text;
    }
  }
  return "?";
}

std::string functionLabel(const ModuleInfo& info, uint32_t index) {
  std::string label = "func " + std::to_string(index);
  std::string_view name = info.functionName(index);
  if (!name.empty()) label += " \"" + std::string(name) + "\"";
  return label;
}

void printModuleInfo(const ModuleInfo& info) {
  uint32_t total_functions = static_cast<uint32_t>(info.function_types.size());
  if (!info.module_name.empty()) std::cout << "name:        " << info.module_name << "\n";
  std::cout << "types:       " << info.types.size() << "\n";
  std::cout << "functions:   " << total_functions << " (" << info.num_imported_functions << " imported, "
            << info.numDefinedFunctions() << " defined)\n";
  std::cout << "start:       "
            << (info.start_function ? functionLabel(info, *info.start_function) : std::string("none")) << "\n";
  std::cout << "data segments: " << info.data.size() << ", element segments: " << info.elements.size() << "\n";

  std::cout << "imports:     " << info.imports.size() << "\n";
  for (const abi::Import& imp : info.imports) {
    std::cout << "  " << abi::externKindName(imp.kind) << " " << imp.module << "." << imp.name;
    if (imp.kind == abi::ExternKind::Function && imp.index < info.function_types.size()) {
      std::cout << " " << formatType(info.functionType(imp.index));
    }
    std::cout << "\n";
  }
  std::cout << "exports:     " << info.exports.size() << "\n";
  for (const abi::Export& exp : info.exports) {
    std::cout << "  " << abi::externKindName(exp.kind) << " " << exp.name << " (index " << exp.index << ")";
    if (exp.kind == abi::ExternKind::Function && exp.index < info.function_types.size()) {
      std::cout << " " << formatType(info.functionType(exp.index));
    }
    std::cout << "\n";
  }
  std::cout << "memories:    " << info.memories.size() << "\n";
  for (size_t i = 0; i < info.memories.size(); ++i) {
    std::cout << "  " << i << ": " << formatLimits(info.memories[i].limits, "pages")
              << (i < info.num_imported_memories ? " (imported)" : "") << "\n";
  }
  std::cout << "tables:      " << info.tables.size() << "\n";
  for (size_t i = 0; i < info.tables.size(); ++i) {
    std::cout << "  " << i << ": " << abi::valTypeName(info.tables[i].element) << " "
              << formatLimits(info.tables[i].limits, "elements")
              << (i < info.num_imported_tables ? " (imported)" : "") << "\n";
  }
  std::cout << "globals:     " << info.globals.size() << "\n";
  for (size_t i = 0; i < info.globals.size(); ++i) {
    const abi::Global& g = info.globals[i];
    std::cout << "  " << i << ": " << (g.type.is_mutable ? "mut " : "") << abi::valTypeName(g.type.type);
    if (i < info.num_imported_globals) {
      std::cout << " (imported)";
    } else {
      std::cout << " = " << formatConstExpr(g.init);
    }
    std::cout << "\n";
  }
}

int inspectSharedObject(const std::string& path) {
  std::error_code ec;
  std::string absolute = std::filesystem::absolute(path, ec).string();
  // dlopen of a truncated file dies of SIGBUS: check the ELF file first.
  if (std::string why = runtime::checkSharedObjectFile(absolute); !why.empty()) {
    std::cerr << "error: " << path << ": cannot load: " << why << "\n";
    return kExitUsageError;
  }
  void* handle = dlopen(absolute.c_str(), RTLD_LAZY | RTLD_LOCAL);
  if (!handle) {
    std::cerr << "error: " << path << ": cannot load: " << oneLine(dlerror()) << "\n";
    return kExitUsageError;
  }
  auto* desc = static_cast<const abi::CompiledModuleDescriptor*>(dlsym(handle, abi::kDescriptorSymbol));
  if (!desc) {
    std::cerr << "error: " << path << ": not a wasmaot compiled module (no " << abi::kDescriptorSymbol << ")\n";
    dlclose(handle);
    return kExitUsageError;
  }
  // A forged or corrupt descriptor must not make inspect read wild memory.
  if (std::string why = runtime::checkDescriptorPlacement(handle, desc); !why.empty()) {
    std::cerr << "error: " << path << ": not a wasmaot compiled module (" << why << ")\n";
    dlclose(handle);
    return kExitUsageError;
  }
  std::string build_id(desc->compiler_build_id, strnlen(desc->compiler_build_id, sizeof desc->compiler_build_id));
  std::cout << "file:        " << path << " (compiled module)\n";
  std::cout << "abi version: " << desc->abi_version
            << (desc->abi_version == abi::kAbiVersion ? " (this build's)" : " (this build wants ")
            << (desc->abi_version == abi::kAbiVersion ? "" : std::to_string(abi::kAbiVersion) + ")") << "\n";
  std::cout << "build id:    " << build_id
            << (build_id == abi::kBuildId ? " (this build's)"
                                          : std::string(" (this build is ") + abi::kBuildId + "; recompile to run it)")
            << "\n";
  if (desc->abi_version != abi::kAbiVersion) {
    // Another descriptor layout: the fields after the build id may be elsewhere.
    std::cout << "(target and module info not shown: ABI version differs)\n";
    dlclose(handle);
    return 0;
  }
  std::cout << "target:      " << (desc->target_cpu ? desc->target_cpu : "?");
  if (desc->target_features && *desc->target_features) std::cout << " " << desc->target_features;
  std::cout << "\n";
  std::cout << "wasm sha256: " << toHex(std::span<const uint8_t>(desc->wasm_sha256, 32)) << "\n";
  std::string error;
  auto info = abi::decodeModuleInfo(std::span<const uint8_t>(desc->module_info, desc->module_info_size), &error);
  if (!info) {
    std::cerr << "error: " << path << ": corrupt module info: " << oneLine(error) << "\n";
    dlclose(handle);
    return kExitUsageError;
  }
  printModuleInfo(*info);
  dlclose(handle);
  return 0;
}

int inspectWasm(const std::string& path) {
  std::string error;
  auto bytes = readWholeFile(path, &error);
  if (!bytes) {
    std::cerr << "error: " << path << ": " << error << "\n";
    return kExitUsageError;
  }
  bool input_at_fault = false;
  auto encoded = describeThroughLibrary(*bytes, &error, &input_at_fault);
  if (!encoded) {
    std::cerr << "error: " << path << ": " << error << "\n";
    return input_at_fault ? kExitCompileError : kExitUsageError;
  }
  auto info = abi::decodeModuleInfo(*encoded, &error);
  if (!info) {
    std::cerr << "error: " << path << ": " << oneLine(error) << "\n";
    return kExitUsageError;
  }
  std::cout << "file:        " << path << " (WebAssembly module, " << bytes->size() << " bytes)\n";
  auto hash = sha256Hex(*bytes, &error);
  std::cout << "wasm sha256: " << (hash ? *hash : "(" + error + ")") << "\n";
  printModuleInfo(*info);
  return 0;
}

}  // namespace

int inspectCommandMain(const std::vector<std::string>& args) {
  Parsed<InspectArgs> parsed = parseInspectArgs(args);
  switch (parsed.action) {
    case ParseAction::ShowHelp:
      std::cout << kInspectUsage;
      return 0;
    case ParseAction::ShowVersion:
      std::cout << versionText() << "\n";
      return 0;
    case ParseAction::Error:
      printUsageError("wasmaot inspect", parsed.error);
      return kExitUsageError;
    case ParseAction::Proceed:
      break;
  }
  const std::string& file = parsed.value.file;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    std::cerr << "error: " << file << ": no such file\n";
    return kExitUsageError;
  }
  switch (detectFileKindOfPath(file)) {
    case FileKind::SharedObject: return inspectSharedObject(file);
    case FileKind::Wasm: return inspectWasm(file);
    case FileKind::Unknown: break;
  }
  std::cerr << "error: " << file << ": neither a WebAssembly module (.wasm) nor a compiled module (.so)\n";
  return kExitUsageError;
}

}  // namespace wasmaot::cli
