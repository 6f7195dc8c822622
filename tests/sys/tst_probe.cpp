// KERNEL-FACTS.md, asserted through KernelProbe: buffer doubling, the 12,288-byte
// partial-send table, the accept queue of sys::listen(2), states and readiness.
#include "loopback.h"
#include "sys/kernelprobe.h"
#include "sys/uringprobe.h"

#include <QDir>
#include <QTest>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace sl::sys;
namespace sys = sl::sys;
using namespace sl::test;

namespace {

SocketSample probe(const Fd &fd, bool tcp = true) {
    return KernelProbe::sample(fd.get(), tcp);
}

// Sends from a non-blocking fd until EAGAIN; returns the bytes accepted.
std::int64_t sendUntilEagain(int fd, std::int64_t *firstSend = nullptr) {
    static const QByteArray mib(1 << 20, 'x');
    std::int64_t total = 0;
    for (;;) {
        const SysResult r = sys::send(fd, mib.constData(), std::size_t(mib.size()));
        if (!r.ok())
            return r.err == EAGAIN ? total : -r.err;
        if (firstSend && total == 0)
            *firstSend = r.ret;
        total += r.ret;
    }
}

// Socket commands through io_uring (SIOCINQ, SIOCOUTQ, SOL_SOCKET getsockopt) are Linux
// 6.7+; on such a kernel the ring must be used, not silently skipped.
bool kernelHasSocketRingCommands() {
    utsname u{};
    int major = 0, minor = 0;
    return ::uname(&u) == 0 && std::sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
           (major > 6 || (major == 6 && minor >= 7));
}

QString bits(std::uint8_t r) {
    QStringList s;
    if (r & Readable)
        s << QStringLiteral("R");
    if (r & Writable)
        s << QStringLiteral("W");
    if (r & Error)
        s << QStringLiteral("Err");
    if (r & HangUp)
        s << QStringLiteral("HUP");
    if (r & PeerClosed)
        s << QStringLiteral("RDHUP");
    return s.isEmpty() ? QStringLiteral("-") : s.join(QLatin1Char(' '));
}

} // namespace

class TestProbe : public QObject {
    Q_OBJECT
private slots:
    // sampleMany's io_uring batch from the first TCP socket, so that every test of
    // sampleMany below goes through it (the lab's sampler uses it from 32).
    void initTestCase() { KernelProbe::setBatchFrom(1); }

    void stateNames_data() {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("name");
        const char *names[] = {"n/a",       "ESTABLISHED", "SYN_SENT",    "SYN_RECV",   "FIN_WAIT1",
                               "FIN_WAIT2", "TIME_WAIT",   "CLOSE",       "CLOSE_WAIT", "LAST_ACK",
                               "LISTEN",    "CLOSING",     "NEW_SYN_RECV"};
        for (int i = 0; i < 13; ++i)
            QTest::newRow(names[i]) << i << QString::fromLatin1(names[i]);
        QTest::newRow("out of range") << 200 << QStringLiteral("n/a");
    }
    void stateNames() {
        QFETCH(int, state);
        QFETCH(QString, name);
        const char *n = tcpStateName(TcpState(state));
        QCOMPARE(QString::fromLatin1(n), name);
        if (state > 0 && state < 13)
            QCOMPARE(int(tcpStateFromName(n)), state);
        QCOMPARE(tcpStateFromName("BOGUS"), TcpState::Unknown);
        QCOMPARE(tcpStateFromName(nullptr), TcpState::Unknown);
    }

    void bufferSizesAreDoubled() {
        Fd s(int(sys::socket(AF_INET, SOCK_STREAM).ret));
        QVERIFY(sys::setsockoptInt(s.get(), SOL_SOCKET, SO_SNDBUF, 4096).ok());
        QVERIFY(sys::setsockoptInt(s.get(), SOL_SOCKET, SO_RCVBUF, 4096).ok());
        const SocketSample p = probe(s);
        QVERIFY(p.ok);
        QCOMPARE(p.sndbuf, 8192);
        QCOMPARE(p.rcvbuf, 8192);
        QCOMPARE(p.state, TcpState::Close);
        QVERIFY(!p.listener);
    }

