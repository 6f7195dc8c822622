// What a slow machine or a fault must not change: a step is reported Blocked only when
// the kernel shows its thread asleep in the call (never from the clock alone), and the
// trace already holds the Blocked event when it is; an actor slowed down before its
// call (a loaded machine, ThreadSanitizer) is waited for and reported Done; an
// exception thrown on an actor's thread ends that step with an error, not the process.
#include "labtest.h"

#include "script/limits.h"

#include <QTest>

#include <chrono>
#include <new>
#include <stdexcept>
#include <thread>
#include <time.h>

using namespace labtest;
using sl::engine::ActorRun;
using sl::engine::LabOptions;

namespace {

const char *const Listener = R"(a: srv = socket(AF_INET, SOCK_STREAM)
a: srv.bind(("127.0.0.1", 0))
a: srv.listen(1)
)";

// Index of the first event of `kind` (optionally on `line`) in the trace, -1 if none.
qsizetype firstEvent(const sl::trace::Trace &t, EventKind kind, int line = -1, int status = -1) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Event &e = t.event(i);
        if (e.kind == kind && (line < 0 || e.line == line) &&
            (status < 0 || e.status.status == status))
            return qsizetype(i);
    }
    return -1;
}

// Keeps this thread on a CPU for ms of its own CPU time.
void burnCpu(int ms) {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    const double until = double(ts.tv_sec) + double(ts.tv_nsec) / 1e9 + ms / 1000.0;
    volatile unsigned x = 0;
    for (;;) {
        for (int i = 0; i < 10000; ++i)
            x = x + unsigned(i);
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        if (double(ts.tv_sec) + double(ts.tv_nsec) / 1e9 >= until)
            return;
    }
}

} // namespace

class TestRobust : public QObject {
    Q_OBJECT
private slots:
    void blockedIsReportedWithItsEvent();
    void slowActorIsDoneNotRunning();
    void slowActorStillBlocksAndLoops();
    void exceptionInActorEndsTheStep();
    void tooManyActorsIsRefused();
};

void TestRobust::blockedIsReportedWithItsEvent() {
    // The sampler (every 1 ms) and the step's own grace (5 ms) race to find the actor
    // blocked; the hook holds whoever finds it between the trace's event and the
    // actor's state for 30 ms. Whatever wins, the report (and `expect blocked(a)`)
    // must never see Blocked before the trace holds the event.
    const QString script = src(Listener) + src("a: c, p = srv.accept()\nexpect blocked(a)\n");
    const int acceptLine = lineOf(script, QStringLiteral("a: c, p = srv.accept()"));
    const int expectLine = lineOf(script, QStringLiteral("expect blocked(a)"));
    for (int round = 0; round < 8; ++round) {
        Lab lab;
        LabOptions o = lab.options();
        o.graceMs = 5;
        o.sampleIntervalMs = 1;
        o.blockedHook = [](int) { std::this_thread::sleep_for(std::chrono::milliseconds(30)); };
        lab.setOptions(o);
        QVERIFY(load(lab, script));
        const auto accept = runTo(lab, acceptLine);
        QVERIFY(accept);
        QCOMPARE(accept->status, StepStatus::Blocked);
        const int blocked = std::uint8_t(sl::trace::ActorState::Blocked);
        QVERIFY2(firstEvent(lab.trace(), EventKind::ActorStatus, acceptLine, blocked) >= 0,
                 "reported Blocked before the trace said so");
        const auto expect = lab.stepAndWait();
        QVERIFY(expect && expect->expectPassed);
        const qsizetype ev = firstEvent(lab.trace(), EventKind::ActorStatus, acceptLine, blocked);
        const qsizetype ex = firstEvent(lab.trace(), EventKind::Expect, expectLine);
        QVERIFY(ev >= 0 && ex > ev);
        QCOMPARE(events(lab.trace(), EventKind::ActorStatus).size(), std::size_t(1));
    }
}

