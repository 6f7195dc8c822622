// Every built-in lesson runs to its end in the window, in English and in Korean: the
// window's language and the narration are switched, the lesson is stepped through its
// MainWindow (the views take every batch the feed delivers, as when a learner presses
// F10), and at the end every expectation held, the sequence shows the calls, the stage
// shows the lesson's actors, and the narration is in the chosen language (Hangul for
// Korean). `socketlab check` covers the same lessons in the terminal.
#include "ui/script/scriptpanel.h"
#include "ui/sequence/sequencemodel.h"
#include "ui/stage/stageview.h"
#include "ui/time/tracefeed.h"
#include "ui/window/i18n.h"
#include "ui/window/mainwindow.h"

#include "engine/lab.h"
#include "lessons/lessoncatalog.h"

#include <QtTest>

using namespace sl;

namespace {
bool hasHangul(const QString &text) {
    return std::any_of(text.begin(), text.end(),
                       [](QChar c) { return c.unicode() >= 0xAC00 && c.unicode() <= 0xD7A3; });
}
} // namespace

class TstAllLessons : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(lessons::builtinLessons().size() >= 17);
    }
    void cleanup() { ui::setUiLanguage(QStringLiteral("en")); }

    void runsInTheWindow_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("lang");
        for (const lessons::LessonInfo &l : lessons::builtinLessons())
            for (const char *lang : {"en", "ko"})
                QTest::newRow(qPrintable(l.id + u' ' + QLatin1String(lang)))
                    << l.id << QString::fromLatin1(lang);
    }

    void runsInTheWindow() {
        QFETCH(QString, id);
        QFETCH(QString, lang);
        QString error;
        const auto lesson = lessons::findLesson(id, &error);
        QVERIFY2(lesson, qPrintable(error));
        QVERIFY(ui::setUiLanguage(lang));
        ui::MainWindow w(lang);
        w.resize(1280, 800);
        QVERIFY(w.openLesson(*lesson));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        int steps = 0;
        while (!w.lab()->atEnd()) {
            QVERIFY2(++steps < 3000, "the lesson does not end");
            const auto r = w.lab()->stepAndWait(30000);
            QVERIFY2(r, qPrintable(QStringLiteral("step %1 did not report").arg(steps)));
            QVERIFY2(r->expectPassed,
                     qPrintable(QStringLiteral("line %1: %2").arg(r->line).arg(r->expectDetail)));
            QCoreApplication::processEvents(); // the views take what the feed delivers
        }
        w.feed()->drainNow();
        QCoreApplication::processEvents();

        QCOMPARE(w.lab()->failedExpectations(), 0);
        QVERIFY2(w.sequenceModel()->rowCount() > 0, "no call in the sequence");
        QVERIFY2(!w.stageView()->state().actors.empty(), "no actor on the stage");
        const QString said = w.scriptPanel()->narration();
        QVERIFY2(!said.isEmpty(), "no narration shown");
        if (lang == QLatin1String("ko"))
            QVERIFY2(hasHangul(said), qPrintable(said));
        else
            QVERIFY2(!hasHangul(said), qPrintable(said));
        QVERIFY(w.windowTitle().contains(lesson->title(lang)));
        w.lab()->reset();
    }
};

QTEST_MAIN(TstAllLessons)
#include "tst_alllessons.moc"
