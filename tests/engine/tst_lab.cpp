// Lab: a step whose actor is blocked in a real system call is reported Blocked (and
// names the call), later steps of that actor queue while the others go on, and
// reset() wakes every blocked call, joins the actors and closes every descriptor.
#include "labtest.h"

#include "sys/fd.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace labtest;
using sl::engine::ActorRun;

namespace {

// A generous "never hangs" bound; reset()'s own target is 1 s.
constexpr qint64 ResetBoundMs = 3000;

const char *const Listener = R"(a: srv = socket(AF_INET, SOCK_STREAM)
a: srv.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)
a: srv.bind(("127.0.0.1", 0))
a: srv.listen(1)
)";

const char *const Connected = R"(b: s = socket(AF_INET, SOCK_STREAM)
b: s.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096)
b: s.connect(srv.getsockname())
a: conn, peer = srv.accept()
)";

// Threads of this process (/proc/self/task): actors that reset() could not wake would
// be left behind, still running.
int threadCount() {
    return int(QDir(QStringLiteral("/proc/self/task"))
                   .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                   .size());
}

QString blockedLines(const Lab &lab) {
    QString s = QStringLiteral("ActorStatus Blocked events (actor, line):");
    for (const Event &e : events(lab.trace(), EventKind::ActorStatus))
        if (e.status.status == std::uint8_t(sl::trace::ActorState::Blocked))
            s += QStringLiteral(" (%1, %2)").arg(e.actor).arg(e.line);
    return s;
}

} // namespace

class TestLab : public QObject {
    Q_OBJECT
private slots:
    void blockedThenReset_data();
    void blockedThenReset();
    void resetTwiceRerunsTheSameProgram();
    void laterStepOfBlockedActorIsQueued();
    void resetWithSeveralActorsBlocked();
    void resetStopsABusyLoop();
    void resetWhileActorsChurnOnAPipe();
};

void TestLab::blockedThenReset_data() {
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("call"); // StepReport::blockedIn

    const QString listener = src(Listener), connected = src(Connected);
    QTest::newRow("accept") << listener + src("a: c, p = srv.accept()\n")
                            << QStringLiteral("accept");
    QTest::newRow("recv") << listener + connected + src("b: data = s.recv(100)\n")
                          << QStringLiteral("recv");
    // listen(1) holds two connections; the third client's SYN is dropped and its
    // blocking connect() waits in SYN_SENT.
    QTest::newRow("connect SYN_SENT") << listener + src("b: c1 = socket(AF_INET, SOCK_STREAM)\n"
                                                        "b: c1.connect(srv.getsockname())\n"
                                                        "b: c2 = socket(AF_INET, SOCK_STREAM)\n"
                                                        "b: c2.connect(srv.getsockname())\n"
                                                        "b: c3 = socket(AF_INET, SOCK_STREAM)\n"
                                                        "b: c3.connect(srv.getsockname())\n")
                                      << QStringLiteral("connect");
    // 4096-byte buffers on both sides and a reader that never reads.
    QTest::newRow("send") << listener + connected + src("b: s.send(b\"x\" * 1_000_000)\n")
                          << QStringLiteral("send");
    QTest::newRow("sendall") << listener + connected + src("b: s.sendall(b\"x\" * 1_000_000)\n")
                             << QStringLiteral("send");
    QTest::newRow("select, no timeout")
        << listener + connected + src("b: r, w, x = select([s], [], [])\n")
        << QStringLiteral("select");
    QTest::newRow("udp recvfrom") << src("a: u = socket(AF_INET, SOCK_DGRAM)\n"
                                         "a: u.bind((\"127.0.0.1\", 0))\n"
                                         "a: data, frm = u.recvfrom(100)\n")
                                  << QStringLiteral("recvfrom");
    QTest::newRow("select empty") << src("a: select([], [], [])\n") << QStringLiteral("select");
    QTest::newRow("sleep(60)") << src("a: sleep(60)\n") << QStringLiteral("sleep");
    QTest::newRow("pipe read") << src("a: r, w = pipe()\na: data = r.read(10)\n")
                               << QStringLiteral("read");
}

