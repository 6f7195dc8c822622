#include "engine/blockinfo.h"

#include "script/catalog.h"

#include <QFile>
#include <sys/syscall.h>

namespace sl::engine {

static QString syscallName(int n) {
    // The calls an actor can block in (x86-64 and aarch64 numbers come from the
    // build's own <sys/syscall.h>, so this stays right on either).
    switch (n) {
#ifdef SYS_accept
    case SYS_accept:
        return QStringLiteral("accept");
#endif
    case SYS_accept4:
        return QStringLiteral("accept4");
    case SYS_recvfrom:
        return QStringLiteral("recvfrom");
    case SYS_sendto:
        return QStringLiteral("sendto");
    case SYS_connect:
        return QStringLiteral("connect");
    case SYS_read:
        return QStringLiteral("read");
    case SYS_write:
        return QStringLiteral("write");
#ifdef SYS_select
    case SYS_select:
        return QStringLiteral("select");
#endif
    case SYS_pselect6:
        return QStringLiteral("pselect6");
#ifdef SYS_poll
    case SYS_poll:
        return QStringLiteral("poll");
#endif
    case SYS_ppoll:
        return QStringLiteral("ppoll");
    case SYS_futex:
        return QStringLiteral("futex");
    case SYS_nanosleep:
        return QStringLiteral("nanosleep");
    case SYS_clock_nanosleep:
        return QStringLiteral("clock_nanosleep");
    default:
        return QString();
    }
}

BlockInfo readBlockInfo(int tid) {
    BlockInfo info;
    if (tid <= 0)
        return info;
    const QString base = QStringLiteral("/proc/self/task/%1/").arg(tid);
    QFile sc(base + QStringLiteral("syscall"));
    if (sc.open(QIODevice::ReadOnly)) {
        const QByteArray line = sc.readAll().trimmed();
        info.known = !line.isEmpty();
        bool ok = false;
        const int n = line.left(line.indexOf(' ')).toInt(&ok);
        if (ok && n >= 0) {
            info.sysno = n;
            info.syscall = syscallName(n);
        }
    }
    QFile st(base + QStringLiteral("stat"));
    if (st.open(QIODevice::ReadOnly)) {
        // "tid (comm) S …": the state follows the last ')' (comm may contain one).
        const QByteArray line = st.readAll();
        const qsizetype close = line.lastIndexOf(')');
        if (close >= 0 && close + 2 < line.size())
            info.sleeping = line[close + 2] == 'S' || line[close + 2] == 'D';
    }
    QFile wc(base + QStringLiteral("wchan"));
    if (wc.open(QIODevice::ReadOnly)) {
        const QByteArray w = wc.readAll().trimmed();
        if (w != "0")
            info.wchan = QString::fromLatin1(w);
    }
    return info;
}

bool blocksIn(const BlockInfo &b, int call) {
    using script::CallId;
    if (!b.sleeping || call == 0)
        return false;
    if (!b.known)
        return true;
    switch (b.sysno) {
#ifdef SYS_accept
    case SYS_accept:
#endif
#ifdef SYS_select
    case SYS_select:
#endif
#ifdef SYS_poll
    case SYS_poll:
#endif
    case SYS_accept4:
    case SYS_recvfrom:
    case SYS_recvmsg:
    case SYS_sendto:
    case SYS_sendmsg:
    case SYS_connect:
    case SYS_read:
    case SYS_write:
    case SYS_close: // close() of a socket with SO_LINGER waits for its data to go
    case SYS_pselect6:
    case SYS_ppoll:
        return true;
    case SYS_wait4: // os.waitpid() waits for a child to end
    case SYS_waitid:
        return CallId(call) == CallId::Waitpid;
    case SYS_futex:
    case SYS_nanosleep:
    case SYS_clock_nanosleep:
        // sleep() and select() on no descriptors wait on a condition variable (so that
        // reset() can wake them); anything else asleep on a futex waits for one of the
        // lab's own locks, for a moment.
        return CallId(call) == CallId::Sleep || CallId(call) == CallId::Select;
    default:
        return false;
    }
}

} // namespace sl::engine