    void buffersMatchSocketOptions() {
        // The probe reads both sizes with one SO_MEMINFO: they must be exactly what
        // SO_SNDBUF / SO_RCVBUF report, for every kind of socket.
        Connection c = connection();
        Fd udp(int(sys::socket(AF_INET, SOCK_DGRAM).ret));
        int fds[2];
        QVERIFY(sys::socketpair(AF_UNIX, SOCK_STREAM, fds).ok());
        Fd u0(fds[0]), u1(fds[1]);
        QVERIFY(sys::setsockoptInt(u1.get(), SOL_SOCKET, SO_SNDBUF, 10000).ok());
        const struct {
            int fd;
            bool tcp;
        } rows[] = {{c.listen.get(), true}, {c.client.get(), true}, {c.server.get(), true},
                    {udp.get(), false},     {u0.get(), false},      {u1.get(), false}};
        for (const auto &r : rows) {
            int snd = 0, rcv = 0;
            QVERIFY(sys::getsockoptInt(r.fd, SOL_SOCKET, SO_SNDBUF, &snd).ok());
            QVERIFY(sys::getsockoptInt(r.fd, SOL_SOCKET, SO_RCVBUF, &rcv).ok());
            const SocketSample s = KernelProbe::sample(r.fd, r.tcp);
            QCOMPARE(s.sndbuf, snd);
            QCOMPARE(s.rcvbuf, rcv);
        }
        QCOMPARE(KernelProbe::sample(u1.get(), false).sndbuf, 20000);
    }

    void partialSendsWithPinnedBuffers() {
        // SO_RCVBUF 4096 on the listener before sys::listen(), SO_SNDBUF 4096 on the client
        // before sys::connect(): 6144 first, 12,288 in all (the last 2048 ~100 ms late).
        Connection c = connection(4096, 4096);
        QVERIFY(c.server);
        QVERIFY(sys::setNonBlocking(c.client.get(), true).ok());
        std::int64_t first = 0;
        std::int64_t total = sendUntilEagain(c.client.get(), &first);
        QVERIFY(total > 0);
        QCOMPARE(first, 6144);
        QVERIFY(total <= 12288);
        // A full sender is neither readable nor writable.
        QCOMPARE(bits(KernelProbe::readiness(c.client.get())), QStringLiteral("-"));
        QTRY_COMPARE_WITH_TIMEOUT(total += sendUntilEagain(c.client.get()), 12288, 3000);
        // Everything accepted sits either in the sender's queue or the receiver's.
        SocketSample snd = probe(c.client), rcv = probe(c.server);
        QCOMPARE(snd.state, TcpState::Established);
        QVERIFY(snd.sendQ >= 0 && rcv.recvQ >= 0);
        QCOMPARE(snd.sendQ + rcv.recvQ, 12288);
        QVERIFY(snd.unsent <= snd.sendQ);
        // unsent comes from tcpi_notsent_bytes: it must equal what SIOCOUTQNSD says.
        int nsd = -1;
        QCOMPARE(::ioctl(c.client.get(), SIOCOUTQNSD, &nsd), 0);
        QCOMPARE(snd.unsent, nsd);
        int outq = -1;
        QCOMPARE(::ioctl(c.client.get(), SIOCOUTQ, &outq), 0);
        QCOMPARE(snd.sendQ, outq);
        // The receiver advertises a zero window, which the sender reads as tcpi_snd_wnd.
        QTRY_COMPARE(probe(c.client).peerWnd, 0);
        QVERIFY(probe(c.server).peerWnd > 0); // the client's own window is wide open
        QVERIFY(rcv.rcvMem > rcv.recvQ);      // memory charged is more than the data
    }

    void acceptQueueOfListen2() {
        int port = 0;
        Fd l = listener(2, &port);
        QVERIFY(l);
        SocketSample p = probe(l);
        QCOMPARE(p.state, TcpState::Listen);
        QVERIFY(p.listener);
        QCOMPARE(p.acceptQ, 0);
        QCOMPARE(p.backlog, 2);
        // The queue ioctls fail with EINVAL on a listener: reported as n/a.
        QCOMPARE(p.recvQ, -1);
        QCOMPARE(p.sendQ, -1);
        QCOMPARE(p.unsent, -1);

        std::vector<Fd> clients;
        for (int i = 0; i < 3; ++i) {
            int err = 0;
            clients.push_back(client(port, true, 0, &err));
            QCOMPARE(err, EINPROGRESS);
        }
        QTRY_COMPARE(probe(l).acceptQ, 3); // backlog + 1
        QCOMPARE(probe(l).backlog, 2);
        for (const Fd &c : clients)
            QTRY_COMPARE(probe(c).state, TcpState::Established);

        // The 4th SYN is dropped: the client stays in SYN_SENT.
        int err = 0;
        Fd fourth = client(port, true, 0, &err);
        QCOMPARE(err, EINPROGRESS);
        for (int i = 0; i < 20; ++i)
            QCOMPARE(probe(fourth).state, TcpState::SynSent);
        QCOMPARE(probe(l).acceptQ, 3);
    }

