// The script panel, the lessons dock and presentation mode: syntax colours,
// diagnostics underlined while typing, breakpoints from F9 to the Lab and stopping Run,
// Apply refusing a malformed script, the lesson model, presentation mode hiding and
// restoring the layout. Screenshots (normal, dark palette, presentation at 1280×720) are
// saved next to the test binary for a human to look at; run with QT_SCALE_FACTOR=2 to
// get the 2× ones.
#include "ui/script/labhighlighter.h"
#include "ui/script/scripteditor.h"
#include "ui/script/scriptpanel.h"
#include "ui/stage/stageview.h"
#include "ui/time/tracefeed.h"
#include "ui/window/lessonmodel.h"
#include "ui/window/lessonsdock.h"
#include "ui/window/mainwindow.h"
#include "ui/window/presentation.h"

#include "engine/lab.h"
#include "lessons/lessoncatalog.h"
#include "script/parser.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QSignalSpy>
#include <QTextBlock>
#include <QTextLayout>
#include <QtTest>

using namespace sl;

namespace {

lessons::LessonInfo lesson(const QString &key) {
    QString error;
    const auto l = lessons::findLesson(key, &error);
    if (!l)
        qFatal("lesson %s: %s", qPrintable(key), qPrintable(error));
    return *l;
}

// The character format the highlighter gave to position `pos` of a block.
QTextCharFormat formatAt(const QTextBlock &block, int pos) {
    for (const QTextLayout::FormatRange &r : block.layout()->formats())
        if (pos >= r.start && pos < r.start + r.length)
            return r.format;
    return {};
}

QString shotPath(const QString &name) {
    const qreal dpr = qApp->devicePixelRatio();
    return QCoreApplication::applicationDirPath() +
           (dpr > 1 ? QStringLiteral("/%1@%2x.png").arg(name).arg(dpr)
                    : QStringLiteral("/%1.png").arg(name));
}

const QString Program = QStringLiteral("server: a = socketpair()\n"
                                       "say \"one\"\n"
                                       "server: x = 1\n"
                                       "server: y = 2\n"
                                       "server: z = 3\n");

} // namespace

class TstScriptPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void highlighterFormats();
    void diagnosticUnderlinedWhileTyping();
    void f9ReachesLab();
    void breakpointStopsRun();
    void applyErrorKeepsProgram();
    void lessonModel();
    void lessonFinished();
    void presentationRestoresLayout();
    void screenshots();
};

void TstScriptPanel::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("socketlab-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_scriptpanel"));
    QSettings().clear();
}

void TstScriptPanel::highlighterFormats() {
    QTextDocument doc;
    ui::LabHighlighter h(&doc);
    doc.setPlainText(QStringLiteral("client: for i in range(3):\n"
                                    "    s.send(b\"x\") # AF_INET\n"
                                    "expect error == EAGAIN\n"
                                    "#! title: T"));
    h.rehighlight(); // a new highlighter colours on the next event loop pass; now
    const QTextBlock first = doc.firstBlock();
    const QTextCharFormat actor = formatAt(first, 0);   // "client"
    const QTextCharFormat keyword = formatAt(first, 8); // "for"
    const QTextCharFormat name = formatAt(first, 12);   // "i": plain
    QCOMPARE(actor.foreground().color(), h.format(ui::LabHighlighter::Actor).foreground().color());
    QCOMPARE(keyword.foreground().color(),
             h.format(ui::LabHighlighter::Keyword).foreground().color());
    QVERIFY(actor.foreground().color() != keyword.foreground().color());
    QVERIFY(!name.hasProperty(QTextFormat::ForegroundBrush));
    const QTextBlock second = first.next();
    QCOMPARE(formatAt(second, 11).foreground().color(), // b"x"
             h.format(ui::LabHighlighter::Bytes).foreground().color());
    QCOMPARE(formatAt(second, 20).foreground().color(), // the comment, not a constant
             h.format(ui::LabHighlighter::Comment).foreground().color());
    const QTextBlock third = second.next();
    QCOMPARE(formatAt(third, 0).foreground().color(),
             h.format(ui::LabHighlighter::Statement).foreground().color());
    QCOMPARE(formatAt(third, 16).foreground().color(), // EAGAIN
             h.format(ui::LabHighlighter::Constant).foreground().color());
    QCOMPARE(formatAt(third.next(), 5).foreground().color(),
             h.format(ui::LabHighlighter::Meta).foreground().color());
    // The dark set is another set of colours.
    const QColor lightActor = h.format(ui::LabHighlighter::Actor).foreground().color();
    h.setDark(true);
    QVERIFY(h.format(ui::LabHighlighter::Actor).foreground().color() != lightActor);
}

