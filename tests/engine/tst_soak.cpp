// Soak: the lab survives many resets with actors blocked in every blocking call
// (descriptors and threads come back to where they were), and hostile loopback peers
// (random bytes, RST, half-close) against a select() server written in .lab: the lab
// stays responsive (steps keep completing) and nothing crashes.
//
// SOCKETLAB_SOAK_CYCLES overrides the number of reset cycles (default 1000).
#include "labtest.h"

#include "sys/fd.h"
#include "sys/net.h"

#include <QDir>
#include <QElapsedTimer>
#include <QMap>
#include <QTest>

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <memory>
#include <netinet/in.h>
#include <random>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace labtest;

namespace {

int threadCount() {
    return int(QDir(QStringLiteral("/proc/self/task"))
                   .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                   .size());
}

// One step sets everything up (a block is one step); then one actor per blocking
// call, each blocked in it: accept (empty queue), recv (nothing sent), sendall into
// a full buffer (the peer never reads), connect to a full backlog (SYN_SENT), select
// on a socket that never becomes readable, read on an empty pipe, write into a full
// pipe (a pipe holds 64 KiB), recvfrom on a UDP socket, sleep.
const char *const Blocked = R"(setup: if True:
    srv = socket(AF_INET, SOCK_STREAM)
    srv.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    c1 = socket(AF_INET, SOCK_STREAM)
    c1.connect(srv.getsockname())
    a1, p1 = srv.accept()
    c2 = socket(AF_INET, SOCK_STREAM)
    c2.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096)
    c2.connect(srv.getsockname())
    a2, p2 = srv.accept()
    full = socket(AF_INET, SOCK_STREAM)
    full.bind(("127.0.0.1", 0))
    full.listen(1)
    k1 = socket(AF_INET, SOCK_STREAM)
    k1.connect(full.getsockname())
    k2 = socket(AF_INET, SOCK_STREAM)
    k2.connect(full.getsockname())
    k3 = socket(AF_INET, SOCK_STREAM)
    pr, pw = pipe()
    qr, qw = pipe()
    qw.write(b"x" * 65536)
    u = socket(AF_INET, SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
acc: c, p = srv.accept()
rcv: d = a1.recv(100)
snd: c2.sendall(b"x" * 1_000_000)
con: k3.connect(full.getsockname())
sel: r, w, x = select([c1], [], [])
prd: d = pr.read(10)
pwr: qw.write(b"y" * 10)
udp: d, a = u.recvfrom(100)
slp: sleep(60)
)";

// The same calls one at a time, each with only the setup it needs: most cycles use
// one of these (a lighter cycle), every tenth the whole set at once.
const char *const Single[] = {
    "a: if True:\n    srv = socket(AF_INET, SOCK_STREAM)\n    srv.bind((\"127.0.0.1\", 0))\n"
    "    srv.listen(1)\na: c, p = srv.accept()\n",
    "a: if True:\n    x, y = socketpair()\na: d = x.recv(100)\n",
    "a: if True:\n    x, y = socketpair()\n    x.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096)\n"
    "a: x.sendall(b\"x\" * 1_000_000)\n",
    "a: if True:\n    full = socket(AF_INET, SOCK_STREAM)\n    full.bind((\"127.0.0.1\", 0))\n"
    "    full.listen(0)\n    k1 = socket(AF_INET, SOCK_STREAM)\n    "
    "k1.connect(full.getsockname())\n"
    "    k3 = socket(AF_INET, SOCK_STREAM)\n"
    "b: k3.connect(full.getsockname())\n",
    "a: if True:\n    x, y = socketpair()\na: r, w, e = select([x], [], [])\n",
    "a: if True:\n    pr, pw = pipe()\na: d = pr.read(10)\n",
    "a: if True:\n    qr, qw = pipe()\n    qw.write(b\"x\" * 65536)\na: qw.write(b\"y\")\n",
    "a: if True:\n    u = socket(AF_INET, SOCK_DGRAM)\n    u.bind((\"127.0.0.1\", 0))\n"
    "a: d, f = u.recvfrom(100)\n",
    "a: sleep(60)\n",
};
constexpr int SingleCount = int(sizeof Single / sizeof Single[0]);

} // namespace

