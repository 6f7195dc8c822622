// KERNEL-FACTS.md through the engine: what the probe functions return and what the
// trace records (Sample, CallEnd, SelectOut) for the measured loopback behaviours.
// Every expected number below is the kernel's measured one, written out by hand.
#include "labtest.h"

#include "sys/kernelprobe.h"
#include "sys/sockdiag.h"

#include <QTest>
#include <cerrno>

using namespace labtest;
using sl::engine::Value;
using sl::script::CallId;
using sl::sys::TcpState;

namespace {

const char *const Small = R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
client: s = socket(AF_INET, SOCK_STREAM)
client: s.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096)
client: s.connect(srv.getsockname())
server: conn, addr = srv.accept()
)";

const char *const Fill = R"(client: s.setblocking(False)
client: while True:
    s.send(b"x" * 1_000_000)
wait 0.3
client: while True:
    s.send(b"x" * 1_000_000)
)";

// The last Sample recorded for a socket (samples are recorded when they change).
Event lastSample(const sl::trace::Trace &t, int sock) {
    const auto all = events(t, EventKind::Sample, sock);
    return all.empty() ? Event() : all.back();
}

// The SelectOut event of a line, as "read|write|except" lab socket id lists.
QString selectOut(const sl::trace::Trace &t, int line) {
    const auto out = events(t, EventKind::SelectOut, -2, line);
    if (out.size() != 1)
        return QStringLiteral("<%1 SelectOut events>").arg(out.size());
    return t.text(out[0].select.sets[0]) + QLatin1Char('|') + t.text(out[0].select.sets[1]) +
           QLatin1Char('|') + t.text(out[0].select.sets[2]);
}

const sl::sys::DiagSocket *findLocalPort(const std::vector<sl::sys::DiagSocket> &all, int port) {
    for (const auto &d : all)
        if (d.local.port() == port)
            return &d;
    return nullptr;
}

} // namespace

class TestKernelFacts : public QObject {
    Q_OBJECT
private slots:
    void smallBuffersAndPartialSend();
    void backlogHoldsBacklogPlusOne();
    void peerCloseStates();
    void serverClosedFirstKernelState();
    void readiness_data();
    void readiness();
};

