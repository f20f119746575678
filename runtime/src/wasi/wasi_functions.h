// The native entry points of the WASI preview 1 host, one per function of
// `wasi_snapshot_preview1` (and the `wasi_unstable` variants where layouts
// differ). Each is `int32_t fn(VMContext* caller, params...)`, i32 as
// uint32_t and i64 as uint64_t, returning a WASI errno. wasi_bind.cpp binds
// them by name.
#pragma once

#include <cstdint>
#include <ctime>

#include "wasmaot/abi/vm_context.h"

namespace wasmaot::runtime::wasi {

using Ctx = abi::VMContext*;

// wasi_clock_random_proc.cpp
int32_t args_get(Ctx, uint32_t argv, uint32_t buf);
int32_t args_sizes_get(Ctx, uint32_t argc, uint32_t size);
int32_t environ_get(Ctx, uint32_t environ, uint32_t buf);
int32_t environ_sizes_get(Ctx, uint32_t count, uint32_t size);
int32_t clock_res_get(Ctx, uint32_t id, uint32_t res);
int32_t clock_time_get(Ctx, uint32_t id, uint64_t precision, uint32_t time);
void proc_exit(Ctx, uint32_t status);
int32_t proc_raise(Ctx, uint32_t signal);
int32_t sched_yield(Ctx);
int32_t random_get(Ctx, uint32_t buf, uint32_t len);

// wasi_fd.cpp
int32_t fd_advise(Ctx, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice);
int32_t fd_allocate(Ctx, uint32_t fd, uint64_t offset, uint64_t len);
int32_t fd_close(Ctx, uint32_t fd);
int32_t fd_datasync(Ctx, uint32_t fd);
int32_t fd_fdstat_get(Ctx, uint32_t fd, uint32_t buf);
int32_t fd_fdstat_set_flags(Ctx, uint32_t fd, uint32_t flags);
int32_t fd_fdstat_set_rights(Ctx, uint32_t fd, uint64_t base, uint64_t inheriting);
int32_t fd_filestat_get(Ctx, uint32_t fd, uint32_t buf);
int32_t fd_filestat_get_unstable(Ctx, uint32_t fd, uint32_t buf);
int32_t fd_filestat_set_size(Ctx, uint32_t fd, uint64_t size);
int32_t fd_filestat_set_times(Ctx, uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t flags);
int32_t fd_pread(Ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset, uint32_t nread);
int32_t fd_prestat_get(Ctx, uint32_t fd, uint32_t buf);
int32_t fd_prestat_dir_name(Ctx, uint32_t fd, uint32_t path, uint32_t path_len);
int32_t fd_pwrite(Ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset, uint32_t nwritten);
int32_t fd_read(Ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nread);
int32_t fd_readdir(Ctx, uint32_t fd, uint32_t buf, uint32_t buf_len, uint64_t cookie, uint32_t bufused);
int32_t fd_renumber(Ctx, uint32_t from, uint32_t to);
int32_t fd_seek(Ctx, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t newoffset);
int32_t fd_seek_unstable(Ctx, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t newoffset);
int32_t fd_sync(Ctx, uint32_t fd);
int32_t fd_tell(Ctx, uint32_t fd, uint32_t offset);
int32_t fd_write(Ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten);

// wasi_path.cpp
int32_t path_create_directory(Ctx, uint32_t fd, uint32_t path, uint32_t path_len);
int32_t path_filestat_get(Ctx, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len, uint32_t buf);
int32_t path_filestat_get_unstable(Ctx, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
                                   uint32_t buf);
int32_t path_filestat_set_times(Ctx, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len, uint64_t atim,
                                uint64_t mtim, uint32_t fst_flags);
int32_t path_link(Ctx, uint32_t old_fd, uint32_t old_flags, uint32_t old_path, uint32_t old_len, uint32_t new_fd,
                  uint32_t new_path, uint32_t new_len);
int32_t path_open(Ctx, uint32_t fd, uint32_t dirflags, uint32_t path, uint32_t path_len, uint32_t oflags,
                  uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags, uint32_t opened_fd);
int32_t path_readlink(Ctx, uint32_t fd, uint32_t path, uint32_t path_len, uint32_t buf, uint32_t buf_len,
                      uint32_t bufused);
int32_t path_remove_directory(Ctx, uint32_t fd, uint32_t path, uint32_t path_len);
int32_t path_rename(Ctx, uint32_t fd, uint32_t old_path, uint32_t old_len, uint32_t new_fd, uint32_t new_path,
                    uint32_t new_len);
int32_t path_symlink(Ctx, uint32_t old_path, uint32_t old_len, uint32_t fd, uint32_t new_path, uint32_t new_len);
int32_t path_unlink_file(Ctx, uint32_t fd, uint32_t path, uint32_t path_len);

// wasi_poll.cpp
int32_t poll_oneoff(Ctx, uint32_t in, uint32_t out, uint32_t nsubscriptions, uint32_t nevents);
int32_t poll_oneoff_unstable(Ctx, uint32_t in, uint32_t out, uint32_t nsubscriptions, uint32_t nevents);

// Shared by fd_filestat_set_times and path_filestat_set_times: fills
// times[2] for futimens/utimensat. EINVAL for contradictory flags.
int32_t buildTimes(uint64_t atim, uint64_t mtim, uint32_t fst_flags, struct timespec* times);

}  // namespace wasmaot::runtime::wasi
