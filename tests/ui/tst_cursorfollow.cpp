// Time travel moves everything (issue 8, point 6) and a failed expectation is loud
// (point 7): the narration and the script's highlighted line follow the time cursor,
// live, looking back and in a replayed trace; Step while looking back returns to live
// and runs no step; the look-back banner shows while in the past; Home/End/Left/Right
// work with the focus in another dock (the editor keeps its own keys, Alt+ works there);
// a failed expectation shows a red banner over the stage and in the narration area.
#include "ui/script/scripteditor.h"
#include "ui/script/scriptpanel.h"
#include "ui/stage/inspector.h"
#include "ui/stage/queuechart.h"
#include "ui/time/timecursor.h"
#include "ui/time/timetravel.h"
#include "ui/time/tracefeed.h"
#include "ui/window/cursorfollow.h"
#include "ui/window/mainwindow.h"

#include "engine/lab.h"
#include "lessons/lessoncatalog.h"

#include <QAction>
#include <QLabel>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace sl;

class TstCursorFollow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void narrationFollowsCursor();
    void replayShowsNarrationOfCursor();
    void stepWhileLookingBackReturnsToLive();
    void keysWorkFromAnyDock();
    void failedExpectationIsLoud();
    void chartStartsAtTheLessonsStart();

private:
    static bool open(ui::MainWindow &w, const QString &key);
    static void steps(ui::MainWindow &w, int n);
    static std::vector<std::size_t> eventsOf(const trace::Trace &t, trace::EventKind kind);
    QTemporaryDir m_dir;
};

void TstCursorFollow::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("socketlab-tests"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
}

bool TstCursorFollow::open(ui::MainWindow &w, const QString &key) {
    const auto l = lessons::findLesson(key);
    if (!l || !w.openLesson(*l))
        return false;
    w.resize(1280, 720);
    w.show();
    w.activateWindow();
    return QTest::qWaitForWindowActive(&w);
}

void TstCursorFollow::steps(ui::MainWindow &w, int n) {
    for (int i = 0; i < n && !w.lab()->atEnd(); ++i)
        QVERIFY(w.lab()->stepAndWait(20000));
    w.feed()->drainNow();
}

std::vector<std::size_t> TstCursorFollow::eventsOf(const trace::Trace &t, trace::EventKind kind) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < t.size(); ++i)
        if (t.event(i).kind == kind)
            out.push_back(i);
    return out;
}

void TstCursorFollow::narrationFollowsCursor() {
    ui::MainWindow w;
    QVERIFY(open(w, QStringLiteral("1")));
    // Before the first step the narration says how to take it.
    QVERIFY2(w.scriptPanel()->narration().contains(QStringLiteral("F10")),
             qPrintable(w.scriptPanel()->narration()));
    steps(w, 12);
    const trace::Trace &t = w.lab()->trace();
    const auto says = eventsOf(t, trace::EventKind::Say);
    const auto stepsBegun = eventsOf(t, trace::EventKind::StepBegin);
    QVERIFY(says.size() >= 3);
    const QString liveText = w.scriptPanel()->narration();
    QCOMPARE(liveText, t.text(t.event(says.back()).text.a));
    const int liveLine = w.scriptPanel()->highlightedLine();
    QVERIFY(liveLine > 0);

    // Just after the first say: its text, and the line of the step before it.
    w.cursor()->setPosition(says.front() + 1);
    QCOMPARE(w.scriptPanel()->narration(), t.text(t.event(says.front()).text.a));
    std::size_t step = 0;
    for (std::size_t s : stepsBegun)
        if (s < says.front() + 1)
            step = s;
    QCOMPARE(w.scriptPanel()->highlightedLine(), int(t.event(step).line));
    QVERIFY(w.scriptPanel()->highlightedLine() != liveLine);

    // Home: the start, before any say (no narration of a later step). The focus is in
    // the sequence dock, not on the timeline.
    w.sequenceView()->setFocus();
    QTest::keyClick(w.sequenceView(), Qt::Key_Home);
    QCOMPARE(w.cursor()->position(), std::size_t(0));
    QVERIFY(w.scriptPanel()->narration() != liveText);
    QCOMPARE(w.scriptPanel()->highlightedLine(), 0);
    // End: live again, the newest say and line.
    QTest::keyClick(w.sequenceView(), Qt::Key_End);
    QVERIFY(w.cursor()->isLive());
    QCOMPARE(w.scriptPanel()->narration(), liveText);
    QCOMPARE(w.scriptPanel()->highlightedLine(), liveLine);
    w.lab()->reset();
}

