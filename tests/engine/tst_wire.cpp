// The Wire: a relay with its own thread and real sockets between two peers. With
// chunk=N no recv() of the receiver returns more than N bytes; cut() leaves a blocking
// recv() blocked until the lab is reset (which leaves no descriptor and no thread);
// reset() gives both peers ECONNRESET; resume() delivers what the wire held. Its own
// calls are in the trace, in its actor's lane, on lab sockets.
#include "labtest.h"

#include "sys/fd.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <cerrno>

using namespace labtest;
using sl::engine::ActorRun;
using sl::script::CallId;

namespace {

// server listens, the wire sits in front of it, the client connects to the wire.
const char *const Setup = R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
wire: w = Wire(target=srv.getsockname(), chunk=CHUNK, delay=DELAY)
client: c = socket(AF_INET, SOCK_STREAM)
client: c.connect(w.address())
server: conn, addr = srv.accept()
)";

QString setup(int chunk, double delay) {
    return src(Setup)
        .replace(QStringLiteral("CHUNK"), QString::number(chunk))
        .replace(QStringLiteral("DELAY"), QString::number(delay));
}

int threadCount() {
    return int(QDir(QStringLiteral("/proc/self/task"))
                   .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                   .size());
}

int actorIndex(const Lab &lab, const char *name) {
    return int(lab.program()->actors.indexOf(QLatin1String(name)));
}

// Processes events until pred() holds or ms pass.
template <class Pred>
bool waitFor(Pred pred, int ms) {
    QElapsedTimer clock;
    clock.start();
    while (!pred()) {
        if (clock.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QTest::qWait(5);
    }
    return true;
}

// CallEnd events of one call made by one actor.
std::vector<Event> actorCallEnds(const Lab &lab, CallId id, int actor) {
    std::vector<Event> out;
    for (const Event &e : callEnds(lab.trace(), id))
        if (e.actor == actor)
            out.push_back(e);
    return out;
}

QString failures(const std::vector<StepReport> &reports) {
    QString s;
    for (const StepReport &r : reports)
        if (!r.expectPassed || (!r.outcome.ok && r.outcome.scriptError))
            s += QStringLiteral("line %1: %2 %3 %4\n")
                     .arg(r.line)
                     .arg(r.expectDetail, r.outcome.exception, r.outcome.message);
    return s;
}

} // namespace

class TestWire : public QObject {
    Q_OBJECT
private slots:
    void chunkLimitsEveryRecv();
    void wireCallsAreTraced();
    void cutKeepsRecvBlockedUntilLabReset();
    void resetGivesBothPeersEconnreset();
    void resumeDeliversHeldBytes();
    void closeEndsTheRelay();
    void badArguments();
};

void TestWire::chunkLimitsEveryRecv() {
    const QString script = setup(100, 0.02) + src(R"(server: data = conn.recv_exactly(1000)
client: c.sendall(b"x" * 1000)
wait until len(data) == 1000 within 5
expect data == b"x" * 1000
)");
    Lab lab;
    const auto reports = run(lab, script);
    QVERIFY2(lab.failedExpectations() == 0, qPrintable(failures(reports)));
    const int server = actorIndex(lab, "server");
    const auto recvs = actorCallEnds(lab, CallId::Recv, server);
    std::int64_t total = 0;
    QStringList sizes;
    for (const Event &e : recvs) {
        QCOMPARE(e.call.err, std::int16_t(0));
        QVERIFY2(e.call.moved <= 100,
                 qPrintable(QStringLiteral("a recv moved %1").arg(e.call.moved)));
        total += e.call.moved;
        sizes << QString::number(e.call.moved);
    }
    QCOMPARE(total, std::int64_t(1000));
    QVERIFY2(recvs.size() >= 10, qPrintable(sizes.join(u' ')));
    // The client's one sendall() was a single send() of 1,000 bytes: the pieces are
    // the wire's doing.
    const auto sends = actorCallEnds(lab, CallId::Send, actorIndex(lab, "client"));
    QCOMPARE(sends.size(), std::size_t(1));
    QCOMPARE(sends[0].call.moved, std::int64_t(1000));
    qInfo("server recv sizes: %s", qPrintable(sizes.join(u' ')));
}

