// Host errno to WASI errno: every POSIX errno WASI names maps to its WASI
// twin; Linux-only values map to the nearest meaning.
#include "loader/wasi/errno_map.h"

#include <cerrno>

namespace kiln::wasi {

abi::Errno errno_from_host(int e) {
  namespace E = abi::err;
  switch (e) {
    case 0: return E::kSuccess;
    case E2BIG: return E::k2Big;
    case EACCES: return E::kAcces;
    case EADDRINUSE: return E::kAddrInUse;
    case EADDRNOTAVAIL: return E::kAddrNotAvail;
    case EAFNOSUPPORT: return E::kAfNoSupport;
    case EAGAIN: return E::kAgain;  // == EWOULDBLOCK on Linux
    case EALREADY: return E::kAlready;
    case EBADF: return E::kBadf;
    case EBADMSG: return E::kBadMsg;
    case EBUSY: return E::kBusy;
    case ECANCELED: return E::kCanceled;
    case ECHILD: return E::kChild;
    case ECONNABORTED: return E::kConnAborted;
    case ECONNREFUSED: return E::kConnRefused;
    case ECONNRESET: return E::kConnReset;
    case EDEADLK: return E::kDeadlk;  // == EDEADLOCK
    case EDESTADDRREQ: return E::kDestAddrReq;
    case EDOM: return E::kDom;
    case EDQUOT: return E::kDquot;
    case EEXIST: return E::kExist;
    case EFAULT: return E::kFault;
    case EFBIG: return E::kFbig;
    case EHOSTUNREACH: return E::kHostUnreach;
    case EIDRM: return E::kIdrm;
    case EILSEQ: return E::kIlseq;
    case EINPROGRESS: return E::kInProgress;
    case EINTR: return E::kIntr;
    case EINVAL: return E::kInval;
    case EIO: return E::kIo;
    case EISCONN: return E::kIsConn;
    case EISDIR: return E::kIsDir;
    case ELOOP: return E::kLoop;
    case EMFILE: return E::kMfile;
    case EMLINK: return E::kMlink;
    case EMSGSIZE: return E::kMsgSize;
    case EMULTIHOP: return E::kMultihop;
    case ENAMETOOLONG: return E::kNameTooLong;
    case ENETDOWN: return E::kNetDown;
    case ENETRESET: return E::kNetReset;
    case ENETUNREACH: return E::kNetUnreach;
    case ENFILE: return E::kNfile;
    case ENOBUFS: return E::kNoBufs;
    case ENODEV: return E::kNoDev;
    case ENOENT: return E::kNoEnt;
    case ENOEXEC: return E::kNoExec;
    case ENOLCK: return E::kNoLck;
    case ENOLINK: return E::kNoLink;
    case ENOMEM: return E::kNoMem;
    case ENOMSG: return E::kNoMsg;
    case ENOPROTOOPT: return E::kNoProtoOpt;
    case ENOSPC: return E::kNoSpc;
    case ENOSYS: return E::kNoSys;
    case ENOTCONN: return E::kNotConn;
    case ENOTDIR: return E::kNotDir;
    case ENOTEMPTY: return E::kNotEmpty;
    case ENOTRECOVERABLE: return E::kNotRecoverable;
    case ENOTSOCK: return E::kNotSock;
    case EOPNOTSUPP: return E::kNotSup;  // == ENOTSUP on Linux
    case ENOTTY: return E::kNotTy;
    case ENXIO: return E::kNxio;
    case EOVERFLOW: return E::kOverflow;
    case EOWNERDEAD: return E::kOwnerDead;
    case EPERM: return E::kPerm;
    case EPIPE: return E::kPipe;
    case EPROTO: return E::kProto;
    case EPROTONOSUPPORT: return E::kProtoNoSupport;
    case EPROTOTYPE: return E::kProtoType;
    case ERANGE: return E::kRange;
    case EROFS: return E::kRofs;
    case ESPIPE: return E::kSpipe;
    case ESRCH: return E::kSrch;
    case ESTALE: return E::kStale;
    case ETIMEDOUT: return E::kTimedOut;
    case ETXTBSY: return E::kTxtBsy;
    case EXDEV: return E::kXdev;
    // Linux-only values, by meaning.
    case ETIME: return E::kTimedOut;
    case ENOSR: return E::kNoBufs;
    case ENOSTR: return E::kInval;
    case ENODATA: return E::kNoEnt;          // also ENOATTR: no such attribute
    case ENOMEDIUM: return E::kNoDev;
    case EMEDIUMTYPE: return E::kNoDev;
    case ENOTBLK: return E::kNotSup;
    case ESOCKTNOSUPPORT: return E::kProtoNoSupport;
    case EPFNOSUPPORT: return E::kAfNoSupport;
    case ESHUTDOWN: return E::kPipe;
    case EHOSTDOWN: return E::kHostUnreach;
    case ENONET: return E::kNetUnreach;
    case ETOOMANYREFS: return E::kMfile;
    case EUSERS: return E::kNoMem;
    case EREMOTEIO: return E::kIo;
    case ECOMM: return E::kIo;
    case EBADFD: return E::kBadf;
    case ENOTUNIQ: return E::kInval;
    case ENOKEY: case EKEYEXPIRED: case EKEYREVOKED: case EKEYREJECTED: return E::kAcces;
    case ERFKILL: return E::kNetDown;
    case EHWPOISON: return E::kIo;
    default: return E::kIo;
  }
}

abi::Errno last_error() { return errno_from_host(errno); }

}  // namespace kiln::wasi
