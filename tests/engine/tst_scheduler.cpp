// Lab's scheduling: step() runs exactly one step, run() runs to the end, breakpoints
// stop run() before their line, stop-on-failure stops at a failed expectation, pause().
// stepAndWait() waits as long as a step's own bound (`wait N`, `within N`); a headless
// run that stops early, or has no step, fails and says where and why.
#include "labtest.h"

#include "engine/runner.h"

#include <QSignalSpy>
#include <QTest>

using namespace labtest;

namespace {

const char *const Script = R"(a: x = 1
b: y = x + 1
a: for i in range(3):
    x += i
expect x == 4
b: z = y * 10
say "done {z}"
)";

} // namespace

class TestScheduler : public QObject {
    Q_OBJECT
private slots:
    void stepRunsOneStep();
    void runToTheEnd();
    void breakpointStopsBeforeItsLine_data();
    void breakpointStopsBeforeItsLine();
    void stopOnFailure_data();
    void stopOnFailure();
    void pauseStops();
    void longWaitsAreWaitedFor();
    void runThatStopsEarlyFails();
    void emptyScriptFails_data();
    void emptyScriptFails();
};

void TestScheduler::stepRunsOneStep() {
    Lab lab;
    const QString script = src(Script);
    QVERIFY(load(lab, script));
    QCOMPARE(lab.program()->steps.size(), std::size_t(6));
    QSignalSpy started(&lab, &Lab::stepStarted);
    QSignalSpy finished(&lab, &Lab::stepFinished);
    QCOMPARE(lab.position(), 0);
    lab.step();
    QCOMPARE(lab.position(), 1);
    lab.step(); // a step is in progress (or just done): at most one more may start
    QTRY_COMPARE(finished.count(), started.count());
    QVERIFY(lab.position() <= 2);
    const int pos = lab.position();
    const auto r = lab.stepAndWait();
    QVERIFY(r);
    QCOMPARE(r->step, pos);
    QCOMPARE(lab.position(), pos + 1);
    QCOMPARE(finished.count(), pos + 1);
    // Nothing else runs by itself.
    QTest::qWait(100);
    QCOMPARE(lab.position(), pos + 1);
    QCOMPARE(finished.count(), pos + 1);
    QVERIFY(!lab.isRunning());
}

