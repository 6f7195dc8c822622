// The window's side of predict, then step: an `ask` line shows its question above the
// stage and holds the lab (Step and Run wait) until answered or skipped; after the step
// the verdict names what the kernel decided; the answer is kept in the lesson's progress.
// The Lessons dock shows the path (level, prerequisites, questions). Offscreen, with a
// 1280×720 picture of the panel for a person to look at.
#include "ui/lesson/questionpanel.h"
#include "ui/script/scripteditor.h"
#include "ui/script/scriptpanel.h"
#include "ui/window/lessonmodel.h"
#include "ui/window/lessonsdock.h"
#include "ui/window/mainwindow.h"

#include "engine/lab.h"
#include "lessons/lessoncatalog.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace sl;

class TstQuestionPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void asksHoldsAndJudges();
    void lessonsDockShowsThePath();
    void exerciseHintAfterAWrongTry();
};

void TstQuestionPanel::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("socketlab-tests"));
    QSettings().clear();
}

void TstQuestionPanel::asksHoldsAndJudges() {
    lessons::LessonInfo l;
    l.id = QStringLiteral("99-predict");
    l.path = QStringLiteral("predict.lab");
    l.source = QStringLiteral(
        "#! title: Predict\n"
        "server: srv = socket(AF_INET, SOCK_STREAM)\n"
        "server: srv.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)\n"
        "server: srv.bind((\"127.0.0.1\", 0))\n"
        "server: srv.listen(5)\n"
        "client: s = socket(AF_INET, SOCK_STREAM)\n"
        "client: s.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096)\n"
        "client: s.connect(srv.getsockname())\n"
        "server: conn, addr = srv.accept()\n"
        "client: s.setblocking(False)\n"
        "ask \"How many of the 1,000,000 bytes will this non-blocking send() take?\" number "
        "answer result\n"
        "client: n = s.send(b\"x\" * 1_000_000)\n"
        "say \"send() took {n:,} bytes.\"\n");
    l.meta = lessons::readMeta(l.source);
    ui::MainWindow w;
    w.resize(1280, 720);
    QVERIFY(w.openLesson(l));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    ui::QuestionPanel *panel = w.questionPanel();
    QVERIFY(panel);
    QVERIFY(!panel->isVisible());
    // Step to the question, as a learner would (F10).
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            if (!panel->isVisible() && w.stepAction()->isEnabled())
                w.stepAction()->trigger();
            return panel->isVisible();
        }(),
        30000);
    QVERIFY(w.lab()->held());
    QVERIFY(!w.stepAction()->isEnabled());
    QVERIFY(!w.runAction()->isEnabled());
    QVERIFY(panel->numberEdit()->isVisible());
    const int before = w.lab()->position();
    w.lab()->step(); // held: nothing runs
    QCOMPARE(w.lab()->position(), before);

    QTest::keyClicks(panel->numberEdit(), QStringLiteral("1,000,000"));
    const QImage asked = w.grab().toImage();
    QVERIFY(asked.save(QStringLiteral("/tmp/socketlab-question-asked.png")));
    QTest::mouseClick(panel->answerButton(), Qt::LeftButton);
    QVERIFY(!w.lab()->held());
    QTRY_VERIFY_WITH_TIMEOUT(w.stepAction()->isEnabled(), 5000);
    QVERIFY(panel->verdictText().contains(QStringLiteral("You said 1,000,000")));
    w.stepAction()->trigger(); // the send
    QTRY_VERIFY_WITH_TIMEOUT(panel->verdictText().startsWith(QStringLiteral("Not this time")),
                             20000);
    QVERIFY2(panel->verdictText().contains(QStringLiteral("the kernel said ")),
             qPrintable(panel->verdictText()));
    const QStringList saved = ui::QuestionPanel::savedAnswer(l.id, 11).split(u'|');
    QCOMPARE(saved.size(), 3);
    QCOMPARE(saved[0], QStringLiteral("1,000,000"));
    QCOMPARE(saved[2], QStringLiteral("0"));
    QTest::qWait(300);
    QVERIFY(w.grab().toImage().save(QStringLiteral("/tmp/socketlab-question-verdict.png")));
    w.lab()->reset();
    QTRY_VERIFY(!panel->isVisible());
}

void TstQuestionPanel::lessonsDockShowsThePath() {
    ui::LessonsDock dock;
    dock.model()->setFinished(QStringLiteral("01-client-basics"));
    const int row = dock.model()->rowOf(QStringLiteral("02-server-basics"));
    QVERIFY(row >= 0);
    dock.view()->setCurrentIndex(dock.model()->index(row, ui::LessonModel::TitleColumn));
    const auto *details = dock.findChild<QLabel *>(QStringLiteral("lessonDetails"));
    QVERIFY(details);
    QVERIFY2(details->text().contains(QStringLiteral("Level 1")), qPrintable(details->text()));
    QVERIFY(details->text().contains(QStringLiteral("after: 1 Client basics ✓")));
    QVERIFY(details->text().contains(QStringLiteral("2 questions to predict")));
}

void TstQuestionPanel::exerciseHintAfterAWrongTry() {
    lessons::LessonInfo l;
    l.id = QStringLiteral("98-exercise");
    l.path = QStringLiteral("exercise.lab");
    l.source = QStringLiteral("client: s = socket(AF_INET, SOCK_STREAM)\n"
                              "client: s.setblocking(___)\n"
                              "#! solution: False\n"
                              "#! hint: a non-blocking socket never waits\n"
                              "client: s.recv(10)\n"
                              "expect error == EAGAIN\n");
    l.meta = lessons::readMeta(l.source);
    ui::MainWindow w;
    QVERIFY(w.openLesson(l)); // in the Script panel, blank and all; nothing loaded
    QVERIFY(w.scriptPanel()->editor()->toPlainText().contains(QStringLiteral("___")));
    // A wrong try: blocking, so recv() on an unconnected socket raises ENOTCONN.
    QString tried = l.source;
    tried.replace(QStringLiteral("___"), QStringLiteral("True"));
    w.scriptPanel()->editor()->setPlainText(tried);
    QVERIFY(w.scriptPanel()->apply());
    while (!w.lab()->atEnd())
        QVERIFY(w.lab()->stepAndWait(10000));
    ui::QuestionPanel *panel = w.questionPanel();
    QTRY_VERIFY(panel->isVisibleTo(&w));
    QVERIFY(panel->findChild<QLabel *>() != nullptr);
    bool hinted = false;
    for (const QLabel *label : panel->findChildren<QLabel *>())
        hinted = hinted ||
                 label->text().contains(QStringLiteral("Hint: a non-blocking socket never waits"));
    QVERIFY(hinted);
    w.lab()->reset();
}

QTEST_MAIN(TstQuestionPanel)
#include "tst_questionpanel.moc"