    void closeWaitAfterPeerClose() {
        Connection c = connection();
        QVERIFY(c.server);
        QCOMPARE(probe(c.server).state, TcpState::Established);
        c.client.reset();
        QTRY_COMPARE(probe(c.server).state, TcpState::CloseWait);
    }

    void ownShutdownIsFinWait2() {
        Connection c = connection();
        QVERIFY(sys::shutdown(c.client.get(), SHUT_WR).ok());
        QTRY_COMPARE(probe(c.client).state, TcpState::FinWait2);
        QTRY_COMPARE(probe(c.server).state, TcpState::CloseWait);
    }

    void readiness_data() {
        QTest::addColumn<QString>("situation");
        QTest::addColumn<QString>("expected");
        QTest::newRow("listener, nothing pending")
            << QStringLiteral("idle-listener") << QStringLiteral("-");
        QTest::newRow("listener, 1 pending") << QStringLiteral("pending") << QStringLiteral("R");
        QTest::newRow("fresh connected") << QStringLiteral("fresh") << QStringLiteral("W");
        QTest::newRow("unread data") << QStringLiteral("data") << QStringLiteral("R W");
        QTest::newRow("full send buffer") << QStringLiteral("full") << QStringLiteral("-");
        QTest::newRow("peer closed")
            << QStringLiteral("peer-closed") << QStringLiteral("R W RDHUP");
        QTest::newRow("own SHUT_WR") << QStringLiteral("shut-wr") << QStringLiteral("W");
        QTest::newRow("own SHUT_WR + peer closed")
            << QStringLiteral("shut-wr-peer-closed") << QStringLiteral("R W HUP RDHUP");
        QTest::newRow("unconnected socket()")
            << QStringLiteral("unconnected") << QStringLiteral("W HUP");
    }
    void readiness() {
        QFETCH(QString, situation);
        QFETCH(QString, expected);
        const bool small = situation == QLatin1String("full");
        Connection c = connection(small ? 4096 : 0, small ? 4096 : 0);
        QVERIFY(c.server);
        int observed = -1;
        if (situation == QLatin1String("idle-listener")) {
            observed = c.listen.get();
        } else if (situation == QLatin1String("pending")) {
            Fd extra = client(c.port);
            QTRY_COMPARE(probe(c.listen).acceptQ, 1);
            QCOMPARE(bits(KernelProbe::readiness(c.listen.get())), expected);
            return;
        } else if (situation == QLatin1String("fresh")) {
            observed = c.client.get();
        } else if (situation == QLatin1String("data")) {
            QCOMPARE(sys::send(c.client.get(), "abc", 3).ret, 3);
            QTRY_COMPARE(probe(c.server).recvQ, 3);
            observed = c.server.get();
        } else if (situation == QLatin1String("full")) {
            QVERIFY(sys::setNonBlocking(c.client.get(), true).ok());
            QVERIFY(sendUntilEagain(c.client.get()) > 0);
            observed = c.client.get();
        } else if (situation == QLatin1String("peer-closed")) {
            c.server.reset();
            observed = c.client.get();
        } else if (situation == QLatin1String("shut-wr")) {
            QVERIFY(sys::shutdown(c.client.get(), SHUT_WR).ok());
            observed = c.client.get();
        } else if (situation == QLatin1String("shut-wr-peer-closed")) {
            QVERIFY(sys::shutdown(c.client.get(), SHUT_WR).ok());
            c.server.reset();
            observed = c.client.get();
        } else if (situation == QLatin1String("unconnected")) {
            Fd s(int(sys::socket(AF_INET, SOCK_STREAM).ret));
            QCOMPARE(bits(KernelProbe::readiness(s.get())), expected);
            QCOMPARE(bits(KernelProbe::sample(s.get(), true).readiness), expected);
            return;
        }
        QTRY_COMPARE(bits(KernelProbe::readiness(observed)), expected);
        QCOMPARE(bits(KernelProbe::sample(observed, true).readiness), expected);
    }

