// Thin wrappers around the BSD socket calls. Each returns a SysResult: the return
// value and errno, never an exception, never a global. Choices made on purpose:
//  - every descriptor is created with SOCK_CLOEXEC (nothing leaks into a child);
//  - EINTR is retried for everything but connect() (an interrupted connect goes on
//    in the background; we wait for it with poll() and read SO_ERROR instead);
//  - send()/sendto() always pass MSG_NOSIGNAL, so a write to a closed peer gives
//    EPIPE instead of killing the lab with SIGPIPE.
//
// Thread affinity: none. Blocking calls block the calling thread only.
#pragma once

#include "sys/errors.h"

#include <QByteArray>
#include <QString>
#include <netinet/in.h>
#include <optional>
#include <sys/socket.h>

struct pollfd;
struct epoll_event;

namespace sl::sys {

struct SockAddr {
    sockaddr_storage ss{};
    socklen_t len = 0;

    // host: "127.0.0.1", "::1", "" or "0.0.0.0" (any), "localhost", or a host name
    // (resolved with getaddrinfo, numeric first). family: AF_INET or AF_INET6.
    // Returns nullopt and sets *err (an EAI_* text) and *eai (getaddrinfo's EAI_* code,
    // negative: what CPython's socket.gaierror carries as errno) when the name does not
    // resolve (*eai stays 0 for an argument the call never reached getaddrinfo with).
    static std::optional<SockAddr> resolve(int family, const QString &host, int port,
                                           QString *err = nullptr, int *eai = nullptr);
    int family() const { return ss.ss_family; }
    QString host() const; // numeric form, "127.0.0.1"
    int port() const;
    QString toString() const; // "127.0.0.1:5000", "[::1]:5000"
    bool isLoopback() const;  // 127.0.0.0/8 or ::1
    bool isAny() const;       // 0.0.0.0 or ::

    // AF_UNIX (issue 9): a filesystem path, or an abstract name when path starts with a
    // NUL byte. nullopt and *err when it does not fit sun_path (CPython: "AF_UNIX path
    // too long"). unixName(): the name as the kernel returned it (without a path's
    // trailing NUL; the whole abstract name with its leading NUL; empty when unnamed).
    static std::optional<SockAddr> unixPath(const QByteArray &path, QString *err = nullptr);
    QByteArray unixName() const;
};

SysResult socket(int domain, int type, int protocol = 0); // ret = fd
SysResult socketpair(int domain, int type, int fds[2]);   // ret = 0
SysResult pipe(int fds[2]);                               // ret = 0, O_CLOEXEC
SysResult bind(int fd, const SockAddr &addr);
SysResult listen(int fd, int backlog);
SysResult accept(int fd, SockAddr *peer); // accept4(SOCK_CLOEXEC)
SysResult connect(int fd, const SockAddr &addr);
SysResult send(int fd, const void *buf, std::size_t len, int flags = 0);
SysResult recv(int fd, void *buf, std::size_t len, int flags = 0);
SysResult sendto(int fd, const void *buf, std::size_t len, const SockAddr &to, int flags = 0);
SysResult recvfrom(int fd, void *buf, std::size_t len, SockAddr *from, int flags = 0);
SysResult write(int fd, const void *buf, std::size_t len); // for pipes
SysResult read(int fd, void *buf, std::size_t len);
SysResult shutdown(int fd, int how);
SysResult close(int fd);
SysResult setNonBlocking(int fd, bool nonBlocking);
SysResult isNonBlocking(int fd); // ret = 1 when O_NONBLOCK is set
SysResult setsockoptInt(int fd, int level, int name, int value);
SysResult getsockoptInt(int fd, int level, int name, int *value);
SysResult setsockoptRaw(int fd, int level, int name, const void *value, socklen_t len);
SysResult setTimeout(int fd, int name /* SO_RCVTIMEO or SO_SNDTIMEO */, double seconds);
SysResult getsockname(int fd, SockAddr *addr);
SysResult getpeername(int fd, SockAddr *addr);
SysResult getsockoptError(int fd, int *pendingError); // reads AND CLEARS SO_ERROR
SysResult sockType(int fd, int *type, int *domain);   // SO_TYPE, SO_DOMAIN

// select.poll() / select.epoll() (issue 9): one system call each, EINTR retried for
// poll()/epoll_wait() only with no timeout (a timeout would restart from the full
// length; CPython recomputes it, and an EINTR is rare enough in the lab to retry).
SysResult poll(struct ::pollfd *fds, unsigned long n, int timeoutMs);
SysResult epollCreate();                                            // ret = fd, CLOEXEC
SysResult epollCtl(int epfd, int op, int fd, std::uint32_t events); // ret = 0
SysResult epollWait(int epfd, struct ::epoll_event *events, int max, int timeoutMs);
SysResult getsockoptBytes(int fd, int level, int name, QByteArray *value); // value sized
SysResult unlinkPath(const QByteArray &path); // unlink(2) of a socket's path at reset

} // namespace sl::sys
