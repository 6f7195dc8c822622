#include "engine/runner.h"

#include "engine/textreport.h"
#include "engine/version.h"
#include "trace/jsonl.h"

#include <QElapsedTimer>
#include <QFile>

namespace sl::engine {

static QString failureText(const lessons::LessonInfo &lesson, const StepReport &r,
                           const script::Program &p) {
    const script::Stmt &s = *p.steps[std::size_t(r.step)];
    if (r.kind == script::StmtKind::Expect || r.kind == script::StmtKind::WaitUntil)
        return QStringLiteral("%1:%2: %3 failed (%4)")
            .arg(lesson.path)
            .arg(r.line)
            .arg(s.source, r.expectDetail);
    return QStringLiteral("%1:%2: %3 raised %4: %5")
        .arg(lesson.path)
        .arg(r.outcome.line ? r.outcome.line : r.line)
        .arg(s.source, r.outcome.exception, r.outcome.message);
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
    for (const script::Diagnostic &d : diags)
        err << script::formatDiagnostic(d, lesson.path, lesson.source) << "\n";
    err.flush();
    if (!ok) {
        res.failure = QStringLiteral("%1: the script has errors; nothing ran").arg(lesson.path);
        return res;
    }
    res.loaded = true;
    TextReport report(lab, out, opts.lang, opts.color);
    if (!opts.quiet) {
        report.printHeader(lesson.title(opts.lang), lesson.path);
        QObject::connect(&lab, &Lab::backgroundStepFinished, &lab,
                         [&](const StepReport &r) { report.print(r, true); });
    }
    if (lab.atEnd()) // an empty file, or only comments: nothing was checked
        res.failure =
            QStringLiteral("%1: no steps: the script has nothing to run").arg(lesson.path);
    while (!lab.atEnd()) {
        const int index = lab.position();
        const std::optional<StepReport> r = lab.stepAndWait();
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
            break; // the caller prints res.failure
        }
        ++res.steps;
        if (!opts.quiet)
            report.print(*r);
        if (r->kind == script::StmtKind::Expect || r->kind == script::StmtKind::WaitUntil)
            ++res.expectations;
        const bool scriptError =
            r->status == StepStatus::Done && !r->outcome.ok && r->outcome.scriptError;
        if ((!r->expectPassed || scriptError) && res.failure.isEmpty())
            res.failure = failureText(lesson, *r, *lab.program());
        if (!r->expectPassed && opts.stopOnFailure)
            break;
    }
    // Steps still running in the background report as they end (a blocked one
    // stays blocked: reset() wakes it when the lab goes away).
    lab.settle(opts.quiet ? 5000 : 15000);
    res.failedExpectations = lab.failedExpectations();
    res.scriptErrors = lab.scriptErrors();
    res.passed = res.failedExpectations == 0 && res.scriptErrors == 0 && res.failure.isEmpty();
    if (!opts.tracePath.isEmpty()) {
        QFile f(opts.tracePath);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            !trace::writeJsonl(lab.trace(), f,
                               {{QStringLiteral("lesson"), lesson.id},
                                {QStringLiteral("title"), lesson.title()},
                                {QStringLiteral("version"), labVersion()}})) {
            err << "cannot write the trace to " << opts.tracePath << ": " << f.errorString()
                << "\n";
            res.passed = false;
        } else if (!opts.quiet) {
            out << "trace: " << lab.trace().size() << " events written to " << opts.tracePath
                << "\n";
        }
    }
    res.elapsedMs = clock.elapsed();
    return res;
}

} // namespace sl::engine
