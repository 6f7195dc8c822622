// socketlab: the window by default; subcommands for the terminal, scripts and CI.
//
//   socketlab [--lang en|ko] [LESSON|FILE.lab]   the lab window (the terminal run of that
//                                                lesson when there is no display)
//   socketlab COMMAND [options] [arguments]      a subcommand of the table below; each
//                                                parses its own options (app/cmd_*.cpp)
//
// --help, --version and the subcommands never need a display: they run under a
// QCoreApplication, chosen before any QApplication exists (Qt's platform plugin aborts
// the process when the display it is given does not answer). The window starts only
// when a display answers; with a dead one the lab says so and runs in the terminal.
// SIGINT/SIGTERM/SIGHUP stop a run cleanly (interrupt.h): its trace is written, marked
// interrupted, and the exit status is 128 + the signal (130, 143, 129).
#include "cli.h"
#include "display.h"
#include "interrupt.h"

#include "engine/version.h"

#include <QCoreApplication>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

#include "cmd_pyexport.h"
#ifdef SOCKETLAB_HAVE_UI
#include "cmd_export.h"
#include "ui/window/guimain.h"
#endif

using namespace sl;

namespace {

// The dispatch table: one line per subcommand, in the order `--help` lists them.
QList<app::Command> commandTable() {
    // One command a line, so that new ones merge as added lines.
    // clang-format off
    return {
        app::runCommand(),
        app::checkCommand(),
        app::showCommand(),
        app::lessonsCommand(),
        app::watchCommand(),
        app::traceCommand(),
        app::exportCommand(),
    };
    // clang-format on
}

#ifdef SOCKETLAB_HAVE_UI
// A display that answers a connect() may still refuse the window (no X authority, a
// missing plugin): Qt then ends with a fatal message. Say what to do instead.
QtMessageHandler g_previousHandler = nullptr;
void explainPlatformFailure(QtMsgType type, const QMessageLogContext &ctx, const QString &msg) {
    if (type == QtFatalMsg && msg.contains(QLatin1String("platform plugin"))) {
        std::fprintf(stderr,
                     "socketlab: the window cannot open on this display (%s)\n"
                     "socketlab: `socketlab run 1` runs lesson 1 in the terminal; "
                     "QT_QPA_PLATFORM=offscreen opens no window at all\n",
                     qPrintable(msg.left(300)));
        std::_Exit(1);
    }
    g_previousHandler(type, ctx, msg);
}
#endif

// Qt's own options of a QApplication (-platform xcb, -style fusion, -reverse): the
// window takes them, so they are no usage error. Those that take a value.
const QStringList &qtValueOptions() {
    static const QStringList o = {
        QStringLiteral("-platform"),        QStringLiteral("-platformpluginpath"),
        QStringLiteral("-platformtheme"),   QStringLiteral("-plugin"),
        QStringLiteral("-qwindowgeometry"), QStringLiteral("-qwindowicon"),
        QStringLiteral("-qwindowtitle"),    QStringLiteral("-display"),
        QStringLiteral("-geometry"),        QStringLiteral("-style"),
        QStringLiteral("-stylesheet"),      QStringLiteral("-session")};
    return o;
}

// The window's command line: [--lang en|ko] [LESSON|FILE.lab] (and Qt's options), or
// --help / --version. Anything else is a usage error, found before any display is
// needed.
struct WindowArgs {
    bool help = false, helpAll = false, version = false;
    QString lang; // empty: the window's saved choice, the terminal's locale
    QString lesson;
    QString error;
};

WindowArgs parseWindowArgs(const QStringList &args) {
    WindowArgs w;
    bool optionsEnd = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (!optionsEnd && a == QLatin1String("--")) {
            optionsEnd = true;
        } else if (!optionsEnd && (a == QLatin1String("-h") || a == QLatin1String("--help") ||
                                   a == QLatin1String("-?"))) {
            w.help = true;
        } else if (!optionsEnd && a == QLatin1String("--help-all")) {
            w.helpAll = true;
        } else if (!optionsEnd && (a == QLatin1String("-v") || a == QLatin1String("--version"))) {
            w.version = true;
        } else if (!optionsEnd &&
                   (a == QLatin1String("--lang") || a.startsWith(QLatin1String("--lang=")))) {
            if (a.contains(QLatin1Char('=')))
                w.lang = a.section(QLatin1Char('='), 1);
            else if (i + 1 < args.size())
                w.lang = args.at(++i);
            else
                w.error = QStringLiteral("--lang needs a value: en or ko");
            if (w.error.isEmpty() && w.lang != QLatin1String("en") && w.lang != QLatin1String("ko"))
                w.error = QStringLiteral("--lang must be en or ko (got '%1')").arg(w.lang);
        } else if (!optionsEnd && qtValueOptions().contains(a)) {
            ++i;
        } else if (!optionsEnd &&
                   (a == QLatin1String("-reverse") || a == QLatin1String("-widgetcount"))) {
        } else if (!optionsEnd && a.startsWith(QLatin1Char('-')) && a != QLatin1String("-")) {
            w.error = QStringLiteral("unknown option '%1'").arg(a);
        } else if (w.lesson.isEmpty()) {
            w.lesson = a;
        } else if (w.error.isEmpty()) {
            w.error = QStringLiteral("unknown command '%1' (the window opens one lesson or file)")
                          .arg(w.lesson);
        }
    }
    return w;
}