void TestRobust::slowActorIsDoneNotRunning() {
    // Every step of the actor starts 20 ms of CPU and 200 ms of sleep (outside any
    // call, as a descheduled thread on a loaded machine) late: far past a 10 ms grace.
    // None of these steps blocks nor loops: each must be reported Done.
    const QString script = src(Listener) + src(R"(a: x = 1
a: for i in range(3):
    x += i
a: y = srv.getsockname()
)");
    Lab lab;
    LabOptions o = lab.options();
    o.graceMs = 10;
    o.actorHook = [](int, int) {
        burnCpu(20);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    };
    lab.setOptions(o);
    const auto reports = run(lab, script);
    QCOMPARE(reports.size(), std::size_t(6));
    for (const StepReport &r : reports)
        QVERIFY2(r.status == StepStatus::Done && r.outcome.ok, describe(reports).constData());
    for (const Event &e : events(lab.trace(), EventKind::ActorStatus))
        QVERIFY(e.status.status != std::uint8_t(sl::trace::ActorState::Blocked));
}

void TestRobust::slowActorStillBlocksAndLoops() {
    // Slowed down the same way, a call that really blocks is still reported Blocked
    // (the kernel says so) and a busy loop Running (it uses CPU time).
    Lab lab;
    LabOptions o = lab.options();
    o.graceMs = 10;
    o.actorHook = [](int, int) { std::this_thread::sleep_for(std::chrono::milliseconds(150)); };
    lab.setOptions(o);
    const QString script = src(Listener) + src(R"(a: c, p = srv.accept()
b: n = 0
b: while True:
    n += 1
)");
    const auto reports = run(lab, script);
    QCOMPARE(reports.size(), std::size_t(6));
    const StepReport *accept = report(reports, script, QStringLiteral("srv.accept()"));
    QVERIFY(accept);
    QCOMPARE(accept->status, StepStatus::Blocked);
    QCOMPARE(accept->blockedIn, QStringLiteral("accept"));
    QCOMPARE(reports.back().status, StepStatus::Running);
    QCOMPARE(lab.actorRun(1), ActorRun::Running);
}

void TestRobust::exceptionInActorEndsTheStep() {
    // What a failing allocation or an engine bug throws on an actor's thread ends that
    // step with an error (a script error, with a clear message); the process, the
    // actor and the next steps go on.
    const QString script = src(R"(a: x = 1
a: y = 2
a: z = 3
b: w = 4
expect x + z + w == 8
)");
    Lab lab;
    LabOptions o = lab.options();
    o.actorHook = [](int actor, int step) {
        if (actor == 0 && step == 1)
            throw std::bad_alloc();
        if (actor == 1)
            throw std::out_of_range("array::at: __n (which is 64) >= _Nm (which is 64)");
    };
    lab.setOptions(o);
    const auto reports = run(lab, script);
    QCOMPARE(reports.size(), std::size_t(5));
    QVERIFY(reports[0].outcome.ok);
    QVERIFY(!reports[1].outcome.ok);
    QVERIFY(reports[1].outcome.scriptError);
    QCOMPARE(reports[1].outcome.exception, QStringLiteral("MemoryError"));
    QCOMPARE(reports[1].outcome.line, lineOf(script, QStringLiteral("a: y = 2")));
    QVERIFY(reports[2].outcome.ok);
    QVERIFY(!reports[3].outcome.ok);
    QCOMPARE(reports[3].outcome.exception, QStringLiteral("InternalError"));
    QVERIFY2(reports[3].outcome.message.contains(QStringLiteral("array::at")),
             qPrintable(reports[3].outcome.message));
    QCOMPARE(lab.scriptErrors(), 2);
    QVERIFY(!reports[4].expectPassed); // w was never assigned
}

void TestRobust::tooManyActorsIsRefused() {
    // A 65th actor is refused when the script is loaded, never indexed past the table.
    QString script;
    for (int i = 0; i <= sl::script::MaxActors; ++i)
        script += QStringLiteral("actor%1: x%1 = %1\n").arg(i);
    Lab lab;
    QString why;
    QVERIFY(!load(lab, script, &why));
    QVERIFY2(why.contains(QString::number(sl::script::MaxActors)), qPrintable(why));
    QVERIFY(!lab.program());
    // 64 are fine.
    script.clear();
    for (int i = 0; i < sl::script::MaxActors; ++i)
        script += QStringLiteral("actor%1: x%1 = %1\n").arg(i);
    const auto reports = run(lab, script);
    QCOMPARE(reports.size(), std::size_t(sl::script::MaxActors));
    for (const StepReport &r : reports)
        QVERIFY(r.outcome.ok);
}

QTEST_GUILESS_MAIN(TestRobust)
#include "tst_robust.moc"