    void probingKeepsPendingError() {
        // The probe must not read SO_ERROR: the program's own getsockopt must still
        // see ECONNREFUSED after any number of samples.
        Fd holder(int(sys::socket(AF_INET, SOCK_STREAM).ret));
        QVERIFY(sys::bind(holder.get(), loopback(0)).ok());
        int err = 0;
        Fd c = client(localPort(holder.get()), true, 0, &err);
        QCOMPARE(err, EINPROGRESS);
        QTRY_VERIFY(KernelProbe::readiness(c.get()) & Error);
        const int fd = c.get();
        const bool tcp = true;
        for (int i = 0; i < 200; ++i) {
            SocketSample s = KernelProbe::sample(fd, true);
            QVERIFY(s.ok);
            QVERIFY(s.readiness & Error);
            KernelProbe::sampleMany(&fd, &tcp, &s, 1);
            QVERIFY(s.readiness & Error);
        }
        int pending = 0;
        QVERIFY(sys::getsockoptError(c.get(), &pending).ok());
        QCOMPARE(QString::fromLatin1(errnoName(pending)), QStringLiteral("ECONNREFUSED"));
    }

    void probingKeepsData() {
        Connection c = connection();
        const QByteArray data(1000, 'd');
        QCOMPARE(sys::send(c.client.get(), data.constData(), 1000).ret, 1000);
        QTRY_COMPARE(probe(c.server).recvQ, 1000);
        for (int i = 0; i < 200; ++i)
            QCOMPARE(probe(c.server).recvQ, 1000);
        QByteArray got(2000, '\0');
        QCOMPARE(sys::recv(c.server.get(), got.data(), 2000).ret, 1000);
        QCOMPARE(probe(c.server).recvQ, 0);
        QCOMPARE(sys::isNonBlocking(c.server.get()).ret, 0); // flags untouched
    }

    void notASocket() {
        int fds[2];
        QVERIFY(sys::pipe(fds).ok());
        Fd r(fds[0]), w(fds[1]);
        QVERIFY(!KernelProbe::sample(r.get(), true).ok);
        QCOMPARE(KernelProbe::sample(r.get(), true), SocketSample{});
        const int closed = r.release();
        ::close(closed);
        QVERIFY(!KernelProbe::sample(closed, true).ok);
        QCOMPARE(KernelProbe::readiness(closed), std::uint8_t(0));
    }

    void udpQueues() {
        Fd a(int(sys::socket(AF_INET, SOCK_DGRAM).ret)),
            b(int(sys::socket(AF_INET, SOCK_DGRAM).ret));
        QVERIFY(sys::bind(b.get(), loopback(0)).ok());
        QCOMPARE(sys::sendto(a.get(), "0123456789", 10, loopback(localPort(b.get()))).ret, 10);
        QTRY_COMPARE(KernelProbe::sample(b.get(), false).recvQ, 10);
        const SocketSample s = KernelProbe::sample(b.get(), false);
        QCOMPARE(s.state, TcpState::Unknown);
        QCOMPARE(s.unsent, -1);
        // SO_MEMINFO: the datagram's memory (more than its 10 bytes), nothing dropped; no
        // TCP window on a datagram socket.
        QVERIFY(s.rcvMem > 10);
        QVERIFY(s.rcvMem <= s.rcvbuf);
        QCOMPARE(s.drops, 0);
        QCOMPARE(s.peerWnd, -1);
        QCOMPARE(bits(s.readiness), QStringLiteral("R W"));
    }

    void sampleManyMatchesSample() {
        Connection c1 = connection(), c2 = connection();
        QCOMPARE(sys::send(c1.client.get(), "abc", 3).ret, 3);
        QTRY_COMPARE(probe(c1.server).recvQ, 3);
        Fd udp(int(sys::socket(AF_INET, SOCK_DGRAM).ret));
        const std::vector<int> fds = {c1.listen.get(),
                                      c1.client.get(),
                                      c1.server.get(),
                                      c2.client.get(),
                                      c2.server.get(),
                                      udp.get(),
                                      -1};
        const bool tcp[] = {true, true, true, true, true, false, true};
        std::vector<SocketSample> many(fds.size());
        KernelProbe::sampleMany(fds.data(), tcp, many.data(), int(fds.size()));
        for (std::size_t i = 0; i < fds.size(); ++i)
            QCOMPARE(many[i], KernelProbe::sample(fds[i], tcp[i]));
        QVERIFY(many[0].listener);
        QCOMPARE(many[2].recvQ, 3);
        QVERIFY(!many[6].ok);
    }

