#include "display.h"

#include <QStringList>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace sl::app {

namespace {

// connect() with a bound wait: a display that does not answer within a second is dead.
bool connectsWithin(int fd, const sockaddr *addr, socklen_t len, int timeoutMs) {
    if (::connect(fd, addr, len) == 0)
        return true;
    if (errno != EINPROGRESS)
        return false;
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, timeoutMs) != 1)
        return false;
    int err = 0;
    socklen_t n = sizeof err;
    return ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &n) == 0 && err == 0;
}

bool unixSocketAnswers(const QByteArray &path, bool abstract) {
    sockaddr_un a = {};
    a.sun_family = AF_UNIX;
    const std::size_t off = abstract ? 1 : 0; // abstract names start with a NUL byte
    if (std::size_t(path.size()) + off >= sizeof a.sun_path)
        return false;
    std::memcpy(a.sun_path + off, path.constData(), std::size_t(path.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return false;
    const bool ok = connectsWithin(
        fd, reinterpret_cast<const sockaddr *>(&a),
        socklen_t(offsetof(sockaddr_un, sun_path) + off + std::size_t(path.size())), 1000);
    ::close(fd);
    return ok;
}

bool tcpAnswers(const QByteArray &host, int port) {
    addrinfo hints = {};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *res = nullptr;
    if (::getaddrinfo(host.constData(), QByteArray::number(port).constData(), &hints, &res) != 0)
        return false;
    bool ok = false;
    for (addrinfo *ai = res; ai && !ok; ai = ai->ai_next) {
        const int fd = ::socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
            continue;
        ok = connectsWithin(fd, ai->ai_addr, ai->ai_addrlen, 1000);
        ::close(fd);
    }
    ::freeaddrinfo(res);
    return ok;
}

// DISPLAY = [host]:N[.screen]; unix socket /tmp/.X11-unix/XN (also abstract), or TCP
// port 6000 + N on host (ssh -X forwards localhost:10).
bool xDisplayAnswers(const QByteArray &display) {
    const qsizetype colon = display.lastIndexOf(':');
    if (colon < 0)
        return false;
    const QByteArray host = display.left(colon);
    QByteArray num = display.mid(colon + 1);
    num = num.left(num.indexOf('.') < 0 ? num.size() : num.indexOf('.'));
    bool ok = false;
    const int n = num.toInt(&ok);
    if (!ok || n < 0 || n > 65535 - 6000)
        return false;
    if (host.isEmpty() || host == "unix" || host.startsWith('/')) {
        if (host.startsWith('/')) // launchd-style path (macOS); kept for completeness
            return unixSocketAnswers(display.left(colon), false);
        const QByteArray path = "/tmp/.X11-unix/X" + num;
        return unixSocketAnswers(path, true) || unixSocketAnswers(path, false);
    }
    return tcpAnswers(host, 6000 + n);
}

bool waylandAnswers(const QByteArray &name) {
    if (name.startsWith('/'))
        return unixSocketAnswers(name, false);
    const QByteArray dir = qgetenv("XDG_RUNTIME_DIR");
    return !dir.isEmpty() && unixSocketAnswers(dir + '/' + name, false);
}

} // namespace

Display probeDisplay(QString *why) {
    // A platform chosen by hand (offscreen, vnc, eglfs, a fallback list): Qt's business.
    if (qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        return Display::Usable;
    const QByteArray wayland = qgetenv("WAYLAND_DISPLAY");
    const QByteArray x = qgetenv("DISPLAY");
    if (wayland.isEmpty() && x.isEmpty())
        return Display::None;
    if ((!wayland.isEmpty() && waylandAnswers(wayland)) || (!x.isEmpty() && xDisplayAnswers(x)))
        return Display::Usable;
    if (why) {
        QStringList names;
        if (!x.isEmpty())
            names << QStringLiteral("the X display '%1'").arg(QString::fromLocal8Bit(x));
        if (!wayland.isEmpty())
            names
                << QStringLiteral("the Wayland display '%1'").arg(QString::fromLocal8Bit(wayland));
        *why = names.join(QStringLiteral(" and ")) + QStringLiteral(" does not answer");
    }
    return Display::Dead;
}

} // namespace sl::app