void TestLab::blockedThenReset() {
    QFETCH(QString, script);
    QFETCH(QString, call);

    Lab lab;
    const int fdsBefore = sl::sys::openFdCount();
    QVERIFY(fdsBefore > 0);
    QString why;
    QVERIFY2(load(lab, script, &why), qPrintable(why));
    const int threadsBefore = threadCount(); // the sampler; actors start with their first step
    const std::vector<StepReport> reports = runAll(lab);
    QVERIFY(threadCount() > threadsBefore);
    QVERIFY(lab.atEnd());
    QCOMPARE(reports.size(), lab.program()->steps.size());
    for (std::size_t i = 0; i + 1 < reports.size(); ++i)
        QVERIFY2(reports[i].status == StepStatus::Done && reports[i].outcome.ok,
                 describe(reports).constData());

    const StepReport &last = reports.back();
    QVERIFY2(last.status == StepStatus::Blocked, describe(reports).constData());
    QCOMPARE(last.blockedIn, call);
    QVERIFY(last.actor >= 0);
    QCOMPARE(lab.actorRun(last.actor), ActorRun::Blocked);
    QCOMPARE(lab.actorCall(last.actor), call);
    // The trace says so too: an ActorStatus Blocked for that actor and line.
    bool blockedEvent = false;
    for (const Event &e : events(lab.trace(), EventKind::ActorStatus))
        if (e.actor == last.actor && e.line == last.line &&
            e.status.status == std::uint8_t(sl::trace::ActorState::Blocked))
            blockedEvent = true;
    QVERIFY2(blockedEvent, qPrintable(blockedLines(lab)));
    // Still blocked a while later: it really waits for the kernel.
    QTest::qWait(100);
    QCOMPARE(lab.actorRun(last.actor), ActorRun::Blocked);

    QSignalSpy resetDone(&lab, &Lab::resetDone);
    QElapsedTimer clock;
    clock.start();
    lab.reset();
    const qint64 ms = clock.elapsed();
    QVERIFY2(ms < ResetBoundMs, qPrintable(QStringLiteral("reset() took %1 ms").arg(ms)));
    QCOMPARE(resetDone.count(), 1);
    QCOMPARE(sl::sys::openFdCount(), fdsBefore);
    // Every actor was woken and joined. A joined thread can stay listed in
    // /proc/self/task for a few ms after pthread_join() returns (the kernel reaps it
    // after the joiner is told): poll, bounded.
    QTRY_COMPARE_WITH_TIMEOUT(threadCount(), threadsBefore, 2000);
    QCOMPARE(lab.actorRun(last.actor), ActorRun::Idle);
    QCOMPARE(lab.position(), 0);
    QVERIFY(!lab.atEnd());
    // Late reports of the woken actor belong to the old run: none arrives.
    QSignalSpy late(&lab, &Lab::backgroundStepFinished);
    QTest::qWait(50);
    QCOMPARE(late.count(), 0);
}

void TestLab::resetTwiceRerunsTheSameProgram() {
    const QString script = src(Listener) + src("a: c, p = srv.accept()\n");
    Lab lab;
    const int fdsBefore = sl::sys::openFdCount();
    QVERIFY(load(lab, script));
    for (int round = 0; round < 3; ++round) {
        const auto reports = runAll(lab);
        QCOMPARE(reports.size(), std::size_t(5));
        QCOMPARE(reports.back().status, StepStatus::Blocked);
        QCOMPARE(reports.back().blockedIn, QStringLiteral("accept"));
        QElapsedTimer clock;
        clock.start();
        lab.reset();
        QVERIFY(clock.elapsed() < ResetBoundMs);
        QCOMPARE(sl::sys::openFdCount(), fdsBefore);
    }
}

void TestLab::laterStepOfBlockedActorIsQueued() {
    const QString script = src(R"(a: srv = socket(AF_INET, SOCK_STREAM)
a: srv.bind(("127.0.0.1", 0))
a: srv.listen(1)
a: conn, peer = srv.accept()
a: got = 7
expect blocked(a)
b: c = socket(AF_INET, SOCK_STREAM)
b: c.connect(srv.getsockname())
wait until not blocked(a) within 5
a: got
)");
    Lab lab;
    const int fdsBefore = sl::sys::openFdCount();
    QVERIFY(load(lab, script));
    QSignalSpy background(&lab, &Lab::backgroundStepFinished);
    std::vector<StepReport> reports;
    for (int i = 0; i < 3; ++i)
        reports.push_back(*lab.stepAndWait());
    const auto accept = lab.stepAndWait();
    QVERIFY(accept);
    QCOMPARE(accept->status, StepStatus::Blocked);
    QCOMPARE(accept->blockedIn, QStringLiteral("accept"));

    const auto queued = lab.stepAndWait();
    QVERIFY(queued);
    QCOMPARE(queued->line, lineOf(script, QStringLiteral("got = 7")));
    QCOMPARE(queued->status, StepStatus::Queued);
    QCOMPARE(queued->blockedIn, QStringLiteral("accept")); // what it waits behind

    const auto expectBlocked = lab.stepAndWait();
    QVERIFY(expectBlocked->expectPassed);
    QCOMPARE(background.count(), 0);

    // The other actor goes on while `a` is blocked: its steps are Done.
    const auto socketStep = lab.stepAndWait();
    QCOMPARE(socketStep->actor, 1);
    QCOMPARE(socketStep->status, StepStatus::Done);
    QVERIFY(socketStep->outcome.ok);
    const auto connectStep = lab.stepAndWait();
    QCOMPARE(connectStep->status, StepStatus::Done);
    QVERIFY(connectStep->outcome.ok);

    // The connection woke accept(); the queued step then ran: both report late.
    QTRY_COMPARE_WITH_TIMEOUT(background.count(), 2, 5000);
    const auto first = background.at(0).at(0).value<StepReport>();
    const auto second = background.at(1).at(0).value<StepReport>();
    QCOMPARE(first.line, lineOf(script, QStringLiteral("srv.accept()")));
    QCOMPARE(first.status, StepStatus::Done);
    QVERIFY2(first.outcome.ok, qPrintable(first.outcome.message));
    QCOMPARE(second.line, lineOf(script, QStringLiteral("got = 7")));
    QVERIFY(second.outcome.ok);
    QCOMPARE(second.outcome.value.i, 7);

    const auto waited = lab.stepAndWait();
    QVERIFY2(waited->expectPassed, qPrintable(waited->expectDetail));
    const auto got = lab.stepAndWait();
    QCOMPARE(got->status, StepStatus::Done);
    QCOMPARE(got->outcome.value.i, 7);
    QVERIFY(lab.atEnd());
    lab.reset();
    QCOMPARE(sl::sys::openFdCount(), fdsBefore);
}

