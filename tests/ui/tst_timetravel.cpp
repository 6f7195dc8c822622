// Time travel: a saved trace replays to the same stage as the live run; moving the
// time cursor back shows earlier queue sizes; a click on a sequence row moves the
// cursor; the sequence model (actors as columns) passes QAbstractItemModelTester
// through a run, a replay and a reset; the timeline steps by call. Screenshots of
// lesson 5 at its partial send and at the blocked sendall are saved for a human.
#include "ui/sequence/sequencemodel.h"
#include "ui/stage/stageview.h"
#include "ui/time/timecursor.h"
#include "ui/time/timeline.h"
#include "ui/time/timetravel.h"
#include "ui/time/tracefeed.h"
#include "ui/window/mainwindow.h"
#include "view/stagestate.h"

#include "engine/lab.h"
#include "lessons/lessoncatalog.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace sl;

class TstTimeTravel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void replayEqualsLive();
    void cursorBackShowsEarlierQueues();
    void clickingRowMovesCursor();
    void timelineStepsByCall();
    void selectRowNamesSockets();
    void resetClears();
    void screenshots();

private:
    static lessons::LessonInfo lesson(const QString &key);
    static void runToEnd(ui::MainWindow &w);
    // Index of the first event matching `pred`, or trace size.
    template <typename F>
    static std::size_t find(const trace::Trace &t, F pred);
    static void compareStates(const ui::StageState &a, const ui::StageState &b);
    QTemporaryDir m_dir;
};

void TstTimeTravel::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("socketlab-tests"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
}

lessons::LessonInfo TstTimeTravel::lesson(const QString &key) {
    QString error;
    const auto l = lessons::findLesson(key, &error);
    if (!l)
        qFatal("lesson %s: %s", qPrintable(key), qPrintable(error));
    return *l;
}

void TstTimeTravel::runToEnd(ui::MainWindow &w) {
    for (int guard = 0; guard < 200 && !w.lab()->atEnd(); ++guard)
        QVERIFY(w.lab()->stepAndWait(20000));
    QVERIFY(w.lab()->atEnd());
    w.feed()->drainNow();
}

template <typename F>
std::size_t TstTimeTravel::find(const trace::Trace &t, F pred) {
    for (std::size_t i = 0; i < t.size(); ++i)
        if (pred(t.event(i)))
            return i;
    return t.size();
}

void TstTimeTravel::compareStates(const ui::StageState &a, const ui::StageState &b) {
    QCOMPARE(a.cursor, b.cursor);
    QCOMPARE(a.actors.size(), b.actors.size());
    for (std::size_t i = 0; i < a.actors.size(); ++i) {
        QCOMPARE(a.actors[i].name, b.actors[i].name);
        QCOMPARE(a.actors[i].state, b.actors[i].state);
    }
    QCOMPARE(a.sockets.size(), b.sockets.size());
    for (std::size_t i = 0; i < a.sockets.size(); ++i) {
        const ui::SocketSnap &x = a.sockets[i], &y = b.sockets[i];
        QCOMPARE(x.name, y.name);
        QCOMPARE(x.fd, y.fd);
        QCOMPARE(x.actor, y.actor);
        QCOMPARE(x.local, y.local);
        QCOMPARE(x.peer, y.peer);
        QCOMPARE(x.closed, y.closed);
        QCOMPARE(x.hasSample, y.hasSample);
        QCOMPARE(x.sample.state, y.sample.state);
        QCOMPARE(x.sample.sendQ, y.sample.sendQ);
        QCOMPARE(x.sample.recvQ, y.sample.recvQ);
        QCOMPARE(x.sample.acceptQ, y.sample.acceptQ);
    }
}