    // The ring's reads are the descriptor's: SIOCINQ, SIOCOUTQ and SO_MEMINFO of each
    // socket equal the ioctl and getsockopt answers; a closed number fails alone (EBADF).
    void ringReadsEqualTheCalls() {
        if (!kernelHasSocketRingCommands())
            QSKIP("io_uring socket commands need Linux 6.7 or later");
        QVERIFY(UringProbe::usable());
        Connection c = connection();
        QCOMPARE(sys::send(c.client.get(), "hello", 5).ret, 5);
        QTRY_COMPARE(probe(c.server).recvQ, 5);
        const int fds[] = {c.client.get(), c.server.get(), -1};
        UringReads r[3];
        QVERIFY(UringProbe::read(fds, 3, r));
        for (int i = 0; i < 2; ++i) {
            int inq = -1, outq = -1;
            QCOMPARE(::ioctl(fds[i], SIOCINQ, &inq), 0);
            QCOMPARE(::ioctl(fds[i], SIOCOUTQ, &outq), 0);
            QCOMPARE(r[i].inq, inq);
            QCOMPARE(r[i].outq, outq);
            std::uint32_t mem[16] = {};
            socklen_t len = sizeof mem;
            QCOMPARE(::getsockopt(fds[i], SOL_SOCKET, SO_MEMINFO, mem, &len), 0);
            QCOMPARE(r[i].memLen, int(len));
            QVERIFY(std::memcmp(r[i].mem, mem, len) == 0);
        }
        QCOMPARE(r[1].inq, 5);
        QCOMPARE(r[2].memLen, -EBADF);
        QCOMPARE(r[2].inq, -EBADF);
    }

