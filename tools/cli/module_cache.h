// The compile cache of `wasmaot run FILE.wasm`: compiled .so files keyed by
// the sha256 of the .wasm bytes, the compiler build id, the optimisation
// level and the target CPU, in $WASMAOT_CACHE_DIR, else $XDG_CACHE_HOME/wasmaot, else
// ~/.cache/wasmaot. Entries are written to a temporary name and renamed, so
// concurrent runs of the same module are safe.
//
// So that a cache hit does not read and hash the .wasm, index/ maps a file's
// identity (device, inode, size, mtime, ctime) to its hash. A change to the
// file changes its ctime (which no user can set back), so a changed file
// never matches a stale record; a file is recorded only once its ctime is a
// few seconds old, so a write in the same clock tick as the hashing cannot
// go unseen either.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wasmaot::cli {

// Where the cache lives (not created). Empty if no location is known.
std::string cacheDirectory();

// The entry file name for a module whose hex sha256 is `wasm_hash`:
// "<sha256>-<build id>-O<level>-<cpu tag>.so" ("...-O<level>.so" when
// cpu_tag is empty).
std::string cacheEntryName(const std::string& wasm_hash, unsigned opt_level, const std::string& cpu_tag = "");

// The cache's name for a --target-cpu choice: "native-<host cpu signature>"
// (so a shared cache never hands one machine another's native code),
// "portable", or the CPU name.
std::string cpuCacheTag(const std::string& target_cpu);

// Full path of the entry in `dir`.
std::string cacheEntryPath(const std::string& dir, const std::string& wasm_hash, unsigned opt_level,
                           const std::string& cpu_tag = "");

// The hash index/ records for the file `st` describes, if the record still
// matches it.
std::optional<std::string> indexedHash(const std::string& dir, const struct stat& st);

// Records `wasm_hash` for the file that was `before` when its bytes were read
// and `after` once they were hashed. Records nothing if the two differ or the
// file changed too recently to be sure (see above). Best effort.
void recordHash(const std::string& dir, const struct stat& before, const struct stat& after,
                const std::string& wasm_hash);

// A fresh temporary path next to `final_path`, for write-then-rename.
std::string temporaryPathFor(const std::string& final_path);

// Keeps the cache bounded: while its .so entries take more than `max_bytes`
// (default $WASMAOT_CACHE_MAX_MB MiB, else 1024 MiB), deletes the least
// recently used one (by modification time; a cache hit touches its entry),
// never `keep`. Also deletes temporary files a crashed compile or background
// build left behind (older than a day) and index records not written for 30 days (they are
// remade by hashing when needed). Best effort: errors are ignored.
void pruneCache(const std::string& dir, const std::string& keep);

// Marks an entry as just used (for pruneCache's least-recently-used order).
void touchCacheEntry(const std::string& path);

enum class FileKind { Wasm, SharedObject, Unknown };

// Reads a whole file; nullopt (and *error, one line) on failure.
std::optional<std::vector<uint8_t>> readWholeFile(const std::string& path, std::string* error);

// Reads all of an open file from offset 0 (`size` is its st_size: a guess,
// the file may have changed since).
std::optional<std::vector<uint8_t>> readOpenFile(int fd, uint64_t size, std::string* error);

// The size of a wasm module's code section, by walking the section headers;
// the whole size if the module is malformed (the compile will say so).
uint64_t codeSectionSize(std::span<const uint8_t> wasm);

// By magic bytes: "\0asm" or ELF.
FileKind detectFileKind(std::span<const uint8_t> head);
FileKind detectFileKindOfPath(const std::string& path);

}  // namespace wasmaot::cli