// The first argument that is not an option (nor --lang's value), when it names a
// subcommand: that command, and where it is among the arguments.
struct Found {
    const app::Command *command = nullptr;
    qsizetype at = -1;
};

Found findCommand(const QStringList &args, const QList<app::Command> &table) {
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == QLatin1String("--"))
            return {};
        if (a == QLatin1String("--lang")) {
            ++i;
            continue;
        }
        if (a.startsWith(QLatin1Char('-')))
            continue;
        for (const app::Command &c : table)
            if (c.name == a)
                return {&c, i};
        return {};
    }
    return {};
}

void setNames() {
    QCoreApplication::setApplicationName(QStringLiteral("socketlab"));
    QCoreApplication::setApplicationVersion(labVersion());
}

} // namespace

int main(int argc, char **argv) {
    // Every send passes MSG_NOSIGNAL; ignoring SIGPIPE as well covers write() on a
    // pipe whose reader is gone (lesson 14), which has no such flag.
    std::signal(SIGPIPE, SIG_IGN);

    if (app::isPythonExport(argc, argv)) // no display, no widgets: every build has it
        return app::cmdPyExport(argc, argv);
#ifdef SOCKETLAB_HAVE_UI
    if (argc > 1 && qstrcmp(argv[1], "export") == 0) // its own (offscreen) QApplication
        return app::cmdExport(argc, argv);
#endif
    const QList<app::Command> table = commandTable();
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);

    if (const Found found = findCommand(args, table); found.command) {
        QCoreApplication app(argc, argv);
        setNames();
        args.removeAt(found.at);
        return found.command->main(args);
    }

    const WindowArgs w = parseWindowArgs(args);
    if (w.help || w.helpAll || w.version) {
        QCoreApplication app(argc, argv);
        setNames();
        if (w.version) {
            app::out() << "socketlab " << labVersion() << "\n";
            return app::ExitOk;
        }
        const QString help = app::globalHelp(table);
        if (!w.helpAll) {
            app::out() << help;
            return app::ExitOk;
        }
        // The manual: every command's options after the lab's own (help2man makes each
        // a subsection of OPTIONS), then the environment, exit status and examples.
        const qsizetype tail = help.indexOf(QLatin1String("\nEnvironment:\n")) + 1;
        app::out() << help.left(tail);
        for (const app::Command &c : table) {
            app::out() << "\n";
            app::out().flush();
            c.main({QStringLiteral("--help-all")});
        }
        app::out() << "\n" << help.mid(tail);
        return app::ExitOk;
    }
    if (!w.error.isEmpty()) {
        std::fprintf(stderr, "socketlab: %s\nTry 'socketlab --help'.\n", qPrintable(w.error));
        return app::ExitUsage;
    }

    QString noWindow; // why the window cannot open, when a display was asked for
#ifdef SOCKETLAB_HAVE_UI
    if (app::probeDisplay(&noWindow) == app::Display::Usable) {
        g_previousHandler = qInstallMessageHandler(explainPlatformFailure);
        return ui::guiMain(argc, argv);
    }
#endif

    // No display: the lesson asked for, or the first, in the terminal.
    QCoreApplication app(argc, argv);
    setNames();
    const auto all = lessons::builtinLessons();
    QString error;
    const auto lesson = w.lesson.isEmpty()
                            ? (all.isEmpty() ? std::nullopt : std::optional(all.first()))
                            : app::loadScript(w.lesson, &error);
    if (!lesson) {
        app::err() << "socketlab: "
                   << (error.isEmpty() ? QStringLiteral("no built-in lessons") : error) << "\n";
        return app::ExitUsage;
    }
    const QString which =
        lesson->number ? QStringLiteral("lesson %1").arg(lesson->number) : lesson->path;
    if (noWindow.isEmpty())
        app::err() << "socketlab: no display; running " << which
                   << " in the terminal (use `socketlab lessons` to see them all)\n";
    else
        app::err() << "socketlab: " << noWindow << ", so the window cannot open; running " << which
                   << " in the terminal instead (use `socketlab lessons` to see them "
                   << "all)\n";
    app::err().flush();
    engine::RunOptions opts;
    opts.lang = w.lang.isEmpty() ? app::localeLang() : w.lang;
    opts.color = !app::noColorEnv() && isatty(STDOUT_FILENO);
    app::installInterruptHandlers();
    return app::runInTerminal(*lesson, opts);
}
