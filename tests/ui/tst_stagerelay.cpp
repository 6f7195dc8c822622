// The Wire on the stage: its lane says whether it forwards or is cut, and how many
// bytes it holds — read from the trace, and equal to what the engine's held(w) read
// from the kernel at the same point (the script says it; the test compares).
#include "view/stagestate.h"

#include "engine/lab.h"
#include "script/catalog.h"

#include <QtTest>

using namespace sl;

class TstStageRelay : public QObject {
    Q_OBJECT
private slots:
    void cutHoldsWhatTheEngineHolds();
    void bytesInTheRelaysHands();
    void pendingFromATrace();

private:
    // Runs the script to its end (blocked steps stay blocked) and returns the number the
    // last `say "held {held(w)}"` printed.
    static std::int64_t runAndReadHeld(engine::Lab &lab, const QString &source);
    static int actorNamed(const ui::StageState &s, const QString &name);
};

std::int64_t TstStageRelay::runAndReadHeld(engine::Lab &lab, const QString &source) {
    if (!lab.load(source, QStringLiteral("relay.lab")))
        qFatal("relay.lab does not load");
    for (int guard = 0; guard < 100 && !lab.atEnd(); ++guard)
        if (!lab.stepAndWait(15000))
            qFatal("a step did not finish");
    if (lab.failedExpectations() != 0 || lab.scriptErrors() != 0)
        qFatal("relay.lab failed: %d expectations, %d errors", lab.failedExpectations(),
               lab.scriptErrors());
    lab.settle(2000);
    const trace::Trace &t = lab.trace();
    std::int64_t held = -1;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const trace::Event &e = t.event(i);
        const QString text = e.kind == trace::EventKind::Say ? t.text(e.text.a) : QString();
        if (text.startsWith(QStringLiteral("held ")))
            held = text.mid(5).toLongLong();
    }
    return held;
}

int TstStageRelay::actorNamed(const ui::StageState &s, const QString &name) {
    for (std::size_t i = 0; i < s.actors.size(); ++i)
        if (s.actors[i].name == name)
            return int(i);
    return -1;
}

static const char *const Setup = R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
wire: w = Wire(target=srv.getsockname())
client: c = socket(AF_INET, SOCK_STREAM)
)";

void TstStageRelay::cutHoldsWhatTheEngineHolds() {
    engine::Lab lab;
    const QString source =
        QString::fromLatin1(Setup) + QStringLiteral(R"(client: c.connect(w.address())
server: conn, addr = srv.accept()
wire: w.cut()
server: conn.sendall(b"pong")
wait until held(w) == 4 within 5
wait 0.1
say "held {held(w)}"
)");
    const std::int64_t engineHeld = runAndReadHeld(lab, source);
    QCOMPARE(engineHeld, 4);
    const ui::StageState s = ui::buildStageState(lab.trace(), lab.trace().size());
    const int wire = actorNamed(s, QStringLiteral("wire"));
    QVERIFY(wire >= 0);
    QVERIFY(s.relay(wire));
    QVERIFY(s.relay(wire)->cut);
    QCOMPARE(s.relayHeld(wire), engineHeld);
    QCOMPARE(ui::laneStatusText(s, wire, s.lastNs), QStringLiteral("relay: cut, holds 4 bytes"));
    // The other lanes hold no relay and say what their actor does.
    const int server = actorNamed(s, QStringLiteral("server"));
    QCOMPARE(s.relayHeld(server), -1);
    QCOMPARE(ui::laneStatusText(s, server, s.lastNs), QStringLiteral("idle"));

    // resume() from another actor's lane acts on the lab's only wire.
    QVERIFY(lab.perform(QStringLiteral("client: w.resume()")));
    QVERIFY(lab.stepAndWait(15000));
    QVERIFY(lab.perform(QStringLiteral("client: answer = c.recv(100)")));
    QVERIFY(lab.stepAndWait(15000));
    lab.settle(2000);
    QTest::qWait(100); // a sample after the relay's last send
    const ui::StageState after = ui::buildStageState(lab.trace(), lab.trace().size());
    QVERIFY(!after.relay(wire)->cut);
    QCOMPARE(after.relayHeld(wire), 0);
    QCOMPARE(ui::laneStatusText(after, wire, after.lastNs),
             QStringLiteral("relay: forwarding, holds 0 bytes"));
    // Replaying the prefix still shows the cut wire holding the answer.
    QVERIFY(ui::buildStageState(lab.trace(), s.cursor).relay(wire)->cut);
    QCOMPARE(ui::buildStageState(lab.trace(), s.cursor).relayHeld(wire), 4);
}