void TestKernelFacts::smallBuffersAndPartialSend() {
    const QString script = src(Small) + src(R"(client: bufs = (sndbuf(s), rcvbuf(conn))
client: s.setblocking(False)
client: first = s.send(b"x" * 1_000_000)
client: total = first
client: while True:
    total += s.send(b"x" * 1_000_000)
wait 0.3
client: while True:
    total += s.send(b"x" * 1_000_000)
client: final = total
client: full = (readable(s), writable(s), recvq(conn) + sendq(s))
client: r, w, x = select([s], [s], [s], 0)
)");
    Lab lab;
    const auto reports = run(lab, script);
    auto value = [&](const char *text) {
        return report(reports, script, src(text))->outcome.value;
    };
    // SO_SNDBUF / SO_RCVBUF read back doubled; the listener's passes to the accepted.
    QCOMPARE(value("bufs =").repr(), QStringLiteral("(8192, 8192)"));
    QCOMPARE(value("first =").i, 6144);
    QCOMPARE(value("final =").i, 12288);
    const StepReport *loop = report(reports, script, QStringLiteral("client: while True:"));
    QCOMPARE(loop->outcome.err, EAGAIN);
    QCOMPARE(loop->outcome.exception, QStringLiteral("BlockingIOError"));
    // A full sender is neither readable nor writable; all 12,288 bytes are queued.
    QCOMPARE(value("full =").repr(), QStringLiteral("(False, False, 12288)"));
    QCOMPARE(value("r, w, x =").repr(), QStringLiteral("([], [], [])"));

    const sl::trace::Trace &t = lab.trace();
    const int s = sockId(t, QStringLiteral("s")), conn = sockId(t, QStringLiteral("conn"));
    QVERIFY(s >= 0 && conn >= 0);
    // The first send: recorded as a partial, non-blocking call.
    const auto first = callEnds(t, CallId::Send, lineOf(script, QStringLiteral("first =")));
    QCOMPARE(first.size(), std::size_t(1));
    QCOMPARE(first[0].sock, s);
    QCOMPARE(first[0].call.ret, 6144);
    QCOMPARE(first[0].call.moved, 6144);
    QCOMPARE(first[0].call.asked, 1000000);
    QCOMPARE(first[0].call.err, 0);
    QVERIFY(first[0].call.flags & sl::trace::CallPartial);
    QVERIFY(first[0].call.flags & sl::trace::CallNonBlocking);
    // Each fill loop ends with a send that failed with EAGAIN (errno 11), nothing
    // moved; the bytes of every successful send add up to 12,288.
    std::int64_t moved = 0;
    int eagain = 0;
    for (const Event &e : callEnds(t, CallId::Send)) {
        if (e.call.err == 0) {
            moved += e.call.moved;
            QCOMPARE(e.call.ret, e.call.moved);
        } else {
            QCOMPARE(e.call.err, EAGAIN);
            QCOMPARE(e.call.ret, -1);
            QVERIFY(!(e.call.flags & sl::trace::CallPartial));
            ++eagain;
        }
    }
    QCOMPARE(moved, 12288);
    QCOMPARE(eagain, 2);
    // The select() of a full sender: every returned set is empty.
    QCOMPARE(selectOut(t, lineOf(script, QStringLiteral("r, w, x ="))), QStringLiteral("||"));

    const Event ss = lastSample(t, s);
    QCOMPARE(ss.kind, EventKind::Sample);
    QCOMPARE(ss.sample.sndbuf, 8192);
    QCOMPARE(ss.sample.state, std::uint8_t(TcpState::Established));
    QCOMPARE(ss.sample.readiness & (sl::sys::Readable | sl::sys::Writable), 0);
    QCOMPARE(ss.sample.nonBlocking, std::uint8_t(1));
    const Event cs = lastSample(t, conn);
    QCOMPARE(cs.sample.rcvbuf, 8192);
    QVERIFY(cs.sample.recvQ > 0);
    QCOMPARE(cs.sample.recvQ + ss.sample.sendQ, 12288);
    QVERIFY(cs.sample.readiness & sl::sys::Readable);
}

void TestKernelFacts::backlogHoldsBacklogPlusOne() {
    const QString script = src(R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(2)
server: idle = (readable(srv), acceptq(srv))
client: c1 = socket(AF_INET, SOCK_STREAM)
client: c1.connect(srv.getsockname())
client: c2 = socket(AF_INET, SOCK_STREAM)
client: c2.connect(srv.getsockname())
client: c3 = socket(AF_INET, SOCK_STREAM)
client: c3.connect(srv.getsockname())
client: c4 = socket(AF_INET, SOCK_STREAM)
client: c4.setblocking(False)
client: c4.connect_ex(srv.getsockname())
client: q = (acceptq(srv), backlog(srv), state(c4), state(c3), readable(srv))
server: r, w, x = select([srv], [srv], [srv], 0)
)");
    Lab lab;
    const auto reports = run(lab, script);
    for (const StepReport &r : reports)
        QVERIFY2(r.status == StepStatus::Done && r.outcome.ok, describe(reports).constData());
    auto value = [&](const char *text) {
        return report(reports, script, src(text))->outcome.value;
    };
    QCOMPARE(value("idle =").repr(), QStringLiteral("(False, 0)"));
    QCOMPARE(value("c4.connect_ex").i, EINPROGRESS);
    QCOMPARE(value("q =").repr(), QStringLiteral("(3, 2, 'SYN_SENT', 'ESTABLISHED', True)"));

    const sl::trace::Trace &t = lab.trace();
    const int srv = sockId(t, QStringLiteral("srv")), c4 = sockId(t, QStringLiteral("c4"));
    const Event ls = lastSample(t, srv);
    QCOMPARE(ls.sample.listener, std::uint8_t(1));
    QCOMPARE(ls.sample.state, std::uint8_t(TcpState::Listen));
    QCOMPARE(ls.sample.acceptQ, 3);
    QCOMPARE(ls.sample.backlog, 2);
    QCOMPARE(ls.sample.recvQ, -1); // the queue ioctls fail on a listener: n/a
    QCOMPARE(lastSample(t, c4).sample.state, std::uint8_t(TcpState::SynSent));
    // A listener with pending connections is in select()'s read set only.
    QCOMPARE(selectOut(t, lineOf(script, QStringLiteral("r, w, x ="))),
             QString::number(srv) + QStringLiteral("||"));
    QCOMPARE(value("r, w, x =").seq()[0].seq().size(), std::size_t(1));
}

