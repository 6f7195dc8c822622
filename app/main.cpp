// socketlab: the window by default; headless subcommands for the terminal and CI.
//
//   socketlab                      the lab window on the first lesson (the terminal
//                                  run of that lesson when there is no display)
//   socketlab run FILE|LESSON      print each step, its result, errno and queue bars
//   socketlab check [LESSON…|--all] run lessons with their expectations; exit 1 on failure
//   socketlab lessons              list the built-in lessons
//   run/check --pace SECONDS       wait that long before every step, as a reader would
//
// --help, --version and the subcommands never need a display: they run under a
// QCoreApplication, chosen before any QApplication exists (Qt's platform plugin aborts
// the process when the display it is given does not answer). The window starts only
// when a display answers; with a dead one the lab says so and runs in the terminal.
// SIGINT/SIGTERM/SIGHUP stop a run cleanly (interrupt.h): its trace is written, marked
// interrupted, and the exit status is 128 + the signal (130, 143, 129).
#include "display.h"
#include "interrupt.h"

#include "engine/runner.h"
#include "engine/version.h"
#include "lessons/lessoncatalog.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <unistd.h>

#ifdef SOCKETLAB_HAVE_UI
#include "cmd_export.h"
#include "ui/window/guimain.h"
#endif

using namespace sl;

namespace {

QTextStream &out() {
    static QTextStream s(stdout);
    return s;
}
QTextStream &err() {
    static QTextStream s(stderr);
    return s;
}

int cmdLessons(const QString &lang) {
    for (const lessons::LessonInfo &l : lessons::builtinLessons())
        out() << QStringLiteral("%1  %2  %3\n").arg(l.number, 2).arg(l.id, -26).arg(l.title(lang));
    return 0;
}

int cmdRun(const QString &key, const engine::RunOptions &opts) {
    QString error;
    const auto lesson = lessons::findLesson(key, &error);
    if (!lesson) {
        err() << "socketlab: " << error << "\n";
        return 2;
    }
    const engine::RunResult r = engine::runLesson(*lesson, opts, out(), err());
    if (!r.loaded)
        return 2;
    if (!r.failure.isEmpty())
        err() << "\n" << r.failure << "\n";
    return r.passed ? 0 : 1;
}

int cmdCheck(QStringList keys, bool all, engine::RunOptions opts) {
    if (all || keys.isEmpty()) {
        keys.clear();
        for (const lessons::LessonInfo &l : lessons::builtinLessons())
            keys << l.id;
    }
    opts.quiet = true;
    int failed = 0, passed = 0;
    QElapsedTimer clock;
    clock.start();
    if (opts.paceMs > 0)
        out() << QStringLiteral("pace: %1 s of real time before every step\n")
                     .arg(opts.paceMs / 1000.0);
    for (const QString &key : keys) {
        if (app::interruptedExitCode())
            break;
        QString error;
        const auto lesson = lessons::findLesson(key, &error);
        if (!lesson) {
            err() << "socketlab: " << error << "\n";
            ++failed;
            continue;
        }
        const engine::RunResult r = engine::runLesson(*lesson, opts, out(), err());
        if (r.interruptedBy) {
            out() << QStringLiteral("STOP  %1  %2\n").arg(lesson->id, -26).arg(r.failure);
            break;
        }
        if (r.passed) {
            ++passed;
            out() << QStringLiteral("PASS  %1  (%2 steps, %3 expectations, %4 ms)\n")
                         .arg(lesson->id, -26)
                         .arg(r.steps)
                         .arg(r.expectations)
                         .arg(r.elapsedMs);
        } else {
            ++failed;
            out() << QStringLiteral("FAIL  %1  %2\n").arg(lesson->id, -26).arg(r.failure);
        }
        out().flush();
    }
    if (const int rc = app::interruptedExitCode()) {
        out() << QStringLiteral("interrupted: %1 passed, %2 failed before it\n")
                     .arg(passed)
                     .arg(failed);
        return rc;
    }
    const qint64 s = (clock.elapsed() + 500) / 1000;
    out() << QStringLiteral("%1 passed, %2 failed (%3 min %4 s)\n")
                 .arg(keys.size() - failed)
                 .arg(failed)
                 .arg(s / 60)
                 .arg(s % 60);
    return failed ? 1 : 0;
}

// --pace SECONDS: a number of seconds from 0 to an hour (a reader who stepped away for
// longer has left the lesson), decimals allowed ("0.5"). nullopt and why otherwise.
std::optional<int> paceMs(const QString &text, QString *why) {
    bool ok = false;
    const double sec = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(sec)) {
        *why = QStringLiteral("needs a number of seconds, e.g. --pace 2 (got '%1')").arg(text);
        return std::nullopt;
    }
    if (sec < 0 || sec > 3600) {
        *why = QStringLiteral("must be between 0 and 3600 seconds (got %1)").arg(text);
        return std::nullopt;
    }
    return int(std::lround(sec * 1000));
}

[[maybe_unused]] bool wantsHelpOrVersion(int argc, char **argv) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "--")
            break;
        if (a == "-h" || a == "--help" || a == "-?" || a == "--help-all" || a == "-v" ||
            a == "--version")
            return true;
    }
    return false;
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

} // namespace

