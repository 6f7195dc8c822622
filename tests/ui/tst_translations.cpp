// The Korean face: resources/translations/socketlab_ko.ts is complete (no unfinished,
// obsolete or vanished entry, no empty translation, every tr() string of ui/ in it),
// and View → Language switches the running window's texts and narration both ways.
#include "ui/script/scriptpanel.h"
#include "ui/stage/inspector.h"
#include "ui/stage/queuechart.h"
#include "ui/window/i18n.h"
#include "ui/window/lessonsdock.h"
#include "ui/window/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QMenu>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTest>
#include <QXmlStreamReader>
#include <algorithm>

using namespace sl;

namespace {

// The repository, from CMake: __FILE__ is relative to the build directory when ccache
// rewrites paths (CCACHE_BASEDIR), and CTest runs this test in another directory.
QString sourceRoot() {
    return QString::fromUtf8(SL_SOURCE_DIR);
}

QString tsPath() {
    return sourceRoot() + QStringLiteral("/resources/translations/socketlab_ko.ts");
}

struct TsMessage {
    QString context, source, problem;
};

QList<TsMessage> readTs(QString *error) {
    QList<TsMessage> out;
    QFile f(tsPath());
    if (!f.open(QIODevice::ReadOnly)) {
        *error = f.errorString();
        return out;
    }
    QXmlStreamReader xml(&f);
    QString context;
    TsMessage msg;
    bool inMessage = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("name") && !inMessage) {
                context = xml.readElementText();
            } else if (name == QLatin1String("message")) {
                inMessage = true;
                msg = {context, {}, {}};
            } else if (inMessage && name == QLatin1String("source")) {
                msg.source = xml.readElementText();
            } else if (inMessage && name == QLatin1String("translation")) {
                const QString type = xml.attributes().value(QLatin1String("type")).toString();
                const QString text =
                    xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
                if (!type.isEmpty())
                    msg.problem = type; // unfinished, obsolete, vanished
                else if (text.isEmpty())
                    msg.problem = QStringLiteral("empty translation");
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            inMessage = false;
            out << msg;
        }
    }
    if (xml.hasError())
        *error = QStringLiteral("%1 at line %2").arg(xml.errorString()).arg(xml.lineNumber());
    return out;
}

