// BSD socket wrappers. Each call maps to exactly one system call (plus an EINTR retry
// loop), so what the lab shows is what the kernel was asked. errno is captured right
// after the call, before anything else (QString, logging) can overwrite it.
#include "sys/net.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/un.h>
#include <unistd.h>

namespace sl::sys {

namespace {

// Runs f until it does not fail with EINTR (a signal arrived before any data moved:
// the kernel guarantees nothing happened, so repeating the call is exact).
template <typename F>
SysResult retryEintr(F f) {
    for (;;) {
        const auto r = f();
        if (r >= 0)
            return SysResult::success(r);
        if (errno != EINTR)
            return SysResult::failure(errno);
    }
}

SysResult plain(int r) {
    return r < 0 ? SysResult::failure(errno) : SysResult::success(r);
}

} // namespace

// ---------------------------------------------------------------------------------
// SockAddr

std::optional<SockAddr> SockAddr::resolve(int family, const QString &host, int port, QString *err,
                                          int *eai) {
    if (family != AF_INET && family != AF_INET6) {
        if (err)
            *err = QStringLiteral("address family not supported (use AF_INET or AF_INET6)");
        return std::nullopt;
    }
    if (port < 0 || port > 65535) {
        if (err)
            *err = QStringLiteral("port out of range 0-65535");
        return std::nullopt;
    }
    SockAddr a;
    const QString h = host.trimmed();
    // "" and "0.0.0.0" both mean "any": INADDR_ANY for IPv4, in6addr_any for IPv6
    // (a learner writing ("0.0.0.0", port) on an IPv6 socket means the same thing).
    if (h.isEmpty() || h == QLatin1String("0.0.0.0") ||
        (family == AF_INET6 && h == QLatin1String("::"))) {
        if (family == AF_INET) {
            auto *sin = reinterpret_cast<sockaddr_in *>(&a.ss);
            sin->sin_family = AF_INET;
            sin->sin_addr.s_addr = htonl(INADDR_ANY);
            sin->sin_port = htons(static_cast<std::uint16_t>(port));
            a.len = sizeof(sockaddr_in);
        } else {
            auto *sin6 = reinterpret_cast<sockaddr_in6 *>(&a.ss);
            sin6->sin6_family = AF_INET6;
            sin6->sin6_addr = in6addr_any;
            sin6->sin6_port = htons(static_cast<std::uint16_t>(port));
            a.len = sizeof(sockaddr_in6);
        }
        return a;
    }
    // Numeric first: no DNS, no /etc/hosts, and an exact answer for "127.0.0.1".
    // Then the name (getaddrinfo consults /etc/hosts, then DNS). No AI_ADDRCONFIG:
    // on a machine with only loopback it would hide "::1".
    const QByteArray name = h.toUtf8();
    addrinfo hints{};
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM; // one entry per address instead of one per type
    addrinfo *res = nullptr;
    hints.ai_flags = AI_NUMERICHOST;
    int rc = ::getaddrinfo(name.constData(), nullptr, &hints, &res);
    if (rc != 0) {
        hints.ai_flags = 0;
        rc = ::getaddrinfo(name.constData(), nullptr, &hints, &res);
    }
    if (rc != 0 || !res) {
        if (eai)
            *eai = rc != 0 ? rc : EAI_NONAME;
        if (err)
            *err = rc == EAI_SYSTEM ? QString::fromLocal8Bit(std::strerror(errno))
                                    : QString::fromLocal8Bit(::gai_strerror(rc));
        if (res)
            ::freeaddrinfo(res);
        return std::nullopt;
    }
    std::memcpy(&a.ss, res->ai_addr, res->ai_addrlen);
    a.len = res->ai_addrlen;
    ::freeaddrinfo(res);
    if (a.family() == AF_INET)
        reinterpret_cast<sockaddr_in *>(&a.ss)->sin_port = htons(static_cast<std::uint16_t>(port));
    else
        reinterpret_cast<sockaddr_in6 *>(&a.ss)->sin6_port =
            htons(static_cast<std::uint16_t>(port));
    return a;
}

QString SockAddr::host() const {
    char buf[INET6_ADDRSTRLEN] = {};
    switch (family()) {
    case AF_INET:
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in *>(&ss)->sin_addr, buf,
                    sizeof buf);
        return QString::fromLatin1(buf);
    case AF_INET6:
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6 *>(&ss)->sin6_addr, buf,
                    sizeof buf);
        return QString::fromLatin1(buf);
    case AF_UNIX: {
        // accept()/getpeername() on AF_UNIX return the path, an abstract name (leading
        // NUL, shown as '@' like ss does) or nothing at all (len == sizeof(sa_family_t))
        // for the unnamed sockets of socketpair().
        const auto *sun = reinterpret_cast<const sockaddr_un *>(&ss);
        const socklen_t off = offsetof(sockaddr_un, sun_path);
        if (len <= off)
            return QString();
        std::size_t n = std::min<std::size_t>(len - off, sizeof sun->sun_path);
        if (sun->sun_path[0] == '\0')
            return QLatin1Char('@') + QString::fromUtf8(sun->sun_path + 1, qsizetype(n - 1));
        n = ::strnlen(sun->sun_path, n);
        return QString::fromUtf8(sun->sun_path, qsizetype(n));
    }
    default:
        return QString();
    }
}

