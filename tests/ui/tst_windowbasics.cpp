// Window basics (issue 14): File → Open Script / Save Script / Save Script As / Open
// Recent (QSettings), unsaved edits offered Save / Discard / Cancel before the window
// closes or another script replaces them, Quit (Ctrl+Q), Help → About (version, licence,
// Qt, kernel) and Help → .lab Reference (the README's language section); and the
// Inspector's queue chart painted with QPainter (no Qt Charts).
#include "ui/script/scriptpanel.h"
#include "ui/stage/queuechart.h"
#include "ui/time/timecursor.h"
#include "ui/window/helpmenu.h"
#include "ui/window/mainwindow.h"
#include "ui/window/pyexportaction.h"
#include "ui/window/scriptfiles.h"

#include "engine/lab.h"
#include "engine/version.h"
#include "lessonrun.h"

#include <QAbstractButton>
#include <QAction>
#include <QDir>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTimer>
#include <QtTest>
#include <sys/utsname.h>

using namespace sl;

namespace {
// Answers the next message box that opens with `button`; *seen says it opened.
void answerNextBox(QMessageBox::StandardButton button, bool *seen) {
    *seen = false;
    QTimer::singleShot(0, qApp, [button, seen] {
        const auto tryAnswer = [button, seen](auto &&self, int left) -> void {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                *seen = true;
                box->button(button)->click();
                return;
            }
            if (left > 0)
                QTimer::singleShot(20, qApp, [self, left] { self(self, left - 1); });
        };
        tryAnswer(tryAnswer, 250);
    });
}

const char *const Script = "server: srv = socket(AF_INET, SOCK_STREAM)\n"
                           "server: srv.bind((\"127.0.0.1\", 0))\n";
} // namespace

class TstWindowBasics : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void fileMenuHasScriptsPicturesAndQuit();
    void openSaveAndRecent();
    void unsavedEditsAskBeforeClosing();
    void aboutSaysVersionLicenceQtAndKernel();
    void referenceIsTheReadmesLanguageSection();
    void queueChartIsPaintedWithoutQtCharts();
    void shotsAtBothSizes();
    void exportAsPython(); // File → Export as Python… (issue 11)

private:
    QTemporaryDir m_dir;
};

void TstWindowBasics::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("socketlab-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_windowbasics"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
}

void TstWindowBasics::fileMenuHasScriptsPicturesAndQuit() {
    ui::MainWindow w;
    auto *file = w.findChild<QMenu *>(QStringLiteral("fileMenu"));
    QVERIFY(file);
    QStringList names;
    for (QAction *a : file->actions())
        names << (a->menu() ? a->menu()->objectName() : a->objectName());
    for (const char *n : {"actionOpenScript", "recentMenu", "actionSaveScript",
                          "actionSaveScriptAs", "actionSaveTrace", "actionOpenTrace",
                          "actionExport", "actionCopyPicture", "actionExportPython", "actionQuit"})
        QVERIFY2(names.contains(QLatin1String(n)), n);
    QVERIFY(names.indexOf(QStringLiteral("actionOpenScript")) <
            names.indexOf(QStringLiteral("actionSaveTrace")));
    QCOMPARE(names.last(), QStringLiteral("actionQuit"));
    QCOMPARE(w.scriptFiles()->quitAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Q));
    QCOMPARE(w.scriptFiles()->openAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_O));
    QCOMPARE(w.scriptFiles()->saveAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_S));
    // The menu bar ends with Help.
    QCOMPARE(w.menuBar()->actions().last()->menu()->objectName(), QStringLiteral("helpMenu"));

    // Quit closes the window (nothing unsaved).
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.scriptFiles()->quitAction()->trigger();
    QTRY_VERIFY(!w.isVisible());
}

