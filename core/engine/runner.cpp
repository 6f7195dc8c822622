#include "engine/runner.h"

#include "engine/labreport.h"
#include "engine/questionprompt.h"
#include "engine/version.h"
#include "trace/jsonl.h"
#include "view/termtext.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSaveFile>
#include <QTimer>
#include <string.h> // sigabbrev_np (glibc)

namespace sl::engine {

namespace {

int g_interrupted = 0; // the runner's thread only

QString signalName(int signo) {
    const char *abbrev = sigabbrev_np(signo);
    return abbrev ? QStringLiteral("SIG%1").arg(QLatin1String(abbrev))
                  : QStringLiteral("signal %1").arg(signo);
}

// --trace: the trace streamed as it grows into a temporary file beside the target
// (QSaveFile), which replaces the target only at finish() with a complete trace. An
// interrupted run thus keeps what it recorded, and a failed write never leaves a
// truncated file where the user looks for a trace.
class TraceStream {
public:
    explicit TraceStream(const trace::Trace &t)
        : m_writer(t, m_file) {
        m_timer.setInterval(100);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { pump(); });
    }
    ~TraceStream() {
        if (m_file.isOpen())
            m_file.cancelWriting(); // a run that ended without finish(): nothing replaced
    }

    bool open(const QString &path, const QMap<QString, QString> &meta) {
        m_file.setFileName(path);
        m_ok = m_file.open(QIODevice::WriteOnly) && m_writer.writeHeader(meta) && m_file.flush();
        if (m_ok)
            m_timer.start();
        return m_ok;
    }
    // Hands the events recorded since the last call to the temporary file.
    void pump() {
        if (m_ok && !m_detached)
            m_ok = m_writer.writeNew() && m_file.flush();
    }
    // The trace is about to be cleared (reset()): what it held is written, nothing it
    // holds afterwards belongs to this run.
    void detach() {
        pump();
        m_detached = true;
        m_timer.stop();
    }
    bool finish(bool interrupted) {
        m_timer.stop();
        pump();
        m_ok = m_ok && m_writer.finish({interrupted}) && m_file.commit();
        if (!m_ok && m_file.isOpen())
            m_file.cancelWriting();
        return m_ok;
    }
    std::size_t written() const { return m_writer.written(); }
    QString errorString() const { return m_file.errorString(); }

private:
    QSaveFile m_file;
    trace::JsonlWriter m_writer;
    QTimer m_timer;
    bool m_ok = false;
    bool m_detached = false;
};

} // namespace

void interruptRun(int signo) {
    if (g_interrupted)
        return;
    g_interrupted = signo;
    // Leaves every event loop of this thread (stepAndWait's); the runner sees the flag.
    QCoreApplication::exit(128 + signo);
}

int runInterrupted() {
    return g_interrupted;
}