void TstScriptPanel::diagnosticUnderlinedWhileTyping() {
    ui::ScriptEditor ed;
    ed.setPlainText(Program);
    ed.checkNow();
    QVERIFY(ed.diagnostics().empty());
    QVERIFY(ed.diagnosticSelections().isEmpty());

    QTextCursor c(ed.document());
    c.movePosition(QTextCursor::End);
    c.insertText(QStringLiteral("server: a.sned(1)\n"));
    const auto expected = script::parse(ed.toPlainText()).diagnostics;
    QCOMPARE(expected.size(), std::size_t(1));
    QCOMPARE(expected[0].span.line, 6);
    // Not at once: the parse waits for the typing to pause.
    QVERIFY(ed.diagnosticSelections().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!ed.diagnosticSelections().isEmpty(), 5000);
    const QTextEdit::ExtraSelection sel = ed.diagnosticSelections().first();
    QCOMPARE(sel.format.underlineStyle(), QTextCharFormat::WaveUnderline);
    QCOMPARE(sel.cursor.block().blockNumber() + 1, expected[0].span.line);
    const int start = sel.cursor.selectionStart() - sel.cursor.block().position();
    QCOMPARE(start + 1, expected[0].span.col);
    QVERIFY(sel.format.toolTip().contains(expected[0].message));
    bool drawn = false;
    for (const QTextEdit::ExtraSelection &s : ed.extraSelections())
        drawn = drawn || (s.cursor == sel.cursor &&
                          s.format.underlineStyle() == QTextCharFormat::WaveUnderline);
    QVERIFY(drawn);

    // Fixing it clears the underline.
    QTextCursor fix = ed.document()->find(QStringLiteral("sned"));
    fix.insertText(QStringLiteral("send"));
    QTRY_VERIFY_WITH_TIMEOUT(ed.diagnosticSelections().isEmpty(), 5000);
}

void TstScriptPanel::f9ReachesLab() {
    ui::MainWindow w;
    QVERIFY(w.openLesson(lesson(QStringLiteral("5"))));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    ui::ScriptEditor *ed = w.scriptPanel()->editor();
    ed->setFocus();
    const int line = 12;
    ed->setTextCursor(QTextCursor(ed->document()->findBlockByNumber(line - 1)));
    QVERIFY(!w.lab()->breakpoints().contains(line));
    QTest::keyClick(ed, Qt::Key_F9);
    QCOMPARE(w.lab()->breakpoints(), QSet<int>{line});
    QCOMPARE(ed->breakpoints(), QSet<int>{line});
    QTest::keyClick(ed, Qt::Key_F9);
    QVERIFY(w.lab()->breakpoints().isEmpty());
    // The window action does the same.
    w.scriptPanel()->breakpointAction()->trigger();
    QCOMPARE(w.lab()->breakpoints(), QSet<int>{line});
    w.lab()->reset();
}

