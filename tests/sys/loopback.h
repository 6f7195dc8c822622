// Helpers for the sys tests: real loopback sockets built with the wrappers under test.
// Every helper returns owned descriptors (Fd), so a failing QVERIFY leaks nothing.
#pragma once

#include "sys/fd.h"
#include "sys/net.h"

#include <QTest>
#include <poll.h>

namespace sl::test {

using sys::Fd;
using sys::SockAddr;

inline SockAddr loopback(int port) {
    return *SockAddr::resolve(AF_INET, QStringLiteral("127.0.0.1"), port);
}

inline int localPort(int fd) {
    SockAddr a;
    if (!sys::getsockname(fd, &a).ok())
        return -1;
    return a.port();
}

// A TCP listener on 127.0.0.1 and an ephemeral port. rcvbuf > 0 is set before
// listen() so accepted sockets inherit it (and lose auto-tuning).
inline Fd listener(int backlog, int *port, int rcvbuf = 0) {
    Fd fd(int(sys::socket(AF_INET, SOCK_STREAM).ret));
    if (!fd)
        return fd;
    if (rcvbuf > 0)
        sys::setsockoptInt(fd.get(), SOL_SOCKET, SO_RCVBUF, rcvbuf);
    if (!sys::bind(fd.get(), loopback(0)).ok() || !sys::listen(fd.get(), backlog).ok())
        return Fd();
    *port = localPort(fd.get());
    return fd;
}

// A client socket; nonBlocking connects give EINPROGRESS, reported in *connectErr.
inline Fd client(int port, bool nonBlocking = false, int sndbuf = 0, int *connectErr = nullptr) {
    Fd fd(int(sys::socket(AF_INET, SOCK_STREAM).ret));
    if (!fd)
        return fd;
    if (sndbuf > 0)
        sys::setsockoptInt(fd.get(), SOL_SOCKET, SO_SNDBUF, sndbuf);
    if (nonBlocking)
        sys::setNonBlocking(fd.get(), true);
    const auto r = sys::connect(fd.get(), loopback(port));
    if (connectErr)
        *connectErr = r.err;
    return fd;
}

inline Fd acceptOne(int listenFd) {
    return Fd(int(sys::accept(listenFd, nullptr).ret));
}

// Waits (bounded) until fd reports one of `events`; true if it did.
inline bool waitFor(int fd, short events, int timeoutMs = 3000) {
    pollfd p{fd, events, 0};
    return ::poll(&p, 1, timeoutMs) > 0 && (p.revents & (events | POLLERR | POLLHUP));
}

struct Connection {
    Fd listen, client, server;
    int port = 0;
};

inline Connection connection(int rcvbuf = 0, int sndbuf = 0) {
    Connection c;
    c.listen = listener(8, &c.port, rcvbuf);
    if (!c.listen)
        return c;
    c.client = client(c.port, false, sndbuf);
    c.server = acceptOne(c.listen.get());
    return c;
}

} // namespace sl::test