void TestWire::wireCallsAreTraced() {
    const QString script = setup(300, 0) + src(R"(client: c.sendall(b"abc" * 200)
server: data = conn.recv_exactly(600)
)");
    Lab lab;
    const auto reports = run(lab, script);
    QVERIFY2(
        waitFor(
            [&] {
                return !actorCallEnds(lab, CallId::RecvExactly, actorIndex(lab, "server")).empty();
            },
            5000),
        "recv_exactly did not finish");
    const int wire = actorIndex(lab, "wire");
    // Its own calls, in its actor's lane: the listener, then accept, socket + connect
    // to the target, and the forwarding: recv(300) + send per piece.
    for (CallId id : {CallId::Socket, CallId::Bind, CallId::Listen, CallId::Accept, CallId::Connect,
                      CallId::Recv, CallId::Send})
        QVERIFY2(!actorCallEnds(lab, id, wire).empty(), sl::script::callName(id));
    for (const Event &e : actorCallEnds(lab, CallId::Recv, wire)) {
        QCOMPARE(e.call.asked, std::int64_t(300));
        QVERIFY(e.call.moved <= 300);
        QVERIFY(e.call.flags & sl::trace::CallNonBlocking);
    }
    // Its sockets are lab sockets, probed like the others.
    const int listener = sockId(lab.trace(), QStringLiteral("w.listener"));
    const int c1 = sockId(lab.trace(), QStringLiteral("w.c1"));
    const int t1 = sockId(lab.trace(), QStringLiteral("w.t1"));
    QVERIFY(listener >= 0 && c1 >= 0 && t1 >= 0);
    QVERIFY(!events(lab.trace(), EventKind::Sample, c1).empty());
    QVERIFY(!events(lab.trace(), EventKind::Sample, t1).empty());
    // Nesting per actor is intact: every CallBegin of the wire's lane is closed. The
    // relay runs on its own thread and may still be inside the send() of its last
    // forward when the server's recv_exactly has returned (the bytes are in the
    // server's queue before the relay's send() returns): wait, bounded, until the
    // relay has no open call, which is what this checks. (The depth never goes
    // below 0 at any point: no CallEnd without its CallBegin.)
    bool negative = false;
    const auto openCalls = [&] {
        int depth = 0;
        for (std::size_t i = 0; i < lab.trace().size(); ++i) {
            const Event &e = lab.trace().event(i);
            if (e.actor != wire)
                continue;
            if (e.kind == EventKind::CallBegin)
                ++depth;
            else if (e.kind == EventKind::CallEnd)
                --depth;
            negative = negative || depth < 0;
        }
        return depth;
    };
    QVERIFY2(waitFor([&] { return openCalls() == 0; }, 5000),
             qPrintable(QStringLiteral("the relay still has %1 open call(s)").arg(openCalls())));
    QVERIFY(!negative);
}

void TestWire::cutKeepsRecvBlockedUntilLabReset() {
    const QString script = setup(65536, 0) + src(R"(wire: w.cut()
client: c.sendall(b"hello")
expect held(w) == 5
server: data = conn.recv(100)
expect blocked(server)
)");
    Lab lab;
    const int fdsBefore = sl::sys::openFdCount();
    const int threadsBefore = threadCount();
    QVERIFY(load(lab, script));
    const auto reports = runAll(lab);
    QCOMPARE(reports.size(), lab.program()->steps.size());
    QVERIFY2(lab.failedExpectations() == 0, qPrintable(failures(reports)));
    const StepReport &recv = reports[reports.size() - 2];
    QCOMPARE(recv.status, StepStatus::Blocked);
    QCOMPARE(recv.blockedIn, QStringLiteral("recv"));
    // A dead peer: nothing arrives, the call stays blocked.
    const int server = actorIndex(lab, "server");
    QTest::qWait(1500);
    QCOMPARE(lab.actorRun(server), ActorRun::Blocked);
    QVERIFY(actorCallEnds(lab, CallId::Recv, server).empty());
    // The bytes wait in the wire: in the receive queue of its client-side socket.
    const int c1 = sockId(lab.trace(), QStringLiteral("w.c1"));
    QCOMPARE(lab.sockets().lastSample(c1, true).recvQ, 5);

    QElapsedTimer clock;
    clock.start();
    lab.reset();
    QVERIFY2(clock.elapsed() < 3000,
             qPrintable(QStringLiteral("reset took %1 ms").arg(clock.elapsed())));
    QCOMPARE(sl::sys::openFdCount(), fdsBefore);
    QVERIFY(waitFor([&] { return threadCount() <= threadsBefore + 1; }, 2000)); // + sampler
    QCOMPARE(lab.actorRun(server), ActorRun::Idle);
}

