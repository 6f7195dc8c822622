// socketlab run FILE|LESSON|-: every step, its result and errno, the narration and the
// queues of the sockets it used; `--step` waits for Enter before each step, as F10 does
// in the window.
#include "cli.h"
#include "cmd_lessons.h"
#include "interrupt.h"

#include <QEventLoop>
#include <QSocketNotifier>
#include <unistd.h>

namespace sl::app {

int runInTerminal(const lessons::LessonInfo &given, const engine::RunOptions &opts) {
    // A built-in exercise runs with its solution (the learner fills the blank in the
    // window, or in a copy: `socketlab run my-copy.lab` runs theirs).
    lessons::LessonInfo lesson = given;
    if (lesson.path.startsWith(u':') && lesson.hasBlanks())
        lesson.source = lessons::fillBlanks(lesson.source);
    const engine::RunResult r = engine::runLesson(lesson, opts, out(), err());
    if (!r.loaded)
        return ExitUsage;
    if (!r.passed && !lesson.hint(opts.lang).isEmpty()) // an exercise: a wrong try
        err() << "hint: " << lesson.hint(opts.lang) << "\n";
    if (!r.failure.isEmpty())
        err() << "\n" << r.failure << "\n";
    if (const int rc = interruptedExitCode())
        return rc;
    return r.passed ? ExitOk : ExitFailed;
}

namespace {

bool g_inputEnded = false;

// --step: one line of standard input before every step, read with the event loop
// running, so that steps blocked in the background still report and a signal ends the
// wait (interruptRun() leaves every event loop). At the end of the input the run goes
// on without waiting: `socketlab run 5 --step </dev/null` is a plain run.
void waitForEnter() {
    if (g_inputEnded)
        return;
    const bool interactive = isatty(STDIN_FILENO);
    if (interactive) {
        err() << "  -- Enter: next step (Ctrl+C stops) --";
        err().flush();
    }
    out().flush();
    QEventLoop loop;
    QSocketNotifier notifier(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &loop, [&] {
        // One byte per wake-up: readable means at least one byte waits, so this never
        // blocks; the rest of the line wakes us again.
        char c = 0;
        const ssize_t n = ::read(STDIN_FILENO, &c, 1);
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
            g_inputEnded = true;
            loop.quit();
        } else if (n == 1 && c == '\n') {
            loop.quit();
        }
    });
    loop.exec();
    if (interactive) { // the prompt's line is spent: the step prints on a clean one
        err() << "\r\x1b[2K";
        err().flush();
    }
}

int runMain(const QStringList &args) {
    CommandLine cl(runCommand());
    cl.parser().addPositionalArgument(
        QStringLiteral("script"),
        QStringLiteral("A lesson (number or id, see 'socketlab lessons'), a .lab file, or - to "
                       "read the script from standard input."),
        QStringLiteral("FILE|LESSON|-"));
    cl.addLangOption();
    cl.addColorOptions();
    cl.addOption({QStringLiteral("trace"),
                  QStringLiteral("Write the trace as JSON Lines to <file> ('socketlab show' "
                                 "replays it)."),
                  QStringLiteral("file")});
    cl.addOption({QStringLiteral("allow-lan"),
                  QStringLiteral("Allow bind/connect beyond loopback (off by default).")});
    cl.addOption({QStringLiteral("pace"),
                  QStringLiteral("Wait <seconds> of real time before every step, as a reader "
                                 "stepping the window would (the kernel's timers run "
                                 "meanwhile)."),
                  QStringLiteral("seconds")});
    cl.addOption({QStringLiteral("step"),
                  QStringLiteral("Wait for Enter before every step, as F10 in the window (reads "
                                 "lines of standard input; at its end, runs on).")});
    cl.addOption({QStringLiteral("answers"),
                  QStringLiteral("Answers to the lesson's questions, one a line (default: asked "
                                 "when standard input is a terminal, else shown with the "
                                 "kernel's answer)."),
                  QStringLiteral("file")});
    if (const auto rc = cl.parse(args))
        return *rc;
    const QStringList pos = cl.positionals();
    if (pos.size() != 1)
        return cl.usageError(pos.isEmpty()
                                 ? QStringLiteral("needs a lesson (number, id) or a .lab file")
                                 : QStringLiteral("runs one script (got %1: %2)")
                                       .arg(pos.size())
                                       .arg(pos.join(QLatin1Char(' '))));
    engine::RunOptions opts;
    if (cl.isSet(QStringLiteral("pace"))) {
        QString why;
        const std::optional<int> ms = paceMs(cl.value(QStringLiteral("pace")), &why);
        if (!ms)
            return cl.usageError(QStringLiteral("--pace ") + why);
        opts.paceMs = *ms;
    }
    if (cl.isSet(QStringLiteral("step"))) {
        if (pos.first() == QLatin1String("-"))
            return cl.usageError(QStringLiteral("--step reads Enter from standard input, which "
                                                "holds the script here (-); give a file"));
        opts.beforeStep = waitForEnter;
    }
    opts.lang = cl.lang();
    opts.tracePath = cl.value(QStringLiteral("trace"));
    opts.allowLan = cl.isSet(QStringLiteral("allow-lan"));
    opts.color = cl.color();
    if (cl.isSet(QStringLiteral("answers"))) {
        QString why;
        if (!readAnswers(cl.value(QStringLiteral("answers")), &opts.answerList, &why))
            return cl.usageError(QStringLiteral("--answers: ") + why);
        opts.answers = engine::RunOptions::Answers::File;
    } else if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && !opts.beforeStep &&
               pos.first() != QLatin1String("-")) {
        opts.answers = engine::RunOptions::Answers::Stdin;
    }

    QString error;
    const auto lesson = loadScript(pos.first(), &error);
    if (!lesson) {
        err() << "socketlab: " << error << "\n";
        return ExitUsage;
    }
    installInterruptHandlers();
    return runInTerminal(*lesson, opts);
}

} // namespace

Command runCommand() {
    return {QStringLiteral("run"),
            QStringLiteral("[options] FILE|LESSON|-"),
            QStringLiteral("Run a lesson or a .lab script in the terminal: each step, its "
                           "result and errno, the queues."),
            {QStringLiteral("socketlab run 5 --lang ko          # lesson 5, Korean narration"),
             QStringLiteral("socketlab run my.lab --trace t.jsonl  # any script, its trace saved"),
             QStringLiteral("socketlab run 5 --step             # Enter runs the next step"),
             QStringLiteral("cat my.lab | socketlab run -       # the script from standard "
                            "input")},
            runMain};
}

} // namespace sl::app
