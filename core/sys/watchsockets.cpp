// WatchSockets: sock_diag's list matched to another process's descriptors by inode.
#include "sys/watchsockets.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sl::sys {

namespace {

// The socket inode a /proc/P/fd/N link names ("socket:[12345]"), 0 for anything else.
std::uint32_t linkInode(int dirFd, const char *name, bool *isSocket) {
    char link[64];
    const ssize_t n = ::readlinkat(dirFd, name, link, sizeof link - 1);
    *isSocket = n > 8 && std::strncmp(link, "socket:[", 8) == 0;
    if (!*isSocket)
        return 0;
    link[n] = '\0';
    return std::uint32_t(std::strtoul(link + 8, nullptr, 10));
}

bool isNumber(const char *s) {
    if (!*s)
        return false;
    for (; *s; ++s)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

// /proc/P/stat's state letter is 'Z' (after the command name, which may hold spaces
// and parentheses: the last ')' ends it).
bool isZombie(pid_t pid) {
    char path[64], buf[512];
    std::snprintf(path, sizeof path, "/proc/%d/stat", int(pid));
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    const char *end = std::strrchr(buf, ')');
    return end && end[1] == ' ' && end[2] == 'Z';
}

// Every readable process's socket descriptors: inode -> (pid, fd). Processes whose
// descriptors cannot be read (another user's) are skipped, as `ss -p` does.
QHash<std::uint32_t, std::pair<pid_t, int>> allOwners() {
    QHash<std::uint32_t, std::pair<pid_t, int>> owners;
    DIR *proc = ::opendir("/proc");
    if (!proc)
        return owners;
    while (const dirent *e = ::readdir(proc)) {
        if (!isNumber(e->d_name))
            continue;
        const pid_t pid = pid_t(std::atoi(e->d_name));
        QHash<std::uint32_t, int> mine;
        if (WatchSockets::socketInodesOf(pid, &mine) != 0)
            continue;
        for (auto it = mine.cbegin(); it != mine.cend(); ++it)
            if (!owners.contains(it.key()))
                owners.insert(it.key(), {pid, it.value()});
    }
    ::closedir(proc);
    return owners;
}

// What the dump alone says about poll(): bytes or connections waiting, a FIN in, room
// to send. The kernel's POLLOUT rule (free space >= half of what is queued) needs the
// queued memory, which is close to SEND-Q; this is the approximation `watch` marks "~".
std::uint8_t derivedReadiness(const DiagSocket &d) {
    std::uint8_t r = 0;
    const TcpState s = d.state;
    if (s == TcpState::Listen)
        return d.recvQ > 0 ? Readable : 0;
    if (d.recvQ > 0 || s == TcpState::CloseWait || s == TcpState::LastAck ||
        s == TcpState::Closing || s == TcpState::Close)
        r |= Readable;
    if (s == TcpState::CloseWait || s == TcpState::LastAck || s == TcpState::Closing)
        r |= PeerClosed;
    if ((s == TcpState::Established || s == TcpState::CloseWait) && d.sndbuf > 0 &&
        std::int64_t(d.sndbuf) - std::int64_t(d.sendQ) >= std::int64_t(d.sendQ) / 2)
        r |= Writable;
    return r;
}

QString readinessText(const WatchedSocket &w) {
    if (w.kernelOnly())
        return QStringLiteral("-");
    QString t;
    if (w.readiness & Readable)
        t += QLatin1Char('R');
    if (w.readiness & Writable)
        t += QLatin1Char('W');
    if (w.readiness & Error)
        t += QLatin1Char('E');
    if (w.readiness & HangUp)
        t += QLatin1Char('H');
    if (w.readiness & PeerClosed)
        t += QStringLiteral("rh"); // POLLRDHUP
    if (t.isEmpty())
        t = QStringLiteral("--");
    return w.readinessExact ? t : t + QLatin1Char('~');
}

QString note(const WatchedSocket &w, const std::vector<WatchedSocket> &all) {
    const DiagSocket &d = w.diag;
    if (d.state == TcpState::Listen)
        return QStringLiteral("listener: %1 of %2 in the accept queue").arg(d.recvQ).arg(d.sendQ);
    if (!w.kernelOnly())
        return {};
    if (d.state == TcpState::TimeWait)
        return QStringLiteral("kernel only: TIME_WAIT after close()");
    if (d.state == TcpState::SynRecv || d.state == TcpState::NewSynRecv)
        return QStringLiteral("kernel only: handshake in progress");
    for (const WatchedSocket &o : all)
        if (o.diag.state == TcpState::Listen && o.diag.local.port() == d.local.port() &&
            d.state == TcpState::Established)
            return QStringLiteral("kernel only: in the accept queue, not yet accepted");
    return QStringLiteral("kernel only: closed by its process (orphan)");
}

} // namespace

int WatchSockets::socketInodesOf(pid_t pid, QHash<std::uint32_t, int> *out) {
    out->clear();
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/fd", int(pid));
    DIR *dir = ::opendir(path);
    if (!dir) {
        const int e = errno;
        // /proc/P/fd of a process that is gone answers ENOENT.
        return e == ENOENT ? ESRCH : e;
    }
    const int dfd = ::dirfd(dir);
    while (const dirent *e = ::readdir(dir)) {
        if (!isNumber(e->d_name))
            continue;
        bool sock = false;
        const std::uint32_t inode = linkInode(dfd, e->d_name, &sock);
        if (!sock)
            continue;
        const int fd = std::atoi(e->d_name);
        auto it = out->find(inode);
        if (it == out->end())
            out->insert(inode, fd);
        else if (fd < it.value())
            it.value() = fd; // dup()s share an inode: the lowest number names it
    }
    ::closedir(dir);
    return 0;
}

int WatchSockets::refresh(std::vector<WatchedSocket> *out) {
    out->clear();
    QHash<std::uint32_t, std::pair<pid_t, int>> owners;
    if (m_pid > 0) {
        // A zombie (ended, not yet reaped by its parent) still answers kill(0) and has
        // /proc/P, but no descriptors: it has ended too.
        if ((::kill(m_pid, 0) != 0 && errno == ESRCH) || isZombie(m_pid))
            return ESRCH;
        QHash<std::uint32_t, int> mine;
        if (const int rc = socketInodesOf(m_pid, &mine); rc != 0)
            return rc;
        for (auto it = mine.cbegin(); it != mine.cend(); ++it)
            owners.insert(it.key(), {m_pid, it.value()});
    } else {
        owners = allOwners();
    }
    int err = 0;
    const std::vector<int> ports = m_port > 0 ? std::vector<int>{m_port} : std::vector<int>{};
    const std::vector<DiagSocket> dump = SockDiag::tcpSockets(ports, &err);
    if (err != 0)
        return err;

    int tcpOwned = 0;
    for (const DiagSocket &d : dump) {
        if (d.inode == 0)
            continue;
        const auto it = owners.constFind(d.inode);
        if (it == owners.constEnd())
            continue;
        WatchedSocket w;
        w.diag = d;
        w.diag.ownerFd = -1; // SockDiag's ownerFd names this process's descriptors
        w.pid = it->first;
        w.fd = it->second;
        out->push_back(w);
        ++tcpOwned;
        if (m_pid > 0)
            m_ports.insert(d.local.port());
    }
    if (m_pid > 0)
        m_otherSockets = int(owners.size()) - tcpOwned;
    for (const DiagSocket &d : dump) {
        if (d.inode != 0)
            continue;
        // --port: every kernel-only socket on the port; --pid: those on a local port
        // the process has had (its listener's accept queue, its closed connections).
        if (m_pid > 0 && !m_ports.contains(d.local.port()))
            continue;
        WatchedSocket w;
        w.diag = d;
        w.diag.ownerFd = -1;
        out->push_back(w);
    }
    std::stable_sort(out->begin(), out->end(), [](const WatchedSocket &a, const WatchedSocket &b) {
        if (a.kernelOnly() != b.kernelOnly())
            return !a.kernelOnly();
        if (a.pid != b.pid)
            return a.pid < b.pid;
        if (a.fd != b.fd)
            return a.fd < b.fd;
        return a.diag.local.port() < b.diag.local.port();
    });
    fillReadiness(*out);
    return 0;
}

void WatchSockets::fillReadiness(std::vector<WatchedSocket> &list) {
    pid_t pidfdOf = 0;
    int pidfd = -1;
    for (WatchedSocket &w : list) {
        if (w.kernelOnly())
            continue;
        w.readiness = derivedReadiness(w.diag);
        if (w.pid != pidfdOf) {
            if (pidfd >= 0)
                ::close(pidfd);
            pidfdOf = w.pid;
            pidfd = int(::syscall(SYS_pidfd_open, w.pid, 0));
        }
        if (pidfd < 0)
            continue;
        // A duplicate of the process's descriptor (same open file): poll() on it is
        // the process's own answer. Closing it leaves the process's descriptor as is.
        const int dup = int(::syscall(SYS_pidfd_getfd, pidfd, w.fd, 0));
        if (dup < 0)
            continue;
        // The descriptor may have been closed and reused since /proc was read.
        struct stat st {};
        if (::fstat(dup, &st) == 0 && S_ISSOCK(st.st_mode) &&
            std::uint32_t(st.st_ino) == w.diag.inode) {
            w.readiness = KernelProbe::readiness(dup);
            w.readinessExact = true;
        }
        ::close(dup);
    }
    if (pidfd >= 0)
        ::close(pidfd);
}

QString WatchSockets::describeError(int err) const {
    const QString who =
        m_pid > 0 ? QStringLiteral("process %1").arg(m_pid) : QStringLiteral("port %1").arg(m_port);
    switch (err) {
    case ESRCH:
        return QStringLiteral("no process %1 (it does not exist or has ended)").arg(m_pid);
    case EACCES:
    case EPERM:
        return QStringLiteral("cannot read the sockets of %1: permission denied (/proc/%2/fd "
                              "belongs to another user; run as that user or as root)")
            .arg(who)
            .arg(m_pid);
    default:
        return QStringLiteral("cannot read the kernel's socket list for %1: %2")
            .arg(who, QString::fromLocal8Bit(std::strerror(err)));
    }
}

QString watchTable(const std::vector<WatchedSocket> &list, bool withPid) {
    QList<QStringList> rows;
    QStringList head = {
        QStringLiteral("FD"),     QStringLiteral("STATE"),  QStringLiteral("LOCAL"),
        QStringLiteral("PEER"),   QStringLiteral("RECV-Q"), QStringLiteral("SEND-Q"),
        QStringLiteral("RCVBUF"), QStringLiteral("SNDBUF"), QStringLiteral("READY")};
    if (withPid)
        head << QStringLiteral("PID");
    head << QStringLiteral("NOTE");
    rows << head;
    const auto num = [](std::int64_t v) {
        return v < 0 ? QStringLiteral("-") : QString::number(v);
    };
    for (const WatchedSocket &w : list) {
        const DiagSocket &d = w.diag;
        QStringList r = {w.fd >= 0 ? QString::number(w.fd) : QStringLiteral("-"),
                         QLatin1String(tcpStateName(
                             d.state == TcpState::NewSynRecv ? TcpState::SynRecv : d.state)),
                         d.local.toString(),
                         d.state == TcpState::Listen ? QStringLiteral("*") : d.peer.toString(),
                         QString::number(d.recvQ),
                         QString::number(d.sendQ),
                         num(d.rcvbuf),
                         num(d.sndbuf),
                         readinessText(w)};
        if (withPid)
            r << (w.pid > 0 ? QString::number(w.pid) : QStringLiteral("-"));
        r << note(w, list);
        rows << r;
    }
    // Column widths; the note (last column) is not padded.
    std::vector<int> width(std::size_t(head.size()), 0);
    for (const QStringList &r : rows)
        for (qsizetype i = 0; i + 1 < r.size(); ++i)
            width[std::size_t(i)] = std::max(width[std::size_t(i)], int(r.at(i).size()));
    QString text;
    for (const QStringList &r : rows) {
        QString line;
        for (qsizetype i = 0; i < r.size(); ++i) {
            const bool last = i + 1 == r.size();
            line += last ? r.at(i)
                         : r.at(i).leftJustified(width[std::size_t(i)]) + QStringLiteral("  ");
        }
        text += line.trimmed() + QLatin1Char('\n');
    }
    return text;
}

} // namespace sl::sys
