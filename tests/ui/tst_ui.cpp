// The window's foundation: the stage state is rebuilt from the trace, the sequence
// model passes QAbstractItemModelTester, Step/Reset drive the stage, and a screenshot
// of lesson 5 at its partial send is saved for a human to look at.
#include "ui/script/scriptpanel.h"
#include "ui/sequence/sequencemodel.h"
#include "ui/stage/stageview.h"
#include "ui/time/tracefeed.h"
#include "ui/window/mainwindow.h"
#include "view/stagestate.h"

#include "engine/lab.h"
#include "lessons/lessoncatalog.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QSignalSpy>
#include <QtTest>

using namespace sl;

class TstUi : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void stageStateReplay();
    void sequenceModel();
    void stepShowsSocket();
    void resetClearsStage();
    void screenshotPartialSend();

private:
    static lessons::LessonInfo lesson(const QString &key);
    // Steps until a CallEnd with `flag` is in the trace; false if the script ends first.
    static bool stepUntilPartial(engine::Lab *lab);
};

void TstUi::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("socketlab-tests"));
    QSettings().clear(); // no layout from an earlier run
}

lessons::LessonInfo TstUi::lesson(const QString &key) {
    QString error;
    const auto l = lessons::findLesson(key, &error);
    if (!l)
        qFatal("lesson %s: %s", qPrintable(key), qPrintable(error));
    return *l;
}

bool TstUi::stepUntilPartial(engine::Lab *lab) {
    for (int guard = 0; guard < 200 && !lab->atEnd(); ++guard) {
        if (!lab->stepAndWait(10000))
            return false;
        const trace::Trace &t = lab->trace();
        for (std::size_t i = 0; i < t.size(); ++i) {
            const trace::Event &e = t.event(i);
            if (e.kind == trace::EventKind::CallEnd && (e.call.flags & trace::CallPartial))
                return true;
        }
    }
    return false;
}