int SockAddr::port() const {
    switch (family()) {
    case AF_INET:
        return ntohs(reinterpret_cast<const sockaddr_in *>(&ss)->sin_port);
    case AF_INET6:
        return ntohs(reinterpret_cast<const sockaddr_in6 *>(&ss)->sin6_port);
    default:
        return 0;
    }
}

QString SockAddr::toString() const {
    switch (family()) {
    case AF_INET:
        return host() + QLatin1Char(':') + QString::number(port());
    case AF_INET6:
        return QLatin1Char('[') + host() + QStringLiteral("]:") + QString::number(port());
    case AF_UNIX: {
        const QString h = host();
        return h.isEmpty() ? QStringLiteral("unix:(unnamed)") : QStringLiteral("unix:") + h;
    }
    case AF_UNSPEC:
        return QString();
    default:
        return QStringLiteral("family %1").arg(family());
    }
}

bool SockAddr::isLoopback() const {
    if (family() == AF_INET)
        return (ntohl(reinterpret_cast<const sockaddr_in *>(&ss)->sin_addr.s_addr) >> 24) == 127;
    if (family() == AF_INET6) {
        const in6_addr &a = reinterpret_cast<const sockaddr_in6 *>(&ss)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(&a))
            return true;
        // ::ffff:127.x.y.z — what an IPv6 dual-stack socket reports for an IPv4 peer.
        return IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127;
    }
    return false;
}

bool SockAddr::isAny() const {
    if (family() == AF_INET)
        return reinterpret_cast<const sockaddr_in *>(&ss)->sin_addr.s_addr == htonl(INADDR_ANY);
    if (family() == AF_INET6)
        return IN6_IS_ADDR_UNSPECIFIED(&reinterpret_cast<const sockaddr_in6 *>(&ss)->sin6_addr);
    return false;
}

std::optional<SockAddr> SockAddr::unixPath(const QByteArray &path, QString *err) {
    SockAddr a;
    auto *sun = reinterpret_cast<sockaddr_un *>(&a.ss);
    // A path needs room for its NUL; an abstract name may fill sun_path.
    const bool abstract = path.startsWith('\0');
    if (std::size_t(path.size()) + (abstract ? 0 : 1) > sizeof sun->sun_path) {
        if (err)
            *err = QStringLiteral("AF_UNIX path too long");
        return std::nullopt;
    }
    sun->sun_family = AF_UNIX;
    std::memcpy(sun->sun_path, path.constData(), std::size_t(path.size()));
    a.len = socklen_t(offsetof(sockaddr_un, sun_path) + std::size_t(path.size()));
    return a;
}

QByteArray SockAddr::unixName() const {
    if (family() != AF_UNIX)
        return {};
    const auto *sun = reinterpret_cast<const sockaddr_un *>(&ss);
    const socklen_t off = offsetof(sockaddr_un, sun_path);
    if (len <= off)
        return {};
    std::size_t n = std::min<std::size_t>(len - off, sizeof sun->sun_path);
    if (sun->sun_path[0] != '\0')
        n = ::strnlen(sun->sun_path, n);
    return QByteArray(sun->sun_path, qsizetype(n));
}

// ---------------------------------------------------------------------------------
// Calls

SysResult socket(int domain, int type, int protocol) {
    return plain(::socket(domain, type | SOCK_CLOEXEC, protocol));
}

