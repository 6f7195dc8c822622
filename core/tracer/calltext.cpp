// ProgramTracer::callText: a record as the C call it was, for the report and the trace's
// call text — "send(5, 4096, 0)", "connect(3, 127.0.0.1:5000)",
// "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, 1)".
#include "tracer/programtracer.h"

#include "preload/tracerecord.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace sl::tracer {

using preload::Call;
using preload::Record;

namespace {

const char *cName(Call c) {
    static const char *const names[] = {
        "?",        "socket",  "socketpair", "bind",          "listen",    "accept",
        "accept4",  "connect", "send",       "sendto",        "sendmsg",   "recv",
        "recvfrom", "recvmsg", "read",       "write",         "readv",     "writev",
        "shutdown", "close",   "setsockopt", "getsockopt",    "fcntl",     "ioctl",
        "select",   "poll",    "ppoll",      "epoll_create1", "epoll_ctl", "epoll_wait"};
    static_assert(sizeof names / sizeof *names == std::size_t(Call::Count_));
    return std::size_t(c) < std::size_t(Call::Count_) ? names[std::size_t(c)] : "?";
}

QString addrText(const Record &r) {
    if (!(r.flags & preload::RecAddrV4))
        return QStringLiteral("addr");
    const std::uint32_t a = std::uint32_t(r.a[2]);
    return QStringLiteral("%1.%2.%3.%4:%5")
        .arg(a >> 24)
        .arg((a >> 16) & 255)
        .arg((a >> 8) & 255)
        .arg(a & 255)
        .arg(r.a[3]);
}

QString familyName(std::int64_t d) {
    switch (d) {
    case AF_INET:
        return QStringLiteral("AF_INET");
    case AF_INET6:
        return QStringLiteral("AF_INET6");
    case AF_UNIX:
        return QStringLiteral("AF_UNIX");
    default:
        return QString::number(d);
    }
}
QString typeName(std::int64_t t) {
    QString s;
    switch (t & 0xf) {
    case SOCK_STREAM:
        s = QStringLiteral("SOCK_STREAM");
        break;
    case SOCK_DGRAM:
        s = QStringLiteral("SOCK_DGRAM");
        break;
    default:
        s = QString::number(t & 0xf);
    }
    if (t & SOCK_NONBLOCK)
        s += QStringLiteral("|SOCK_NONBLOCK");
    if (t & SOCK_CLOEXEC)
        s += QStringLiteral("|SOCK_CLOEXEC");
    return s;
}

QString sockoptName(std::int64_t level, std::int64_t name) {
    if (level == SOL_SOCKET) {
        switch (name) {
        case SO_REUSEADDR:
            return QStringLiteral("SOL_SOCKET, SO_REUSEADDR");
        case SO_SNDBUF:
            return QStringLiteral("SOL_SOCKET, SO_SNDBUF");
        case SO_RCVBUF:
            return QStringLiteral("SOL_SOCKET, SO_RCVBUF");
        case SO_ERROR:
            return QStringLiteral("SOL_SOCKET, SO_ERROR");
        case SO_KEEPALIVE:
            return QStringLiteral("SOL_SOCKET, SO_KEEPALIVE");
        case SO_TYPE:
            return QStringLiteral("SOL_SOCKET, SO_TYPE");
        default:
            break;
        }
    }
    if (level == IPPROTO_TCP && name == 1)
        return QStringLiteral("IPPROTO_TCP, TCP_NODELAY");
    return QStringLiteral("%1, %2").arg(level).arg(name);
}

} // namespace

QString ProgramTracer::callText(const Record &r) const {
    const Call c = Call(r.call);
    const QString fd = QString::number(r.fd);
    QString args;
    switch (c) {
    case Call::Socket:
    case Call::Socketpair:
        args = familyName(r.a[0]) + QStringLiteral(", ") + typeName(r.a[1]) +
               QStringLiteral(", %1").arg(c == Call::Socket ? r.a[2] : 0);
        break;
    case Call::Bind:
    case Call::Connect:
        args = fd + QStringLiteral(", ") + addrText(r);
        break;
    case Call::Listen:
    case Call::Shutdown:
        args = fd + QStringLiteral(", %1").arg(r.a[0]);
        break;
    case Call::Accept:
        args = fd;
        break;
    case Call::Accept4:
        args = fd + QStringLiteral(", flags=%1").arg(r.a[0]);
        break;
    case Call::Send:
    case Call::Recv:
    case Call::Sendto:
    case Call::Recvfrom:
    case Call::Sendmsg:
    case Call::Recvmsg:
        args = fd + QStringLiteral(", %1, %2").arg(r.a[0]).arg(r.a[1]);
        if (c == Call::Sendto && (r.flags & preload::RecAddrV4))
            args += QStringLiteral(", ") + addrText(r);
        break;
    case Call::Read:
    case Call::Write:
    case Call::Readv:
    case Call::Writev:
        args = fd + QStringLiteral(", %1").arg(r.a[0]);
        break;
    case Call::Close:
        args = fd;
        break;
    case Call::Setsockopt:
        args = fd + QStringLiteral(", ") + sockoptName(r.a[0], r.a[1]) +
               QStringLiteral(", %1").arg(r.a[2]);
        break;
    case Call::Getsockopt:
        args = fd + QStringLiteral(", ") + sockoptName(r.a[0], r.a[1]);
        break;
    case Call::FcntlNonblock:
        args = fd +
               (r.a[0] ? QStringLiteral(", F_SETFL, O_NONBLOCK") : QStringLiteral(", F_SETFL, 0"));
        break;
    case Call::IoctlFionbio:
        args = fd + QStringLiteral(", FIONBIO, %1").arg(r.a[0]);
        break;
    case Call::Select:
    case Call::Poll:
    case Call::Ppoll:
        args = QStringLiteral("n=%1, timeout=%2")
                   .arg(r.a[0])
                   .arg(r.a[1] < 0 ? QStringLiteral("none")
                                   : QStringLiteral("%1 ms").arg(double(r.a[1]) / 1e6));
        break;
    case Call::EpollCreate:
        args = QString::number(r.a[0]);
        break;
    case Call::EpollCtl:
        args = fd + QStringLiteral(", %1, %2")
                        .arg(r.a[0] == 1   ? QStringLiteral("ADD")
                             : r.a[0] == 2 ? QStringLiteral("DEL")
                                           : QStringLiteral("MOD"))
                        .arg(r.a[1]);
        break;
    case Call::EpollWait:
        args = fd + QStringLiteral(", %1, %2").arg(r.a[0]).arg(r.a[1] < 0 ? -1 : r.a[1] / 1000000);
        break;
    default:
        break;
    }
    return QLatin1String(cName(c)) + QLatin1Char('(') + args + QLatin1Char(')');
}

} // namespace sl::tracer
