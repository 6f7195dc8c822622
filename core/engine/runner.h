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
    // Write the trace as JSON Lines here when not empty: streamed while the run goes on
    // (every 100 ms) into a temporary file in the same directory, which replaces the
    // file at this path only when the trace is complete (with its trailer line). A run
    // that fails to load writes nothing; a write error leaves the old file as it was.
    QString tracePath;
    bool allowLan = false;
    bool color = false;
    bool quiet = false; // check: print only the verdict
    bool stopOnFailure = true;
    // --pace: real time waited before every step (a call, a say, an expect, a wait), as
    // a reader stepping in the window (F10 runs one step of any kind) would: the kernel's
    // timers keep running meanwhile. Events are processed while waiting (steps blocked in
    // the background report, the trace streams, a signal interrupts). 0 = no pause.
    int paceMs = 0;
    // `socketlab run --step`: called before every step after --pace's wait (the CLI waits
    // for Enter there, with the event loop running; interruptRun() ends the wait).
    std::function<void()> beforeStep;
    // Questions (`ask` lines, questionprompt.h): Show prints each with the kernel's answer
    // and never waits (a pipe, CI; `check` asks nothing at all), Stdin asks on stdin (an
    // interactive terminal), File takes `answerList` in order (--answers FILE).
    enum class Answers { Show, Stdin, File };
    Answers answers = Answers::Show;
    QStringList answerList;
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
    // The first failure's parts, for reports that are read by programs (check --format):
    int failureLine = 0;      // 17; 0 when the failure has no line (nothing ran, …)
    QString failureStatement; // "expect n < 1_000_000"
    QString failureDetail;    // "n is 1000000" (what was found), or the exception
    qint64 elapsedMs = 0;
    int interruptedBy = 0; // the signal that interrupted the run (SIGINT, …), 0 = none
};

// Runs to the end (or to the first failed expectation), printing every step to out.
// A script with no steps, or a run that stops before its end for any other reason
// than a failed expectation (a step that does not report in time), fails and says
// where and why in RunResult::failure.
RunResult runLesson(const lessons::LessonInfo &lesson, const RunOptions &opts, QTextStream &out,
                    QTextStream &err);

// Interrupts the run in progress and every later one (the CLI's SIGINT/SIGTERM/SIGHUP,
// delivered through a self-pipe): called on the thread that runs runLesson, from its
// event loop — it only records the signal and quits the event loops. The run then stops
// stepping, notes the signal in its trace, writes what was recorded with a trailer
// marked "interrupted":true, resets its lab (wakes and joins the actors) and returns
// with RunResult::interruptedBy set. A later runLesson returns at once.
void interruptRun(int signo);
int runInterrupted(); // the signal that interrupted, 0 = none

} // namespace sl::engine