void TstUi::stageStateReplay() {
    // A hand-made trace: the builder needs no lab and no kernel.
    trace::Trace t;
    trace::Event a;
    a.kind = trace::EventKind::ActorNew;
    a.actor = 0;
    a.text.a = t.intern(QStringLiteral("client"));
    t.append(a);
    trace::Event s;
    s.kind = trace::EventKind::SocketNew;
    s.actor = 0;
    s.sock = 3;
    s.socket.fd = 5;
    s.socket.name = t.intern(QStringLiteral("s"));
    t.append(s);
    trace::Event b;
    b.tNs = 1'000'000'000;
    b.kind = trace::EventKind::CallBegin;
    b.actor = 0;
    b.sock = 3;
    b.call.call = std::uint16_t(script::CallId::Recv);
    t.append(b);
    trace::Event st;
    st.tNs = 1'200'000'000;
    st.kind = trace::EventKind::ActorStatus;
    st.actor = 0;
    st.status.status = std::uint8_t(trace::ActorState::Blocked);
    st.status.call = std::uint16_t(script::CallId::Recv);
    t.append(st);

    ui::StageState state = ui::buildStageState(t, t.size());
    QCOMPARE(state.actors.size(), std::size_t(1));
    QCOMPARE(state.actors[0].state, trace::ActorState::Blocked);
    QCOMPARE(ui::actorStatusText(state.actors[0], 4'200'000'000),
             QStringLiteral("blocked in recv() for 3.2 s"));
    QVERIFY(state.socketNamed(QStringLiteral("s")));
    QCOMPARE(state.socketNamed(QStringLiteral("s"))->fd, 5);

    trace::Event c;
    c.kind = trace::EventKind::SocketClose;
    c.sock = 3;
    t.append(c);
    state.advance(t, t.size());
    QVERIFY(state.socket(3)->closed);

    // A kernel-only socket (in the accept queue) the kernel stops listing — accepted, it
    // is a lab socket now — leaves the stage, and the sockets after it are still found.
    trace::Event g;
    g.kind = trace::EventKind::SocketNew;
    g.sock = 7;
    g.socket.fd = -1;
    g.socket.kernelOnly = 1;
    t.append(g);
    trace::Event later = s;
    later.sock = 8;
    later.socket.fd = 9;
    later.socket.name = t.intern(QStringLiteral("conn"));
    t.append(later);
    state.advance(t, t.size());
    QVERIFY(state.socket(7) && state.socket(7)->kernelOnly);
    trace::Event gone;
    gone.kind = trace::EventKind::SocketClose;
    gone.sock = 7;
    gone.socket.kernelOnly = 1;
    t.append(gone);
    state.advance(t, t.size());
    QVERIFY(!state.socket(7));
    QCOMPARE(state.sockets.size(), std::size_t(2));
    QVERIFY(state.socket(8) && state.socket(8)->name == QStringLiteral("conn"));
    QVERIFY(state.socket(3) && state.socket(3)->closed); // a lab socket stays, faded
    // A blocked call returns, the blocked-call watcher says "running" just after its
    // CallEnd, then the step ends: the actor is idle (not left "running" for good).
    trace::Event end;
    end.tNs = 5'000'000'000;
    end.kind = trace::EventKind::CallEnd;
    end.actor = 0;
    end.sock = 3;
    end.call.call = std::uint16_t(script::CallId::Recv);
    t.append(end);
    trace::Event running = st;
    running.tNs = end.tNs;
    running.status.status = std::uint8_t(trace::ActorState::Running);
    running.status.call = 0;
    t.append(running);
    state.advance(t, t.size());
    QCOMPARE(state.actors[0].state, trace::ActorState::Running);
    trace::Event stepEnd;
    stepEnd.tNs = end.tNs + 1000;
    stepEnd.kind = trace::EventKind::StepEnd;
    stepEnd.actor = 0;
    stepEnd.status.status = std::uint8_t(trace::ActorState::Idle);
    t.append(stepEnd);
    state.advance(t, t.size());
    QCOMPARE(state.actors[0].state, trace::ActorState::Idle);
    QCOMPARE(ui::actorStatusText(state.actors[0], stepEnd.tNs), QStringLiteral("idle"));
    // Replaying a prefix gives the earlier picture.
    QCOMPARE(ui::buildStageState(t, 2).actors[0].state, trace::ActorState::Idle);
}

void TstUi::sequenceModel() {
    engine::Lab lab;
    QVERIFY(lab.load(lesson(QStringLiteral("5")).source, QStringLiteral("05.lab")));
    ui::SequenceModel model(&lab.trace());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ui::TraceFeed feed(&lab);
    connect(&feed, &ui::TraceFeed::appended, &model, &ui::SequenceModel::appendEvents);
    connect(&feed, &ui::TraceFeed::cleared, &model, &ui::SequenceModel::clear);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    QVERIFY(stepUntilPartial(&lab));
    feed.drainNow();
    QVERIFY(model.rowCount() > 0);
    int partialRow = -1;
    for (int r = 0; r < model.rowCount(); ++r)
        if (model.index(r, 0).data(ui::SequenceModel::PartialRole).toBool())
            partialRow = r;
    QVERIFY(partialRow >= 0);
    // Actors are columns: the call and its result sit in the caller's column.
    const int column = ui::SequenceModel::FirstActorColumn +
                       model.index(partialRow, 0).data(ui::SequenceModel::ActorRole).toInt();
    const QString call = model.index(partialRow, column).data().toString();
    QVERIFY2(call.startsWith(QStringLiteral("s.send(1000000) → ")), qPrintable(call));
    QVERIFY(model.index(partialRow, column)
                .data(Qt::ToolTipRole)
                .toString()
                .startsWith(QStringLiteral("send(")));

    // The loop that follows ends in EAGAIN.
    bool sawEagain = false;
    for (int i = 0; i < 10 && !sawEagain && !lab.atEnd(); ++i) {
        QVERIFY(lab.stepAndWait(10000));
        feed.drainNow();
        for (int r = 0; r < model.rowCount(); ++r)
            for (int c = ui::SequenceModel::FirstActorColumn; c < model.columnCount(); ++c)
                if (model.index(r, c).data().toString().endsWith(QStringLiteral(
                        "→ BlockingIOError: [Errno 11] Resource temporarily unavailable")))
                    sawEagain = true;
    }
    QVERIFY(sawEagain);

    lab.reset();
    QCOMPARE(model.rowCount(), 0);
}

void TstUi::stepShowsSocket() {
    ui::MainWindow w;
    QVERIFY(w.openLesson(lesson(QStringLiteral("5"))));
    w.show();
    QVERIFY(w.stepAction()->isEnabled());
    QCOMPARE(w.lab()->position(), 0);
    QSignalSpy finished(w.lab(), &engine::Lab::stepFinished);
    // The lesson opens with narration; `srv = socket(…)` comes within a few steps.
    for (int i = 1; i <= 4 && !w.stageView()->state().socketNamed(QStringLiteral("srv")); ++i) {
        QVERIFY(w.stepAction()->isEnabled());
        w.stepAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), i, 10000);
        QCOMPARE(w.lab()->position(), i);
        QVERIFY(w.scriptPanel()->highlightedLine() > 0);
        QTest::qWait(2 * ui::TraceFeed::FrameMs); // the feed delivers on its own timer
    }
    const ui::SocketSnap *srv = w.stageView()->state().socketNamed(QStringLiteral("srv"));
    QVERIFY(srv);
    QCOMPARE(srv->actor, 0); // in the server's lane
    QVERIFY(!w.scriptPanel()->narration().isEmpty());
    w.lab()->reset();
}

void TstUi::resetClearsStage() {
    ui::MainWindow w;
    QVERIFY(w.openLesson(lesson(QStringLiteral("5"))));
    for (int i = 0; i < 3; ++i)
        QVERIFY(w.lab()->stepAndWait(10000));
    w.feed()->drainNow();
    QVERIFY(!w.stageView()->state().sockets.empty());
    w.resetAction()->trigger();
    w.feed()->drainNow();
    QVERIFY(w.stageView()->state().sockets.empty());
    QCOMPARE(w.sequenceModel()->rowCount(), 0);
    QCOMPARE(w.lab()->position(), 0);
}

void TstUi::screenshotPartialSend() {
    ui::MainWindow w;
    w.resize(1280, 820);
    QVERIFY(w.openLesson(lesson(QStringLiteral("5"))));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(stepUntilPartial(w.lab()));
    w.feed()->drainNow();
    const ui::SocketSnap *s = w.stageView()->state().socketNamed(QStringLiteral("s"));
    QVERIFY(s && s->hasSample);
    QVERIFY(s->sample.sendQ > 0);
    QCoreApplication::processEvents();
    const QString path =
        QCoreApplication::applicationDirPath() + QStringLiteral("/ui_lesson05_partial_send.png");
    QVERIFY(w.grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
    w.lab()->reset();
}

QTEST_MAIN(TstUi)
#include "tst_ui.moc"