void TstCursorFollow::replayShowsNarrationOfCursor() {
    const QString path = m_dir.filePath(QStringLiteral("lesson01.jsonl"));
    {
        ui::MainWindow w;
        QVERIFY(open(w, QStringLiteral("1")));
        steps(w, 12);
        QString error;
        QVERIFY2(w.timeTravel()->saveTrace(path, &error), qPrintable(error));
    }
    ui::MainWindow w;
    QVERIFY(open(w, QStringLiteral("3"))); // another lesson in the editor
    QString error;
    QVERIFY2(w.timeTravel()->openTrace(path, &error), qPrintable(error));
    const trace::Trace *t = w.timeTravel()->replayTrace();
    QVERIFY(t);
    const auto says = eventsOf(*t, trace::EventKind::Say);
    QVERIFY(says.size() >= 3);
    QCOMPARE(w.scriptPanel()->narration(), t->text(t->event(says.back()).text.a));
    w.cursor()->setPosition(says[1] + 1);
    QCOMPARE(w.scriptPanel()->narration(), t->text(t->event(says[1]).text.a));
    // Korean narration of the same step.
    w.scriptPanel()->setLanguage(QStringLiteral("ko"));
    QCOMPARE(w.scriptPanel()->narration(), t->text(t->event(says[1]).text.b));
    w.scriptPanel()->setLanguage(QStringLiteral("en"));
    // A replay is the past: the banner says so.
    QVERIFY(w.cursorFollow()->lookBackBanner()->isVisible());
    // Step leaves the replay for the live lab, and runs nothing.
    const std::size_t labEvents = w.lab()->trace().size();
    w.stepAction()->trigger();
    QVERIFY(!w.cursor()->isReplay());
    QVERIFY(w.cursor()->isLive());
    QVERIFY(!w.cursorFollow()->lookBackBanner()->isVisible());
    QCOMPARE(eventsOf(w.lab()->trace(), trace::EventKind::StepBegin).size(), std::size_t(0));
    Q_UNUSED(labEvents);
    w.lab()->reset();
}

void TstCursorFollow::stepWhileLookingBackReturnsToLive() {
    ui::MainWindow w;
    QVERIFY(open(w, QStringLiteral("1")));
    steps(w, 5);
    QVERIFY(!w.cursorFollow()->lookBackBanner()->isVisible());
    const std::size_t stepsBefore = eventsOf(w.lab()->trace(), trace::EventKind::StepBegin).size();
    w.cursor()->setPosition(w.cursor()->end() / 2);
    QVERIFY(!w.cursor()->isLive());
    QVERIFY(w.cursorFollow()->lookBackBanner()->isVisible());
    QVERIFY2(w.cursorFollow()->lookBackBanner()->text().contains(QStringLiteral("Looking back")),
             qPrintable(w.cursorFollow()->lookBackBanner()->text()));
    QVERIFY(w.stepAction()->isEnabled());
    w.stepAction()->trigger();
    // Back to live, visibly, and no step was taken.
    QVERIFY(w.cursor()->isLive());
    QVERIFY(!w.cursorFollow()->lookBackBanner()->isVisible());
    QTest::qWait(200);
    w.feed()->drainNow();
    QCOMPARE(eventsOf(w.lab()->trace(), trace::EventKind::StepBegin).size(), stepsBefore);
    // The next Step steps.
    w.stepAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(
        eventsOf(w.lab()->trace(), trace::EventKind::StepBegin).size() > stepsBefore, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!w.lab()->isRunning() && w.stepAction()->isEnabled(), 20000);
    w.lab()->reset();
}