// The string literals lupdate collects from ui/**/*.cpp, app/*.cpp and core/view/*.cpp: tr("…"),
// translate("ctx", "…"), QT_TR_NOOP("…"), QT_TRANSLATE_NOOP("ctx", "…"), with adjacent
// literals joined.
QSet<QString> sourceStrings() {
    QSet<QString> found;
    const QRegularExpression call(QStringLiteral(
        R"re((?:\btr|\btranslate\(\s*"[^"]*"\s*,|QT_TR_NOOP|QT_TRANSLATE_NOOP\(\s*"[^"]*"\s*,)\s*\(?\s*((?:"(?:[^"\\]|\\.)*"\s*)+))re"));
    const QRegularExpression literal(QStringLiteral(R"re("((?:[^"\\]|\\.)*)")re"));
    for (const QString &dir :
         {QStringLiteral("/ui"), QStringLiteral("/app"), QStringLiteral("/core/view")}) {
        QDirIterator it(sourceRoot() + dir, {QStringLiteral("*.cpp")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (!f.open(QIODevice::ReadOnly))
                continue;
            const QString text = QString::fromUtf8(f.readAll());
            for (auto it = call.globalMatch(text); it.hasNext();) {
                const QString lits = it.next().captured(1);
                QString s;
                for (auto lit = literal.globalMatch(lits); lit.hasNext();)
                    s += lit.next().captured(1);
                s.replace(QStringLiteral("\\\""), QStringLiteral("\""));
                s.replace(QStringLiteral("\\n"), QStringLiteral("\n"));
                s.replace(QStringLiteral("\\\\"), QStringLiteral("\\"));
                found << s;
            }
        }
    }
    return found;
}

} // namespace

class TstTranslations : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void tsIsComplete() {
        QString error;
        const QList<TsMessage> msgs = readTs(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(msgs.size() > 200);
        QStringList bad;
        for (const TsMessage &m : msgs)
            if (!m.problem.isEmpty())
                bad << QStringLiteral("%1: \"%2\" (%3)").arg(m.context, m.source, m.problem);
        QVERIFY2(bad.isEmpty(),
                 qPrintable(QStringLiteral("%1 message(s) not translated — run "
                                           "scripts/update-translations.sh and translate:\n")
                                .arg(bad.size()) +
                            bad.join(u'\n')));
    }

    void everySourceStringIsInTheTs() {
        QString error;
        QSet<QString> inTs;
        for (const TsMessage &m : readTs(&error))
            inTs << m.source;
        const QSet<QString> src = sourceStrings();
        QVERIFY(src.size() > 200);
        QStringList missing;
        for (const QString &s : src)
            if (!inTs.contains(s))
                missing << s;
        missing.sort();
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("not in socketlab_ko.ts (run "
                                           "scripts/update-translations.sh):\n") +
                            missing.join(u'\n')));
    }

    void switchesAtRunTime() {
        ui::MainWindow w(QStringLiteral("en"));
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QAction *step = w.stepAction();
        QCOMPARE(step->text(), QStringLiteral("Step"));
        auto *langMenu = w.findChild<QMenu *>(QStringLiteral("languageMenu"));
        QVERIFY(langMenu);
        auto *ko = w.findChild<QAction *>(QStringLiteral("actionLanguage_ko"));
        auto *en = w.findChild<QAction *>(QStringLiteral("actionLanguage_en"));
        QVERIFY(ko && en);

        ko->trigger();
        QCoreApplication::processEvents(); // LanguageChange is posted
        QCOMPARE(ui::uiLanguage(), QStringLiteral("ko"));
        QCOMPARE(ui::savedUiLanguage(), QStringLiteral("ko"));
        QCOMPARE(step->text(), QString::fromUtf8("한 단계"));
        QVERIFY(step->toolTip().startsWith(QString::fromUtf8("한 단계")));
        QCOMPARE(w.findChild<QDockWidget *>(QStringLiteral("sequenceDock"))->windowTitle(),
                 QString::fromUtf8("시퀀스"));
        QCOMPARE(w.lessonsDock()->windowTitle(), QString::fromUtf8("레슨"));
        QCOMPARE(w.scriptPanel()->language(), QStringLiteral("ko")); // the narration follows
        QCOMPARE(w.language(), QStringLiteral("ko"));
        QCOMPARE(langMenu->title(), QString::fromUtf8("언어(&L)"));
        QVERIFY(ko->isChecked());
        // Texts set once by the panels follow too: the inspector's labels, the trace
        // filter, the chart's legend.
        auto *inspector = w.findChild<ui::Inspector *>();
        QVERIFY(inspector);
        const auto formLabels = inspector->findChildren<QLabel *>();
        QVERIFY(std::any_of(formLabels.begin(), formLabels.end(), [](const QLabel *l) {
            return l->text() == QString::fromUtf8("이름");
        }));
        auto *filter = w.findChild<QComboBox *>(QStringLiteral("traceKindFilter"));
        QVERIFY(filter);
        QCOMPARE(filter->itemText(0), QString::fromUtf8("모든 종류"));
        QVERIFY(inspector->chart()->legendTexts().contains(QString::fromUtf8("송신 큐")));

        // Hangul needs a CJK font (fonts-noto-cjk); without one it renders as boxes.
        QVERIFY2(!QFontDatabase::families(QFontDatabase::Korean).isEmpty(),
                 "no Korean font: install fonts-noto-cjk (scripts/bootstrap.sh)");
        const QString shot = QDir::temp().absoluteFilePath(QStringLiteral("socketlab-ko.png"));
        QTest::qWait(100); // the chart's scene and the menu bar lay out again on later events
        QVERIFY(w.grab().save(shot));
        qInfo("Korean window: %s", qPrintable(shot));

        en->trigger();
        QCoreApplication::processEvents();
        QCOMPARE(step->text(), QStringLiteral("Step"));
        QCOMPARE(w.lessonsDock()->windowTitle(), QStringLiteral("Lessons"));
        QCOMPARE(w.scriptPanel()->language(), QStringLiteral("en"));
        QCOMPARE(ui::savedUiLanguage(), QStringLiteral("en"));
        QCOMPARE(filter->itemText(0), QStringLiteral("all kinds"));
    }
};

QTEST_MAIN(TstTranslations)
#include "tst_translations.moc"