// --pace: the reader reads. The event loop runs (interruptRun() quits it, as it quits
// stepAndWait's), so background steps report and the trace streams meanwhile.
static void pause(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

// The first failure of a run: its text and its parts (check --format reads them).
static void noteFailure(RunResult &res, const lessons::LessonInfo &lesson, const StepReport &r,
                        const script::Program &p) {
    if (!res.failure.isEmpty())
        return;
    const script::Stmt &s = *p.steps[std::size_t(r.step)];
    res.failureStatement = s.source;
    if (r.kind == script::StmtKind::Expect || r.kind == script::StmtKind::WaitUntil) {
        res.failureLine = r.line;
        res.failureDetail = r.expectDetail;
        res.failure = QStringLiteral("%1:%2: %3 failed (%4)")
                          .arg(lesson.path)
                          .arg(r.line)
                          .arg(s.source, r.expectDetail);
        return;
    }
    res.failureLine = r.outcome.line ? r.outcome.line : r.line;
    res.failureDetail = r.outcome.exception + QStringLiteral(": ") + r.outcome.message;
    res.failure = QStringLiteral("%1:%2: %3 raised %4")
                      .arg(lesson.path)
                      .arg(res.failureLine)
                      .arg(s.source, res.failureDetail);
}

RunResult runLesson(const lessons::LessonInfo &lesson, const RunOptions &opts, QTextStream &out,
                    QTextStream &err) {
    RunResult res;
    QElapsedTimer clock;
    clock.start();
    Lab lab;
    LabOptions lo = lab.options();
    lo.allowLan = opts.allowLan;
    if (opts.labOptions)
        opts.labOptions(lo);
    lab.setOptions(lo);
    std::vector<script::Diagnostic> diags;
    const bool ok = lab.load(lesson.source, lesson.path, &diags);
    for (script::Diagnostic d : diags) { // --lang ko: the common ones in Korean (termtext.h)
        d.message = ui::termMessage(opts.lang, d.message);
        d.hint = ui::termMessage(opts.lang, d.hint);
        err << script::formatDiagnostic(d, lesson.path, lesson.source) << "\n";
    }
    err.flush();
    if (!ok) {
        res.failure = QStringLiteral("%1: the script has errors; nothing ran").arg(lesson.path);
        return res;
    }
    res.loaded = true;
    std::optional<TraceStream> stream;
    if (!opts.tracePath.isEmpty()) {
        stream.emplace(lab.trace());
        if (!stream->open(opts.tracePath, {{QStringLiteral("lesson"), lesson.id},
                                           {QStringLiteral("title"), lesson.title()},
                                           // as the window saves it: a replay labels
                                           // loops by their source line
                                           {QStringLiteral("source"), lesson.source},
                                           {QStringLiteral("version"), labVersion()}})) {
            err << "socketlab: cannot write the trace to " << opts.tracePath << ": "
                << stream->errorString() << "; nothing ran\n";
            res.loaded = false;
            res.failure = QStringLiteral("cannot write the trace to %1").arg(opts.tracePath);
            return res;
        }
    }
    LabReport report(lab, out, opts.lang, opts.color);
    QuestionPrompter questions(lab, opts, out); // `check` (quiet): asks and prints nothing
    if (!opts.quiet) {
        report.printHeader(lesson.title(opts.lang), lesson.path);
        QObject::connect(&lab, &Lab::backgroundStepFinished, &lab,
                         [&](const StepReport &r) { report.print(r, true); });
    }
    if (lab.atEnd()) // an empty file, or only comments: nothing was checked
        res.failure =
            QStringLiteral("%1: no steps: the script has nothing to run").arg(lesson.path);
    std::optional<StepReport> policy; // a LabPolicyError not yet resolved by an expect
    while (!lab.atEnd() && !g_interrupted) {
        if (opts.paceMs > 0) {
            pause(opts.paceMs);
            if (g_interrupted)
                break;
        }
        if (opts.beforeStep) {
            opts.beforeStep();
            if (g_interrupted)
                break;
        }
        const int index = lab.position();
        const std::optional<StepReport> r = lab.stepAndWait();
        if (g_interrupted)
            break; // the run was stopped by a signal: reported as interrupted
        if (!r) {
            // A run that stops early never passes: the steps after this one (an
            // expectation, perhaps) did not run.
            const script::Stmt &s = *lab.program()->steps[std::size_t(index)];
            res.failure =
                QStringLiteral("%1:%2: the run stopped early: `%3` did not finish or report "
                               "within %4 ms (its own bound is %5 ms); %6 later step(s) did "
                               "not run")
                    .arg(lesson.path)
                    .arg(s.span.line)
                    .arg(s.source)
                    .arg(lab.stepWaitMs())
                    .arg(lab.currentStepBoundMs())
                    .arg(lab.program()->steps.size() - std::size_t(index) - 1);
            res.failureLine = s.span.line;
            res.failureStatement = s.source;
            res.failureDetail =
                QStringLiteral("did not finish or report within %1 ms").arg(lab.stepWaitMs());
            break; // the caller prints res.failure
        }
        ++res.steps;
        if (!opts.quiet)
            report.print(*r);
        questions.after(*r);
        if (r->kind == script::StmtKind::Expect || r->kind == script::StmtKind::WaitUntil)
            ++res.expectations;
        const bool scriptError =
            r->status == StepStatus::Done && !r->outcome.ok && r->outcome.scriptError;
        const bool isExpect =
            r->kind == script::StmtKind::Expect || r->kind == script::StmtKind::WaitUntil;
        // A LabPolicyError (the lab refused a call: beyond loopback, too many actors)
        // fails the run unless the next expectation names it and holds: the script meant
        // to show the refusal (lesson 2), it did not just fail to do its experiment.
        if (policy && isExpect) {
            const bool anticipated =
                r->expectPassed && lab.program()->steps[std::size_t(r->step)]->source.contains(
                                       QLatin1String("LabPolicyError"));
            if (!anticipated)
                noteFailure(res, lesson, *policy, *lab.program());
            policy.reset();
        }
        if (r->status == StepStatus::Done && !r->outcome.ok &&
            r->outcome.exception == QLatin1String("LabPolicyError") && !scriptError)
            policy = *r;
        if (!r->expectPassed || scriptError)
            noteFailure(res, lesson, *r, *lab.program());
        if (!r->expectPassed && opts.stopOnFailure)
            break;
    }
    if (policy && !g_interrupted)
        noteFailure(res, lesson, *policy, *lab.program());
    // Steps still running in the background report as they end (a blocked one
    // stays blocked: reset() wakes it when the lab goes away).
    if (!g_interrupted)
        lab.settle(opts.quiet ? 5000 : 15000);
    questions.printSummary();
    if (!questions.failure().isEmpty() && res.failure.isEmpty())
        res.failure = QStringLiteral("%1:%2").arg(lesson.path, questions.failure().mid(5));
    res.failedExpectations = lab.failedExpectations();
    res.scriptErrors = lab.scriptErrors();
    res.passed = res.failedExpectations == 0 && res.scriptErrors == 0 && res.failure.isEmpty();
    if (g_interrupted) {
        res.interruptedBy = g_interrupted;
        res.passed = false;
        res.failure = QStringLiteral("%1: interrupted by %2 after %3 steps")
                          .arg(lesson.path, signalName(g_interrupted))
                          .arg(res.steps);
        trace::Event note;
        note.tNs = lab.trace().now();
        note.kind = trace::EventKind::Note;
        note.text.a = lab.trace().intern(QStringLiteral("interrupted by %1: the run stopped here")
                                             .arg(signalName(g_interrupted)));
        lab.trace().append(note);
        if (stream)
            stream->detach(); // what was recorded, before reset() clears the trace
        lab.reset();          // wakes blocked calls and joins the actors
    }
    if (stream) {
        if (!stream->finish(g_interrupted != 0)) {
            err << "socketlab: cannot write the trace to " << opts.tracePath << ": "
                << stream->errorString() << "\n";
            res.passed = false;
        } else if (!opts.quiet) {
            out << "trace: " << stream->written() << " events written to " << opts.tracePath
                << (g_interrupted ? " (interrupted)" : "") << "\n";
        }
    }
    res.elapsedMs = clock.elapsed();
    return res;
}

} // namespace sl::engine
