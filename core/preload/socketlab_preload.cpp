// libsocketlab_preload.so: loaded into a traced program with LD_PRELOAD by
// `socketlab trace` (tracer/programtracer.h). It wraps the socket calls of libc
// (dlsym(RTLD_NEXT)), and for each one writes a Begin record before the real call and
// an End record after it into the lab's shared ring (tracerecord.h). read/write/readv/
// writev are recorded only on sockets: the kind of each descriptor is cached (one
// fstat per descriptor number, forgotten on close/dup2/dup3).
//
// Rules, because this code runs inside someone else's program (CPython, curl):
//   - no Qt, no exceptions, no allocation on the call path, no sanitizer runtime;
//   - errno after a wrapper is exactly the real call's errno;
//   - without the ring (no SOCKETLAB_TRACE_FD, or mapping failed) every wrapper is the
//     real call plus one branch;
//   - the library's own work is never recorded (a thread-local guard).
// Thread affinity: any thread of the traced program; fork children re-read their pid.
#undef _FORTIFY_SOURCE
#include "preload_p.h"

using namespace sl::preload;
using namespace sl::preload::detail;

extern "C" {

// Called (through ctypes) by a program that wants some of its own calls left out of the
// trace: on = 1 before, 0 after (nesting counts). An exported lesson's probe helpers
// (state(), recvq(), readable(), … in pyexport/runtime.py) use it, because the lab's
// probes are not calls of the script either: so the export round-trips (issue 11).
__attribute__((visibility("default"))) void socketlab_untraced(int on) {
    t_untraced += on ? 1 : -1;
    if (t_untraced < 0)
        t_untraced = 0;
}

// sitecustomize.py's per-thread slot (see t_pySlot): its address, asked once per thread
// through ctypes; the hook then writes the line with plain stores.
__attribute__((visibility("default"))) std::int32_t *socketlab_pyslot() {
    return t_pySlot;
}

// A Python file's number for the slot (asked once per file through ctypes): only the
// last path component is kept. 0 when the table is full (the line then has no file).
__attribute__((visibility("default"))) int socketlab_pyfile(const char *file) {
    static std::atomic<int> next{1};
    static std::atomic_flag lock = ATOMIC_FLAG_INIT;
    if (!file)
        return 0;
    const char *base = std::strrchr(file, '/');
    base = base ? base + 1 : file;
    while (lock.test_and_set(std::memory_order_acquire)) {
    }
    int id = 0;
    for (int i = 1; i < next.load(std::memory_order_relaxed); ++i)
        if (std::strncmp(g_pyFiles[i], base, PyFileChars) == 0)
            id = i;
    if (id == 0 && next.load(std::memory_order_relaxed) < MaxPyFiles) {
        id = next.load(std::memory_order_relaxed);
        std::strncpy(g_pyFiles[id], base, PyFileChars - 1);
        next.store(id + 1, std::memory_order_relaxed);
    }
    lock.clear(std::memory_order_release);
    return id;
}

int socket(int domain, int type, int protocol) noexcept {
    REAL(socket);
    Traced t(Call::Socket, -1, domain, type, protocol);
    t.begin();
    const int fd = real_socket(domain, type, protocol);
    if (fd >= 0 && fd < MaxFd) {
        g_kind[fd] = KindUnknown;
        if (g_ring) {
            kindOf(fd);
            setNonBlock(fd, type & SOCK_NONBLOCK);
        }
    }
    t.fd = fd;
    return t.end(fd);
}

int socketpair(int domain, int type, int protocol, int sv[2]) noexcept {
    REAL(socketpair);
    Traced t(Call::Socketpair, -1, domain, type, protocol);
    t.begin();
    const int r = real_socketpair(domain, type, protocol, sv);
    if (r == 0) {
        forget(sv[0]);
        forget(sv[1]);
        t.a[2] = sv[0];
        t.a[3] = sv[1];
        t.fd = sv[0];
    }
    return t.end(r);
}

int bind(int fd, const sockaddr *sa, socklen_t len) noexcept {
    REAL(bind);
    Traced t(Call::Bind, fd);
    t.addr(sa, len);
    t.begin();
    return t.end(real_bind(fd, sa, len));
}

int listen(int fd, int backlog) noexcept {
    REAL(listen);
    Traced t(Call::Listen, fd, backlog);
    t.begin();
    return t.end(real_listen(fd, backlog));
}

static int acceptCommon(Call c, int fd, sockaddr *sa, socklen_t *len, int flags) {
    REAL(accept4);
    Traced t(c, fd, flags);
    t.begin();
    sockaddr_in peer{};
    socklen_t plen = sizeof peer;
    // The peer's address is wanted even when the program passes none.
    const int nfd = sa ? real_accept4(fd, sa, len, flags)
                       : real_accept4(fd, reinterpret_cast<sockaddr *>(&peer), &plen, flags);
    if (nfd >= 0) {
        forget(nfd);
        if (g_ring) {
            kindOf(nfd);
            setNonBlock(nfd, flags & SOCK_NONBLOCK);
        }
        if (sa && len)
            t.addr(sa, *len);
        else
            t.addr(reinterpret_cast<sockaddr *>(&peer), plen);
    }
    return t.end(nfd);
}

int accept(int fd, sockaddr *sa, socklen_t *len) {
    return acceptCommon(Call::Accept, fd, sa, len, 0);
}

int accept4(int fd, sockaddr *sa, socklen_t *len, int flags) {
    return acceptCommon(Call::Accept4, fd, sa, len, flags);
}

int connect(int fd, const sockaddr *sa, socklen_t len) {
    REAL(connect);
    Traced t(Call::Connect, fd);
    t.addr(sa, len);
    t.begin();
    return t.end(real_connect(fd, sa, len));
}

ssize_t send(int fd, const void *buf, size_t n, int flags) {
    REAL(send);
    Traced t(Call::Send, fd, std::int64_t(n), flags);
    if (flags & MSG_DONTWAIT)
        t.flags |= RecNonBlocking;
    t.begin();
    const ssize_t r = real_send(fd, buf, n, flags);
    return t.end(r, buf, r);
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const sockaddr *sa, socklen_t len) {
    REAL(sendto);
    Traced t(Call::Sendto, fd, std::int64_t(n), flags);
    t.addr(sa, len);
    if (flags & MSG_DONTWAIT)
        t.flags |= RecNonBlocking;
    t.begin();
    const ssize_t r = real_sendto(fd, buf, n, flags, sa, len);
    return t.end(r, buf, r);
}

ssize_t sendmsg(int fd, const msghdr *m, int flags) {
    REAL(sendmsg);
    const int iovn = m ? int(m->msg_iovlen) : 0;
    Traced t(Call::Sendmsg, fd, m ? iovBytes(m->msg_iov, iovn) : 0, flags);
    if (m)
        t.addr(static_cast<const sockaddr *>(m->msg_name), m->msg_namelen);
    t.begin();
    const ssize_t r = real_sendmsg(fd, m, flags);
    return t.end(r, m ? iovFirst(m->msg_iov, iovn) : nullptr,
                 m ? firstLen(m->msg_iov, iovn, r) : 0);
}

ssize_t recv(int fd, void *buf, size_t n, int flags) {
    REAL(recv);
    Traced t(Call::Recv, fd, std::int64_t(n), flags);
    if (flags & MSG_DONTWAIT)
        t.flags |= RecNonBlocking;
    t.begin();
    const ssize_t r = real_recv(fd, buf, n, flags);
    return t.end(r, buf, r);
}

ssize_t recvfrom(int fd, void *buf, size_t n, int flags, sockaddr *sa, socklen_t *len) {
    REAL(recvfrom);
    Traced t(Call::Recvfrom, fd, std::int64_t(n), flags);
    if (flags & MSG_DONTWAIT)
        t.flags |= RecNonBlocking;
    t.begin();
    const ssize_t r = real_recvfrom(fd, buf, n, flags, sa, len);
    if (r >= 0 && sa && len)
        t.addr(sa, *len);
    return t.end(r, buf, r);
}

ssize_t recvmsg(int fd, msghdr *m, int flags) {
    REAL(recvmsg);
    const int iovn = m ? int(m->msg_iovlen) : 0;
    Traced t(Call::Recvmsg, fd, m ? iovBytes(m->msg_iov, iovn) : 0, flags);
    t.begin();
    const ssize_t r = real_recvmsg(fd, m, flags);
    return t.end(r, m ? iovFirst(m->msg_iov, iovn) : nullptr,
                 m ? firstLen(m->msg_iov, iovn, r) : 0);
}

ssize_t read(int fd, void *buf, size_t n) {
    REAL(read);
    if (!isSocket(fd))
        return real_read(fd, buf, n);
    Traced t(Call::Read, fd, std::int64_t(n));
    t.begin();
    const ssize_t r = real_read(fd, buf, n);
    return t.end(r, buf, r);
}

ssize_t write(int fd, const void *buf, size_t n) {
    REAL(write);
    if (!isSocket(fd))
        return real_write(fd, buf, n);
    Traced t(Call::Write, fd, std::int64_t(n));
    t.begin();
    const ssize_t r = real_write(fd, buf, n);
    return t.end(r, buf, r);
}

ssize_t readv(int fd, const iovec *iov, int n) {
    REAL(readv);
    if (!isSocket(fd))
        return real_readv(fd, iov, n);
    Traced t(Call::Readv, fd, iovBytes(iov, n));
    t.begin();
    const ssize_t r = real_readv(fd, iov, n);
    return t.end(r, iovFirst(iov, n), firstLen(iov, n, r));
}

ssize_t writev(int fd, const iovec *iov, int n) {
    REAL(writev);
    if (!isSocket(fd))
        return real_writev(fd, iov, n);
    Traced t(Call::Writev, fd, iovBytes(iov, n));
    t.begin();
    const ssize_t r = real_writev(fd, iov, n);
    return t.end(r, iovFirst(iov, n), firstLen(iov, n, r));
}

int shutdown(int fd, int how) noexcept {
    REAL(shutdown);
    Traced t(Call::Shutdown, fd, how);
    t.begin();
    return t.end(real_shutdown(fd, how));
}

int close(int fd) {
    REAL(close);
    if (!isSocket(fd)) {
        forget(fd);
        return real_close(fd);
    }
    Traced t(Call::Close, fd);
    t.begin();
    const int r = real_close(fd);
    const int e = errno;
    forget(fd);
    errno = e;
    return t.end(r);
}

int dup2(int from, int to) noexcept {
    REAL(dup2);
    const int r = real_dup2(from, to);
    const int e = errno;
    if (r >= 0)
        forget(r);
    errno = e;
    return r;
}

int dup3(int from, int to, int flags) noexcept {
    REAL(dup3);
    const int r = real_dup3(from, to, flags);
    const int e = errno;
    if (r >= 0)
        forget(r);
    errno = e;
    return r;
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len) noexcept {
    REAL(setsockopt);
    std::int64_t v = 0;
    if (val && len == sizeof(int))
        v = *static_cast<const int *>(val);
    Traced t(Call::Setsockopt, fd, level, name, v);
    t.begin();
    return t.end(real_setsockopt(fd, level, name, val, len));
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len) noexcept {
    REAL(getsockopt);
    Traced t(Call::Getsockopt, fd, level, name);
    t.begin();
    const int r = real_getsockopt(fd, level, name, val, len);
    if (r == 0 && val && len && *len == sizeof(int))
        t.a[2] = *static_cast<const int *>(val);
    return t.end(r);
}

static int fcntlCommon(decltype(&::fcntl) realF, int fd, int cmd, va_list ap) {
    void *arg = va_arg(ap, void *);
    if (cmd != F_SETFL || !isSocket(fd))
        return realF(fd, cmd, arg);
    const bool nb = (reinterpret_cast<long>(arg) & O_NONBLOCK) != 0;
    Traced t(Call::FcntlNonblock, fd, nb ? 1 : 0);
    t.begin();
    const int r = realF(fd, cmd, arg);
    if (r == 0)
        setNonBlock(fd, nb);
    return t.end(r);
}

int fcntl(int fd, int cmd, ...) {
    REAL(fcntl);
    va_list ap;
    va_start(ap, cmd);
    const int r = fcntlCommon(real_fcntl, fd, cmd, ap);
    va_end(ap);
    return r;
}

int fcntl64(int fd, int cmd, ...) {
    static decltype(&::fcntl) slot = nullptr;
    auto f = real(&slot, "fcntl64");
    if (!f)
        f = real(&slot, "fcntl");
    va_list ap;
    va_start(ap, cmd);
    const int r = fcntlCommon(f, fd, cmd, ap);
    va_end(ap);
    return r;
}

int ioctl(int fd, unsigned long req, ...) noexcept {
    REAL(ioctl);
    va_list ap;
    va_start(ap, req);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    if (req != FIONBIO || !isSocket(fd))
        return real_ioctl(fd, req, arg);
    const bool nb = arg && *static_cast<const int *>(arg) != 0;
    Traced t(Call::IoctlFionbio, fd, nb ? 1 : 0);
    t.begin();
    const int r = real_ioctl(fd, req, arg);
    if (r == 0)
        setNonBlock(fd, nb);
    return t.end(r);
}

int select(int n, fd_set *r, fd_set *w, fd_set *e, timeval *tv) {
    REAL(select);
    Traced t(Call::Select, -1, n,
             tv ? std::int64_t(tv->tv_sec) * 1000000000 + tv->tv_usec * 1000 : -1);
    t.begin();
    return t.end(real_select(n, r, w, e, tv));
}

int poll(pollfd *fds, nfds_t n, int timeoutMs) {
    REAL(poll);
    Traced t(Call::Poll, n > 0 ? fds[0].fd : -1, std::int64_t(n),
             timeoutMs < 0 ? -1 : std::int64_t(timeoutMs) * 1000000);
    t.begin();
    return t.end(real_poll(fds, n, timeoutMs));
}

int ppoll(pollfd *fds, nfds_t n, const timespec *ts, const sigset_t *mask) {
    REAL(ppoll);
    Traced t(Call::Ppoll, n > 0 ? fds[0].fd : -1, std::int64_t(n),
             ts ? std::int64_t(ts->tv_sec) * 1000000000 + ts->tv_nsec : -1);
    t.begin();
    return t.end(real_ppoll(fds, n, ts, mask));
}

int epoll_create1(int flags) noexcept {
    REAL(epoll_create1);
    Traced t(Call::EpollCreate, -1, flags);
    t.begin();
    const int r = real_epoll_create1(flags);
    t.fd = r;
    return t.end(r);
}

int epoll_ctl(int ep, int op, int fd, epoll_event *ev) noexcept {
    REAL(epoll_ctl);
    Traced t(Call::EpollCtl, ep, op, fd, ev ? ev->events : 0);
    t.begin();
    return t.end(real_epoll_ctl(ep, op, fd, ev));
}

int epoll_wait(int ep, epoll_event *evs, int max, int timeoutMs) {
    REAL(epoll_wait);
    Traced t(Call::EpollWait, ep, max, timeoutMs < 0 ? -1 : std::int64_t(timeoutMs) * 1000000);
    t.begin();
    return t.end(real_epoll_wait(ep, evs, max, timeoutMs));
}

} // extern "C"
