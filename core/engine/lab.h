// Lab: one experiment. It owns the program, the actors (one thread each), the
// sockets, the trace and the sampler, and steps through the script in its one
// global order.
//
// A step is done when its call returns, or when its actor is blocked in it: asleep in
// the kernel, in a system call that can block for that call, once options().graceMs
// has passed (read from /proc, never guessed from the time alone). A block step that
// keeps a CPU busy (options().busyCpuMs of CPU time) is reported Running; anything
// else that has not ended yet (a thread waiting for a CPU on a loaded machine) is
// waited for, up to options().maxWaitMs. A later step of a blocked actor waits behind
// it; the other actors go on. Sockets are probed after every step and by the sampler at
// options().sampleIntervalMs; only changes are recorded.
//
// reset() never hangs: blocked calls are woken with shutdown(SHUT_RDWR), actors are
// joined, every descriptor is closed, the trace is cleared.
//
// Thread affinity: Lab lives on the thread that created it (the GUI thread, or the
// CLI's main thread) and every method is called there (checked by Q_ASSERT in debug
// builds); signals are emitted there.
// It makes no socket call of its own on that thread except the non-blocking probe.
#pragma once

#include "engine/actor.h"
#include "script/ast.h"
#include "trace/trace.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <memory>
#include <optional>

namespace sl::engine {

enum class StepStatus {
    Done,    // the step ran to its end (successfully or with an exception)
    Blocked, // its actor is blocked in a call; the step goes on in the background
    Running, // its actor is still busy (a long loop) after the grace period
    Queued,  // its actor was still busy: the step waits in its queue
};

struct StepReport {
    int step = -1; // index into Program::steps
    int line = 0;
    int actor = -1; // -1: a step of the lab itself (say, expect, wait)
    script::StmtKind kind = script::StmtKind::Pass;
    StepStatus status = StepStatus::Done;
    StepOutcome outcome;      // actor steps that are Done
    QString say[2];           // Say: English, Korean (values filled in)
    bool expectPassed = true; // Expect / WaitUntil
    QString expectDetail;
    QString blockedIn; // Blocked: "recv" (from /proc/self/task/TID/syscall)
};

class Lab : public QObject {
    Q_OBJECT
public:
    explicit Lab(QObject *parent = nullptr);
    ~Lab() override;

    // Parses and loads a program (resets first). On a parse error nothing changes
    // but the diagnostics, and false is returned.
    bool load(const QString &source, const QString &fileName,
              std::vector<script::Diagnostic> *diagnostics = nullptr);
    const script::Program *program() const { return m_program.get(); }
    QString source() const; // the current program's source ("" when none)

    // An action made by hand (the playground): `line` (e.g. `client: s = socket(AF_INET,
    // SOCK_STREAM)`) is appended to the program's source, which is parsed again. On a
    // parse error nothing changes but the diagnostics, and false is returned. Otherwise
    // the longer program replaces the current one WITHOUT a reset: actors, sockets,
    // names and the trace stay; actors the line names are created; programChanged() is
    // emitted. The new step is the next position: step() runs it. With no program it
    // starts an empty one. Refused while a step is in progress or while the script
    // still has steps to run (the saved file must replay in the order things ran).
    bool perform(const QString &line, std::vector<script::Diagnostic> *diagnostics = nullptr);
    trace::Trace &trace() { return m_trace; }
    const trace::Trace &trace() const { return m_trace; }
    SocketTable &sockets() { return m_ctx->sockets; }
    LabOptions options() const { return m_ctx->options; }
    void setOptions(const LabOptions &o) { m_ctx->options = o; }

    int position() const { return m_pos; } // next step to run
    bool atEnd() const;
    bool stepInProgress() const { return m_current >= 0; }
    bool isRunning() const { return m_running; }
    int failedExpectations() const { return m_failedExpectations; }
    int scriptErrors() const { return m_scriptErrors; }

    // Starts the next step; stepFinished() follows (at once, or when the call ends or
    // blocks). Does nothing while a step is in progress.
    void step();
    // Runs the next step and waits for it (processing events). For the CLI and tests.
    // It waits as long as the step legitimately may (`wait N`: N s; `wait until …
    // within N`: N s; an actor's step: options().maxWaitMs) plus slackMs (-1:
    // options().stepSlackMs). nullopt: nothing to run, or the step did not report in
    // that time (it is still in progress: stepInProgress()).
    std::optional<StepReport> stepAndWait(int slackMs = -1);
    // How long the step in progress may legitimately take (its own bound, no slack).
    qint64 currentStepBoundMs() const { return m_stepBoundMs; }
    qint64 stepWaitMs() const { return m_stepWaitMs; } // what the last stepAndWait allowed
    // Waits until no actor is running (blocked ones are left blocked).
    bool settle(int timeoutMs);