void TstScriptPanel::breakpointStopsRun() {
    ui::MainWindow w;
    QVERIFY(w.openLesson(lesson(QStringLiteral("5"))));
    const script::Program *prog = w.lab()->program();
    QVERIFY(prog && prog->steps.size() > 6);
    const int stop = 5; // the 6th step
    const int line = prog->steps[stop]->span.line;
    w.scriptPanel()->editor()->toggleBreakpoint(line);
    QCOMPARE(w.lab()->breakpoints(), QSet<int>{line});
    w.scriptPanel()->setSpeed(0); // max: no pause between steps
    QCOMPARE(w.scriptPanel()->speed(), 0.0);
    QSignalSpy hit(w.lab(), &engine::Lab::breakpointHit);
    w.runAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(hit.size(), 1, 20000);
    QCOMPARE(hit.at(0).at(0).toInt(), line);
    QCOMPARE(w.lab()->position(), stop); // stopped before the line ran
    QTRY_VERIFY_WITH_TIMEOUT(!w.lab()->isRunning(), 5000);
    w.lab()->reset();
}

void TstScriptPanel::applyErrorKeepsProgram() {
    engine::Lab lab;
    ui::ScriptPanel panel;
    panel.setLab(&lab);
    QVERIFY(lab.load(Program, QStringLiteral("t.lab")));
    panel.setSource(Program, QStringLiteral("t.lab"));
    const script::Program *before = lab.program();
    QVERIFY(!panel.isModified());

    panel.editor()->setPlainText(Program + QStringLiteral("server: s.recv(\n"));
    QVERIFY(panel.isModified());
    QSignalSpy applied(&panel, &ui::ScriptPanel::applied);
    QVERIFY(!panel.apply());
    QCOMPARE(lab.program(), before);
    QCOMPARE(lab.program()->source, Program);
    QVERIFY(!panel.editor()->diagnostics().empty());
    QVERIFY(!panel.editor()->diagnosticSelections().isEmpty());
    QCOMPARE(applied.size(), 0);

    const QString edited = Program + QStringLiteral("server: w = 4\n");
    panel.editor()->setPlainText(edited);
    QVERIFY(panel.apply());
    QCOMPARE(lab.program()->source, edited);
    QCOMPARE(lab.position(), 0); // loaded, nothing ran
    QCOMPARE(applied.size(), 1);
    QVERIFY(!panel.isModified());
}

void TstScriptPanel::lessonModel() {
    ui::LessonModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto all = lessons::builtinLessons();
    QCOMPARE(model.rowCount(), int(all.size()));
    QVERIFY(model.rowCount() > 0);
    const int row = model.rowOf(all.first().id);
    QCOMPARE(row, 0);
    const QModelIndex title = model.index(row, ui::LessonModel::TitleColumn);
    QCOMPARE(title.data().toString(), all.first().title(QStringLiteral("en")));
    QCOMPARE(model.index(row, ui::LessonModel::NumberColumn).data().toInt(), all.first().number);
    QCOMPARE(model.index(row, ui::LessonModel::SeedColumn).data().toString(),
             all.first().meta.value(QStringLiteral("seed")));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setLanguage(QStringLiteral("ko"));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(title.data().toString(), all.first().title(QStringLiteral("ko")));
    QVERIFY(title.data().toString() != all.first().title(QStringLiteral("en")));
    QCOMPARE(title.data(ui::LessonModel::SummaryRole).toString(),
             all.first().summary(QStringLiteral("ko")));

    QVERIFY(!model.isFinished(all.first().id));
    model.setFinished(all.first().id);
    QVERIFY(title.data(ui::LessonModel::FinishedRole).toBool());
    QCOMPARE(model.finishedCount(), 1);
    ui::LessonModel reread; // kept in QSettings
    QVERIFY(reread.isFinished(all.first().id));
    model.setFinished(all.first().id, false);
    QVERIFY(!ui::LessonModel().isFinished(all.first().id));
}

void TstScriptPanel::lessonFinished() {
    engine::Lab lab;
    ui::LessonsDock dock;
    dock.setLab(&lab);
    const auto run = [&](const QString &id, const QString &src) {
        QVERIFY(lab.load(src, id));
        dock.setCurrentLesson(id);
        while (!lab.atEnd())
            QVERIFY(lab.stepAndWait(10000));
    };
    run(QStringLiteral("passes"), QStringLiteral("say \"a\"\nexpect 1 + 1 == 2\n"));
    QVERIFY(dock.model()->isFinished(QStringLiteral("passes")));
    lab.setStopOnFailure(false);
    run(QStringLiteral("fails"), QStringLiteral("expect 1 == 2\nsay \"b\"\n"));
    QCOMPARE(lab.failedExpectations(), 1);
    QVERIFY(!dock.model()->isFinished(QStringLiteral("fails")));
    dock.model()->setFinished(QStringLiteral("passes"), false);
}