int main(int argc, char **argv) {
    // Every send passes MSG_NOSIGNAL; ignoring SIGPIPE as well covers write() on a
    // pipe whose reader is gone (lesson 14), which has no such flag.
    std::signal(SIGPIPE, SIG_IGN);

#ifdef SOCKETLAB_HAVE_UI
    if (argc > 1 && qstrcmp(argv[1], "export") == 0) // its own (offscreen) QApplication
        return app::cmdExport(argc, argv);
#endif
    const QStringList cliCommands = {QStringLiteral("run"), QStringLiteral("check"),
                                     QStringLiteral("lessons")};
    [[maybe_unused]] const bool cli =
        argc > 1 && cliCommands.contains(QString::fromLocal8Bit(argv[1]));
    QString noWindow; // why the window cannot open, when a display was asked for
#ifdef SOCKETLAB_HAVE_UI
    if (!cli && !wantsHelpOrVersion(argc, argv)) {
        const app::Display display = app::probeDisplay(&noWindow);
        if (display == app::Display::Usable) {
            g_previousHandler = qInstallMessageHandler(explainPlatformFailure);
            return ui::guiMain(argc, argv);
        }
    }
#endif

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("socketlab"));
    QCoreApplication::setApplicationVersion(labVersion());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Socket Lab: run real BSD socket calls step by step and watch the kernel."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("command"),
        QStringLiteral("run FILE|LESSON, check [LESSON…|--all], lessons; none: the window "
                       "(socketlab [--lang en|ko] [LESSON|FILE.lab]), or lesson 1 in the "
                       "terminal when there is no display"));
    QCommandLineOption traceOpt(QStringLiteral("trace"),
                                QStringLiteral("Write the trace as JSON Lines to <file>."),
                                QStringLiteral("file"));
    QCommandLineOption langOpt(QStringLiteral("lang"),
                               QStringLiteral("Narration language: en or ko."),
                               QStringLiteral("lang"), QStringLiteral("en"));
    QCommandLineOption allOpt(QStringLiteral("all"),
                              QStringLiteral("check: every built-in lesson."));
    QCommandLineOption lanOpt(
        QStringLiteral("allow-lan"),
        QStringLiteral("Allow bind/connect beyond loopback (off by default)."));
    QCommandLineOption colorOpt(QStringLiteral("color"),
                                QStringLiteral("Colour the output (default: when a terminal)."));
    QCommandLineOption noColorOpt(QStringLiteral("no-color"), QStringLiteral("Plain output."));
    QCommandLineOption paceOpt(
        QStringLiteral("pace"),
        QStringLiteral("run, check: wait <seconds> of real time before every step, as a reader "
                       "stepping the window would (the kernel's timers run meanwhile)."),
        QStringLiteral("seconds"));
    parser.addOptions({traceOpt, langOpt, allOpt, lanOpt, colorOpt, noColorOpt, paceOpt});
    parser.process(app);

    const QStringList args = parser.positionalArguments();
    const QString lang = parser.value(langOpt);
    if (lang != QLatin1String("en") && lang != QLatin1String("ko")) {
        err() << "socketlab: --lang must be en or ko\n";
        return 2;
    }
    engine::RunOptions opts;
    if (parser.isSet(paceOpt)) {
        QString why;
        const std::optional<int> ms = paceMs(parser.value(paceOpt), &why);
        if (!ms) {
            err() << "socketlab: --pace " << why << "\n";
            return 2;
        }
        opts.paceMs = *ms;
    }
    opts.lang = lang;
    opts.tracePath = parser.value(traceOpt);
    opts.allowLan = parser.isSet(lanOpt);
    opts.color = parser.isSet(colorOpt) || (!parser.isSet(noColorOpt) && isatty(STDOUT_FILENO));

    app::installInterruptHandlers();
    const QString command = args.value(0);
    if (command == QLatin1String("lessons")) {
        if (parser.isSet(paceOpt)) {
            err() << "socketlab: --pace applies to run and check\n";
            return 2;
        }
        return cmdLessons(lang);
    }
    if (command == QLatin1String("check"))
        return cmdCheck(args.mid(1), parser.isSet(allOpt), opts);
    // (cmdCheck returns 128 + the signal itself when interrupted.)
    if (command == QLatin1String("run")) {
        if (args.size() < 2) {
            err() << "socketlab: run needs a lesson (number, name) or a .lab file\n";
            return 2;
        }
        const int rc = cmdRun(args.at(1), opts);
        return app::interruptedExitCode() ? app::interruptedExitCode() : rc;
    }
    if (!command.isEmpty()) {
        err() << "socketlab: unknown command '" << command << "'\n";
        parser.showHelp(2);
    }
    // No command and no display: the first lesson in the terminal.
    const auto all = lessons::builtinLessons();
    if (all.isEmpty()) {
        err() << "socketlab: no built-in lessons\n";
        return 2;
    }
    if (noWindow.isEmpty())
        err() << "socketlab: no display; running lesson " << all.first().number
              << " in the terminal (use `socketlab lessons` to see them all)\n";
    else
        err() << "socketlab: " << noWindow << ", so the window cannot open; running lesson "
              << all.first().number << " in the terminal instead (use `socketlab lessons` to "
              << "see them all)\n";
    err().flush();
    const int rc = cmdRun(all.first().id, opts);
    return app::interruptedExitCode() ? app::interruptedExitCode() : rc;
}
