// errno by name. The table is Linux's (asm-generic/errno-base.h and errno.h); aliases
// share a number, so the table keeps one name per number and errnoFromName() accepts
// the aliases as well: EWOULDBLOCK == EAGAIN, EDEADLOCK == EDEADLK, ENOTSUP ==
// EOPNOTSUPP. The learner sees "EAGAIN" because that is what strace and man pages print.
#include "sys/errors.h"

#include <netdb.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

namespace sl::sys {

namespace {

struct ErrnoEntry {
    int value;
    const char *name;
};

// X-list so that the number comes from <cerrno> and the name from the same token.
#define SL_E(x)                                                                                    \
    { x, #x }
constexpr ErrnoEntry kErrnos[] = {
    SL_E(EPERM),
    SL_E(ENOENT),
    SL_E(ESRCH),
    SL_E(EINTR),
    SL_E(EIO),
    SL_E(ENXIO),
    SL_E(E2BIG),
    SL_E(ENOEXEC),
    SL_E(EBADF),
    SL_E(ECHILD),
    SL_E(EAGAIN),
    SL_E(ENOMEM),
    SL_E(EACCES),
    SL_E(EFAULT),
    SL_E(ENOTBLK),
    SL_E(EBUSY),
    SL_E(EEXIST),
    SL_E(EXDEV),
    SL_E(ENODEV),
    SL_E(ENOTDIR),
    SL_E(EISDIR),
    SL_E(EINVAL),
    SL_E(ENFILE),
    SL_E(EMFILE),
    SL_E(ENOTTY),
    SL_E(ETXTBSY),
    SL_E(EFBIG),
    SL_E(ENOSPC),
    SL_E(ESPIPE),
    SL_E(EROFS),
    SL_E(EMLINK),
    SL_E(EPIPE),
    SL_E(EDOM),
    SL_E(ERANGE),
    SL_E(EDEADLK),
    SL_E(ENAMETOOLONG),
    SL_E(ENOLCK),
    SL_E(ENOSYS),
    SL_E(ENOTEMPTY),
    SL_E(ELOOP),
    SL_E(ENOMSG),
    SL_E(EIDRM),
    SL_E(ECHRNG),
    SL_E(EL2NSYNC),
    SL_E(EL3HLT),
    SL_E(EL3RST),
    SL_E(ELNRNG),
    SL_E(EUNATCH),
    SL_E(ENOCSI),
    SL_E(EL2HLT),
    SL_E(EBADE),
    SL_E(EBADR),
    SL_E(EXFULL),
    SL_E(ENOANO),
    SL_E(EBADRQC),
    SL_E(EBADSLT),
    SL_E(EBFONT),
    SL_E(ENOSTR),
    SL_E(ENODATA),
    SL_E(ETIME),
    SL_E(ENOSR),
    SL_E(ENONET),
    SL_E(ENOPKG),
    SL_E(EREMOTE),
    SL_E(ENOLINK),
    SL_E(EADV),
    SL_E(ESRMNT),
    SL_E(ECOMM),
    SL_E(EPROTO),
    SL_E(EMULTIHOP),
    SL_E(EDOTDOT),
    SL_E(EBADMSG),
    SL_E(EOVERFLOW),
    SL_E(ENOTUNIQ),
    SL_E(EBADFD),
    SL_E(EREMCHG),
    SL_E(ELIBACC),
    SL_E(ELIBBAD),
    SL_E(ELIBSCN),
    SL_E(ELIBMAX),
    SL_E(ELIBEXEC),
    SL_E(EILSEQ),
    SL_E(ERESTART),
    SL_E(ESTRPIPE),
    SL_E(EUSERS),
    SL_E(ENOTSOCK),
    SL_E(EDESTADDRREQ),
    SL_E(EMSGSIZE),
    SL_E(EPROTOTYPE),
    SL_E(ENOPROTOOPT),
    SL_E(EPROTONOSUPPORT),
    SL_E(ESOCKTNOSUPPORT),
    SL_E(EOPNOTSUPP),
    SL_E(EPFNOSUPPORT),
    SL_E(EAFNOSUPPORT),
    SL_E(EADDRINUSE),
    SL_E(EADDRNOTAVAIL),
    SL_E(ENETDOWN),
    SL_E(ENETUNREACH),
    SL_E(ENETRESET),
    SL_E(ECONNABORTED),
    SL_E(ECONNRESET),
    SL_E(ENOBUFS),
    SL_E(EISCONN),
    SL_E(ENOTCONN),
    SL_E(ESHUTDOWN),
    SL_E(ETOOMANYREFS),
    SL_E(ETIMEDOUT),
    SL_E(ECONNREFUSED),
    SL_E(EHOSTDOWN),
    SL_E(EHOSTUNREACH),
    SL_E(EALREADY),
    SL_E(EINPROGRESS),
    SL_E(ESTALE),
    SL_E(EUCLEAN),
    SL_E(ENOTNAM),
    SL_E(ENAVAIL),
    SL_E(EISNAM),
    SL_E(EREMOTEIO),
    SL_E(EDQUOT),
    SL_E(ENOMEDIUM),
    SL_E(EMEDIUMTYPE),
    SL_E(ECANCELED),
    SL_E(ENOKEY),
    SL_E(EKEYEXPIRED),
    SL_E(EKEYREVOKED),
    SL_E(EKEYREJECTED),
    SL_E(EOWNERDEAD),
    SL_E(ENOTRECOVERABLE),
    SL_E(ERFKILL),
    SL_E(EHWPOISON),
};
// Names that are the same number as a name above; only errnoFromName() uses them.
constexpr ErrnoEntry kAliases[] = {
    SL_E(EWOULDBLOCK),
    SL_E(EDEADLOCK),
    SL_E(ENOTSUP),
};
#undef SL_E

// Linux errnos are 1..133 (EHWPOISON); a dense array gives O(1) lookup.
constexpr int kMaxErrno = 134;
struct NameTable {
    const char *names[kMaxErrno] = {};
    constexpr NameTable() {
        for (const auto &e : kErrnos) {
            if (e.value > 0 && e.value < kMaxErrno && !names[e.value])
                names[e.value] = e.name;
        }
    }
};
constexpr NameTable kNameTable;

// "E?<n>" strings for numbers outside the table: interned once and never freed, so
// the pointer errnoName() returns is static as its contract says.
const char *unknownName(int err) {
    static std::mutex mutex;
    static auto *interned = new std::map<int, std::string>; // leaked on purpose
    std::lock_guard lock(mutex);
    auto it = interned->find(err);
    if (it == interned->end())
        it = interned->emplace(err, "E?" + std::to_string(err)).first;
    return it->second.c_str(); // std::map nodes never move
}

} // namespace

// getaddrinfo()'s EAI_* codes (glibc's netdb.h; negative, as socket.gaierror's errno).
static const char *eaiName(int err) {
    switch (err) {
    case EAI_BADFLAGS:
        return "EAI_BADFLAGS";
    case EAI_NONAME:
        return "EAI_NONAME";
    case EAI_AGAIN:
        return "EAI_AGAIN";
    case EAI_FAIL:
        return "EAI_FAIL";
    case EAI_NODATA:
        return "EAI_NODATA";
    case EAI_FAMILY:
        return "EAI_FAMILY";
    case EAI_SOCKTYPE:
        return "EAI_SOCKTYPE";
    case EAI_SERVICE:
        return "EAI_SERVICE";
    case EAI_ADDRFAMILY:
        return "EAI_ADDRFAMILY";
    case EAI_MEMORY:
        return "EAI_MEMORY";
    case EAI_SYSTEM:
        return "EAI_SYSTEM";
    case EAI_OVERFLOW:
        return "EAI_OVERFLOW";
    default:
        return nullptr;
    }
}

const char *errnoName(int err) {
    if (err > 0 && err < kMaxErrno && kNameTable.names[err])
        return kNameTable.names[err];
    if (const char *eai = err < 0 ? eaiName(err) : nullptr)
        return eai;
    return unknownName(err);
}

int errnoFromName(const QString &name) {
    const QByteArray n = name.trimmed().toUpper().toLatin1();
    for (const auto &e : kErrnos) {
        if (n == e.name)
            return e.value;
    }
    for (const auto &e : kAliases) {
        if (n == e.name)
            return e.value;
    }
    return 0;
}

QString errnoMessage(int err) {
    if (err < 0) // an EAI_* code: CPython's gaierror says gai_strerror()'s words
        return QString::fromLocal8Bit(::gai_strerror(err));
    // strerror_r (GNU flavour) is thread-safe; strerror() is not guaranteed to be.
    char buf[256];
    const char *msg = strerror_r(err, buf, sizeof buf);
    return QString::fromLocal8Bit(msg);
}

// CPython's Objects/exceptions.c (_PyExc_InitState) maps these errnos to OSError
// subclasses; every other errno raises plain OSError.
const char *pythonExceptionName(int err) {
    if (err < 0)
        return "socket.gaierror";
    switch (err) {
    case EAGAIN: // == EWOULDBLOCK
    case EALREADY:
    case EINPROGRESS:
        return "BlockingIOError";
    case ECHILD:
        return "ChildProcessError";
    case EPIPE:
    case ESHUTDOWN:
        return "BrokenPipeError";
    case ECONNABORTED:
        return "ConnectionAbortedError";
    case ECONNREFUSED:
        return "ConnectionRefusedError";
    case ECONNRESET:
        return "ConnectionResetError";
    case EEXIST:
        return "FileExistsError";
    case ENOENT:
        return "FileNotFoundError";
    case EINTR:
        return "InterruptedError";
    case EISDIR:
        return "IsADirectoryError";
    case ENOTDIR:
        return "NotADirectoryError";
    case EACCES:
    case EPERM:
        return "PermissionError";
    case ESRCH:
        return "ProcessLookupError";
    case ETIMEDOUT:
        return "TimeoutError";
    default:
        return "OSError";
    }
}

QString describeErrno(int err) {
    return QLatin1String(errnoName(err)) + QStringLiteral(" (") +
           QLatin1String(pythonExceptionName(err)) + QStringLiteral(": ") + errnoMessage(err) +
           QLatin1Char(')');
}

} // namespace sl::sys
