// Interpreter of wast2json command lists (see spec_script.h).
#include "spec_script.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "module_cache.h"
#include "sha256.h"
#include "spec_values.h"
#include "spectest_host.h"
#include "wasmaot/compiler/compile.h"
#include "wasmaot/runtime/runtime.h"

namespace wasmaot::spec {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using runtime::CallOutcome;
using runtime::Imports;
using runtime::Instance;
using runtime::InstantiateResult;
using runtime::LoadedModule;

std::string hexOffset(size_t offset) {
  std::ostringstream out;
  out << "0x" << std::hex << offset;
  return out.str();
}

std::string describeFailure(const compiler::CompileFailure& f) {
  return f.has_offset ? "offset " + hexOffset(f.offset) + ": " + f.message : f.message;
}

// What an action (invoke / get) ended with.
struct ActionOutcome {
  enum class Kind { Returned, Trapped, Exited, Error };
  Kind kind = Kind::Error;
  std::vector<Value> values;
  runtime::Trap trap;
  std::string error;  // Error: the action could not even be performed
};

class ScriptRunner {
 public:
  ScriptRunner(std::string base_dir, const ScriptOptions& options, ResultSink& sink)
      : base_dir_(std::move(base_dir)), options_(options), sink_(sink) {}

  bool init(std::string* error) { return defineSpectestModule(imports_, options_.echo_prints, error); }

  void run(const json& command) {
    std::string type = command.value("type", "");
    unsigned line = command.value("line", 0u);
    if (type == "module") return doModule(command, line);
    if (type == "register") return doRegister(command, line);
    if (type == "action") return doAction(command, line);
    if (type == "assert_return") return doAssertReturn(command, line);
    if (type == "assert_trap" || type == "assert_exhaustion") return doAssertTrap(command, line);
    if (type == "assert_exception") return doAssertException(command, line);
    if (type == "assert_invalid" || type == "assert_malformed") return doAssertRejected(command, line);
    if (type == "assert_unlinkable") return doAssertUnlinkable(command, line);
    if (type == "assert_uninstantiable") return doAssertUninstantiable(command, line);
    sink_.skipped(line, "unknown command type '" + type + "'");
  }

 private:
  // Compiles (or finds in the cache) and loads a module file of the script.
  std::shared_ptr<LoadedModule> load(const std::string& filename, std::string* error) {
    std::string path = base_dir_ + "/" + filename;
    auto bytes = cli::readWholeFile(path, error);
    if (!bytes) {
      *error = path + ": " + *error;
      return nullptr;
    }
    auto hash = cli::sha256Hex(*bytes, error);
    if (!hash) return nullptr;
    std::string so_path =
        cli::cacheEntryPath(options_.cache_dir, *hash, options_.opt_level, cli::cpuCacheTag(options_.target_cpu));
    std::error_code ec;
    if (!fs::exists(so_path, ec)) {
      std::string temporary = cli::temporaryPathFor(so_path);
      compiler::CompileOptions copts;
      copts.opt_level = options_.opt_level;
      copts.threads = 1;
      copts.target_cpu = options_.target_cpu;
      if (auto failure = compiler::compileToSharedObject(*bytes, copts, temporary)) {
        fs::remove(temporary, ec);
        *error = "compile failed: " + describeFailure(*failure);
        return nullptr;
      }
      fs::rename(temporary, so_path, ec);
      if (ec && !fs::exists(so_path)) {
        *error = "cannot write " + so_path;
        return nullptr;
      }
    }
    auto module = LoadedModule::load(so_path, error);
    if (module) loaded_.push_back(module);
    return module;
  }

  Instance* instanceFor(const json& action_or_command, std::string* error) {
    if (action_or_command.contains("module")) {
      std::string name = action_or_command["module"].get<std::string>();
      auto it = named_.find(name);
      if (it == named_.end()) {
        *error = "no module named " + name;
        return nullptr;
      }
      return it->second.get();
    }
    if (!current_) *error = "no current module";
    return current_.get();
  }

  ActionOutcome perform(const json& action) {
    ActionOutcome out;
    Instance* instance = instanceFor(action, &out.error);
    if (!instance) return out;
    std::string field = action.value("field", "");
    std::string type = action.value("type", "");
    if (type == "get") {
      auto ext = instance->exportNamed(field);
      if (!ext || ext->kind != abi::ExternKind::Global || !ext->global) {
        out.error = "no global export '" + field + "'";
        return out;
      }
      out.kind = ActionOutcome::Kind::Returned;
      out.values.push_back(ext->global->get());
      return out;
    }
    if (type != "invoke") {
      out.error = "unknown action type '" + type + "'";
      return out;
    }
    std::vector<Value> args;
    for (const json& a : action.value("args", json::array())) {
      auto v = parseArgument(a, &out.error);
      if (!v) return out;
      args.push_back(*v);
    }
    CallOutcome call = instance->call(field, args);
    switch (call.kind) {
      case CallOutcome::Kind::Returned:
        out.kind = ActionOutcome::Kind::Returned;
        out.values = std::move(call.results);
        break;
      case CallOutcome::Kind::Trapped:
        out.kind = ActionOutcome::Kind::Trapped;
        out.trap = std::move(call.trap);
        break;
      case CallOutcome::Kind::Exited:
        out.kind = ActionOutcome::Kind::Exited;
        out.error = "exited with status " + std::to_string(call.exit_status);
        break;
    }
    return out;
  }