void TestLab::resetWithSeveralActorsBlocked() {
    const QString script = src(Listener) + src(Connected) + src(R"(b: data = s.recv(10)
c: sleep(60)
d: u = socket(AF_INET, SOCK_DGRAM)
d: u.bind(("127.0.0.1", 0))
d: m = u.recvfrom(10)
e: l2 = socket(AF_INET, SOCK_STREAM)
e: l2.bind(("127.0.0.1", 0))
e: l2.listen(3)
e: c2, p2 = l2.accept()
)");
    Lab lab;
    const int fdsBefore = sl::sys::openFdCount();
    QVERIFY(load(lab, script));
    const auto reports = runAll(lab);
    int blocked = 0;
    for (const StepReport &r : reports)
        blocked += r.status == StepStatus::Blocked;
    QVERIFY2(blocked == 4, describe(reports).constData());
    for (int a = 1; a < 5; ++a)
        QCOMPARE(lab.actorRun(a), ActorRun::Blocked);
    QElapsedTimer clock;
    clock.start();
    lab.reset();
    QVERIFY(clock.elapsed() < ResetBoundMs);
    QCOMPARE(sl::sys::openFdCount(), fdsBefore);
}

void TestLab::resetStopsABusyLoop() {
    // Not blocked in the kernel: running. reset() stops it between statements.
    const QString script = src(R"(a: n = 0
a: while True:
    n += 1
)");
    Lab lab;
    QVERIFY(load(lab, script));
    QVERIFY(lab.stepAndWait());
    const auto loop = lab.stepAndWait();
    QVERIFY(loop);
    QCOMPARE(loop->status, StepStatus::Running);
    QCOMPARE(lab.actorRun(0), ActorRun::Running);
    // Long past the grace period it is still running on a CPU, not blocked.
    QTest::qWait(400);
    QCOMPARE(lab.actorRun(0), ActorRun::Running);
    for (const Event &e : events(lab.trace(), EventKind::ActorStatus))
        QVERIFY(e.status.status != std::uint8_t(sl::trace::ActorState::Blocked));
    QElapsedTimer clock;
    clock.start();
    lab.reset();
    QVERIFY(clock.elapsed() < ResetBoundMs);
    QCOMPARE(lab.actorRun(0), ActorRun::Idle);
}

void TestLab::resetWhileActorsChurnOnAPipe() {
    // reset() closes an idle pipe end to wake the other one. Here both ends are in and
    // out of calls all the time (a reader and a writer in loops), so reset() looks at
    // them while calls start: a call that has begun must never see its descriptor
    // closed under it (SocketTable::wakeAll() and Interpreter::begin() order their
    // atomics for that; ThreadSanitizer reports the close/read race the old relaxed
    // check allowed). Every cycle must end promptly with every descriptor closed.
    const QString script = src(R"(a: r, w = pipe()
b: while True:
    d = r.read(512)
c: while True:
    w.write(b"y" * 300)
)");
    Lab lab;
    LabOptions o = lab.options();
    o.graceMs = 10; // the loops are busy or blocked at once: report them soon
    o.busyCpuMs = 20;
    lab.setOptions(o);
    const int fdsBefore = sl::sys::openFdCount();
    QVERIFY(load(lab, script));
    for (int cycle = 0; cycle < 20; ++cycle) {
        const auto reports = runAll(lab);
        QCOMPARE(reports.size(), std::size_t(3));
        QVERIFY2(reports[0].outcome.ok, describe(reports).constData());
        QTest::qWait(10 + cycle % 3 * 10);
        QElapsedTimer clock;
        clock.start();
        lab.reset();
        QVERIFY2(clock.elapsed() < ResetBoundMs,
                 qPrintable(
                     QStringLiteral("cycle %1: reset took %2 ms").arg(cycle).arg(clock.elapsed())));
        QCOMPARE(sl::sys::openFdCount(), fdsBefore);
    }
}

QTEST_GUILESS_MAIN(TestLab)
#include "tst_lab.moc"