    // A kept ring (the SocketTable's) reads the kernel's numbers now, not the ones of its
    // first read; it is one descriptor, gone after close(), and set up again after it.
    void keptRingReadsFreshAndCloses() {
        if (!kernelHasSocketRingCommands())
            QSKIP("io_uring socket commands need Linux 6.7 or later");
        const auto openFds = [] {
            return QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot).size();
        };
        Connection c = connection();
        const int fds[] = {c.client.get(), c.server.get()};
        const auto before = openFds();
        UringProbe kept;
        QVERIFY(!kept.hasRing());
        UringReads r[2];
        QVERIFY(kept.readKept(fds, 2, r));
        QVERIFY(kept.hasRing());
        QCOMPARE(openFds(), before + 1);
        QCOMPARE(r[1].inq, 0);
        QCOMPARE(sys::send(c.client.get(), "hello", 5).ret, 5);
        QTRY_COMPARE(probe(c.server).recvQ, 5);
        QVERIFY(kept.readKept(fds, 2, r));
        QCOMPARE(r[1].inq, 5);
        QCOMPARE(openFds(), before + 1); // the same ring, not a second one
        UringReads once[2];
        QVERIFY(UringProbe::read(fds, 2, once));
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(r[i].inq, once[i].inq);
            QCOMPARE(r[i].outq, once[i].outq);
            QCOMPARE(r[i].memLen, once[i].memLen);
        }
        kept.close();
        QVERIFY(!kept.hasRing());
        QCOMPARE(openFds(), before);
        char buf[5];
        QCOMPARE(sys::recv(c.server.get(), buf, 5).ret, 5);
        QVERIFY(kept.readKept(fds, 2, r));
        QCOMPARE(r[1].inq, 0);
        QCOMPARE(openFds(), before + 1);
    }

    // A forked child never submits to its parent's kept ring (the queues are memory the
    // two share): its reads go through a ring of its own and are still right, and the
    // parent's ring works after the child is gone.
    void keptRingInAForkedChild() {
        if (!kernelHasSocketRingCommands())
            QSKIP("io_uring socket commands need Linux 6.7 or later");
        Connection c = connection();
        QCOMPARE(sys::send(c.client.get(), "abc", 3).ret, 3);
        QTRY_COMPARE(probe(c.server).recvQ, 3);
        const int fds[] = {c.server.get()};
        UringProbe kept;
        UringReads r[1];
        QVERIFY(kept.readKept(fds, 1, r));
        const pid_t pid = ::fork();
        QVERIFY(pid >= 0);
        if (pid == 0) {
            UringReads child[1];
            bool ok = true;
            for (int i = 0; i < 200 && ok; ++i)
                ok = kept.readKept(fds, 1, child) && child[0].inq == 3;
            ::_exit(ok ? 0 : 1);
        }
        bool ok = true;
        for (int i = 0; i < 200 && ok; ++i)
            ok = kept.readKept(fds, 1, r) && r[0].inq == 3;
        int status = 0;
        QCOMPARE(::waitpid(pid, &status, 0), pid);
        QVERIFY(ok);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
        QVERIFY(kept.readKept(fds, 1, r));
        QCOMPARE(r[0].inq, 3);
    }

    // sampleMany with the ring and without it give equal samples in the states a lesson
    // shows: a listener with a connection waiting, data both ways, FIN received
    // (CLOSE_WAIT: SIOCINQ leaves the FIN out), a sender whose peer's window is closed
    // (unsent bytes), a UDP socket, a pipe passed as TCP, a closed number.
    void sampleManyWithAndWithoutTheRing() {
        Connection busy = connection(4096, 4096), fin = connection(), waiting = connection();
        QVERIFY(busy.server && fin.server && waiting.server);
        QVERIFY(sys::setNonBlocking(busy.client.get(), true).ok());
        QVERIFY(sendUntilEagain(busy.client.get()) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            (sendUntilEagain(busy.client.get()), probe(busy.client).peerWnd == 0), 3000);
        QTRY_VERIFY(probe(busy.client).unsent > 0);
        QCOMPARE(sys::send(busy.server.get(), "back", 4).ret, 4);
        QTRY_COMPARE(probe(busy.client).recvQ, 4);
        QCOMPARE(sys::send(fin.client.get(), "bye", 3).ret, 3);
        fin.client.reset();
        QTRY_COMPARE(probe(fin.server).state, TcpState::CloseWait);
        Fd extra(int(sys::socket(AF_INET, SOCK_STREAM).ret));
        QVERIFY(sys::connect(extra.get(), loopback(waiting.port)).ok());
        QTRY_COMPARE(probe(waiting.listen).acceptQ, 1);
        Fd udp(int(sys::socket(AF_INET, SOCK_DGRAM).ret));
        int pipeFds[2] = {-1, -1};
        QCOMPARE(::pipe(pipeFds), 0);
        const std::vector<int> fds = {waiting.listen.get(),
                                      busy.client.get(),
                                      busy.server.get(),
                                      fin.server.get(),
                                      udp.get(),
                                      pipeFds[0],
                                      -1,
                                      extra.get()};
        const bool tcp[] = {true, true, true, true, false, true, true, true};
        std::vector<SocketSample> ring(fds.size()), plain(fds.size()), kept(fds.size());
        KernelProbe::sampleMany(fds.data(), tcp, ring.data(), int(fds.size()));
        UringProbe keptRing;
        KernelProbe::sampleMany(fds.data(), tcp, kept.data(), int(fds.size()), &keptRing);
        UringProbe::setEnabled(false);
        KernelProbe::sampleMany(fds.data(), tcp, plain.data(), int(fds.size()));
        UringProbe::setEnabled(true);
        for (std::size_t i = 0; i < fds.size(); ++i) {
            QCOMPARE(ring[i], plain[i]);
            QCOMPARE(kept[i], plain[i]);
            QCOMPARE(ring[i], KernelProbe::sample(fds[i], tcp[i]));
        }
        QVERIFY(ring[0].listener);
        QCOMPARE(ring[0].acceptQ, 1);
        QVERIFY(ring[1].unsent > 0);
        QCOMPARE(ring[1].recvQ, 4);
        QCOMPARE(ring[3].state, TcpState::CloseWait);
        QCOMPARE(ring[3].recvQ, 3);
        QVERIFY(!ring[5].ok && !ring[6].ok);
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
    }
};

QTEST_GUILESS_MAIN(TestProbe)
#include "tst_probe.moc"