class TestSoak : public QObject {
    Q_OBJECT
private slots:
    void resetCyclesWithEveryCallBlocked();
    void hostilePeersAgainstSelectServer();
};

void TestSoak::resetCyclesWithEveryCallBlocked() {
    const int cycles = qEnvironmentVariableIsSet("SOCKETLAB_SOAK_CYCLES")
                           ? qEnvironmentVariableIntValue("SOCKETLAB_SOAK_CYCLES")
                           : 1000;
    // One lab per script, each reset and run again in turn: cycle i uses lab i % 10
    // (nine labs with one blocking call each, one with all nine at once).
    std::vector<std::unique_ptr<Lab>> labs;
    for (int k = 0; k <= SingleCount; ++k) {
        auto lab = std::make_unique<Lab>();
        LabOptions o = lab->options();
        o.graceMs = 1; // Blocked is read from the kernel: look after 1 ms
        lab->setOptions(o);
        QString why;
        QVERIFY2(load(*lab, src(k < SingleCount ? Single[k] : Blocked), &why),
                 qPrintable(QStringLiteral("script %1: ").arg(k) + why));
        labs.push_back(std::move(lab));
    }
    const int threadsBefore = threadCount(); // the samplers
    const int fdsBefore = sl::sys::openFdCount();
    QElapsedTimer clock;
    clock.start();
    int blockedCalls = 0;
    for (int cycle = 0; cycle < cycles; ++cycle) {
        Lab &lab = *labs[std::size_t(cycle % int(labs.size()))];
        const std::size_t steps = lab.program()->steps.size();
        const auto reports = runAll(lab);
        QVERIFY2(reports.size() == steps,
                 qPrintable(QStringLiteral("cycle %1: %2 of %3 steps reported")
                                .arg(cycle)
                                .arg(reports.size())
                                .arg(steps)));
        int blocked = 0;
        for (const StepReport &r : reports) {
            QVERIFY2(r.status != StepStatus::Done || r.outcome.ok,
                     qPrintable(QStringLiteral("cycle %1\n").arg(cycle) +
                                QString::fromUtf8(describe(reports))));
            blocked += r.status == StepStatus::Blocked;
        }
        // Every step but the setup is blocked.
        const int setup = lab.program()->steps.front()->kind == sl::script::StmtKind::If;
        QVERIFY2(blocked == int(steps) - setup, qPrintable(QStringLiteral("cycle %1\n").arg(cycle) +
                                                           QString::fromUtf8(describe(reports))));
        blockedCalls += blocked;
        lab.reset();
        QCOMPARE(lab.position(), 0);
    }
    const qint64 ms = clock.elapsed();
    qInfo("%d reset cycles, %d blocked calls woken: %lld ms (%.1f ms per cycle)", cycles,
          blockedCalls, ms, double(ms) / std::max(cycles, 1));
    QCOMPARE(sl::sys::openFdCount(), fdsBefore);
    QTRY_COMPARE_WITH_TIMEOUT(threadCount(), threadsBefore, 2000);
    labs.clear();
}

namespace {

// The server: one `while True` select() loop over the listener and its connections.
// A peer's RST makes recv() raise ECONNRESET, which ends the step (the language has
// no try): the next copy of the loop, queued behind it, carries on with the others.
const char *const ServerSetup = R"(srv: l = socket(AF_INET, SOCK_STREAM)
srv: l.bind(("127.0.0.1", 0))
srv: l.listen(128)
srv: conns = []
srv: served = 0
srv: got = 0
)";

const char *const ServerLoop = R"(srv: while True:
    r, w, x = select([l] + conns, [], [], 0.2)
    for s in r:
        if s == l:
            c, a = l.accept()
            conns = conns + [c]
        else:
            keep = []
            for k in conns:
                if k != s:
                    keep = keep + [k]
            conns = keep
            data = s.recv(4096)
            if data:
                got += len(data)
                conns = conns + [s]
            else:
                s.close()
                served += 1
)";

