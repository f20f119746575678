// WASI preview 1 values and guest-memory layouts, with the `wasi_unstable`
// (snapshot 0) variants where they differ. Facts from the witx definitions;
// every layout is pinned with static_asserts because the guest's libc bakes
// the offsets in. All guest structures are little-endian, naturally aligned.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wasmaot::runtime::wasi {

// ---- errno ------------------------------------------------------------------
enum Errno : int32_t {
  kSuccess = 0, k2Big = 1, kAcces = 2, kAddrInUse = 3, kAddrNotAvail = 4, kAfNoSupport = 5, kAgain = 6,
  kAlready = 7, kBadf = 8, kBadMsg = 9, kBusy = 10, kCanceled = 11, kChild = 12, kConnAborted = 13,
  kConnRefused = 14, kConnReset = 15, kDeadlk = 16, kDestAddrReq = 17, kDom = 18, kDquot = 19, kExist = 20,
  kFault = 21, kFbig = 22, kHostUnreach = 23, kIdrm = 24, kIlseq = 25, kInProgress = 26, kIntr = 27,
  kInval = 28, kIo = 29, kIsConn = 30, kIsDir = 31, kLoop = 32, kMfile = 33, kMlink = 34, kMsgSize = 35,
  kMultihop = 36, kNameTooLong = 37, kNetDown = 38, kNetReset = 39, kNetUnreach = 40, kNfile = 41,
  kNoBufs = 42, kNoDev = 43, kNoEnt = 44, kNoExec = 45, kNoLck = 46, kNoLink = 47, kNoMem = 48, kNoMsg = 49,
  kNoProtoOpt = 50, kNoSpc = 51, kNoSys = 52, kNotConn = 53, kNotDir = 54, kNotEmpty = 55,
  kNotRecoverable = 56, kNotSock = 57, kNotSup = 58, kNotTy = 59, kNxio = 60, kOverflow = 61,
  kOwnerDead = 62, kPerm = 63, kPipe = 64, kProto = 65, kProtoNoSupport = 66, kProtoType = 67, kRange = 68,
  kRofs = 69, kSpipe = 70, kSrch = 71, kStale = 72, kTimedOut = 73, kTxtBsy = 74, kXdev = 75,
  kNotCapable = 76,
};

// Host errno -> WASI errno (wasi_errno.cpp). Unknown values become EIO.
int32_t fromHostErrno(int host_errno);

// ---- file types, flags ------------------------------------------------------
constexpr uint8_t kFiletypeUnknown = 0;
constexpr uint8_t kFiletypeBlockDevice = 1;
constexpr uint8_t kFiletypeCharacterDevice = 2;
constexpr uint8_t kFiletypeDirectory = 3;
constexpr uint8_t kFiletypeRegularFile = 4;
constexpr uint8_t kFiletypeSocketDgram = 5;
constexpr uint8_t kFiletypeSocketStream = 6;
constexpr uint8_t kFiletypeSymbolicLink = 7;

// fdflags (u16)
constexpr uint16_t kFdflagAppend = 1, kFdflagDsync = 2, kFdflagNonblock = 4, kFdflagRsync = 8, kFdflagSync = 16;
// oflags (u16)
constexpr uint16_t kOflagCreat = 1, kOflagDirectory = 2, kOflagExcl = 4, kOflagTrunc = 8;
// lookupflags (u32)
constexpr uint32_t kLookupSymlinkFollow = 1;
// fstflags (u16)
constexpr uint16_t kFstAtim = 1, kFstAtimNow = 2, kFstMtim = 4, kFstMtimNow = 8;
// eventtype (u8), eventrwflags (u16), subclockflags (u16)
constexpr uint8_t kEventClock = 0, kEventFdRead = 1, kEventFdWrite = 2;
constexpr uint16_t kEventFdReadwriteHangup = 1;
constexpr uint16_t kSubclockAbstime = 1;
// clockid (u32)
constexpr uint32_t kClockRealtime = 0, kClockMonotonic = 1, kClockProcessCputime = 2, kClockThreadCputime = 3;
// preopentype (u8)
constexpr uint8_t kPreopenDir = 0;
// advice (u8): normal, sequential, random, willneed, dontneed, noreuse
constexpr uint8_t kAdviceNoreuse = 5;