SysResult socketpair(int domain, int type, int fds[2]) {
    return plain(::socketpair(domain, type | SOCK_CLOEXEC, 0, fds));
}

SysResult pipe(int fds[2]) {
    return plain(::pipe2(fds, O_CLOEXEC));
}

SysResult bind(int fd, const SockAddr &addr) {
    return plain(::bind(fd, reinterpret_cast<const sockaddr *>(&addr.ss), addr.len));
}

SysResult listen(int fd, int backlog) {
    // The kernel clamps backlog to somaxconn (and a negative one to somaxconn too);
    // the accept queue then holds backlog + 1 (KERNEL-FACTS: listen(2) holds 3).
    return plain(::listen(fd, backlog));
}

SysResult accept(int fd, SockAddr *peer) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    const SysResult r = retryEintr(
        [&] { return ::accept4(fd, reinterpret_cast<sockaddr *>(&ss), &len, SOCK_CLOEXEC); });
    if (r.ok() && peer) {
        peer->ss = ss;
        peer->len = len;
    }
    return r;
}

SysResult connect(int fd, const SockAddr &addr) {
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&addr.ss), addr.len) == 0)
        return SysResult::success(0);
    if (errno != EINTR)
        return SysResult::failure(errno);
    // An interrupted blocking connect() is not undone: the handshake goes on in the
    // kernel, and calling connect() again would give EALREADY (or EISCONN). Wait for
    // the outcome as a non-blocking caller would: POLLOUT, then SO_ERROR. Honour
    // SO_SNDTIMEO, which bounds a blocking connect (it then reports EINPROGRESS).
    timeval tv{};
    socklen_t tvlen = sizeof tv;
    int timeoutMs = -1;
    if (::getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, &tvlen) == 0 &&
        (tv.tv_sec != 0 || tv.tv_usec != 0))
        timeoutMs = int(tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
    pollfd p{fd, POLLOUT, 0};
    int n;
    do {
        n = ::poll(&p, 1, timeoutMs);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return SysResult::failure(errno);
    if (n == 0)
        return SysResult::failure(EINPROGRESS);
    int soError = 0;
    socklen_t len = sizeof soError;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len) < 0)
        return SysResult::failure(errno);
    return soError == 0 ? SysResult::success(0) : SysResult::failure(soError);
}

SysResult send(int fd, const void *buf, std::size_t len, int flags) {
    return retryEintr([&] { return ::send(fd, buf, len, flags | MSG_NOSIGNAL); });
}

SysResult recv(int fd, void *buf, std::size_t len, int flags) {
    return retryEintr([&] { return ::recv(fd, buf, len, flags); });
}

SysResult sendto(int fd, const void *buf, std::size_t len, const SockAddr &to, int flags) {
    return retryEintr([&] {
        return ::sendto(fd, buf, len, flags | MSG_NOSIGNAL,
                        reinterpret_cast<const sockaddr *>(&to.ss), to.len);
    });
}

SysResult recvfrom(int fd, void *buf, std::size_t len, SockAddr *from, int flags) {
    sockaddr_storage ss{};
    socklen_t slen = sizeof ss;
    const SysResult r = retryEintr([&] {
        slen = sizeof ss;
        return ::recvfrom(fd, buf, len, flags, reinterpret_cast<sockaddr *>(&ss), &slen);
    });
    if (r.ok() && from) {
        from->ss = ss;
        from->len = slen;
    }
    return r;
}

SysResult write(int fd, const void *buf, std::size_t len) {
    // No MSG_NOSIGNAL for write(): a pipe whose reader is gone raises SIGPIPE. The lab
    // uses pipes only internally, with both ends alive.
    return retryEintr([&] { return ::write(fd, buf, len); });
}

SysResult read(int fd, void *buf, std::size_t len) {
    return retryEintr([&] { return ::read(fd, buf, len); });
}

SysResult shutdown(int fd, int how) {
    return plain(::shutdown(fd, how));
}

SysResult close(int fd) {
    // Never retried: Linux frees the descriptor even when close() reports EINTR.
    return plain(::close(fd));
}

SysResult setNonBlocking(int fd, bool nonBlocking) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0)
        return SysResult::failure(errno);
    const int wanted = nonBlocking ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    if (wanted == flags)
        return SysResult::success(0);
    return plain(::fcntl(fd, F_SETFL, wanted));
}

