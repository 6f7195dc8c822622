// SockDiag: the sockets no descriptor shows (accept queue, FIN_WAIT2, TIME_WAIT).
#include "loopback.h"
#include "sys/sockdiag.h"

#include <QTest>
#include <algorithm>
#include <optional>

using namespace sl::sys;
namespace sys = sl::sys;
using namespace sl::test;

namespace {

// The socket of `family` whose local port is `local` and peer port `peer` (0 for a
// listener). Port numbers alone are not unique: tests running in parallel may hold the
// same number in the other family.
std::optional<DiagSocket> find(int local, int peer, int family = AF_INET) {
    int err = 0;
    const auto list = SockDiag::tcpSockets({local}, &err);
    if (err != 0)
        qWarning("sock_diag: %s", errnoName(err));
    for (const DiagSocket &d : list) {
        if (d.local.family() == family && d.local.port() == local && d.peer.port() == peer)
            return d;
    }
    return std::nullopt;
}

QString describe(const SocketSample &s) {
    return QStringLiteral("ok %1 state %2 ready %3 listener %4 sndbuf %5 rcvbuf %6 sendQ %7 "
                          "unsent %8 recvQ %9 acceptQ %10 backlog %11 peerWnd %12 rcvMem %13 "
                          "drops %14")
        .arg(s.ok)
        .arg(int(s.state))
        .arg(s.readiness)
        .arg(s.listener)
        .arg(s.sndbuf)
        .arg(s.rcvbuf)
        .arg(s.sendQ)
        .arg(s.unsent)
        .arg(s.recvQ)
        .arg(s.acceptQ)
        .arg(s.backlog)
        .arg(s.peerWnd)
        .arg(s.rcvMem)
        .arg(s.drops);
}

// The dump's samples of fds against KernelProbe's, field by field; "" when they agree.
QString disagreement(const std::vector<int> &fds, const std::vector<int> &ports) {
    std::vector<std::uint32_t> inodes;
    for (int fd : fds)
        inodes.push_back(SockDiag::inodeOf(fd));
    std::vector<SocketSample> viaDump(fds.size());
    const int err =
        SockDiag::sampleTcp(fds.data(), inodes.data(), int(fds.size()), ports, viaDump.data());
    if (err != 0)
        return QStringLiteral("sampleTcp: %1").arg(QLatin1String(errnoName(err)));
    for (std::size_t i = 0; i < fds.size(); ++i) {
        const SocketSample byFd = KernelProbe::sample(fds[i], true);
        if (!viaDump[i].ok && byFd.unsent > 0)
            continue; // left to the descriptor, as sampleTcp says
        if (!viaDump[i].ok || !(viaDump[i] == byFd))
            return QStringLiteral("fd %1:\n dump %2\n fd   %3")
                .arg(fds[i])
                .arg(describe(viaDump[i]), describe(byFd));
    }
    return {};
}

TcpState stateOf(int local, int peer) {
    const auto d = find(local, peer);
    return d ? d->state : TcpState::Unknown;
}

} // namespace

