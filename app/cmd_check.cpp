// socketlab check [LESSON…|FILE…|-|--all]: run lessons and scripts with their
// expectations against the running kernel; PASS/FAIL per script, or a report for
// programs (--format json|junit, -o FILE); --trace DIR keeps one trace per script.
#include "checkreport.h"
#include "cli.h"
#include "interrupt.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSaveFile>
#include <QSet>

namespace sl::app {

namespace {

QString paint(const QString &text, const char *code, bool color) {
    return color ? QStringLiteral("\x1b[%1m").arg(QLatin1String(code)) + text +
                       QStringLiteral("\x1b[0m")
                 : text;
}

// DIR/<id>.jsonl, unique within this check (two scripts of the same name in different
// directories get -2, -3…).
QString tracePathFor(const QDir &dir, const QString &id, QSet<QString> &used) {
    QString name = id;
    for (int n = 2; used.contains(name); ++n)
        name = id + QStringLiteral("-%1").arg(n);
    used.insert(name);
    return dir.filePath(name + QStringLiteral(".jsonl"));
}

bool writeReport(const QString &path, const QByteArray &data) {
    if (path.isEmpty() || path == QLatin1String("-")) {
        out() << QString::fromUtf8(data);
        out().flush();
        return true;
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit()) {
        err() << "socketlab check: cannot write " << path << ": " << f.errorString() << "\n";
        return false;
    }
    return true;
}

int checkMain(const QStringList &args) {
    CommandLine cl(checkCommand());
    cl.parser().addPositionalArgument(
        QStringLiteral("scripts"),
        QStringLiteral("Lessons (number or id), .lab files, or - for a script on standard "
                       "input; none: every built-in lesson."),
        QStringLiteral("[LESSON|FILE|-...]"));
    cl.addLangOption();
    cl.addColorOptions();
    cl.addOption({QStringLiteral("all"), QStringLiteral("Every built-in lesson.")});
    cl.addOption({QStringLiteral("format"),
                  QStringLiteral("Report as text (default), json or junit (JUnit XML for CI "
                                 "servers and grading)."),
                  QStringLiteral("format"), QStringLiteral("text")});
    cl.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                  QStringLiteral("Write the report to <file> (the PASS/FAIL lines still go to "
                                 "the terminal)."),
                  QStringLiteral("file")});
    cl.addOption({QStringLiteral("trace"),
                  QStringLiteral("Write each script's trace to <dir>/<id>.jsonl."),
                  QStringLiteral("dir")});
    cl.addOption({QStringLiteral("allow-lan"),
                  QStringLiteral("Allow bind/connect beyond loopback (off by default).")});
    cl.addOption({QStringLiteral("pace"),
                  QStringLiteral("Wait <seconds> of real time before every step."),
                  QStringLiteral("seconds")});
    if (const auto rc = cl.parse(args))
        return *rc;
    const QString format = cl.value(QStringLiteral("format"));
    if (format != QLatin1String("text") && format != QLatin1String("json") &&
        format != QLatin1String("junit"))
        return cl.usageError(
            QStringLiteral("--format must be text, json or junit (got '%1')").arg(format));
    QStringList keys = cl.positionals();
    if (cl.isSet(QStringLiteral("all")) && !keys.isEmpty())
        return cl.usageError(QStringLiteral("--all or scripts by name, not both"));
    if (keys.count(QStringLiteral("-")) > 1)
        return cl.usageError(QStringLiteral("standard input (-) can be read only once"));
    engine::RunOptions opts;
    if (cl.isSet(QStringLiteral("pace"))) {
        QString why;
        const std::optional<int> ms = paceMs(cl.value(QStringLiteral("pace")), &why);
        if (!ms)
            return cl.usageError(QStringLiteral("--pace ") + why);
        opts.paceMs = *ms;
    }
    opts.lang = cl.lang();
    opts.allowLan = cl.isSet(QStringLiteral("allow-lan"));
    opts.quiet = true;
    const bool color = cl.color();
    const QString reportPath = cl.value(QStringLiteral("output"));
    // Text lines go to the terminal unless the report itself is on standard output.
    const bool progress =
        format == QLatin1String("text") ? reportPath.isEmpty() : !reportPath.isEmpty();
    std::optional<QDir> traceDir;
    if (cl.isSet(QStringLiteral("trace"))) {
        const QString dir = cl.value(QStringLiteral("trace"));
        if (!QDir().mkpath(dir)) {
            err() << "socketlab check: cannot make the trace directory " << dir << "\n";
            return ExitUsage;
        }
        traceDir = QDir(dir);
    }
    if (keys.isEmpty())
        for (const lessons::LessonInfo &l : lessons::builtinLessons())
            keys << l.id;