void TestWire::resetGivesBothPeersEconnreset() {
    const QString script = setup(65536, 0) + src(R"(server: data = conn.recv(100)
expect blocked(server)
wire: w.reset()
client: d = c.recv(100)
expect error == ECONNRESET
)");
    Lab lab;
    const int fdsBefore = sl::sys::openFdCount();
    QVERIFY(load(lab, script));
    QSignalSpy background(&lab, &Lab::backgroundStepFinished);
    const auto reports = runAll(lab);
    QVERIFY2(lab.failedExpectations() == 0, qPrintable(failures(reports)));
    // The server's blocked recv() was woken by the RST.
    QVERIFY(waitFor([&] { return background.count() > 0; }, 3000));
    const StepReport r = background.at(0).at(0).value<StepReport>();
    QVERIFY(!r.outcome.ok);
    QCOMPARE(r.outcome.err, ECONNRESET);
    QCOMPARE(r.outcome.exception, QStringLiteral("ConnectionResetError"));
    // Linger {1, 0} + close on both of the wire's sockets.
    const int wire = actorIndex(lab, "wire");
    QCOMPARE(actorCallEnds(lab, CallId::Setsockopt, wire).size(), std::size_t(2));
    QVERIFY(actorCallEnds(lab, CallId::Close, wire).size() >= 2);
    lab.reset();
    QCOMPARE(sl::sys::openFdCount(), fdsBefore);
}

void TestWire::resumeDeliversHeldBytes() {
    const QString script = setup(65536, 0) + src(R"(wire: w.cut()
client: c.sendall(b"y" * 500)
wait 0.2
expect held(w) == 500
expect recvq(conn) == 0
wire: w.resume()
server: data = conn.recv_exactly(500)
expect data == b"y" * 500
expect held(w) == 0
)");
    Lab lab;
    const auto reports = run(lab, script);
    QVERIFY2(lab.failedExpectations() == 0, qPrintable(failures(reports)));
    QCOMPARE(lab.scriptErrors(), 0);
}

void TestWire::closeEndsTheRelay() {
    const QString script = setup(65536, 0) + src(R"(wire: w.close()
client: d = c.recv(100)
expect d == b""
server: e = conn.recv(100)
expect e == b""
)");
    Lab lab;
    const int fdsBefore = sl::sys::openFdCount();
    const auto reports = run(lab, script);
    QVERIFY2(lab.failedExpectations() == 0, qPrintable(failures(reports)));
    for (const char *name : {"w.listener", "w.c1", "w.t1"})
        QVERIFY2(
            !events(lab.trace(), EventKind::SocketClose, sockId(lab.trace(), QLatin1String(name)))
                 .empty(),
            name);
    lab.reset();
    QCOMPARE(sl::sys::openFdCount(), fdsBefore);
}

void TestWire::badArguments() {
    const QString base = src("server: srv = socket(AF_INET, SOCK_STREAM)\n"
                             "server: srv.bind((\"127.0.0.1\", 0))\n"
                             "server: srv.listen(5)\n");
    struct Case {
        const char *line;
        const char *exception;
    } cases[] = {
        {"wire: w = Wire(target=srv.getsockname(), chnk=3)\n", "TypeError"},
        {"wire: w = Wire(srv.getsockname(), target=srv.getsockname())\n", "TypeError"},
        {"wire: w = Wire(target=srv.getsockname(), chunk=0)\n", "ValueError"},
        {"wire: w = Wire(target=srv.getsockname(), chunk=2_000_000)\n", "ValueError"},
        {"wire: w = Wire(target=srv.getsockname(), delay=-1)\n", "ValueError"},
        {"wire: w = Wire(target=(\"10.1.2.3\", 80))\n", "LabPolicyError"},
    };
    for (const Case &c : cases) {
        Lab lab;
        const auto reports = run(lab, base + src(c.line));
        QVERIFY(!reports.empty());
        QCOMPARE(reports.back().outcome.exception, QLatin1String(c.exception));
    }
    // A second wire in the same lane is refused; a wire method on a socket is not one.
    Lab lab;
    const auto reports = run(lab, base + src("wire: w = Wire(target=srv.getsockname())\n"
                                             "wire: w2 = Wire(target=srv.getsockname())\n"
                                             "server: srv.cut()\n"));
    QCOMPARE(reports.size(), std::size_t(6));
    QCOMPARE(reports[3].outcome.ok, true);
    QCOMPARE(reports[4].outcome.exception, QStringLiteral("LabPolicyError"));
    QCOMPARE(reports[5].outcome.exception, QStringLiteral("AttributeError"));
    // Parsing: a Wire needs its target.
    QString why;
    QVERIFY(!load(lab, src("wire: w = Wire()\n"), &why));
    QVERIFY2(why.contains(QStringLiteral("Wire()")), qPrintable(why));
}

QTEST_GUILESS_MAIN(TestWire)
#include "tst_wire.moc"