void TstScriptPanel::presentationRestoresLayout() {
    ui::MainWindow w;
    w.resize(1100, 700);
    QVERIFY(w.openLesson(lesson(QStringLiteral("5"))));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto *scriptDock = w.findChild<QDockWidget *>(QStringLiteral("scriptDock"));
    auto *seqDock = w.findChild<QDockWidget *>(QStringLiteral("sequenceDock"));
    QVERIFY(scriptDock && seqDock);
    QVERIFY(scriptDock->isVisible());
    const int fontSize = w.font().pointSize();
    QVERIFY(!w.presentationMode());

    w.presentation()->toggleAction()->trigger();
    QVERIFY(w.presentationMode());
    QTRY_VERIFY(!scriptDock->isVisible());
    QVERIFY(seqDock->isVisible());
    QVERIFY(!w.lessonsDock()->isVisible());
    auto *narration = w.findChild<QDockWidget *>(QStringLiteral("presentationNarrationDock"));
    QVERIFY(narration && narration->isVisible());
    QVERIFY(w.font().pointSize() > fontSize);

    w.presentation()->leaveAction()->trigger(); // Esc
    QVERIFY(!w.presentationMode());
    QTRY_VERIFY(scriptDock->isVisible());
    QVERIFY(seqDock->isVisible());
    QVERIFY(!narration->isVisible());
    QCOMPARE(w.font().pointSize(), fontSize);
}

void TstScriptPanel::screenshots() {
    const auto shoot = [](const QString &name, const QSize &size, bool present) {
        ui::MainWindow w;
        w.resize(size);
        if (!w.openLesson(lesson(QStringLiteral("5"))))
            return false;
        w.show();
        if (!QTest::qWaitForWindowExposed(&w))
            return false;
        w.scriptPanel()->editor()->toggleBreakpoint(30);
        // Step past the first partial send, with its narration on screen.
        engine::Lab *lab = w.lab();
        for (int i = 0; i < 200 && !lab->atEnd(); ++i) {
            if (!lab->stepAndWait(10000))
                return false;
            const script::Stmt &done = *lab->program()->steps[std::size_t(lab->position() - 1)];
            if (done.span.line >= 28)
                break; // past the first partial send and its narration
        }
        w.feed()->drainNow();
        if (present) {
            w.presentation()->setActive(true);
            w.setWindowState(Qt::WindowNoState); // offscreen: the projector's size
            w.resize(size);
        }
        QTest::qWait(100);
        w.feed()->drainNow();
        const bool ok = w.grab().save(shotPath(name));
        qInfo("screenshot: %s", qPrintable(shotPath(name)));
        w.lab()->reset();
        return ok;
    };
    QVERIFY(shoot(QStringLiteral("scriptpanel_normal"), QSize(1280, 820), false));
    QVERIFY(shoot(QStringLiteral("scriptpanel_presentation_1280x720"), QSize(1280, 720), true));

    const QPalette light = QApplication::palette();
    QPalette dark(QColor(0x35, 0x35, 0x35), QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x2a, 0x2a, 0x2a));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    dark.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x2a));
    dark.setColor(QPalette::ToolTipText, QColor(0xf0, 0xf0, 0xe0));
    dark.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd6));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    for (auto role : {QPalette::Text, QPalette::WindowText, QPalette::ButtonText})
        dark.setColor(QPalette::Disabled, role, QColor(0x70, 0x70, 0x70));
    QApplication::setPalette(dark);
    const bool ok = shoot(QStringLiteral("scriptpanel_dark"), QSize(1280, 820), false);
    QApplication::setPalette(light);
    QVERIFY(ok);
}

QTEST_MAIN(TstScriptPanel)
#include "tst_scriptpanel.moc"