void TestKernelFacts::peerCloseStates() {
    const QString script = src(Small) + src(R"(client: me = s.getsockname()
client: s.close()
server: st = state(conn)
server: data = conn.recv(100)
client: gone = state(s)
)");
    Lab lab;
    const auto reports = run(lab, script);
    auto value = [&](const char *text) {
        return report(reports, script, src(text))->outcome.value;
    };
    QCOMPARE(value("st =").s, QStringLiteral("CLOSE_WAIT"));
    QCOMPARE(value("data =").repr(), QStringLiteral("b''"));
    QCOMPARE(value("gone =").s, QStringLiteral("CLOSED (no descriptor)"));
    const int clientPort = int(value("me =").seq().at(1).i);
    QVERIFY(clientPort > 0);

    // The closed side lives on in the kernel only: FIN_WAIT2, without a descriptor.
    const std::vector<int> ports = lab.sockets().tcpPorts();
    QVERIFY(!ports.empty());
    int err = 0;
    std::vector<sl::sys::DiagSocket> diag;
    // FIN_WAIT1 until the peer's ACK of the FIN arrives (it may be a delayed ACK).
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            diag = sl::sys::SockDiag::tcpSockets(ports, &err);
            const auto *c = findLocalPort(diag, clientPort);
            return c && c->state == TcpState::FinWait2;
        }(),
        3000);
    QCOMPARE(err, 0);
    const sl::sys::DiagSocket *closed = findLocalPort(diag, clientPort);
    QVERIFY(closed);
    QCOMPARE(closed->ownerFd, -1);
    QCOMPARE(closed->inode, 0u);
    // Its peer, conn, has a descriptor: CLOSE_WAIT.
    bool closeWait = false;
    for (const auto &d : diag)
        if (d.peer.port() == clientPort && d.state == TcpState::CloseWait && d.ownerFd >= 0)
            closeWait = true;
    QVERIFY(closeWait);

    // Once conn closes too, the side that closed first goes to TIME_WAIT.
    auto conn = lab.sockets().byId(sockId(lab.trace(), QStringLiteral("conn")));
    QVERIFY(conn);
    lab.sockets().close(*conn);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            diag = sl::sys::SockDiag::tcpSockets(ports);
            const auto *tw = findLocalPort(diag, clientPort);
            return tw && tw->state == TcpState::TimeWait && tw->ownerFd == -1;
        }(),
        3000);
}

// Lesson 18's round 1: the server closes first (shutdown(SHUT_WR), recv() -> b"", then
// close()). When the client's FIN arrives the kernel moves the connection to a TIME_WAIT
// socket of its own and leaves the descriptor's socket in CLOSE, where getpeername()
// fails; kernel_state() after close() must still find it by the last 4-tuple it had.
void TestKernelFacts::serverClosedFirstKernelState() {
    const QString script = src(Small) + src(R"(server: conn.shutdown(SHUT_WR)
client: eof_c = s.recv(100)
client: s.close()
server: eof = conn.recv(100)
server: st = state(conn)
server: conn.close()
wait until kernel_state(conn) == "TIME_WAIT" and kernel_state(s) == "gone" within 5
server: ks = kernel_state(conn)
client: kc = kernel_state(s)
)");
    Lab lab;
    const auto reports = run(lab, script);
    auto value = [&](const char *text) {
        return report(reports, script, src(text))->outcome.value;
    };
    QCOMPARE(value("eof_c =").repr(), QStringLiteral("b''"));
    QCOMPARE(value("eof =").repr(), QStringLiteral("b''"));
    // The descriptor's socket gave the connection up: CLOSE, no peer any more.
    QCOMPARE(value("st =").s, QStringLiteral("CLOSE"));
    QCOMPARE(value("ks =").s, QStringLiteral("TIME_WAIT")); // the first closer
    QCOMPARE(value("kc =").s, QStringLiteral("gone"));      // the second closer
}