    // Runs step after step; speed 1.0 leaves 600 ms between steps, 0 = no pause.
    void run(double speed = 1.0);
    void pause();
    void setBreakpoints(const QSet<int> &lines) { m_breakpoints = lines; }
    QSet<int> breakpoints() const { return m_breakpoints; }
    void setStopOnFailure(bool stop) { m_stopOnFailure = stop; }

    void reset();

    // Questions (engine/questions.cpp): read an expression or narration now, as an
    // `expect` would (`result`, `error` of the last actor step); evaluateNow throws
    // ScriptException. A held lab starts no step (step() and run() wait): a question is
    // open in the window; setHeld(false) lets a run go on. stepAndWait() releases it.
    Value evaluateNow(const script::Expr &e);
    QString narrateNow(const std::vector<script::SayPart> &parts);
    void setHeld(bool held);
    bool held() const { return m_held; }

    ActorRun actorRun(int actor) const;
    QString actorCall(int actor) const; // the call it is in, "" if none
    std::int64_t actorSinceNs(int actor) const;
    QStringList actorNames() const;

signals:
    void stepStarted(int step);
    void stepFinished(const sl::engine::StepReport &report);
    // An earlier step that blocked or was queued has now ended.
    void backgroundStepFinished(const sl::engine::StepReport &report);
    void runningChanged(bool running);
    void breakpointHit(int line);
    void finished(); // the last step has finished
    void resetDone();
    void programChanged(); // perform() appended to the source (see source())

private:
    // Takes the outcomes the actors queued (DoneQueue), on this thread.
    Q_INVOKABLE void drainDone();
    void startStep(int index);
    void finishStep(StepReport r);
    void onActorDone(int actor, int step, const StepOutcome &out);
    void onGrace();
    void onWaitPoll();
    void runLabStep(const script::Stmt &s, StepReport &r);
    bool evaluateExpect(const script::Expr &e, QString *detail);
    void sampleLoop();
    void detectBlocked(bool atGrace = false);
    void startSampler();
    void stopSampler();
    Actor &actor(int index);
    void scheduleNext();
    bool busyTooLong(const StepReport &r) const;
    bool onOwnerThread() const;

    trace::Trace m_trace;
    std::unique_ptr<LabContext> m_ctx;
    std::shared_ptr<class DoneQueue> m_done; // actors' finished steps, to this thread
    std::unique_ptr<script::Program> m_program;
    // Programs replaced by perform(): an actor may still run a Stmt of one (and the
    // interpreter caches text by Expr address), so they live until reset().
    std::vector<std::unique_ptr<script::Program>> m_retired;
    std::vector<std::unique_ptr<Actor>> m_actors;
    std::unique_ptr<Interpreter> m_labInterp; // say/expect/wait on this thread
    StepOutcome m_lastOutcome;

    int m_pos = 0;
    int m_current = -1; // step in progress
    StepReport m_currentReport;
    QTimer m_grace;
    QElapsedTimer m_stepClock; // since the step in progress began
    qint64 m_stepBoundMs = 0;  // see currentStepBoundMs()
    qint64 m_stepWaitMs = 0;   // see stepWaitMs()
    std::mutex m_blockMutex;   // detectBlocked(): the sampler and this thread
    QTimer m_runTimer;
    QTimer m_waitTimer;
    QElapsedTimer m_waitClock;
    qint64 m_waitLimitMs = 0;
    bool m_running = false;
    double m_speed = 1.0;
    bool m_stopOnFailure = true;
    QSet<int> m_breakpoints;
    int m_resumeStep = -1; // the breakpoint we stopped at is not hit twice
    int m_failedExpectations = 0;
    std::uint64_t m_generation = 0; // bumped by reset(): late actor reports are dropped
    int m_scriptErrors = 0;
    bool m_held = false; // setHeld()

    std::thread m_sampler;
    std::mutex m_samplerMutex;
    std::condition_variable m_samplerWake;
    bool m_samplerQuit = false;
};

} // namespace sl::engine

Q_DECLARE_METATYPE(sl::engine::StepReport)