SysResult isNonBlocking(int fd) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0)
        return SysResult::failure(errno);
    return SysResult::success((flags & O_NONBLOCK) ? 1 : 0);
}

SysResult setsockoptInt(int fd, int level, int name, int value) {
    return plain(::setsockopt(fd, level, name, &value, sizeof value));
}

SysResult getsockoptInt(int fd, int level, int name, int *value) {
    int v = 0;
    socklen_t len = sizeof v;
    const SysResult r = plain(::getsockopt(fd, level, name, &v, &len));
    if (r.ok() && value)
        *value = v;
    return r;
}

SysResult setsockoptRaw(int fd, int level, int name, const void *value, socklen_t len) {
    return plain(::setsockopt(fd, level, name, value, len));
}

SysResult setTimeout(int fd, int name, double seconds) {
    if (name != SO_RCVTIMEO && name != SO_SNDTIMEO)
        return SysResult::failure(EINVAL);
    if (!(seconds >= 0) || !std::isfinite(seconds))
        return SysResult::failure(EINVAL);
    // 0 means "no timeout" to the kernel, as None does in Python's settimeout. A
    // positive value smaller than the tick is rounded up so it is not taken as 0.
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(seconds);
    tv.tv_usec = static_cast<suseconds_t>(std::llround((seconds - double(tv.tv_sec)) * 1e6));
    if (tv.tv_usec >= 1000000) {
        ++tv.tv_sec;
        tv.tv_usec -= 1000000;
    }
    if (seconds > 0 && tv.tv_sec == 0 && tv.tv_usec == 0)
        tv.tv_usec = 1;
    return plain(::setsockopt(fd, SOL_SOCKET, name, &tv, sizeof tv));
}

SysResult getsockname(int fd, SockAddr *addr) {
    SockAddr a;
    a.len = sizeof a.ss;
    const SysResult r = plain(::getsockname(fd, reinterpret_cast<sockaddr *>(&a.ss), &a.len));
    if (r.ok() && addr)
        *addr = a;
    return r;
}

SysResult getpeername(int fd, SockAddr *addr) {
    SockAddr a;
    a.len = sizeof a.ss;
    const SysResult r = plain(::getpeername(fd, reinterpret_cast<sockaddr *>(&a.ss), &a.len));
    if (r.ok() && addr)
        *addr = a;
    return r;
}

SysResult getsockoptError(int fd, int *pendingError) {
    // SO_ERROR is read-and-clear (sock_error() does xchg(&sk->sk_err, 0)): only the
    // program's own steps call this, never the probe.
    return getsockoptInt(fd, SOL_SOCKET, SO_ERROR, pendingError);
}

SysResult sockType(int fd, int *type, int *domain) {
    int t = 0;
    SysResult r = getsockoptInt(fd, SOL_SOCKET, SO_TYPE, &t);
    if (!r.ok())
        return r;
    int d = 0;
    r = getsockoptInt(fd, SOL_SOCKET, SO_DOMAIN, &d);
    if (!r.ok())
        return r;
    if (type)
        *type = t;
    if (domain)
        *domain = d;
    return SysResult::success(0);
}

// ---------------------------------------------------------------------------------
// poll and epoll (issue 9)

SysResult poll(struct ::pollfd *fds, unsigned long n, int timeoutMs) {
    if (timeoutMs < 0)
        return retryEintr([&] { return ::poll(fds, n, -1); });
    return plain(::poll(fds, n, timeoutMs));
}

SysResult epollCreate() {
    return plain(::epoll_create1(EPOLL_CLOEXEC));
}

SysResult epollCtl(int epfd, int op, int fd, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    return plain(::epoll_ctl(epfd, op, fd, &ev));
}

SysResult epollWait(int epfd, struct ::epoll_event *events, int max, int timeoutMs) {
    if (timeoutMs < 0)
        return retryEintr([&] { return ::epoll_wait(epfd, events, max, -1); });
    return plain(::epoll_wait(epfd, events, max, timeoutMs));
}

SysResult getsockoptBytes(int fd, int level, int name, QByteArray *value) {
    socklen_t len = socklen_t(value->size());
    const int r = ::getsockopt(fd, level, name, value->data(), &len);
    if (r < 0)
        return SysResult::failure(errno);
    value->truncate(qsizetype(len));
    return SysResult::success(0);
}

SysResult unlinkPath(const QByteArray &path) {
    return plain(::unlink(path.constData()));
}

} // namespace sl::sys