// One hostile peer: random bytes, then a FIN, an RST (SO_LINGER 0) or a half-close.
void hostile(quint16 port, int kind, std::mt19937 &rng) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0) {
        char buf[4096];
        const int n = int(rng() % sizeof buf);
        for (int i = 0; i < n; ++i)
            buf[i] = char(rng());
        if (kind != 3) // kind 3: RST at once, before any byte
            (void)::send(fd, buf, std::size_t(n), MSG_NOSIGNAL);
        if (kind == 1 || kind == 3) {
            const linger l{1, 0};
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        } else if (kind == 2) {
            ::shutdown(fd, SHUT_WR);
            while (::recv(fd, buf, sizeof buf, 0) > 0) { // until the server closes (≤ 1 s)
            }
        }
    }
    ::close(fd);
}

} // namespace

void TestSoak::hostilePeersAgainstSelectServer() {
    const int fdsBefore = sl::sys::openFdCount();
    Lab lab;
    QString script = src(ServerSetup);
    for (int i = 0; i < 250; ++i) // more copies than RSTs can end (150 peers reset)
        script += src(ServerLoop);
    QString why;
    QVERIFY2(load(lab, script, &why), qPrintable(why));
    // How the server's loops ended: by the peers' RSTs, never by a script error.
    QMap<QString, int> ends;
    QString scriptError;
    connect(&lab, &Lab::backgroundStepFinished, this, [&](const StepReport &r) {
        ends[r.outcome.ok ? QStringLiteral("ok") : r.outcome.exception] += 1;
        if (r.outcome.scriptError && scriptError.isEmpty())
            scriptError = QStringLiteral("line %1: %2: %3")
                              .arg(r.outcome.line)
                              .arg(r.outcome.exception, r.outcome.message);
    });
    const auto reports = runAll(lab);
    QCOMPARE(reports.size(), lab.program()->steps.size());
    for (const StepReport &r : reports)
        QVERIFY2(r.outcome.ok, describe(reports).constData());
    const int listener = sockId(lab.trace(), QStringLiteral("l"));
    QVERIFY(listener >= 0);
    sl::sys::SockAddr addr;
    QVERIFY(sl::sys::getsockname(lab.sockets().byId(listener)->fd.load(), &addr).ok());
    const quint16 port = quint16(addr.port());

    // Meanwhile the lab keeps stepping: steps made by hand on another actor complete.
    QVERIFY(lab.perform(QStringLiteral("ping: n = 0")));
    QVERIFY(lab.stepAndWait());
    std::atomic<int> done{0};
    std::thread peers([&] {
        std::mt19937 rng(12);
        for (int i = 0; i < 300; ++i) {
            hostile(port, i % 4, rng);
            done.store(i + 1);
            // Spread over a second or more, so the steps below run during the storm.
            std::this_thread::sleep_for(std::chrono::milliseconds(4));
        }
    });
    int pings = 0;
    QElapsedTimer clock;
    clock.start();
    while (done.load() < 300 && clock.elapsed() < 60000) {
        QVERIFY(lab.perform(QStringLiteral("ping: n += 1")));
        const auto r = lab.stepAndWait();
        QVERIFY2(r && r->status == StepStatus::Done && r->outcome.ok, "the lab stopped answering");
        ++pings;
        QTest::qWait(5);
    }
    peers.join();
    QCOMPARE(done.load(), 300);
    // The server served the graceful and half-closed peers (they wait for its close).
    QVERIFY(lab.perform(QStringLiteral("ping: seen = served")));
    auto r = lab.stepAndWait();
    QVERIFY(r && r->outcome.ok);
    QStringList endText;
    for (auto it = ends.cbegin(); it != ends.cend(); ++it)
        endText << QStringLiteral("%1 x%2").arg(it.key()).arg(it.value());
    qInfo("300 hostile peers: %d steps completed meanwhile, the server closed %lld "
          "connections after their FIN; its loops ended: %s",
          pings, static_cast<long long>(r->outcome.value.i), qPrintable(endText.join(u' ')));
    QVERIFY2(scriptError.isEmpty(), qPrintable(scriptError));
    QVERIFY(r->outcome.value.i >= 100);
    QVERIFY(pings > 0);
    lab.reset();
    QCOMPARE(sl::sys::openFdCount(), fdsBefore);
}

QTEST_GUILESS_MAIN(TestSoak)
#include "tst_soak.moc"