    installInterruptHandlers();
    QList<CheckEntry> entries;
    QSet<QString> traceNames;
    QString text; // the text report, for -o with --format text
    const auto line = [&](const QString &l) {
        if (progress) {
            out() << l << "\n";
            out().flush();
        }
        text += l + QLatin1Char('\n');
    };
    QElapsedTimer clock;
    clock.start();
    if (opts.paceMs > 0)
        line(QStringLiteral("pace: %1 s of real time before every step").arg(opts.paceMs / 1000.0));
    for (const QString &key : keys) {
        if (interruptedExitCode())
            break;
        CheckEntry e;
        e.key = e.id = key;
        QString error;
        auto lesson = loadScript(key, &error);
        if (lesson)
            lesson->source = lessons::fillBlanks(lesson->source); // exercises: their solution
        if (!lesson) {
            e.loadError = error;
            err() << "socketlab: " << error << "\n";
            err().flush();
            line(QStringLiteral("%1  %2  %3")
                     .arg(paint(QStringLiteral("ERR "), "31;1", color))
                     .arg(key, -26)
                     .arg(error));
            entries << e;
            continue;
        }
        e.id = lesson->id;
        e.title = lesson->title();
        e.path = lesson->path;
        opts.tracePath = traceDir ? tracePathFor(*traceDir, lesson->id, traceNames) : QString();
        e.run = engine::runLesson(*lesson, opts, out(), err());
        if (e.run.loaded && !opts.tracePath.isEmpty())
            e.tracePath = opts.tracePath;
        entries << e;
        const QString v = verdict(e);
        if (e.run.interruptedBy) {
            line(QStringLiteral("STOP  %1  %2").arg(lesson->id, -26).arg(e.run.failure));
            break;
        }
        if (v == QLatin1String("passed"))
            line(QStringLiteral("%1  %2  (%3 steps, %4 expectations, %5 ms)")
                     .arg(paint(QStringLiteral("PASS"), "32", color))
                     .arg(lesson->id, -26)
                     .arg(e.run.steps)
                     .arg(e.run.expectations)
                     .arg(e.run.elapsedMs));
        else
            line(QStringLiteral("%1  %2  %3")
                     .arg(paint(v == QLatin1String("failed") ? QStringLiteral("FAIL")
                                                             : QStringLiteral("ERR "),
                                "31;1", color))
                     .arg(lesson->id, -26)
                     .arg(e.run.failure));
    }
    const qint64 elapsed = clock.elapsed();
    int failed = 0;
    for (const CheckEntry &e : entries)
        failed += verdict(e) != QLatin1String("passed");
    const int rc = interruptedExitCode();
    if (rc) {
        line(QStringLiteral("interrupted: %1 passed, %2 failed before it")
                 .arg(entries.size() - failed)
                 .arg(failed - (entries.isEmpty() || !entries.last().run.interruptedBy ? 0 : 1)));
    } else {
        const qint64 s = (elapsed + 500) / 1000;
        line(QStringLiteral("%1 passed, %2 failed (%3 min %4 s)")
                 .arg(entries.size() - failed)
                 .arg(failed)
                 .arg(s / 60)
                 .arg(s % 60));
    }
    bool written = true;
    if (format == QLatin1String("json"))
        written = writeReport(reportPath, checkJson(entries, elapsed));
    else if (format == QLatin1String("junit"))
        written = writeReport(reportPath, checkJUnit(entries, elapsed));
    else if (!reportPath.isEmpty())
        written = writeReport(reportPath, text.toUtf8());
    if (rc)
        return rc;
    return failed || !written ? ExitFailed : ExitOk;
}

} // namespace

Command checkCommand() {
    return {QStringLiteral("check"),
            QStringLiteral("[options] [LESSON|FILE|-...]"),
            QStringLiteral("Run lessons or scripts with their expectations; PASS or FAIL each, "
                           "exit 1 on a failure."),
            {QStringLiteral("socketlab check --all              # every lesson (for CI)"),
             QStringLiteral("socketlab check hw/*.lab --format junit -o grades.xml"),
             QStringLiteral("socketlab check 3 5 --format json --trace traces/")},
            checkMain};
}

} // namespace sl::app