// ---- rights (u64) -----------------------------------------------------------
constexpr uint64_t kRightFdDatasync = 1ull << 0;
constexpr uint64_t kRightFdRead = 1ull << 1;
constexpr uint64_t kRightFdSeek = 1ull << 2;
constexpr uint64_t kRightFdFdstatSetFlags = 1ull << 3;
constexpr uint64_t kRightFdSync = 1ull << 4;
constexpr uint64_t kRightFdTell = 1ull << 5;
constexpr uint64_t kRightFdWrite = 1ull << 6;
constexpr uint64_t kRightFdAdvise = 1ull << 7;
constexpr uint64_t kRightFdAllocate = 1ull << 8;
constexpr uint64_t kRightPathCreateDirectory = 1ull << 9;
constexpr uint64_t kRightPathCreateFile = 1ull << 10;
constexpr uint64_t kRightPathLinkSource = 1ull << 11;
constexpr uint64_t kRightPathLinkTarget = 1ull << 12;
constexpr uint64_t kRightPathOpen = 1ull << 13;
constexpr uint64_t kRightFdReaddir = 1ull << 14;
constexpr uint64_t kRightPathReadlink = 1ull << 15;
constexpr uint64_t kRightPathRenameSource = 1ull << 16;
constexpr uint64_t kRightPathRenameTarget = 1ull << 17;
constexpr uint64_t kRightPathFilestatGet = 1ull << 18;
constexpr uint64_t kRightPathFilestatSetSize = 1ull << 19;
constexpr uint64_t kRightPathFilestatSetTimes = 1ull << 20;
constexpr uint64_t kRightFdFilestatGet = 1ull << 21;
constexpr uint64_t kRightFdFilestatSetSize = 1ull << 22;
constexpr uint64_t kRightFdFilestatSetTimes = 1ull << 23;
constexpr uint64_t kRightPathSymlink = 1ull << 24;
constexpr uint64_t kRightPathRemoveDirectory = 1ull << 25;
constexpr uint64_t kRightPathUnlinkFile = 1ull << 26;
constexpr uint64_t kRightPollFdReadwrite = 1ull << 27;
constexpr uint64_t kRightSockShutdown = 1ull << 28;
constexpr uint64_t kRightSockAccept = 1ull << 29;
constexpr uint64_t kRightsAll = (1ull << 30) - 1;
// Rights that only make sense on a regular file / on a directory.
constexpr uint64_t kRightsFileOnly = kRightFdDatasync | kRightFdRead | kRightFdSeek | kRightFdSync | kRightFdTell |
                                     kRightFdWrite | kRightFdAdvise | kRightFdAllocate | kRightFdFilestatSetSize |
                                     kRightPollFdReadwrite;
constexpr uint64_t kRightsDirectoryBase =
    kRightsAll & ~(kRightFdRead | kRightFdWrite | kRightFdSeek | kRightFdTell | kRightFdAdvise |
                   kRightFdAllocate | kRightFdFilestatSetSize | kRightSockShutdown | kRightSockAccept);
// Rights that let an fd change what it refers to (refused under a read-only preopen).
constexpr uint64_t kRightsWriting = kRightFdWrite | kRightFdAllocate | kRightFdFilestatSetSize |
                                    kRightFdFilestatSetTimes;

// ---- layouts ----------------------------------------------------------------
struct Iovec {  // iovec / ciovec
  uint32_t buf;
  uint32_t len;
};
static_assert(sizeof(Iovec) == 8 && offsetof(Iovec, len) == 4);

