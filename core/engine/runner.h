// Headless runs of a lesson, shared by the CLI (`socketlab run`, `socketlab check`)
// and the tests: load, step through to the end, report, reset.
//
// Thread affinity: the caller's thread, which must have a Q(Core)Application.
#pragma once

#include "engine/lab.h"
#include "lessons/lessoncatalog.h"

#include <QTextStream>
#include <functional>

namespace sl::engine {

struct RunOptions {
    QString lang = QStringLiteral("en");
    QString tracePath; // write the trace as JSON Lines here when not empty
    bool allowLan = false;
    bool color = false;
    bool quiet = false; // check: print only the verdict
    bool stopOnFailure = true;
    // Tests: adjusts the lab's options before the run (stepSlackMs, stepBoundCapMs, …).
    std::function<void(LabOptions &)> labOptions;
};

struct RunResult {
    bool loaded = false; // false: the script did not parse (diagnostics printed)
    bool passed = false; // every expectation held and no script error
    int steps = 0;
    int expectations = 0;
    int failedExpectations = 0;
    int scriptErrors = 0;
    QString failure; // "lessons/05-partial-send.lab:17: expect n < 1_000_000 (n is …)"
    qint64 elapsedMs = 0;
};

// Runs to the end (or to the first failed expectation), printing every step to out.
// A script with no steps, or a run that stops before its end for any other reason
// than a failed expectation (a step that does not report in time), fails and says
// where and why in RunResult::failure.
RunResult runLesson(const lessons::LessonInfo &lesson, const RunOptions &opts, QTextStream &out,
                    QTextStream &err);

} // namespace sl::engine
