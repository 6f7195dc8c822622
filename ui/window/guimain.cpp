#include "ui/window/guimain.h"

#include "ui/window/i18n.h"
#include "ui/window/mainwindow.h"

#include "engine/version.h"
#include "lessons/lessoncatalog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>

namespace sl::ui {

int guiMain(int argc, char **argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("socketlab"));
    QApplication::setOrganizationName(QStringLiteral("socketlab"));
    QApplication::setApplicationVersion(labVersion());
    // The icon the desktop file names (resources/desktop/); Wayland takes it from there.
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/socketlab.svg")));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.socketlab.SocketLab"));

    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption langOpt(QStringLiteral("lang"),
                               QApplication::tr("Window and narration language: en or ko "
                                                "(default: the last one chosen)."),
                               QStringLiteral("lang"), QStringLiteral("en"));
    parser.addOption(langOpt);
    parser.addPositionalArgument(QStringLiteral("lesson"),
                                 QApplication::tr("A lesson (number, name) or a .lab file."));
    parser.process(app);

    // --lang, else the language last chosen in View → Language.
    QString lang = parser.isSet(langOpt) ? parser.value(langOpt) : savedUiLanguage();
    if (lang != QLatin1String("ko"))
        lang = QStringLiteral("en");
    setUiLanguage(lang); // before the window: its texts are Korean from the start

    MainWindow w(lang);
    const QString key = parser.positionalArguments().value(0);
    std::optional<lessons::LessonInfo> lesson;
    if (!key.isEmpty()) {
        QString error;
        lesson = lessons::findLesson(key, &error);
        if (!lesson)
            QMessageBox::warning(&w, QApplication::tr("Socket Lab"), error);
    }
    if (!lesson) {
        const auto all = lessons::builtinLessons();
        if (!all.isEmpty())
            lesson = all.first();
    }
    if (lesson)
        w.openLesson(*lesson);
    w.show();
    return app.exec();
}

} // namespace sl::ui
