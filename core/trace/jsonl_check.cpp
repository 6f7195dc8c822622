// The JSONL reader's checks of values: what a view may trust after an import. The
// scanner already checked each value against its field's C type; here each is checked
// against what it means (an id that must exist, an enum, a count), so that no value can
// make a view allocate or index by it (a socket id of 2147483647, 1e8).
#include "trace/jsonl.h"
#include "trace/jsonl_schema.h"

#include <QStringView>

namespace sl::trace::detail {

namespace {

constexpr std::uint8_t MaxTcpState = 12;  // sys::TcpState::NewSynRecv
constexpr std::uint8_t MaxReadiness = 31; // sys::Readiness bits
constexpr std::uint8_t MaxCallFlags = 31; // CallFlags bits
constexpr std::int32_t MaxErrno = 4095;   // the kernel's -MAX_ERRNO
constexpr std::int32_t MaxSyscall = 4095;
constexpr std::int64_t MaxSelectIds = 1024; // FD_SETSIZE: select() takes no more

struct Checker {
    const Event &e;
    QString *error;

    bool fail(const char *field, const QString &why) {
        *error = QStringLiteral("field \"%1\" %2").arg(QLatin1String(field), why);
        return false;
    }
    bool range(const char *field, std::int64_t v, std::int64_t lo, std::int64_t hi) {
        if (v >= lo && v <= hi)
            return true;
        return fail(field,
                    QStringLiteral("out of range: %1 (expected %2 to %3)").arg(v).arg(lo).arg(hi));
    }
    bool socketId(const char *field, std::int64_t id, std::int32_t sockets) {
        if (id == -1 || (id >= 0 && id < sockets))
            return true;
        return fail(field, QStringLiteral("names socket %1, which no earlier socket_new line "
                                          "declares (%2 declared)")
                               .arg(id)
                               .arg(sockets));
    }
    bool flag(const char *field, std::uint8_t v) { return range(field, v, 0, 1); }
    bool nOrNa(const char *field, std::int64_t v) { return range(field, v, -1, INT64_MAX); }

    // "3,5" or "": lab socket ids, each declared.
    bool idList(const char *field, const QString &text, std::int32_t sockets) {
        if (text.isEmpty())
            return true;
        qsizetype count = 0;
        for (QStringView part : QStringView(text).split(u',')) {
            bool ok = false;
            const qlonglong id = part.toLongLong(&ok);
            // Digits only: "+3", " 3" or "03" would not be written back the same.
            const bool canonical =
                ok && id >= 0 && part == QString::number(id) && part.size() <= 10;
            if (!canonical)
                return fail(field, QStringLiteral("must list socket ids separated by commas"));
            if (!socketId(field, id, sockets))
                return false;
            if (++count > MaxSelectIds)
                return fail(field, QStringLiteral("lists more than %1 sockets").arg(MaxSelectIds));
        }
        return true;
    }
};

} // namespace

bool checkEvent(const Event &e, const Trace &trace, std::int32_t *sockets, QString *error) {
    Checker c{e, error};
    if (!c.range("t", e.tNs, 0, INT64_MAX))
        return false;
    if (e.actor != NoActor && !c.range("a", e.actor, 0, MaxActors - 1))
        return false;
    if (e.kind == EventKind::SocketNew) {
        // The lab numbers sockets 0, 1, 2, … as it creates them.
        if (e.sock != *sockets)
            return c.fail("s", QStringLiteral("of a socket_new must be the next socket id, %1 "
                                              "(found %2)")
                                   .arg(*sockets)
                                   .arg(e.sock));
        if (*sockets == INT32_MAX)
            return c.fail("s", QStringLiteral("too many sockets"));
        ++*sockets;
    } else if (!c.socketId("s", e.sock, *sockets)) {
        return false;
    }

    switch (e.kind) {
    case EventKind::CallBegin:
    case EventKind::CallEnd:
        return c.range("call", e.call.call, 0, MaxCallId) &&
               c.range("err", e.call.err, 0, MaxErrno) && c.nOrNa("asked", e.call.asked) &&
               c.nOrNa("moved", e.call.moved) && c.range("dur_ns", e.call.durNs, 0, INT64_MAX) &&
               c.range("flags", e.call.flags, 0, MaxCallFlags);
    case EventKind::Sample:
        return c.range("state", e.sample.state, 0, MaxTcpState) &&
               c.range("readiness", e.sample.readiness, 0, MaxReadiness) &&
               c.flag("listener", e.sample.listener) &&
               c.flag("nonblocking", e.sample.nonBlocking) &&
               c.range("fd", e.sample.fd, -1, MaxFd) && c.nOrNa("sndbuf", e.sample.sndbuf) &&
               c.nOrNa("rcvbuf", e.sample.rcvbuf) && c.nOrNa("send_q", e.sample.sendQ) &&
               c.nOrNa("unsent", e.sample.unsent) && c.nOrNa("recv_q", e.sample.recvQ) &&
               c.nOrNa("accept_q", e.sample.acceptQ) && c.nOrNa("backlog", e.sample.backlog) &&
               c.nOrNa("peer_wnd", e.sample.peerWnd) && c.nOrNa("rcv_mem", e.sample.rcvMem) &&
               c.nOrNa("drops", e.sample.drops);
    case EventKind::StateChange:
        return c.range("from", e.state.from, 0, MaxTcpState) &&
               c.range("to", e.state.to, 0, MaxTcpState);
    case EventKind::SocketNew:
    case EventKind::SocketInfo:
    case EventKind::SocketClose:
        return c.range("fd", e.socket.fd, -1, MaxFd) &&
               c.socketId("peer_sock", e.socket.peerSock, *sockets) &&
               c.flag("kernel_only", e.socket.kernelOnly);
    case EventKind::SelectIn:
    case EventKind::SelectOut: {
        static const char *const names[3] = {"read", "write", "except"};
        for (int k = 0; k < 3; ++k)
            if (!c.idList(names[k], trace.text(e.select.sets[k]), *sockets))
                return false;
        return c.range("nfds", e.select.nfds, 0, MaxFd) &&
               c.nOrNa("timeout_ns", e.select.timeoutNs);
    }
    case EventKind::Expect:
        return c.flag("passed", e.expect.passed);
    case EventKind::ActorStatus:
    case EventKind::StepBegin:
    case EventKind::StepEnd:
        return c.range("status", e.status.status, 0, std::uint8_t(ActorState::Done)) &&
               c.range("call", e.status.call, 0, MaxCallId) &&
               c.range("sysno", e.status.sysno, -1, MaxSyscall);
    default:
        return true;
    }
}

} // namespace sl::trace::detail