  static std::string outcomeText(const ActionOutcome& o) {
    switch (o.kind) {
      case ActionOutcome::Kind::Returned: {
        std::string s = "returned (";
        for (size_t i = 0; i < o.values.size(); ++i) s += (i ? ", " : "") + describe(o.values[i]);
        return s + ")";
      }
      case ActionOutcome::Kind::Trapped: return "trapped: " + o.trap.message;
      case ActionOutcome::Kind::Exited: return o.error;
      case ActionOutcome::Kind::Error: return "could not run: " + o.error;
    }
    return "?";
  }

  void doModule(const json& command, unsigned line) {
    current_.reset();
    std::string filename = command.value("filename", "");
    if (filename.ends_with(".wat")) {
      sink_.skipped(line, "text module");
      return;
    }
    std::string error;
    auto module = load(filename, &error);
    if (!module) {
      sink_.failed(line, false, "module: " + error);
      return;
    }
    InstantiateResult inst = Instance::instantiate(module, imports_);
    switch (inst.kind) {
      case InstantiateResult::Kind::Ok:
        current_ = inst.instance;
        if (command.contains("name")) named_[command["name"].get<std::string>()] = current_;
        return;
      case InstantiateResult::Kind::LinkError:
        sink_.failed(line, false, "module: link error: " + inst.message);
        return;
      case InstantiateResult::Kind::Trapped:
        sink_.failed(line, false, "module: instantiation trapped: " + inst.trap.message);
        return;
      case InstantiateResult::Kind::Exited:
        sink_.failed(line, false, "module: exited during instantiation");
        return;
    }
  }

  void doRegister(const json& command, unsigned line) {
    std::string error;
    std::shared_ptr<Instance> instance = current_;
    if (command.contains("name")) {
      auto it = named_.find(command["name"].get<std::string>());
      instance = it == named_.end() ? nullptr : it->second;
    }
    if (!instance) {
      sink_.failed(line, false, "register: no such module");
      return;
    }
    std::string as = command.value("as", "");
    for (const abi::Export& exp : instance->module().info().exports) {
      auto ext = instance->exportNamed(exp.name);
      if (!ext) {
        sink_.failed(line, false, "register: export '" + exp.name + "' not found");
        return;
      }
      imports_.define(as, exp.name, *ext);
    }
    registered_.push_back(instance);
  }

  void doAction(const json& command, unsigned line) {
    ActionOutcome o = perform(command["action"]);
    if (o.kind != ActionOutcome::Kind::Returned) sink_.failed(line, false, "action " + outcomeText(o));
  }

  void doAssertReturn(const json& command, unsigned line) {
    std::vector<ExpectedValue> expected;
    if (command.contains("either")) {
      // Relaxed SIMD: the one result may be any of these values.
      std::string error;
      auto v = parseExpected(json{{"type", "either"}, {"values", command["either"]}}, &error);
      if (!v) {
        sink_.skipped(line, error);
        return;
      }
      expected.push_back(*v);
    }
    for (const json& e : command.value("expected", json::array())) {
      std::string error;
      auto v = parseExpected(e, &error);
      if (!v) {
        sink_.skipped(line, error);
        return;
      }
      expected.push_back(*v);
    }
    for (const json& a : command["action"].value("args", json::array())) {
      std::string error;
      if (!parseArgument(a, &error)) {
        sink_.skipped(line, error);
        return;
      }
    }
    ActionOutcome o = perform(command["action"]);
    if (o.kind != ActionOutcome::Kind::Returned) {
      sink_.failed(line, true, actionName(command) + " " + outcomeText(o));
      return;
    }
    bool ok = o.values.size() == expected.size();
    for (size_t i = 0; ok && i < expected.size(); ++i) ok = matches(expected[i], o.values[i]);
    if (ok) {
      sink_.passed(line);
      return;
    }
    std::string want = "(";
    for (size_t i = 0; i < expected.size(); ++i) want += (i ? ", " : "") + describe(expected[i]);
    sink_.failed(line, true, actionName(command) + " " + outcomeText(o) + ", expected " + want + ")");
  }

  static std::string actionName(const json& command) {
    return "'" + command["action"].value("field", "") + "'";
  }

