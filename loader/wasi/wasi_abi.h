// WASI preview1 (wasi_snapshot_preview1) constants and the byte layouts of
// the structs the guest passes through linear memory (wasm32: 4-byte
// pointers and sizes, little-endian).
#pragma once
#include <cstdint>

namespace kiln::wasi::abi {

inline constexpr const char* kModule = "wasi_snapshot_preview1";

using Errno = uint16_t;

/// errno values, numbered as in the witx definition.
namespace err {
inline constexpr Errno kSuccess = 0, k2Big = 1, kAcces = 2, kAddrInUse = 3, kAddrNotAvail = 4,
    kAfNoSupport = 5, kAgain = 6, kAlready = 7, kBadf = 8, kBadMsg = 9, kBusy = 10, kCanceled = 11,
    kChild = 12, kConnAborted = 13, kConnRefused = 14, kConnReset = 15, kDeadlk = 16,
    kDestAddrReq = 17, kDom = 18, kDquot = 19, kExist = 20, kFault = 21, kFbig = 22,
    kHostUnreach = 23, kIdrm = 24, kIlseq = 25, kInProgress = 26, kIntr = 27, kInval = 28, kIo = 29,
    kIsConn = 30, kIsDir = 31, kLoop = 32, kMfile = 33, kMlink = 34, kMsgSize = 35, kMultihop = 36,
    kNameTooLong = 37, kNetDown = 38, kNetReset = 39, kNetUnreach = 40, kNfile = 41, kNoBufs = 42,
    kNoDev = 43, kNoEnt = 44, kNoExec = 45, kNoLck = 46, kNoLink = 47, kNoMem = 48, kNoMsg = 49,
    kNoProtoOpt = 50, kNoSpc = 51, kNoSys = 52, kNotConn = 53, kNotDir = 54, kNotEmpty = 55,
    kNotRecoverable = 56, kNotSock = 57, kNotSup = 58, kNotTy = 59, kNxio = 60, kOverflow = 61,
    kOwnerDead = 62, kPerm = 63, kPipe = 64, kProto = 65, kProtoNoSupport = 66, kProtoType = 67,
    kRange = 68, kRofs = 69, kSpipe = 70, kSrch = 71, kStale = 72, kTimedOut = 73, kTxtBsy = 74,
    kXdev = 75, kNotCapable = 76;
}  // namespace err

/// Rights bits.
namespace right {
inline constexpr uint64_t kFdDatasync = 1ull << 0, kFdRead = 1ull << 1, kFdSeek = 1ull << 2,
    kFdFdstatSetFlags = 1ull << 3, kFdSync = 1ull << 4, kFdTell = 1ull << 5, kFdWrite = 1ull << 6,
    kFdAdvise = 1ull << 7, kFdAllocate = 1ull << 8, kPathCreateDirectory = 1ull << 9,
    kPathCreateFile = 1ull << 10, kPathLinkSource = 1ull << 11, kPathLinkTarget = 1ull << 12,
    kPathOpen = 1ull << 13, kFdReaddir = 1ull << 14, kPathReadlink = 1ull << 15,
    kPathRenameSource = 1ull << 16, kPathRenameTarget = 1ull << 17, kPathFilestatGet = 1ull << 18,
    kPathFilestatSetSize = 1ull << 19, kPathFilestatSetTimes = 1ull << 20,
    kFdFilestatGet = 1ull << 21, kFdFilestatSetSize = 1ull << 22, kFdFilestatSetTimes = 1ull << 23,
    kPathSymlink = 1ull << 24, kPathRemoveDirectory = 1ull << 25, kPathUnlinkFile = 1ull << 26,
    kPollFdReadwrite = 1ull << 27, kSockShutdown = 1ull << 28, kSockAccept = 1ull << 29;

/// Every right a regular file (or a stream) can use.
inline constexpr uint64_t kFileRights = kFdDatasync | kFdRead | kFdSeek | kFdFdstatSetFlags |
    kFdSync | kFdTell | kFdWrite | kFdAdvise | kFdAllocate | kFdFilestatGet | kFdFilestatSetSize |
    kFdFilestatSetTimes | kPollFdReadwrite;
/// Every right a directory can use.
inline constexpr uint64_t kDirRights = kFdFdstatSetFlags | kFdSync | kFdDatasync | kFdAdvise |
    kPathCreateDirectory | kPathCreateFile | kPathLinkSource | kPathLinkTarget | kPathOpen |
    kFdReaddir | kPathReadlink | kPathRenameSource | kPathRenameTarget | kPathFilestatGet |
    kPathFilestatSetSize | kPathFilestatSetTimes | kFdFilestatGet | kFdFilestatSetTimes |
    kPathSymlink | kPathRemoveDirectory | kPathUnlinkFile | kPollFdReadwrite;
/// Rights that make path_open ask the host for read / write access.
inline constexpr uint64_t kReadRights = kFdRead | kFdReaddir;
inline constexpr uint64_t kWriteRights = kFdDatasync | kFdWrite | kFdAllocate | kFdFilestatSetSize;
/// Rights a non-seekable stream (tty, pipe, socket) lacks; wasi-libc's
/// isatty() looks for their absence on a character device.
inline constexpr uint64_t kSeekRights = kFdSeek | kFdTell;
}  // namespace right

enum class FileType : uint8_t {
  Unknown = 0, BlockDevice = 1, CharacterDevice = 2, Directory = 3, RegularFile = 4,
  SocketDgram = 5, SocketStream = 6, SymbolicLink = 7,
};

namespace clock {
inline constexpr uint32_t kRealtime = 0, kMonotonic = 1, kProcessCputime = 2, kThreadCputime = 3;
}

namespace whence {
inline constexpr uint8_t kSet = 0, kCur = 1, kEnd = 2;
}

namespace advice {
inline constexpr uint8_t kNormal = 0, kSequential = 1, kRandom = 2, kWillNeed = 3, kDontNeed = 4,
    kNoReuse = 5;
}

namespace fdflag {
inline constexpr uint16_t kAppend = 1 << 0, kDsync = 1 << 1, kNonblock = 1 << 2, kRsync = 1 << 3,
    kSync = 1 << 4;
inline constexpr uint16_t kAll = kAppend | kDsync | kNonblock | kRsync | kSync;
}

namespace fstflag {
inline constexpr uint16_t kAtim = 1 << 0, kAtimNow = 1 << 1, kMtim = 1 << 2, kMtimNow = 1 << 3;
inline constexpr uint16_t kAll = kAtim | kAtimNow | kMtim | kMtimNow;
}

namespace lookupflag {
inline constexpr uint32_t kSymlinkFollow = 1 << 0;
}

namespace oflag {
inline constexpr uint16_t kCreat = 1 << 0, kDirectory = 1 << 1, kExcl = 1 << 2, kTrunc = 1 << 3;
inline constexpr uint16_t kAll = kCreat | kDirectory | kExcl | kTrunc;
}

namespace eventtype {
inline constexpr uint8_t kClock = 0, kFdRead = 1, kFdWrite = 2;
}

inline constexpr uint16_t kEventFdReadwriteHangup = 1 << 0;
inline constexpr uint16_t kSubclockAbstime = 1 << 0;
inline constexpr uint8_t kPreopenTypeDir = 0;

// Struct layouts: sizes and field offsets in guest memory.
namespace iovec {  // iovec / ciovec
inline constexpr uint32_t kSize = 8, kBuf = 0, kBufLen = 4;
}
namespace fdstat {
inline constexpr uint32_t kSize = 24, kFiletype = 0, kFlags = 2, kRightsBase = 8,
    kRightsInheriting = 16;
}
namespace filestat {
inline constexpr uint32_t kSize = 64, kDev = 0, kIno = 8, kFiletype = 16, kNlink = 24, kSizeField = 32,
    kAtim = 40, kMtim = 48, kCtim = 56;
}
namespace dirent {
inline constexpr uint32_t kSize = 24, kNext = 0, kIno = 8, kNamlen = 16, kType = 20;
}
namespace prestat {
inline constexpr uint32_t kSize = 8, kTag = 0, kNameLen = 4;
}
namespace subscription {
inline constexpr uint32_t kSize = 48, kUserdata = 0, kTag = 8, kClockId = 16, kClockTimeout = 24,
    kClockPrecision = 32, kClockFlags = 40, kFd = 16;
}
namespace event {
inline constexpr uint32_t kSize = 32, kUserdata = 0, kError = 8, kType = 10, kNbytes = 16,
    kFlags = 24;
}

}  // namespace kiln::wasi::abi