class TestSockDiag : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        int err = 0;
        SockDiag::tcpSockets({1}, &err);
        if (err == EPROTONOSUPPORT || err == EACCES || err == EPERM)
            QSKIP("NETLINK_SOCK_DIAG is not available here");
        QCOMPARE(err, 0);
    }

    void acceptQueueHasNoDescriptor() {
        int port = 0;
        Fd l = listener(4, &port);
        QVERIFY(l);
        Fd c = client(port);
        QVERIFY(c);
        const int cport = localPort(c.get());

        // The listener: LISTEN, our fd, rqueue = accept-queue length, wqueue = backlog.
        std::optional<DiagSocket> d;
        QTRY_VERIFY((d = find(port, 0)) && d->state == TcpState::Listen && d->recvQ == 1);
        QCOMPARE(d->ownerFd, l.get());
        QCOMPARE(d->inode, SockDiag::inodeOf(l.get()));
        QCOMPARE(d->sendQ, 4u);

        // The connection waiting for sys::accept(): complete, but no descriptor yet.
        QTRY_VERIFY((d = find(port, cport)).has_value());
        QCOMPARE(d->state, TcpState::Established);
        QCOMPARE(d->inode, 0u);
        QCOMPARE(d->ownerFd, -1);
        QCOMPARE(d->local.toString(), QStringLiteral("127.0.0.1:%1").arg(port));
        QCOMPARE(d->peer.toString(), QStringLiteral("127.0.0.1:%1").arg(cport));
        // Data sent to it waits in its queue: sock_diag reports the memory it takes (more
        // than the 5 bytes), the buffers, no drops, and the client's window.
        QCOMPARE(sys::send(c.get(), "hello", 5).ret, 5);
        QTRY_VERIFY((d = find(port, cport)) && d->recvQ == 5u);
        QVERIFY2(d->rcvMem > 5 && d->rcvbuf > 0 && d->sndbuf > 0,
                 qPrintable(QString::number(d->rcvMem)));
        QCOMPARE(d->drops, 0);
        QVERIFY(d->peerWnd > 0);

        // The client's own socket.
        d = find(cport, port);
        QVERIFY(d.has_value());
        QCOMPARE(d->state, TcpState::Established);
        QVERIFY(d->inode != 0);
        QCOMPARE(d->inode, SockDiag::inodeOf(c.get()));
        QCOMPARE(d->ownerFd, c.get());
        // The window sock_diag reports is the one TCP_INFO on the descriptor reports.
        QCOMPARE(d->peerWnd, KernelProbe::sample(c.get(), true).peerWnd);

        // Once accepted, the server side has a descriptor too.
        Fd s = acceptOne(l.get());
        QVERIFY(s);
        QTRY_VERIFY((d = find(port, cport)) && d->ownerFd == s.get());
        QCOMPARE(d->inode, SockDiag::inodeOf(s.get()));
    }

    void closeSequence() {
        Connection c = connection();
        QVERIFY(c.server);
        const int cport = localPort(c.client.get());
        QVERIFY(find(cport, c.port).has_value());

        // Client sys::close(): its socket lives on in the kernel only (FIN_WAIT2, inode 0);
        // the server's descriptor shows CLOSE_WAIT.
        c.client.reset();
        QTRY_COMPARE(stateOf(cport, c.port), TcpState::FinWait2);
        std::optional<DiagSocket> d = find(cport, c.port);
        QVERIFY(d.has_value());
        QCOMPARE(d->inode, 0u);
        QCOMPARE(d->ownerFd, -1);
        QTRY_COMPARE(stateOf(c.port, cport), TcpState::CloseWait);
        d = find(c.port, cport);
        QVERIFY(d.has_value());
        QCOMPARE(d->ownerFd, c.server.get());

        // Server sys::close(): LAST_ACK is over at once; the side that closed first is now
        // in TIME_WAIT, and the server's socket is gone.
        c.server.reset();
        QTRY_COMPARE(stateOf(cport, c.port), TcpState::TimeWait);
        d = find(cport, c.port);
        QVERIFY(d.has_value());
        QCOMPARE(d->inode, 0u);
        QCOMPARE(d->ownerFd, -1);
        QTRY_VERIFY(!find(c.port, cport).has_value());
    }

    void filterByPort() {
        Connection a = connection(), b = connection();
        QVERIFY(a.server && b.server);
        int err = -1;
        const auto list = SockDiag::tcpSockets({a.port}, &err);
        QCOMPARE(err, 0);
        // Listener, server side (local port a.port) and client side (peer port a.port),
        // each with its descriptor; nothing of connection b.
        const std::vector<int> ours = {a.listen.get(), a.server.get(), a.client.get()};
        for (int fd : ours) {
            const std::uint32_t ino = SockDiag::inodeOf(fd);
            const bool found = std::any_of(list.begin(), list.end(), [&](const DiagSocket &d) {
                return d.inode == ino && d.ownerFd == fd;
            });
            QVERIFY(found);
        }
        for (const DiagSocket &d : list) {
            QVERIFY(d.local.port() == a.port || d.peer.port() == a.port);
            QVERIFY(d.ownerFd != b.listen.get() && d.ownerFd != b.client.get() &&
                    d.ownerFd != b.server.get());
        }
    }

    // B2: the sampler takes many sockets' numbers from one filtered dump; they must be the
    // numbers a descriptor gives. A listener with a connection waiting, a connection with
    // unread bytes, one whose sender has unsent bytes (the receiver's window closed), and
    // a CLOSE_WAIT end holding bytes after the FIN (SIOCINQ does not count the FIN).
    void dumpEqualsDescriptors() {
        int port = 0;
        Fd l = listener(8, &port, 4096);
        QVERIFY(l);
        Fd c1 = client(port);
        Fd s1 = acceptOne(l.get());
        Fd c2 = client(port, true);
        Fd s2 = acceptOne(l.get());
        Fd c3 = client(port);
        Fd s3 = acceptOne(l.get());
        Fd waiting = client(port); // stays in the accept queue
        QVERIFY(c1 && s1 && c2 && s2 && c3 && s3 && waiting);
        QVERIFY(sys::send(c1.get(), "hello", 5).ok());
        const QByteArray big(1 << 20, 'x');
        sys::send(c2.get(), big.constData(), std::size_t(big.size())); // partial: non-blocking
        QVERIFY(sys::send(c3.get(), "bye", 3).ok());
        sys::close(c3.release());
        const std::vector<int> fds = {l.get(), c1.get(), s1.get(), c2.get(), s2.get(), s3.get()};
        QString why;
        // Bytes in flight settle within milliseconds; compare once they have.
        QTRY_VERIFY2_WITH_TIMEOUT((why = disagreement(fds, {port})).isEmpty(), qPrintable(why),
                                  5000);
        const SocketSample last = KernelProbe::sample(s3.get(), true);
        QCOMPARE(last.state, TcpState::CloseWait);
        QCOMPARE(last.recvQ, 3);
        QVERIFY(KernelProbe::sample(c2.get(), true).unsent > 0);
        std::vector<SocketSample> one(1);
        const std::uint32_t ino = SockDiag::inodeOf(c2.get());
        const int c2fd = c2.get();
        QCOMPARE(SockDiag::sampleTcp(&c2fd, &ino, 1, {port}, one.data()), 0);
        QVERIFY(!one[0].ok); // unsent bytes: probed by descriptor
        QCOMPARE(KernelProbe::sample(l.get(), true).acceptQ, 1);
    }

    // A socket whose ports the filter leaves out is not in the dump: left for the caller.
    void dumpLeavesOthers() {
        Connection a = connection(), b = connection();
        QVERIFY(a.server && b.server);
        const std::vector<int> fds = {a.client.get(), b.client.get()};
        std::vector<std::uint32_t> inodes = {SockDiag::inodeOf(fds[0]), SockDiag::inodeOf(fds[1])};
        std::vector<SocketSample> out(2);
        QCOMPARE(SockDiag::sampleTcp(fds.data(), inodes.data(), 2, {a.port}, out.data()), 0);
        QVERIFY(out[0].ok);
        QCOMPARE(out[0].state, TcpState::Established);
        QVERIFY(!out[1].ok);
    }

    void ipv6() {
        Fd l(int(sys::socket(AF_INET6, SOCK_STREAM).ret));
        const auto any = SockAddr::resolve(AF_INET6, QStringLiteral("::1"), 0);
        if (!sys::bind(l.get(), *any).ok())
            QSKIP("no IPv6 loopback");
        QVERIFY(sys::listen(l.get(), 1).ok());
        const int port = localPort(l.get());
        const auto d = find(port, 0, AF_INET6);
        QVERIFY(d.has_value());
        QCOMPARE(d->local.family(), int(AF_INET6));
        QCOMPARE(d->local.toString(), QStringLiteral("[::1]:%1").arg(port));
        QCOMPARE(d->ownerFd, l.get());
    }

    void inodes() {
        Fd s(int(sys::socket(AF_INET, SOCK_DGRAM).ret));
        const std::uint32_t ino = SockDiag::inodeOf(s.get());
        QVERIFY(ino != 0);
        QCOMPARE(SockDiag::socketInodes().value(ino, -1), s.get());
        int fds[2];
        QVERIFY(sys::pipe(fds).ok());
        Fd r(fds[0]), w(fds[1]);
        QCOMPARE(SockDiag::inodeOf(r.get()), 0u);
        QCOMPARE(SockDiag::inodeOf(-1), 0u);
    }
};

QTEST_GUILESS_MAIN(TestSockDiag)
#include "tst_sockdiag.moc"
