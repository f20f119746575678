// Path-beneath resolution (runtime/src/wasi/wasi_sandbox_path.h): every
// escape is ENOTCAPABLE, legitimate paths resolve, in both modes (openat2
// and the component walk). Doctest suite `wasi_paths` (also ctest label policy).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "../../../runtime/src/wasi/wasi_layouts.h"
#include "../../../runtime/src/wasi/wasi_sandbox_path.h"

namespace fs = std::filesystem;
using namespace wasmaot::runtime::wasi;

namespace {

struct Tree {
  std::string top;
  int root = -1;
  Tree() {
    char tmpl[] = "/tmp/wasmaot_paths_XXXXXX";
    top = mkdtemp(tmpl);
    fs::create_directories(top + "/root/sub/deeper");
    fs::create_directories(top + "/outside");
    std::ofstream(top + "/root/a.txt") << "a";
    std::ofstream(top + "/root/sub/inner") << "inner";
    std::ofstream(top + "/outside/secret") << "secret";
    fs::create_symlink("../outside/secret", top + "/root/link_out");
    fs::create_symlink("/etc/passwd", top + "/root/link_abs");
    fs::create_symlink("../outside", top + "/root/dirlink_out");
    fs::create_symlink("sub", top + "/root/dirlink_in");
    fs::create_symlink("sub/inner_link", top + "/root/chain");
    fs::create_symlink("inner", top + "/root/sub/inner_link");
    fs::create_symlink("../../outside/secret", top + "/root/sub/deep_out");
    fs::create_symlink("sub/deep_out", top + "/root/chain_out");
    fs::create_symlink("loop2", top + "/root/loop1");
    fs::create_symlink("loop1", top + "/root/loop2");
    fs::create_symlink("../root/a.txt", top + "/root/roundtrip");
    root = open((top + "/root").c_str(), O_RDONLY | O_DIRECTORY);
  }
  ~Tree() {
    close(root);
    fs::remove_all(top);
  }
};

int32_t resolve(const Tree& t, const char* path, bool follow, std::string* name = nullptr) {
  ResolvedPath r;
  int32_t e = resolveBeneath(t.root, path, follow, &r);
  if (name) *name = r.name;
  return e;
}

void checkAll(const Tree& t) {
  std::string name;
  CHECK(resolve(t, "a.txt", false, &name) == kSuccess);
  CHECK(name == "a.txt");
  CHECK(resolve(t, "sub/../a.txt", true, &name) == kSuccess);
  CHECK(name == "a.txt");
  CHECK(resolve(t, ".", false, &name) == kSuccess);
  CHECK(name == ".");
  CHECK(resolve(t, "sub/..", false, &name) == kSuccess);
  CHECK(name == ".");
  CHECK(resolve(t, "dirlink_in/inner", true, &name) == kSuccess);
  CHECK(name == "inner");
  CHECK(resolve(t, "chain", true, &name) == kSuccess);  // chain -> sub/inner_link -> inner
  CHECK(name == "inner");
  CHECK(resolve(t, "link_out", false, &name) == kSuccess);  // the link itself
  CHECK(name == "link_out");
  CHECK(resolve(t, "new_file", true, &name) == kSuccess);  // may not exist yet
  CHECK(resolve(t, "sub//deeper/./", false, &name) == kSuccess);
  CHECK(name == ".");

  // Escapes.
  CHECK(resolve(t, "..", false) == kNotCapable);
  CHECK(resolve(t, "../outside/secret", false) == kNotCapable);
  CHECK(resolve(t, "sub/../../outside", false) == kNotCapable);
  CHECK(resolve(t, "sub/deeper/../../..", false) == kNotCapable);
  CHECK(resolve(t, "/etc/passwd", false) == kNotCapable);
  CHECK(resolve(t, "link_out", true) == kNotCapable);
  CHECK(resolve(t, "link_abs", true) == kNotCapable);
  CHECK(resolve(t, "dirlink_out/secret", false) == kNotCapable);
  CHECK(resolve(t, "dirlink_out/", false) == kNotCapable);  // a trailing slash follows
  CHECK(resolve(t, "chain_out", true) == kNotCapable);
  CHECK(resolve(t, "roundtrip", true) == kNotCapable);  // out and back in is still out

  // Plain errors.
  CHECK(resolve(t, "", false) == kNoEnt);
  CHECK(resolve(t, "missing/x", false) == kNoEnt);
  CHECK(resolve(t, "a.txt/x", false) == kNotDir);
  CHECK(resolve(t, "a.txt/", false) == kNotDir);
  CHECK(resolve(t, "loop1", true) == kLoop);
}

}  // namespace

TEST_SUITE("wasi_paths") {
  TEST_CASE("splitPath drops empty components") {
    CHECK(splitPath("a//b/./c/") == std::vector<std::string>{"a", "b", ".", "c"});
    CHECK(splitPath("").empty());
  }

  TEST_CASE("beneath resolution with openat2") {
    Tree t;
    setOpenat2Allowed(true);
    checkAll(t);
  }

  TEST_CASE("beneath resolution with the component walk") {
    Tree t;
    setOpenat2Allowed(false);
    checkAll(t);
    CHECK_FALSE(openat2InUse());
    setOpenat2Allowed(true);
  }
}
