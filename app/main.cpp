// socketlab: the window by default; headless subcommands for the terminal and CI.
//
//   socketlab                      the lab window on the first lesson (the terminal
//                                  run of that lesson when there is no display)
//   socketlab run FILE|LESSON      print each step, its result, errno and queue bars
//   socketlab check [LESSON…|--all] run lessons with their expectations; exit 1 on failure
//   socketlab lessons              list the built-in lessons
#include "engine/runner.h"
#include "engine/version.h"
#include "lessons/lessoncatalog.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>
#include <csignal>
#include <cstdio>
#include <unistd.h>

#ifdef SOCKETLAB_HAVE_UI
#include "ui/guimain.h"
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
    int failed = 0;
    for (const QString &key : keys) {
        QString error;
        const auto lesson = lessons::findLesson(key, &error);
        if (!lesson) {
            err() << "socketlab: " << error << "\n";
            ++failed;
            continue;
        }
        const engine::RunResult r = engine::runLesson(*lesson, opts, out(), err());
        if (r.passed) {
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
    out() << QStringLiteral("%1 passed, %2 failed\n").arg(keys.size() - failed).arg(failed);
    return failed ? 1 : 0;
}

bool haveDisplay() {
    // Without a display and without a platform plugin chosen, Qt aborts; fall back
    // to the terminal instead.
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY") ||
           qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
}

} // namespace

int main(int argc, char **argv) {
    // Every send passes MSG_NOSIGNAL; ignoring SIGPIPE as well covers write() on a
    // pipe whose reader is gone (lesson 14), which has no such flag.
    std::signal(SIGPIPE, SIG_IGN);

    const QStringList cliCommands = {QStringLiteral("run"), QStringLiteral("check"),
                                     QStringLiteral("lessons")};
    const bool cli = argc > 1 && cliCommands.contains(QString::fromLocal8Bit(argv[1]));
#ifdef SOCKETLAB_HAVE_UI
    if (!cli && haveDisplay())
        return ui::guiMain(argc, argv);
#endif

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("socketlab"));
    QCoreApplication::setApplicationVersion(labVersion());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Socket Lab: run real BSD socket calls step by step and watch the kernel."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QStringLiteral("run FILE|LESSON, check [LESSON…|--all], lessons"));
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
    parser.addOptions({traceOpt, langOpt, allOpt, lanOpt, colorOpt, noColorOpt});
    parser.process(app);

    const QStringList args = parser.positionalArguments();
    const QString lang = parser.value(langOpt);
    if (lang != QLatin1String("en") && lang != QLatin1String("ko")) {
        err() << "socketlab: --lang must be en or ko\n";
        return 2;
    }
    engine::RunOptions opts;
    opts.lang = lang;
    opts.tracePath = parser.value(traceOpt);
    opts.allowLan = parser.isSet(lanOpt);
    opts.color = parser.isSet(colorOpt) || (!parser.isSet(noColorOpt) && isatty(STDOUT_FILENO));

    const QString command = args.value(0);
    if (command == QLatin1String("lessons"))
        return cmdLessons(lang);
    if (command == QLatin1String("check"))
        return cmdCheck(args.mid(1), parser.isSet(allOpt), opts);
    if (command == QLatin1String("run")) {
        if (args.size() < 2) {
            err() << "socketlab: run needs a lesson (number, name) or a .lab file\n";
            return 2;
        }
        return cmdRun(args.at(1), opts);
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
    err() << "socketlab: no display; running lesson " << all.first().number
          << " in the terminal (use `socketlab lessons` to see them all)\n";
    return cmdRun(all.first().id, opts);
}