void TstWindowBasics::exportAsPython() {
    // The script in the editor, as the Python program `export --python` writes.
    const QString path = m_dir.filePath(QStringLiteral("py.lab"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(Script);
    }
    ui::MainWindow w;
    QString error;
    QVERIFY2(w.scriptFiles()->openScript(path, &error), qPrintable(error));
    auto *py = w.findChild<ui::PyExportAction *>();
    QVERIFY(py);
    const QString out = m_dir.filePath(QStringLiteral("py.py"));
    QVERIFY2(py->exportTo(out, &error), qPrintable(error));
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(text.startsWith("#!/usr/bin/env python3\n"));
    QVERIFY(text.contains("class LabSocket("));
    QVERIFY(text.contains("\n\ndef _program():\n"));
    // A script that does not parse is refused with its line.
    w.scriptPanel()->setSource(QStringLiteral("client: s = socket(\n"));
    QVERIFY(!py->exportTo(out, &error));
    QVERIFY2(error.contains(QLatin1String("line 1")), qPrintable(error));
}

void TstWindowBasics::openSaveAndRecent() {
    const QString path = m_dir.filePath(QStringLiteral("mine.lab"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(Script);
    }
    ui::MainWindow w;
    ui::ScriptFiles *files = w.scriptFiles();
    QString error;
    QVERIFY2(files->openScript(path, &error), qPrintable(error));
    QCOMPARE(w.scriptPanel()->source(), QString::fromUtf8(Script));
    QVERIFY(w.lab()->program()); // loaded into the lab: Step runs it
    QVERIFY(w.windowTitle().contains(QLatin1String("mine.lab")));
    QVERIFY(!files->isDirty());
    QCOMPARE(files->recentFiles().value(0), QFileInfo(path).absoluteFilePath());
    auto *recent = w.findChild<QMenu *>(QStringLiteral("recentMenu"));
    emit recent->aboutToShow();
    QCOMPARE(recent->actions().value(0)->text(), QStringLiteral("mine.lab"));

    // An edit makes it dirty; Save As writes it elsewhere and it is clean again.
    const QString edited = QString::fromUtf8(Script) + QStringLiteral("server: srv.listen(1)\n");
    w.scriptPanel()->setSource(edited, path);
    QVERIFY(files->isDirty());
    const QString other = m_dir.filePath(QStringLiteral("other.lab"));
    QVERIFY(files->saveScript(other, &error));
    QVERIFY(!files->isDirty());
    QCOMPARE(files->path(), QFileInfo(other).absoluteFilePath());
    QFile f(other);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(f.readAll()), edited);
    QCOMPARE(files->recentFiles().value(0), QFileInfo(other).absoluteFilePath());
    QCOMPARE(files->recentFiles().value(1), QFileInfo(path).absoluteFilePath());
    QVERIFY(!files->openScript(m_dir.filePath(QStringLiteral("missing.lab")), &error));
    QVERIFY(!error.isEmpty());
}

void TstWindowBasics::unsavedEditsAskBeforeClosing() {
    ui::MainWindow w;
    const auto lesson = lessons::findLesson(QStringLiteral("1"));
    QVERIFY(lesson);
    QVERIFY(w.openLesson(*lesson));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(!w.scriptFiles()->isDirty()); // a lesson as opened
    w.scriptPanel()->setSource(lesson->source + QStringLiteral("\n# mine\n"), lesson->path);
    QVERIFY(w.scriptFiles()->isDirty());

    bool asked = false;
    answerNextBox(QMessageBox::Cancel, &asked);
    QVERIFY(!w.close()); // Cancel: the window stays
    QVERIFY(asked);
    QVERIFY(w.isVisible());

    answerNextBox(QMessageBox::Discard, &asked);
    QVERIFY(w.close());
    QVERIFY(asked);
}

void TstWindowBasics::aboutSaysVersionLicenceQtAndKernel() {
    const QString about = ui::aboutText();
    QVERIFY(about.contains(labVersion()));
    QVERIFY(about.contains(QLatin1String(ui::LabLicence)));
    QVERIFY(about.contains(QString::fromLatin1(qVersion())));
    struct utsname u {};
    QCOMPARE(uname(&u), 0);
    QVERIFY(about.contains(QString::fromLocal8Bit(u.release)));
    // The licence said is the LICENSE file's.
    QFile license(QStringLiteral(SL_SOURCE_DIR "/LICENSE"));
    QVERIFY(license.open(QIODevice::ReadOnly));
    QVERIFY(license.readAll().contains("GNU GENERAL PUBLIC LICENSE"));
    QCOMPARE(QLatin1String(ui::LabLicence), QLatin1String("GPL-3.0-or-later"));
}

void TstWindowBasics::referenceIsTheReadmesLanguageSection() {
    const QString md = ui::labReferenceMarkdown();
    QVERIFY(md.startsWith(QLatin1String("# The .lab language")));
    QVERIFY(md.contains(QLatin1String("#! lesson:")));
    QVERIFY(!md.contains(QLatin1String("\n## Tests and benchmarks"))); // that section only
    ui::MainWindow w;
    QWidget *ref = w.helpMenu()->showReference();
    auto *browser = ref->findChild<QTextBrowser *>(QStringLiteral("labReferenceText"));
    QVERIFY(browser);
    QVERIFY(browser->toPlainText().contains(QLatin1String("say")));
    QVERIFY(ref->isVisible());
    QVERIFY(QTest::qWaitForWindowExposed(ref));
    const QString shot = QDir::temp().absoluteFilePath(QStringLiteral("socketlab-reference.png"));
    QVERIFY(ref->grab().save(shot));
    qInfo("reference: %s", qPrintable(shot));
}

void TstWindowBasics::queueChartIsPaintedWithoutQtCharts() {
    ui::MainWindow w;
    QVERIFY(uitest::runLessonTo(w, 5, QStringLiteral("client: n = s.send"), QSize(1280, 720)));
    auto *chart = w.findChild<ui::QueueChart *>();
    QVERIFY(chart);
    QVERIFY(chart->inherits("QWidget") && !chart->inherits("QGraphicsView"));
    // The client's socket: its send queue grew.
    chart->setSocket(0);
    for (int s = 0; s < 4 && chart->sendPointCount() < 2; ++s)
        chart->setSocket(s);
    QVERIFY(chart->sendPointCount() >= 2);
    QVERIFY(chart->bytesAxisTop() >= 1024);
    QVERIFY(chart->timeAxisEnd() > 0);
    chart->resize(420, 240);
    const QImage img = chart->grab().toImage();
    QSet<QRgb> colours;
    for (int y = 0; y < img.height(); y += 2)
        for (int x = 0; x < img.width(); x += 2)
            colours.insert(img.pixel(x, y));
    QVERIFY(colours.size() > 10);
    const QString shot = QDir::temp().absoluteFilePath(QStringLiteral("socketlab-queuechart.png"));
    QVERIFY(img.save(shot));
    qInfo("queue chart: %s", qPrintable(shot));
    // A narrow dock: the legend takes two rows rather than being cut.
    chart->resize(170, 220);
    QVERIFY(chart->grab().save(
        QDir::temp().absoluteFilePath(QStringLiteral("socketlab-queuechart-narrow.png"))));
}

// For a human to look at: the window with the new chart at 1280x720 and 1920x1080, the
// File and Help menus and the About box (saved to the temporary directory).
void TstWindowBasics::shotsAtBothSizes() {
    for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
        ui::MainWindow w;
        QVERIFY(uitest::runLessonTo(w, 5, QStringLiteral("client: n = s.send"), size));
        const QString tag = QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
        QVERIFY(w.grab().save(
            QDir::temp().absoluteFilePath(QStringLiteral("socketlab-window-%1.png").arg(tag))));
        for (const char *name : {"fileMenu", "helpMenu"}) {
            auto *menu = w.findChild<QMenu *>(QLatin1String(name));
            QVERIFY(menu);
            menu->popup(w.mapToGlobal(QPoint(10, 30)));
            QVERIFY(QTest::qWaitForWindowExposed(menu));
            QVERIFY(menu->grab().save(QDir::temp().absoluteFilePath(
                QStringLiteral("socketlab-%1-%2.png").arg(QLatin1String(name), tag))));
            menu->close();
        }
    }
    QMessageBox about(QMessageBox::Information, QStringLiteral("About"), ui::aboutText());
    about.setTextFormat(Qt::RichText);
    about.show();
    QVERIFY(QTest::qWaitForWindowExposed(&about));
    QVERIFY(
        about.grab().save(QDir::temp().absoluteFilePath(QStringLiteral("socketlab-about.png"))));
    qInfo("shots: %s/socketlab-{window,fileMenu,helpMenu}-*.png", qPrintable(QDir::tempPath()));
}

QTEST_MAIN(TstWindowBasics)
#include "tst_windowbasics.moc"
