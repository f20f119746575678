// In-process linking with LLD's ELF driver: objects in a private temporary
// directory, output written under a temporary name and renamed into place.
#include "linker.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <system_error>

#include <lld/Common/Driver.h>
#include <llvm/Support/raw_ostream.h>

LLD_HAS_DRIVER(elf)

namespace wasmaot::compiler {
namespace {

namespace fs = std::filesystem;

// LLD keeps global state: one link at a time per process. If a link leaves
// LLD unable to run again (a crash it recovered from), later links fail
// cleanly instead of running on corrupted state.
std::mutex lld_mutex;
bool lld_usable = true;

// A mode-0700 directory (mkdtemp), removed with its contents on scope exit.
class PrivateTempDir {
 public:
  PrivateTempDir() {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string pattern = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/wasmaot-link-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a temporary directory for linking: " + std::string(std::strerror(errno)));
    }
    path_ = pattern;
  }
  ~PrivateTempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  PrivateTempDir(const PrivateTempDir&) = delete;
  PrivateTempDir& operator=(const PrivateTempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Removes the file on scope exit unless released.
class RemoveOnFailure {
 public:
  explicit RemoveOnFailure(std::string path) : path_(std::move(path)) {}
  ~RemoveOnFailure() {
    if (!released_) {
      std::error_code ignored;
      fs::remove(path_, ignored);
    }
  }
  void release() { released_ = true; }

 private:
  std::string path_;
  bool released_ = false;
};

void writeFile(const fs::path& path, const std::vector<char>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string temporaryOutputPath(const std::string& output_path) {
  static std::atomic<unsigned> sequence{0};
  return output_path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(sequence.fetch_add(1));
}

}  // namespace

void linkSharedObject(const std::vector<ObjectCode>& objects, const std::string& output_path) {
  PrivateTempDir directory;
  std::vector<std::string> object_paths;
  for (const ObjectCode& object : objects) {
    fs::path path = directory.path() / object.name;
    writeFile(path, object.bytes);
    object_paths.push_back(path.string());
  }

  const std::string temporary_output = temporaryOutputPath(output_path);
  RemoveOnFailure cleanup(temporary_output);
  // Undefined symbols (memcpy, memset, ... that LLVM may call) are allowed in
  // a shared object and resolved against libc by dlopen.
  std::vector<const char*> args = {"ld.lld",  "-shared",      "--hash-style=gnu",
                                   "-z",      "noexecstack",  "-z",
                                   "relro",   "-z",           "now",
                                   "--eh-frame-hdr", "--no-undefined-version", "-o",
                                   temporary_output.c_str()};
  for (const std::string& path : object_paths) args.push_back(path.c_str());

  std::string diagnostics;
  {
    std::lock_guard lock(lld_mutex);
    if (!lld_usable) throw std::runtime_error("linking failed: LLD cannot run again in this process");
    std::string ignored_output;
    llvm::raw_string_ostream stdout_stream(ignored_output);
    llvm::raw_string_ostream stderr_stream(diagnostics);
    lld::Result result = lld::lldMain(args, stdout_stream, stderr_stream, {{lld::Gnu, &lld::elf::link}});
    stderr_stream.flush();
    if (!result.canRunAgain) lld_usable = false;
    if (result.retCode != 0) {
      while (!diagnostics.empty() && diagnostics.back() == '\n') diagnostics.pop_back();
      throw std::runtime_error("linking failed" + (diagnostics.empty() ? std::string() : ": " + diagnostics));
    }
  }

  std::error_code error;
  fs::rename(temporary_output, output_path, error);
  if (error) throw std::runtime_error("cannot create " + output_path + ": " + error.message());
  cleanup.release();
}

}  // namespace wasmaot::compiler
