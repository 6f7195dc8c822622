// The socket wrappers against the real loopback: results, errno, CLOEXEC, no SIGPIPE.
#include "loopback.h"

#include <QTest>
#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <pthread.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

using namespace sl::sys;
namespace sys = sl::sys;
using namespace sl::test;

namespace {
std::atomic<int> g_signals{0};
void onSignal(int) {
    g_signals.fetch_add(1);
}

bool hasCloexec(int fd) {
    return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
}
} // namespace

class TestNet : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        // SIGPIPE at its default action (terminate): if a wrapper forgot MSG_NOSIGNAL,
        // the EPIPE test would kill the test run instead of passing.
        ::signal(SIGPIPE, SIG_DFL);
    }

    void resolve_data() {
        QTest::addColumn<int>("family");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("loopback");
        QTest::addColumn<bool>("any");
        QTest::newRow("v4 numeric") << int(AF_INET) << QStringLiteral("127.0.0.1")
                                    << QStringLiteral("127.0.0.1:5000") << true << false;
        QTest::newRow("v4 127/8") << int(AF_INET) << QStringLiteral("127.1.2.3")
                                  << QStringLiteral("127.1.2.3:5000") << true << false;
        QTest::newRow("v4 other") << int(AF_INET) << QStringLiteral("10.0.0.1")
                                  << QStringLiteral("10.0.0.1:5000") << false << false;
        QTest::newRow("v4 empty") << int(AF_INET) << QString() << QStringLiteral("0.0.0.0:5000")
                                  << false << true;
        QTest::newRow("v4 any") << int(AF_INET) << QStringLiteral("0.0.0.0")
                                << QStringLiteral("0.0.0.0:5000") << false << true;
        QTest::newRow("v4 localhost") << int(AF_INET) << QStringLiteral("localhost")
                                      << QStringLiteral("127.0.0.1:5000") << true << false;
        QTest::newRow("v6 loopback") << int(AF_INET6) << QStringLiteral("::1")
                                     << QStringLiteral("[::1]:5000") << true << false;
        QTest::newRow("v6 empty") << int(AF_INET6) << QString() << QStringLiteral("[::]:5000")
                                  << false << true;
        QTest::newRow("v6 mapped") << int(AF_INET6) << QStringLiteral("::ffff:127.0.0.1")
                                   << QStringLiteral("[::ffff:127.0.0.1]:5000") << true << false;
    }
    void resolve() {
        QFETCH(int, family);
        QFETCH(QString, host);
        QFETCH(QString, text);
        QFETCH(bool, loopback);
        QFETCH(bool, any);
        QString err;
        const auto a = SockAddr::resolve(family, host, 5000, &err);
        QVERIFY2(a.has_value(), qPrintable(err));
        QCOMPARE(a->family(), family);
        QCOMPARE(a->port(), 5000);
        QCOMPARE(a->toString(), text);
        QCOMPARE(a->isLoopback(), loopback);
        QCOMPARE(a->isAny(), any);
    }

    void resolveFailures() {
        QString err;
        QVERIFY(!SockAddr::resolve(AF_INET, QStringLiteral("127.0.0.1"), 70000, &err));
        QVERIFY(!err.isEmpty());
        err.clear();
        QVERIFY(!SockAddr::resolve(AF_UNIX, QStringLiteral("127.0.0.1"), 1, &err));
        QVERIFY(!err.isEmpty());
        QVERIFY(!SockAddr::resolve(AF_INET, QStringLiteral("127.0.0.1"), -1));
    }

    void cloexecEverywhere() {
        Fd s(int(sys::socket(AF_INET, SOCK_STREAM).ret));
        QVERIFY(s);
        QVERIFY(hasCloexec(s.get()));
        int fds[2];
        QVERIFY(sys::socketpair(AF_UNIX, SOCK_STREAM, fds).ok());
        Fd a(fds[0]), b(fds[1]);
        QVERIFY(hasCloexec(a.get()) && hasCloexec(b.get()));
        QVERIFY(sys::pipe(fds).ok());
        Fd r(fds[0]), w(fds[1]);
        QVERIFY(hasCloexec(r.get()) && hasCloexec(w.get()));
        Connection c = connection();
        QVERIFY(c.server);
        QVERIFY(hasCloexec(c.server.get()));
    }

    void roundtrip() {
        int port = 0;
        Fd l = listener(4, &port);
        QVERIFY(l);
        QVERIFY(port > 0);
        Fd c = client(port);
        SockAddr peer;
        const SysResult acc = sys::accept(l.get(), &peer);
        QVERIFY2(acc.ok(), errnoName(acc.err));
        Fd s(int(acc.ret));
        QCOMPARE(peer.port(), localPort(c.get()));
        QCOMPARE(peer.host(), QStringLiteral("127.0.0.1"));
        SockAddr p2;
        QVERIFY(sys::getpeername(c.get(), &p2).ok());
        QCOMPARE(p2.toString(), QStringLiteral("127.0.0.1:%1").arg(port));

        const QByteArray msg("hello, kernel");
        SysResult r = sys::send(c.get(), msg.constData(), std::size_t(msg.size()));
        QCOMPARE(r.ret, msg.size());
        char buf[64];
        r = sys::recv(s.get(), buf, sizeof buf);
        QCOMPARE(r.ret, msg.size());
        QCOMPARE(QByteArray(buf, int(r.ret)), msg);

        // Peer closes with FIN: recv gives 0, not an error.
        c.reset();
        r = sys::recv(s.get(), buf, sizeof buf);
        QVERIFY(r.ok());
        QCOMPARE(r.ret, 0);
    }

    void addressInUse() {
        int port = 0;
        Fd l = listener(1, &port);
        Fd other(int(sys::socket(AF_INET, SOCK_STREAM).ret));
        const SysResult r = sys::bind(other.get(), loopback(port));
        QCOMPARE(r.err, EADDRINUSE);
    }

    void connectRefusedBlocking() {
        // A bound socket that does not listen holds the port; a SYN to it gets RST.
        Fd holder(int(sys::socket(AF_INET, SOCK_STREAM).ret));
        QVERIFY(sys::bind(holder.get(), loopback(0)).ok());
        Fd c(int(sys::socket(AF_INET, SOCK_STREAM).ret));
        const SysResult r = sys::connect(c.get(), loopback(localPort(holder.get())));
        QCOMPARE(r.ret, -1);
        QCOMPARE(QString::fromLatin1(errnoName(r.err)), QStringLiteral("ECONNREFUSED"));
    }

    void connectRefusedNonBlocking() {
        Fd holder(int(sys::socket(AF_INET, SOCK_STREAM).ret));
        QVERIFY(sys::bind(holder.get(), loopback(0)).ok());
        Fd c(int(sys::socket(AF_INET, SOCK_STREAM).ret));
        QVERIFY(sys::setNonBlocking(c.get(), true).ok());
        QCOMPARE(sys::isNonBlocking(c.get()).ret, 1);
        const SysResult r = sys::connect(c.get(), loopback(localPort(holder.get())));
        QCOMPARE(r.err, EINPROGRESS);
        QVERIFY(waitFor(c.get(), POLLOUT));
        int pending = -1;
        QVERIFY(sys::getsockoptError(c.get(), &pending).ok());
        QCOMPARE(QString::fromLatin1(errnoName(pending)), QStringLiteral("ECONNREFUSED"));
        // Reading SO_ERROR cleared it.
        QVERIFY(sys::getsockoptError(c.get(), &pending).ok());
        QCOMPARE(pending, 0);
    }

    void sendToClosedPeer() {
        Connection c = connection();
        QVERIFY(c.server);
        c.server.reset(); // FIN to the client
        char buf[16];
        QCOMPARE(sys::recv(c.client.get(), buf, sizeof buf).ret, 0);
        // The first send succeeds (the data goes out, the peer answers RST) ...
        const SysResult first = sys::send(c.client.get(), "x", 1);
        QVERIFY2(first.ok(), errnoName(first.err));
        QCOMPARE(first.ret, 1);
        // ... and once the RST is in, send fails with EPIPE; no SIGPIPE kills us.
        SysResult next;
        QTRY_VERIFY((next = sys::send(c.client.get(), "y", 1)).err == EPIPE);
        QCOMPARE(next.ret, -1);
    }

    void wouldBlock() {
        int port = 0;
        Fd l = listener(1, &port);
        QVERIFY(sys::setNonBlocking(l.get(), true).ok());
        QCOMPARE(sys::accept(l.get(), nullptr).err, EAGAIN);
        Connection c = connection();
        QVERIFY(sys::setNonBlocking(c.server.get(), true).ok());
        char b;
        QCOMPARE(sys::recv(c.server.get(), &b, 1).err, EAGAIN);
        QVERIFY(sys::setNonBlocking(c.server.get(), false).ok());
        QCOMPARE(sys::isNonBlocking(c.server.get()).ret, 0);
    }

    void receiveTimeout() {
        Connection c = connection();
        QVERIFY(sys::setTimeout(c.server.get(), SO_RCVTIMEO, 0.05).ok());
        timeval tv{};
        socklen_t len = sizeof tv;
        QCOMPARE(::getsockopt(c.server.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, &len), 0);
        QCOMPARE(tv.tv_sec, 0);
        QVERIFY(tv.tv_usec > 0);
        char b;
        QCOMPARE(sys::recv(c.server.get(), &b, 1).err, EAGAIN);
        QCOMPARE(sys::setTimeout(c.server.get(), SO_RCVTIMEO, -1).err, EINVAL);
        QCOMPARE(sys::setTimeout(c.server.get(), SO_KEEPALIVE, 1).err, EINVAL);
    }

    void socketOptions() {
        Fd s(int(sys::socket(AF_INET, SOCK_DGRAM).ret));
        int type = 0, domain = 0;
        QVERIFY(sys::sockType(s.get(), &type, &domain).ok());
        QCOMPARE(type, int(SOCK_DGRAM));
        QCOMPARE(domain, int(AF_INET));
        QVERIFY(sys::setsockoptInt(s.get(), SOL_SOCKET, SO_REUSEADDR, 1).ok());
        int v = 0;
        QVERIFY(sys::getsockoptInt(s.get(), SOL_SOCKET, SO_REUSEADDR, &v).ok());
        QCOMPARE(v, 1);
        const linger lg{1, 0};
        QVERIFY(sys::setsockoptRaw(s.get(), SOL_SOCKET, SO_LINGER, &lg, sizeof lg).ok());
        int fds[2];
        QVERIFY(sys::pipe(fds).ok());
        Fd r(fds[0]), w(fds[1]);
        QCOMPARE(sys::sockType(r.get(), &type, &domain).err, ENOTSOCK);
        QCOMPARE(sys::getsockoptInt(-1, SOL_SOCKET, SO_TYPE, &v).err, EBADF);
    }

    void udp() {
        Fd a(int(sys::socket(AF_INET, SOCK_DGRAM).ret)),
            b(int(sys::socket(AF_INET, SOCK_DGRAM).ret));
        QVERIFY(sys::bind(b.get(), loopback(0)).ok());
        QVERIFY(sys::bind(a.get(), loopback(0)).ok());
        const SysResult s = sys::sendto(a.get(), "dgram", 5, loopback(localPort(b.get())));
        QCOMPARE(s.ret, 5);
        char buf[16];
        SockAddr from;
        const SysResult r = sys::recvfrom(b.get(), buf, sizeof buf, &from);
        QCOMPARE(r.ret, 5);
        QCOMPARE(from.port(), localPort(a.get()));
        QCOMPARE(from.toString(), QStringLiteral("127.0.0.1:%1").arg(localPort(a.get())));
    }

    void pipeReadWrite() {
        int fds[2];
        QVERIFY(sys::pipe(fds).ok());
        Fd r(fds[0]), w(fds[1]);
        QCOMPARE(sys::write(w.get(), "abc", 3).ret, 3);
        char buf[4];
        QCOMPARE(sys::read(r.get(), buf, sizeof buf).ret, 3);
        QCOMPARE(sys::close(w.release()).ret, 0);
        QCOMPARE(sys::read(r.get(), buf, sizeof buf).ret, 0);
        QCOMPARE(sys::close(-1).err, EBADF);
    }

    void unixAddresses() {
        // socketpair: unnamed on both sides.
        int fds[2];
        QVERIFY(sys::socketpair(AF_UNIX, SOCK_STREAM, fds).ok());
        Fd a(fds[0]), b(fds[1]);
        SockAddr p;
        QVERIFY(sys::getpeername(a.get(), &p).ok());
        QCOMPARE(p.family(), int(AF_UNIX));
        QCOMPARE(p.toString(), QStringLiteral("unix:(unnamed)"));
        QCOMPARE(p.port(), 0);
        QVERIFY(!p.isLoopback() && !p.isAny());

        // An abstract listener: shown with '@' like ss does; the accepted peer is unnamed.
        Fd l(int(sys::socket(AF_UNIX, SOCK_STREAM).ret));
        SockAddr addr;
        auto *sun = reinterpret_cast<sockaddr_un *>(&addr.ss);
        sun->sun_family = AF_UNIX;
        const QByteArray name = "socketlab-test-" + QByteArray::number(::getpid());
        std::memcpy(sun->sun_path + 1, name.constData(), std::size_t(name.size()));
        addr.len = socklen_t(offsetof(sockaddr_un, sun_path) + 1 + std::size_t(name.size()));
        QVERIFY(sys::bind(l.get(), addr).ok());
        QVERIFY(sys::listen(l.get(), 1).ok());
        Fd c(int(sys::socket(AF_UNIX, SOCK_STREAM).ret));
        QVERIFY(sys::connect(c.get(), addr).ok());
        SockAddr peer;
        Fd s(int(sys::accept(l.get(), &peer).ret));
        QVERIFY(s);
        QCOMPARE(peer.toString(), QStringLiteral("unix:(unnamed)"));
        QVERIFY(sys::getpeername(c.get(), &peer).ok());
        QCOMPARE(peer.toString(), QStringLiteral("unix:@") + QString::fromLatin1(name));
        QCOMPARE(SockAddr().toString(), QString());
    }

    void interruptedConnectCompletes() {
        // A blocking connect interrupted by a signal (no SA_RESTART) must not report
        // EINTR: the wrapper waits for the handshake and returns its outcome. The
        // accept queue of sys::listen(0) holds one connection, so the second connect stays
        // in SYN_SENT until the first is accepted and its SYN is retransmitted (1 s).
        struct sigaction sa {
        }, old{};
        sa.sa_handler = onSignal;
        sigemptyset(&sa.sa_mask);
        QCOMPARE(::sigaction(SIGUSR1, &sa, &old), 0);
        int port = 0;
        Fd l = listener(0, &port);
        int err = 0;
        Fd first = client(port, true, 0, &err);
        QCOMPARE(err, EINPROGRESS);
        Fd second(int(sys::socket(AF_INET, SOCK_STREAM).ret));
        std::atomic<bool> done{false};
        const pthread_t self = ::pthread_self();
        std::thread helper([&] {
            for (int i = 0; i < 3 && !done; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                ::pthread_kill(self, SIGUSR1);
            }
            Fd drained = acceptOne(l.get()); // frees the queue slot
            while (!done) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                if (!done)
                    ::pthread_kill(self, SIGUSR1);
            }
        });
        g_signals = 0;
        const SysResult r = sys::connect(second.get(), loopback(port));
        done = true;
        helper.join();
        ::sigaction(SIGUSR1, &old, nullptr);
        QVERIFY2(r.ok(), errnoName(r.err));
        QVERIFY(g_signals > 0);
    }

    void fdOwnership() {
        const int before = openFdCount();
        QVERIFY(before > 0);
        {
            Fd a(int(sys::socket(AF_INET, SOCK_STREAM).ret));
            QCOMPARE(openFdCount(), before + 1);
            Fd b(std::move(a));
            QVERIFY(!a.valid());
            QVERIFY(b.valid());
            Fd c(int(sys::socket(AF_INET, SOCK_STREAM).ret));
            QCOMPARE(openFdCount(), before + 2);
            c = std::move(b); // closes c's old descriptor
            QCOMPARE(openFdCount(), before + 1);
            c.reset(int(sys::socket(AF_INET, SOCK_STREAM).ret));
            QCOMPARE(openFdCount(), before + 1);
            const int raw = c.release();
            QVERIFY(!c);
            QCOMPARE(openFdCount(), before + 1);
            ::close(raw);
        }
        QCOMPARE(openFdCount(), before);
    }
};

QTEST_GUILESS_MAIN(TestNet)
#include "tst_net.moc"