  void doAssertTrap(const json& command, unsigned line) {
    std::string text = command.value("text", "");
    if (command.contains("filename")) return doAssertUninstantiable(command, line);
    for (const json& a : command["action"].value("args", json::array())) {
      std::string error;
      if (!parseArgument(a, &error)) {
        sink_.skipped(line, error);
        return;
      }
    }
    ActionOutcome o = perform(command["action"]);
    if (o.kind != ActionOutcome::Kind::Trapped) {
      sink_.failed(line, true, actionName(command) + " " + outcomeText(o) + ", expected trap '" + text + "'");
      return;
    }
    if (!messagesAgree(o.trap.message, text)) {
      sink_.failed(line, true, actionName(command) + " trapped with '" + o.trap.message + "', expected '" + text + "'");
      return;
    }
    sink_.passed(line);
  }

  // The action must end with a wasm exception that nothing caught.
  void doAssertException(const json& command, unsigned line) {
    for (const json& a : command["action"].value("args", json::array())) {
      std::string error;
      if (!parseArgument(a, &error)) {
        sink_.skipped(line, error);
        return;
      }
    }
    ActionOutcome o = perform(command["action"]);
    if (o.kind != ActionOutcome::Kind::Trapped || o.trap.code != abi::TrapCode::UncaughtException) {
      sink_.failed(line, true, actionName(command) + " " + outcomeText(o) + ", expected an uncaught exception");
      return;
    }
    sink_.passed(line);
  }

  void doAssertRejected(const json& command, unsigned line) {
    if (command.value("module_type", "binary") != "binary") {
      sink_.skipped(line, "text module (" + command.value("type", "") + ")");
      return;
    }
    std::string path = base_dir_ + "/" + command.value("filename", "");
    std::string error;
    auto bytes = cli::readWholeFile(path, &error);
    if (!bytes) {
      sink_.failed(line, true, "cannot read " + path + ": " + error);
      return;
    }
    auto failure = compiler::validateWasm(*bytes);
    std::string text = command.value("text", "");
    if (!failure) {
      sink_.failed(line, true, "module accepted, expected rejection '" + text + "'");
      return;
    }
    sink_.passed(line);
    if (!messagesAgree(failure->message, text)) sink_.messageMismatch(line, text, describeFailure(*failure));
  }

  void doAssertUnlinkable(const json& command, unsigned line) {
    std::string error;
    auto module = load(command.value("filename", ""), &error);
    std::string text = command.value("text", "");
    if (!module) {
      sink_.failed(line, true, "module did not compile: " + error);
      return;
    }
    InstantiateResult inst = Instance::instantiate(module, imports_);
    if (inst.kind != InstantiateResult::Kind::LinkError) {
      sink_.failed(line, true, std::string("instantiation ") +
                                   (inst.kind == InstantiateResult::Kind::Ok ? "succeeded" : "trapped: " + inst.trap.message) +
                                   ", expected link error '" + text + "'");
      return;
    }
    sink_.passed(line);
    if (!messagesAgree(inst.message, text)) sink_.messageMismatch(line, text, inst.message);
  }

  void doAssertUninstantiable(const json& command, unsigned line) {
    std::string error;
    auto module = load(command.value("filename", ""), &error);
    std::string text = command.value("text", "");
    if (!module) {
      sink_.failed(line, true, "module did not compile: " + error);
      return;
    }
    InstantiateResult inst = Instance::instantiate(module, imports_);
    if (inst.kind != InstantiateResult::Kind::Trapped) {
      std::string what = inst.kind == InstantiateResult::Kind::Ok ? "succeeded"
                         : inst.kind == InstantiateResult::Kind::LinkError ? "failed to link: " + inst.message
                                                                            : "exited";
      sink_.failed(line, true, "instantiation " + what + ", expected trap '" + text + "'");
      return;
    }
    if (!messagesAgree(inst.trap.message, text)) {
      sink_.failed(line, true, "instantiation trapped with '" + inst.trap.message + "', expected '" + text + "'");
      return;
    }
    sink_.passed(line);
  }

  std::string base_dir_;
  ScriptOptions options_;
  ResultSink& sink_;
  Imports imports_;
  std::shared_ptr<Instance> current_;
  std::map<std::string, std::shared_ptr<Instance>> named_;
  std::vector<std::shared_ptr<Instance>> registered_;
  std::vector<std::shared_ptr<LoadedModule>> loaded_;
};

}  // namespace

bool runSpecScript(const std::string& json_path, const ScriptOptions& options, ResultSink& sink) {
  std::ifstream in(json_path);
  json script;
  try {
    in >> script;
  } catch (const std::exception& e) {
    sink.failed(0, false, std::string("cannot parse ") + json_path + ": " + e.what());
    return false;
  }
  const json& commands = script["commands"];
  unsigned asserts = 0;
  for (const json& c : commands) {
    if (c.value("type", "").starts_with("assert_")) ++asserts;
  }
  sink.total(asserts);

  ScriptRunner runner(fs::path(json_path).parent_path().string(), options, sink);
  std::string error;
  if (!runner.init(&error)) {
    sink.failed(0, false, "cannot create the spectest module: " + error);
    return false;
  }
  for (const json& command : commands) runner.run(command);
  return true;
}

}  // namespace wasmaot::spec