void TstCursorFollow::keysWorkFromAnyDock() {
    ui::MainWindow w;
    QVERIFY(open(w, QStringLiteral("1")));
    steps(w, 8);
    const std::size_t end = w.cursor()->end();
    // The focus in the sequence dock (not the timeline).
    QTableView *seq = w.sequenceView();
    seq->setFocus();
    QTRY_VERIFY(seq->hasFocus());
    QTest::keyClick(seq, Qt::Key_Home);
    QCOMPARE(w.cursor()->position(), std::size_t(0));
    QTest::keyClick(seq, Qt::Key_Right);
    const std::size_t first = w.cursor()->position();
    QVERIFY(first > 0);
    QTest::keyClick(seq, Qt::Key_Right);
    QVERIFY(w.cursor()->position() > first);
    QTest::keyClick(seq, Qt::Key_Left);
    QCOMPARE(w.cursor()->position(), first);
    QTest::keyClick(seq, Qt::Key_End);
    QVERIFY(w.cursor()->isLive());
    QCOMPARE(w.cursor()->position(), w.cursor()->end());
    QVERIFY(w.cursor()->end() >= end);

    // The editor keeps Home/End for its text cursor; Alt+Home travels from there too.
    ui::ScriptEditor *editor = w.scriptPanel()->editor();
    editor->setFocus();
    QTRY_VERIFY(editor->hasFocus());
    QTextCursor c = editor->textCursor();
    c.setPosition(5);
    editor->setTextCursor(c);
    QTest::keyClick(editor, Qt::Key_Home);
    QCOMPARE(editor->textCursor().positionInBlock(), 0);
    QVERIFY(w.cursor()->isLive());
    QTest::keyClick(editor, Qt::Key_Home, Qt::AltModifier);
    QCOMPARE(w.cursor()->position(), std::size_t(0));
    QTest::keyClick(editor, Qt::Key_End, Qt::AltModifier);
    QVERIFY(w.cursor()->isLive());
    w.lab()->reset();
}

void TstCursorFollow::failedExpectationIsLoud() {
    ui::MainWindow w;
    QVERIFY(open(w, QStringLiteral("1")));
    const QString source = QStringLiteral("say \"A socket is made.\"\n"
                                          "say[ko] \"소켓을 만듭니다.\"\n"
                                          "a: s = socket(AF_INET, SOCK_STREAM)\n"
                                          "expect state(s) == \"LISTEN\"\n"
                                          "say \"After the expectation.\"\n"
                                          "a: s.close()\n");
    w.scriptPanel()->setSource(source, QStringLiteral("fail.lab"));
    QVERIFY(w.scriptPanel()->apply());
    QVERIFY(w.cursorFollow()->failureBanner()->isHidden());
    for (int i = 0; i < 10 && !w.lab()->atEnd(); ++i)
        w.lab()->stepAndWait(20000);
    w.feed()->drainNow();
    const auto fails = eventsOf(w.lab()->trace(), trace::EventKind::Expect);
    QCOMPARE(fails.size(), std::size_t(1));
    // Over the stage and in the narration area, with the expectation and what was found.
    QLabel *stageBanner = w.cursorFollow()->failureBanner();
    QTRY_VERIFY(stageBanner->isVisible());
    QVERIFY2(stageBanner->text().contains(QStringLiteral("state(s) == \"LISTEN\"")),
             qPrintable(stageBanner->text()));
    QVERIFY2(stageBanner->text().contains(QStringLiteral("found")),
             qPrintable(stageBanner->text()));
    QVERIFY(w.scriptPanel()->failureWidget()->isVisible());
    QCOMPARE(w.scriptPanel()->failure(), stageBanner->text());
    QVERIFY(stageBanner->mapTo(&w, QPoint(0, 0)).y() <
            w.centralWidget()->mapTo(&w, QPoint(0, w.centralWidget()->height() / 2)).y());
    // Before the failure, no banner.
    w.cursor()->setPosition(fails.front());
    QVERIFY(!stageBanner->isVisible());
    QVERIFY(!w.scriptPanel()->failureWidget()->isVisible());
    w.cursor()->setLive(true);
    QVERIFY(stageBanner->isVisible());
    w.lab()->reset();
}

// The Inspector's chart counts from the first step, not from the lesson's loading (a
// reader may wait a long time before the first step).
void TstCursorFollow::chartStartsAtTheLessonsStart() {
    ui::MainWindow w;
    QVERIFY(open(w, QStringLiteral("1")));
    QTest::qWait(600); // reading before the first step
    steps(w, 4);
    const trace::Trace &t = w.lab()->trace();
    const auto begun = eventsOf(t, trace::EventKind::StepBegin);
    QVERIFY(!begun.empty());
    const std::int64_t start = t.event(begun.front()).tNs;
    QVERIFY(start >= 500'000'000);
    auto *inspector = w.findChild<ui::Inspector *>();
    QVERIFY(inspector);
    QTRY_COMPARE(inspector->chart()->cursorSeconds(),
                 double(w.cursor()->timeAt(w.cursor()->position()) - start) / 1e9);
    // The banner's clock counts from there too.
    w.cursor()->setPosition(begun.front() + 1);
    QCOMPARE(w.cursorFollow()->timeText(begun.front() + 1), QStringLiteral("0:00.0"));
    w.lab()->reset();
}

QTEST_MAIN(TstCursorFollow)
#include "tst_cursorfollow.moc"