void TstStageRelay::bytesInTheRelaysHands() {
    // The reader does not read: once the wire's send queue towards it is full (~4 MB,
    // autotuned), the wire's send() stops part-way, so the relay holds bytes it has read
    // and not yet sent on, besides its receive queue; the server blocks behind them.
    engine::Lab lab;
    const QString source = QString::fromLatin1(Setup) +
                           QStringLiteral(R"(client: c.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)
client: c.connect(w.address())
server: conn, addr = srv.accept()
server: conn.sendall(b"x" * 20_000_000)
expect blocked(server)
wait 0.5
say "held {held(w)}"
)");
    const std::int64_t engineHeld = runAndReadHeld(lab, source);
    QVERIFY2(engineHeld > 0, qPrintable(QString::number(engineHeld)));
    const ui::StageState s = ui::buildStageState(lab.trace(), lab.trace().size());
    const int wire = actorNamed(s, QStringLiteral("wire"));
    QVERIFY(s.relay(wire));
    std::int64_t inHand = 0;
    for (const auto &[sock, n] : s.relay(wire)->pending)
        inHand += n;
    QVERIFY2(inHand > 0, "the relay's send stopped part-way: it has bytes in hand");
    QCOMPARE(s.relayHeld(wire), engineHeld);
    lab.reset();
}

void TstStageRelay::pendingFromATrace() {
    // A hand-made trace: recv 10 on socket 1, send 4 of them on socket 2, then the
    // connection closes. Pairs are learnt from the relay's recv → send order.
    trace::Trace t;
    const auto add = [&t](trace::EventKind k, int sock, script::CallId call, std::int64_t moved) {
        trace::Event e;
        e.kind = k;
        e.actor = 0;
        e.sock = sock;
        e.call.call = std::uint16_t(call);
        e.call.moved = moved;
        t.append(e);
    };
    trace::Event a;
    a.kind = trace::EventKind::ActorNew;
    a.actor = 0;
    a.text.a = t.intern(QStringLiteral("relay"));
    t.append(a);
    add(trace::EventKind::CallBegin, -1, script::CallId::Wire, -1);
    add(trace::EventKind::CallEnd, -1, script::CallId::Wire, -1);
    add(trace::EventKind::CallBegin, 1, script::CallId::Recv, -1);
    add(trace::EventKind::CallEnd, 1, script::CallId::Recv, 10);
    add(trace::EventKind::CallBegin, 2, script::CallId::Send, -1);
    add(trace::EventKind::CallEnd, 2, script::CallId::Send, 4);
    QCOMPARE(ui::buildStageState(t, t.size()).relayHeld(0), 6);
    add(trace::EventKind::CallBegin, 2, script::CallId::Send, -1);
    add(trace::EventKind::CallEnd, 2, script::CallId::Send, 6);
    QCOMPARE(ui::buildStageState(t, t.size()).relayHeld(0), 0);
    add(trace::EventKind::CallBegin, 1, script::CallId::Recv, -1);
    add(trace::EventKind::CallEnd, 1, script::CallId::Recv, 7);
    QCOMPARE(ui::buildStageState(t, t.size()).relayHeld(0), 7);
    trace::Event close;
    close.kind = trace::EventKind::SocketClose;
    close.sock = 1;
    t.append(close);
    QCOMPARE(ui::buildStageState(t, t.size()).relayHeld(0), 0);
    // No Wire call, no relay.
    QVERIFY(!ui::buildStageState(t, 2).relay(0));
}

QTEST_MAIN(TstStageRelay)
#include "tst_stagerelay.moc"