void TestScheduler::runToTheEnd() {
    Lab lab;
    QVERIFY(load(lab, src(Script)));
    QSignalSpy finished(&lab, &Lab::finished);
    QSignalSpy steps(&lab, &Lab::stepFinished);
    QSignalSpy running(&lab, &Lab::runningChanged);
    lab.run(0);
    QVERIFY(lab.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QTRY_VERIFY(!lab.isRunning());
    QVERIFY(lab.atEnd());
    QCOMPARE(steps.count(), 6);
    QCOMPARE(running.count(), 2);
    QCOMPARE(running.at(0).at(0).toBool(), true);
    QCOMPARE(running.at(1).at(0).toBool(), false);
    QCOMPARE(lab.failedExpectations(), 0);
    const auto last = steps.last().at(0).value<StepReport>();
    QCOMPARE(last.say[0], QStringLiteral("done 20"));
    QTest::qWait(50);
    QCOMPARE(finished.count(), 1);
}

void TestScheduler::breakpointStopsBeforeItsLine_data() {
    QTest::addColumn<QString>("lineText");
    QTest::addColumn<int>("stopStep"); // index of the step it stops before
    QTest::newRow("actor step") << src("b: y = x + 1") << 1;
    QTest::newRow("block header") << src("a: for i in range(3):") << 2;
    QTest::newRow("inside a block") << src("    x += i") << 2;
    QTest::newRow("expect") << src("expect x == 4") << 3;
    QTest::newRow("last step") << src("say \"done {z}\"") << 5;
}

void TestScheduler::breakpointStopsBeforeItsLine() {
    QFETCH(QString, lineText);
    QFETCH(int, stopStep);
    const QString script = src(Script);
    const int line = lineOf(script, lineText);
    QVERIFY(line > 0);
    Lab lab;
    QVERIFY(load(lab, script));
    lab.setBreakpoints({line});
    QSignalSpy hit(&lab, &Lab::breakpointHit);
    QSignalSpy finished(&lab, &Lab::finished);
    QSignalSpy steps(&lab, &Lab::stepFinished);
    lab.run(0);
    QTRY_COMPARE_WITH_TIMEOUT(hit.count(), 1, 10000);
    QCOMPARE(hit.at(0).at(0).toInt(), line);
    QTRY_VERIFY(!lab.isRunning());
    QCOMPARE(lab.position(), stopStep); // stopped before it: not run
    QCOMPARE(steps.count(), stopStep);
    QTest::qWait(50);
    QCOMPARE(lab.position(), stopStep);

    lab.run(0); // continues past the breakpoint, which is not hit again
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(hit.count(), 1);
    QVERIFY(lab.atEnd());
    QCOMPARE(steps.count(), 6);
}

void TestScheduler::stopOnFailure_data() {
    QTest::addColumn<bool>("stop");
    QTest::newRow("stop") << true;
    QTest::newRow("go on") << false;
}

void TestScheduler::stopOnFailure() {
    QFETCH(bool, stop);
    const QString script = src(R"(a: x = 1
expect x == 2
a: y = 3
expect y == 3
)");
    Lab lab;
    QVERIFY(load(lab, script));
    lab.setStopOnFailure(stop);
    QSignalSpy steps(&lab, &Lab::stepFinished);
    QSignalSpy finished(&lab, &Lab::finished);
    lab.run(0);
    if (stop) {
        QTRY_VERIFY_WITH_TIMEOUT(!lab.isRunning(), 10000);
        QCOMPARE(steps.count(), 2);
        QVERIFY(!steps.last().at(0).value<StepReport>().expectPassed);
        QCOMPARE(lab.position(), 2);
        QVERIFY(!lab.atEnd());
        QTest::qWait(100);
        QCOMPARE(lab.position(), 2);
        QCOMPARE(finished.count(), 0);
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QCOMPARE(steps.count(), 4);
    }
    QCOMPARE(lab.failedExpectations(), 1);
}

void TestScheduler::pauseStops() {
    const QString script = src(R"(a: n = 0
wait 0.05
a: n = n + 1
wait 0.05
a: n = n + 1
wait 0.05
a: n = n + 1
)");
    Lab lab;
    QVERIFY(load(lab, script));
    QSignalSpy steps(&lab, &Lab::stepFinished);
    QSignalSpy finished(&lab, &Lab::finished);
    connect(&lab, &Lab::stepFinished, &lab, [&](const StepReport &r) {
        if (r.step == 2)
            lab.pause();
    });
    lab.run(0);
    QTRY_COMPARE_WITH_TIMEOUT(steps.count(), 3, 10000);
    QTRY_VERIFY(!lab.isRunning());
    QTest::qWait(300);
    QCOMPARE(steps.count(), 3);
    QCOMPARE(lab.position(), 3);
    lab.run(0);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(steps.count(), 7);
    QCOMPARE(steps.last().at(0).value<StepReport>().outcome.value.i, 3);
}

namespace {

sl::engine::RunResult runScript(const QString &source, sl::engine::RunOptions opts,
                                QString *errText) {
    sl::lessons::LessonInfo lesson;
    lesson.id = QStringLiteral("t");
    lesson.path = QStringLiteral("t.lab");
    lesson.source = source;
    QString outText;
    QTextStream out(&outText), err(errText);
    return sl::engine::runLesson(lesson, opts, out, err);
}

} // namespace

void TestScheduler::longWaitsAreWaitedFor() {
    // A step lasting longer than the margin stepAndWait() adds is still waited for:
    // the bound comes from the step. (With a fixed bound — 30 s before — `wait 31`
    // made stepAndWait() give up, and `check` printed PASS with `expect False` never
    // run. Here the margin is 100 ms and the steps last 600 and 500 ms.)
    const QString script = src(R"(a: x = 1
wait 0.6
wait until x == 2 within 0.5
expect False
)");
    sl::engine::RunOptions opts;
    opts.quiet = true;
    opts.stopOnFailure = false;
    opts.labOptions = [](sl::engine::LabOptions &o) { o.stepSlackMs = 100; };
    QString err;
    const auto res = runScript(script, opts, &err);
    QVERIFY2(res.steps == 4, qPrintable(err + res.failure));
    QCOMPARE(res.expectations, 2);
    QCOMPARE(res.failedExpectations, 2);
    QVERIFY(!res.passed);
    QVERIFY2(res.failure.startsWith(QStringLiteral("t.lab:3:")), qPrintable(res.failure));

    Lab lab; // the same through stepAndWait() itself
    LabOptions o = lab.options();
    o.stepSlackMs = 100;
    lab.setOptions(o);
    QVERIFY(load(lab, script));
    for (int i = 0; i < 4; ++i)
        QVERIFY2(lab.stepAndWait(), qPrintable(QStringLiteral("step %1 did not report").arg(i)));
    QCOMPARE(lab.failedExpectations(), 2);
}

void TestScheduler::runThatStopsEarlyFails() {
    // A step that does not report in time (here: a cap injected on its own bound)
    // stops the run: it fails, naming the line and the steps that did not run.
    const QString script = src(R"(a: x = 1
wait 0.5
expect False
)");
    sl::engine::RunOptions opts;
    opts.quiet = true;
    opts.labOptions = [](sl::engine::LabOptions &o) {
        o.stepSlackMs = 0;
        o.stepBoundCapMs = 50;
    };
    QString err;
    const auto res = runScript(script, opts, &err);
    QVERIFY(!res.passed);
    QCOMPARE(res.steps, 1);
    QVERIFY2(res.failure.startsWith(QStringLiteral("t.lab:2: the run stopped early")),
             qPrintable(res.failure));
    QVERIFY2(res.failure.contains(QStringLiteral("1 later step(s) did not run")),
             qPrintable(res.failure));
}

void TestScheduler::emptyScriptFails_data() {
    QTest::addColumn<QString>("script");
    QTest::newRow("empty") << QString();
    QTest::newRow("comments") << src("#! title: nothing\n# a comment\n\n");
}

void TestScheduler::emptyScriptFails() {
    QFETCH(QString, script);
    sl::engine::RunOptions opts;
    opts.quiet = true;
    QString err;
    const auto res = runScript(script, opts, &err);
    QVERIFY(res.loaded);
    QVERIFY(!res.passed);
    QCOMPARE(res.steps, 0);
    QVERIFY2(res.failure.contains(QStringLiteral("no steps")), qPrintable(res.failure));
}

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