void TestKernelFacts::readiness_data() {
    // The table of KERNEL-FACTS "Readiness with a zero timeout": select()'s read and
    // write sets, and poll()'s bits as the probe records them.
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("sock");
    QTest::addColumn<QString>("select"); // "R W", "R", "W", ""
    QTest::addColumn<int>("poll");       // sys::Readiness bits
    using namespace sl::sys;
    const QString base = src(Small);
    const QString listener = src(R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
)");
    const QString s = QStringLiteral("s");
    QTest::newRow("listener, nothing pending") << listener << src("srv") << QString() << 0;
    QTest::newRow("listener, 1 pending")
        << listener + src("client: s = socket(AF_INET, SOCK_STREAM)\n"
                          "client: s.connect(srv.getsockname())\n")
        << src("srv") << src("R") << int(Readable);
    QTest::newRow("fresh connected socket") << base << s << src("W") << int(Writable);
    QTest::newRow("unread data") << base + src("server: conn.sendall(b\"data\")\n") << s
                                 << src("R W") << int(Readable | Writable);
    QTest::newRow("full send buffer") << base + src(Fill) << s << QString() << 0;
    QTest::newRow("peer closed") << base + src("server: conn.close()\n") << s << src("R W")
                                 << int(Readable | Writable | PeerClosed);
    QTest::newRow("own SHUT_WR") << base + src("client: s.shutdown(SHUT_WR)\n") << s << src("W")
                                 << int(Writable);
    QTest::newRow("own SHUT_WR + peer closed")
        << base + src("client: s.shutdown(SHUT_WR)\nserver: conn.close()\n") << s << src("R W")
        << int(Readable | Writable | PeerClosed | HangUp);
    QTest::newRow("unconnected socket()") << src("client: s = socket(AF_INET, SOCK_STREAM)\n") << s
                                          << src("R W") << int(Writable | HangUp);
}

void TestKernelFacts::readiness() {
    QFETCH(QString, script);
    QFETCH(QString, sock);
    QFETCH(QString, select);
    QFETCH(int, poll);
    script += src("wait 0.1\n") + QStringLiteral("probe: rw = (readable(%1), writable(%1))\n"
                                                 "probe: r, w, x = select([%1], [%1], [%1], 0)\n")
                                      .arg(sock);
    Lab lab;
    const auto reports = run(lab, script);
    QCOMPARE(lab.scriptErrors(), 0);
    const Value rw = report(reports, script, QStringLiteral("probe: rw ="))->outcome.value;
    QCOMPARE(rw.repr(),
             QStringLiteral("(%1, %2)")
                 .arg(poll & sl::sys::Readable ? QStringLiteral("True") : QStringLiteral("False"),
                      poll & sl::sys::Writable ? QStringLiteral("True") : QStringLiteral("False")));
    const sl::trace::Trace &t = lab.trace();
    const int id = sockId(t, sock);
    QVERIFY(id >= 0);
    const QString sid = QString::number(id);
    const QString expected = (select.contains(QLatin1Char('R')) ? sid : QString()) +
                             QLatin1Char('|') +
                             (select.contains(QLatin1Char('W')) ? sid : QString()) +
                             QLatin1Char('|'); // the exception set stays empty
    QCOMPARE(selectOut(t, lineOf(script, QStringLiteral("probe: r, w, x ="))), expected);
    const Event last = lastSample(t, id);
    QCOMPARE(last.kind, EventKind::Sample);
    QCOMPARE(int(last.sample.readiness), poll);
}

QTEST_GUILESS_MAIN(TestKernelFacts)
#include "tst_kernelfacts.moc"
