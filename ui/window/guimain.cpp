#include "ui/window/guimain.h"

#include "ui/window/i18n.h"
#include "ui/window/mainwindow.h"

#include "engine/version.h"
#include "lessons/lessoncatalog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <algorithm>

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
    // First start (no saved geometry): the layout is made for 1280×720 and up, and Qt's
    // default of two thirds of the screen cuts the Inspector off, so a laptop or a
    // projector gets the whole screen and a larger screen a large centred window.
    if (!QSettings().contains(QStringLiteral("window/geometry"))) {
        const QRect avail = w.screen()->availableGeometry();
        if (avail.width() <= 1600) {
            w.setGeometry(avail);
            w.showMaximized();
        } else {
            const QSize size(std::min(1600, avail.width() * 85 / 100),
                             std::min(1000, avail.height() * 85 / 100));
            w.resize(size);
            w.move(avail.center() - QPoint(size.width() / 2, size.height() / 2));
            w.show();
        }
    } else {
        w.show();
    }
    return app.exec();
}

} // namespace sl::ui