struct Fdstat {
  uint8_t filetype;
  uint8_t pad0;
  uint16_t flags;
  uint32_t pad1;
  uint64_t rights_base;
  uint64_t rights_inheriting;
};
static_assert(sizeof(Fdstat) == 24 && offsetof(Fdstat, flags) == 2 && offsetof(Fdstat, rights_base) == 8 &&
              offsetof(Fdstat, rights_inheriting) == 16);

// preview 1: linkcount is u64.
struct Filestat {
  uint64_t dev;
  uint64_t ino;
  uint8_t filetype;
  uint8_t pad[7];
  uint64_t nlink;
  uint64_t size;
  uint64_t atim;
  uint64_t mtim;
  uint64_t ctim;
};
static_assert(sizeof(Filestat) == 64 && offsetof(Filestat, filetype) == 16 && offsetof(Filestat, nlink) == 24 &&
              offsetof(Filestat, size) == 32 && offsetof(Filestat, atim) == 40 && offsetof(Filestat, mtim) == 48 &&
              offsetof(Filestat, ctim) == 56);

// wasi_unstable: linkcount is u32, so everything after it moves up.
struct FilestatUnstable {
  uint64_t dev;
  uint64_t ino;
  uint8_t filetype;
  uint8_t pad[3];
  uint32_t nlink;
  uint64_t size;
  uint64_t atim;
  uint64_t mtim;
  uint64_t ctim;
};
static_assert(sizeof(FilestatUnstable) == 56 && offsetof(FilestatUnstable, nlink) == 20 &&
              offsetof(FilestatUnstable, size) == 24 && offsetof(FilestatUnstable, atim) == 32 &&
              offsetof(FilestatUnstable, mtim) == 40 && offsetof(FilestatUnstable, ctim) == 48);

// Same in both versions; the name (d_namlen bytes, no NUL) follows.
struct Dirent {
  uint64_t d_next;
  uint64_t d_ino;
  uint32_t d_namlen;
  uint8_t d_type;
  uint8_t pad[3];
};
static_assert(sizeof(Dirent) == 24 && offsetof(Dirent, d_ino) == 8 && offsetof(Dirent, d_namlen) == 16 &&
              offsetof(Dirent, d_type) == 20);

struct Prestat {
  uint8_t tag;
  uint8_t pad[3];
  uint32_t pr_name_len;
};
static_assert(sizeof(Prestat) == 8 && offsetof(Prestat, pr_name_len) == 4);

// Subscriptions: userdata, then a union tagged by eventtype at offset 8.
// preview 1 clock: {id u32, timeout u64, precision u64, flags u16} at 16.
// wasi_unstable clock: {identifier u64, id u32, timeout u64, precision u64, flags u16} at 16.
// fd_readwrite: {file_descriptor u32} at 16 in both.
struct SubscriptionLayout {
  uint32_t size;
  uint32_t clock_id, clock_timeout, clock_precision, clock_flags;
};
constexpr uint32_t kSubscriptionTag = 8, kSubscriptionFd = 16;
constexpr SubscriptionLayout kSubscriptionPreview1{48, 16, 24, 32, 40};
constexpr SubscriptionLayout kSubscriptionUnstable{56, 24, 32, 40, 48};

struct Event {
  uint64_t userdata;
  uint16_t error;
  uint8_t type;
  uint8_t pad[5];
  uint64_t nbytes;
  uint16_t flags;
  uint8_t pad2[6];
};
static_assert(sizeof(Event) == 32 && offsetof(Event, error) == 8 && offsetof(Event, type) == 10 &&
              offsetof(Event, nbytes) == 16 && offsetof(Event, flags) == 24);

// whence (u8): preview 1 is set/cur/end, wasi_unstable is cur/end/set.
constexpr int kWhencePreview1[3] = {0 /*SEEK_SET*/, 1 /*SEEK_CUR*/, 2 /*SEEK_END*/};
constexpr int kWhenceUnstable[3] = {1 /*SEEK_CUR*/, 2 /*SEEK_END*/, 0 /*SEEK_SET*/};

}  // namespace wasmaot::runtime::wasi