void TstTimeTravel::replayEqualsLive() {
    const QString path = m_dir.filePath(QStringLiteral("lesson05.jsonl"));
    ui::StageState live;
    std::size_t partialPos = 0;
    {
        ui::MainWindow w;
        QAbstractItemModelTester tester(w.sequenceModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(w.openLesson(lesson(QStringLiteral("5"))));
        runToEnd(w);
        const trace::Trace &t = w.lab()->trace();
        QCOMPARE(w.cursor()->position(), t.size());
        live = w.stageView()->state();
        compareStates(live, ui::buildStageState(t, t.size())); // the view shows the end
        QVERIFY(live.socketNamed(QStringLiteral("conn")));
        partialPos = find(t,
                          [](const trace::Event &e) {
                              return e.kind == trace::EventKind::CallEnd &&
                                     (e.call.flags & trace::CallPartial);
                          }) +
                     1;
        QVERIFY(partialPos <= t.size());
        QString error;
        QVERIFY2(w.timeTravel()->saveTrace(path, &error), qPrintable(error));
    }

    // A fresh window that has run nothing: the file alone rebuilds the stage.
    ui::MainWindow w;
    QAbstractItemModelTester tester(w.sequenceModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(w.openLesson(lesson(QStringLiteral("5"))));
    QVERIFY(w.stepAction()->isEnabled());
    QSignalSpy replayChanged(w.timeTravel(), &ui::TimeTravel::replayChanged);
    QString error;
    QVERIFY2(w.timeTravel()->openTrace(path, &error), qPrintable(error));
    QCOMPARE(replayChanged.size(), 1);
    QVERIFY(w.cursor()->isReplay());
    QCOMPARE(w.cursor()->trace(), w.timeTravel()->replayTrace());
    QCOMPARE(w.timeTravel()->replayMeta().value(QStringLiteral("lesson_id")),
             lesson(QStringLiteral("5")).id);
    QVERIFY(w.timeTravel()
                ->replayMeta()
                .value(QStringLiteral("source"))
                .contains(QStringLiteral("sendall")));
    // A replay has no socket to run: Step only returns to the live lab (tst_cursorfollow).
    QVERIFY(w.stepAction()->isEnabled());
    QVERIFY(!w.runAction()->isEnabled());
    auto *banner = w.findChild<QLabel *>(QStringLiteral("replayBanner"));
    QVERIFY(banner && !banner->isHidden());
    QVERIFY(banner->text().contains(QStringLiteral("lesson05.jsonl")));
    compareStates(w.stageView()->state(), live);
    QVERIFY(w.sequenceModel()->rowCount() > 0);
    // No socket was touched: the lab's own trace holds no call.
    QCOMPARE(find(w.lab()->trace(),
                  [](const trace::Event &e) { return e.kind == trace::EventKind::CallBegin; }),
             w.lab()->trace().size());

    // The same point in the middle too: the replay has the very same events.
    w.cursor()->setPosition(partialPos);
    QCOMPARE(w.stageView()->state().cursor, partialPos);

    // Back to live: the lab's (empty) trace, Step enabled again.
    w.timeTravel()->backToLive();
    QVERIFY(!w.cursor()->isReplay());
    QVERIFY(w.cursor()->isLive());
    QCOMPARE(w.cursor()->trace(), &w.lab()->trace());
    QVERIFY(w.stageView()->state().sockets.empty());
    QCOMPARE(w.sequenceModel()->rowCount(), 0);
    QVERIFY(w.stepAction()->isEnabled());
    QVERIFY(banner->isHidden());

    // A broken file changes nothing.
    QFile bad(m_dir.filePath(QStringLiteral("bad.jsonl")));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("not json\n");
    bad.close();
    QVERIFY(!w.timeTravel()->openTrace(bad.fileName(), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!w.cursor()->isReplay());

    // An incomplete trace (cut short: no trailer line) opens, with a warning.
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QByteArray bytes = saved.readAll();
    QVERIFY(bytes.endsWith("}\n"));
    bytes.truncate(bytes.lastIndexOf("{\"socketlab_trace_end\""));
    QFile cut(m_dir.filePath(QStringLiteral("cut.jsonl")));
    QVERIFY(cut.open(QIODevice::WriteOnly));
    cut.write(bytes);
    cut.close();
    QString warning;
    QVERIFY2(w.timeTravel()->openTrace(cut.fileName(), &error, &warning), qPrintable(error));
    QVERIFY2(warning.contains(QStringLiteral("incomplete")), qPrintable(warning));
    QVERIFY(w.cursor()->isReplay());
    QVERIFY(w.cursor()->trace()->size() > 100);
    w.timeTravel()->backToLive();
}

void TstTimeTravel::cursorBackShowsEarlierQueues() {
    ui::MainWindow w;
    QVERIFY(w.openLesson(lesson(QStringLiteral("5"))));
    runToEnd(w);
    const trace::Trace &t = w.lab()->trace();
    // After the first partial send the narration reads recvq(conn) and sendq(s): the
    // expectation `recvq(conn) > 0` passed there.
    const std::size_t expect = find(t, [&t](const trace::Event &e) {
        return e.kind == trace::EventKind::Expect &&
               t.text(e.expect.text).contains(QStringLiteral("recvq(conn)"));
    });
    QVERIFY(expect < t.size());
    QVERIFY(t.event(expect).expect.passed);
    const ui::StageState end = w.stageView()->state();
    const int endSendQ = end.socketNamed(QStringLiteral("s"))->sample.sendQ;
    const int endRecvQ = end.socketNamed(QStringLiteral("conn"))->sample.recvQ;

    w.cursor()->setPosition(expect + 1);
    QVERIFY(!w.cursor()->isLive());
    const ui::StageState &back = w.stageView()->state();
    QCOMPARE(back.cursor, expect + 1);
    const ui::SocketSnap *s = back.socketNamed(QStringLiteral("s"));
    const ui::SocketSnap *conn = back.socketNamed(QStringLiteral("conn"));
    QVERIFY(s && s->hasSample && conn && conn->hasSample);
    QVERIFY2(s->sample.sendQ > 0, qPrintable(QString::number(s->sample.sendQ)));
    QVERIFY(conn->sample.recvQ > 0);
    // At the end the server had read everything: the queues were not what they are here.
    QVERIFY(s->sample.sendQ != endSendQ || conn->sample.recvQ != endRecvQ);
    QVERIFY(!s->closed);
    QVERIFY(end.socketNamed(QStringLiteral("s"))->closed);
    compareStates(back, ui::buildStageState(t, expect + 1));

    // Forward again (incrementally) lands on exactly the end state.
    w.cursor()->setLive(true);
    compareStates(w.stageView()->state(), end);
}

void TstTimeTravel::clickingRowMovesCursor() {
    ui::MainWindow w;
    w.resize(1280, 820);
    QVERIFY(w.openLesson(lesson(QStringLiteral("5"))));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    runToEnd(w);
    ui::SequenceModel *model = w.sequenceModel();
    int row = -1;
    for (int r = 0; r < model->rowCount() && row < 0; ++r)
        if (model->index(r, 0).data(ui::SequenceModel::PartialRole).toBool())
            row = r;
    QVERIFY(row >= 0);
    QTableView *view = w.sequenceView();
    const int column = ui::SequenceModel::FirstActorColumn +
                       model->index(row, 0).data(ui::SequenceModel::ActorRole).toInt();
    const QModelIndex idx = model->index(row, column);
    view->scrollTo(idx);
    QCoreApplication::processEvents();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(idx).center());
    const auto endEvent = std::size_t(idx.data(ui::SequenceModel::EndEventRole).toLongLong());
    QCOMPARE(w.cursor()->position(), endEvent + 1);
    QVERIFY(!w.cursor()->isLive());
    QCOMPARE(w.stageView()->state().cursor, endEvent + 1);
    QCOMPARE(view->currentIndex().row(), row); // the clicked row is the one highlighted
    QCOMPARE(model->rowAtPosition(endEvent + 1), row);
    // Later rows are the future now: dimmed, and their results not shown yet.
    QVERIFY(model->index(model->rowCount() - 1, 0).data(ui::SequenceModel::FutureRole).toBool());
    QVERIFY(!model->index(row, 0).data(ui::SequenceModel::FutureRole).toBool());
    QVERIFY(idx.data().toString().contains(QStringLiteral("→ ")));
    w.lab()->reset();
}

void TstTimeTravel::timelineStepsByCall() {
    ui::MainWindow w;
    QVERIFY(w.openLesson(lesson(QStringLiteral("5"))));
    runToEnd(w);
    auto *timeline = w.findChild<ui::Timeline *>(QStringLiteral("timeline"));
    QVERIFY(timeline);
    timeline->refresh();
    QVERIFY(!timeline->ticks().empty());
    const trace::Trace &t = w.lab()->trace();
    QTest::keyClick(timeline, Qt::Key_Home);
    QCOMPARE(w.cursor()->position(), std::size_t(0));
    QVERIFY(!w.cursor()->isLive());
    QTest::keyClick(timeline, Qt::Key_Right);
    const std::size_t first = w.cursor()->position();
    QVERIFY(first > 0);
    // The first stop is just after the first call's end (or a blocking, an expectation).
    const trace::Event &e = t.event(first - 1);
    QVERIFY(e.kind == trace::EventKind::CallEnd || e.kind == trace::EventKind::Expect ||
            e.kind == trace::EventKind::ActorStatus);
    for (std::size_t i = 0; i + 1 < first; ++i)
        QVERIFY(t.event(i).kind != trace::EventKind::CallEnd);
    QTest::keyClick(timeline, Qt::Key_Right);
    QVERIFY(w.cursor()->position() > first);
    QTest::keyClick(timeline, Qt::Key_Left);
    QCOMPARE(w.cursor()->position(), first);
    QTest::keyClick(timeline, Qt::Key_End);
    QVERIFY(w.cursor()->isLive());
    QCOMPARE(w.cursor()->position(), t.size());
    w.lab()->reset();
}

void TstTimeTravel::selectRowNamesSockets() {
    ui::MainWindow w;
    QAbstractItemModelTester tester(w.sequenceModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString src = QStringLiteral("server: srv = socket(AF_INET, SOCK_STREAM)\n"
                                       "server: srv.bind((\"127.0.0.1\", 0))\n"
                                       "server: srv.listen(5)\n"
                                       "client: c = socket(AF_INET, SOCK_STREAM)\n"
                                       "client: c.connect(srv.getsockname())\n"
                                       "server: r, w, x = select([srv], [], [], 2)\n");
    QVERIFY(w.lab()->load(src, QStringLiteral("select.lab")));
    runToEnd(w);
    ui::SequenceModel *model = w.sequenceModel();
    QCOMPARE(model->columnCount(), ui::SequenceModel::FirstActorColumn + 2);
    QCOMPARE(model->headerData(ui::SequenceModel::FirstActorColumn, Qt::Horizontal, Qt::DisplayRole)
                 .toString(),
             QStringLiteral("server"));
    QString text;
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, ui::SequenceModel::FirstActorColumn)
                .data()
                .toString()
                .startsWith(QStringLiteral("select(")))
            text = model->index(r, ui::SequenceModel::FirstActorColumn).data().toString();
    QVERIFY2(text.endsWith(QStringLiteral("→ r=[srv] w=[] x=[]")), qPrintable(text));
    // Each call sits in its own actor's column only: c.connect() in the client's.
    bool sawConnect = false;
    for (int r = 0; r < model->rowCount(); ++r) {
        const QString server =
            model->index(r, ui::SequenceModel::FirstActorColumn).data().toString();
        const QString client =
            model->index(r, ui::SequenceModel::FirstActorColumn + 1).data().toString();
        QVERIFY(server.isEmpty() != client.isEmpty());
        sawConnect = sawConnect || client.startsWith(QStringLiteral("c.connect("));
        QVERIFY(!server.startsWith(QStringLiteral("c.")));
    }
    QVERIFY(sawConnect);
    w.lab()->reset();
}

void TstTimeTravel::resetClears() {
    ui::MainWindow w;
    QAbstractItemModelTester tester(w.sequenceModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(w.openLesson(lesson(QStringLiteral("5"))));
    for (int i = 0; i < 6; ++i)
        QVERIFY(w.lab()->stepAndWait(10000));
    w.feed()->drainNow();
    QVERIFY(w.sequenceModel()->rowCount() > 0);
    w.cursor()->setPosition(3); // in the past when the reset comes
    w.resetAction()->trigger();
    w.feed()->drainNow();
    QCOMPARE(w.sequenceModel()->rowCount(), 0);
    // Only actor columns (declared again by the reset) may remain, no call.
    QVERIFY(w.sequenceModel()->columnCount() <= 1 + int(w.lab()->actorNames().size()));
    QVERIFY(w.stageView()->state().sockets.empty());
    // A reset starts a new run (its first notes may already be there), followed live.
    QCOMPARE(w.cursor()->position(), w.lab()->trace().size());
    QVERIFY(w.cursor()->isLive());
    auto *timeline = w.findChild<ui::Timeline *>(QStringLiteral("timeline"));
    QVERIFY(timeline && timeline->ticks().empty());
    // The next step shows at once.
    QVERIFY(w.lab()->stepAndWait(10000));
    w.feed()->drainNow();
    QCOMPARE(w.stageView()->state().cursor, w.lab()->trace().size());
    w.lab()->reset();
}

void TstTimeTravel::screenshots() {
    ui::MainWindow w;
    w.resize(1280, 820);
    QVERIFY(w.openLesson(lesson(QStringLiteral("5"))));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.stageView()->setAnimated(false); // the picture shows the values, not a glide
    const QString dir = QCoreApplication::applicationDirPath();
    const auto save = [&](const QString &name) {
        QCoreApplication::processEvents();
        const QString path = dir + u'/' + name;
        QVERIFY(w.grab().save(path));
        qInfo("screenshot: %s", qPrintable(path));
    };
    const trace::Trace &t = w.lab()->trace();
    const auto has = [&t](auto pred) { return find(t, pred) < t.size(); };
    for (int guard = 0; guard < 60 && !has([](const trace::Event &e) {
                            return e.kind == trace::EventKind::CallEnd &&
                                   (e.call.flags & trace::CallPartial);
                        });
         ++guard)
        QVERIFY(w.lab()->stepAndWait(10000));
    QVERIFY(w.lab()->stepAndWait(10000)); // the expectation and narration after it
    w.feed()->drainNow();
    save(QStringLiteral("timetravel_lesson05_partial_send.png"));

    // Step until the client is blocked in the sendall, then let the clock tick.
    for (int guard = 0; guard < 60; ++guard) {
        w.feed()->drainNow();
        const auto &actors = w.stageView()->state().actors;
        if (actors.size() > 1 && actors[1].state == trace::ActorState::Blocked)
            break;
        QVERIFY(w.lab()->stepAndWait(10000));
    }
    QTest::qWait(1200);
    w.feed()->drainNow();
    QVERIFY(w.stageView()->state().actors[1].state == trace::ActorState::Blocked);
    save(QStringLiteral("timetravel_lesson05_blocked_sendall.png"));
    w.lab()->reset();
}

QTEST_MAIN(TstTimeTravel)
#include "tst_timetravel.moc"
