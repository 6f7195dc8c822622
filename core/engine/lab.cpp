#include "engine/lab.h"

#include "engine/blockinfo.h"
#include "engine/donequeue.h"
#include "engine/recorder.h"
#include "script/parser.h"
#include "sys/errors.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QThread>
#include <climits>
#include <ctime>
#include <mutex>
#include <sys/resource.h>

using namespace sl::script;

namespace sl::engine {

// Servers raise their descriptor limit (ulimit -n) toward the hard limit, and so does the
// lab, once per process: a soft limit of 1,024 (a common default) would end lesson 23's
// 1,000 connections (2,000 descriptors) with EMFILE before select()'s FD_SETSIZE is
// ever reached. Capped at 1 << 20 (an unlimited hard limit cannot be set as such).
static void raiseDescriptorLimit() {
    static std::once_flag once;
    std::call_once(once, [] {
        rlimit r{};
        if (::getrlimit(RLIMIT_NOFILE, &r) != 0)
            return;
        const rlim_t want = r.rlim_max == RLIM_INFINITY ? rlim_t(1) << 20 : r.rlim_max;
        if (r.rlim_cur < want) {
            r.rlim_cur = want;
            ::setrlimit(RLIMIT_NOFILE, &r); // a refusal leaves the old limit: nothing to do
        }
    });
}

Lab::Lab(QObject *parent)
    : QObject(parent)
    , m_ctx(std::make_unique<LabContext>(m_trace))
    , m_done(std::make_shared<DoneQueue>(this, "drainDone")) {
    qRegisterMetaType<sl::engine::StepReport>();
    raiseDescriptorLimit();
    m_grace.setSingleShot(true);
    connect(&m_grace, &QTimer::timeout, this, &Lab::onGrace);
    m_waitTimer.setSingleShot(true);
    connect(&m_waitTimer, &QTimer::timeout, this, &Lab::onWaitPoll);
    m_runTimer.setSingleShot(true);
    connect(&m_runTimer, &QTimer::timeout, this, [this] {
        if (!m_running || m_current >= 0)
            return;
        if (atEnd()) {
            pause();
            return;
        }
        const Stmt &s = *m_program->steps[std::size_t(m_pos)];
        if (m_pos != m_resumeStep) {
            for (int l = s.span.line; l <= std::max(s.span.line, s.lastLine); ++l) {
                if (m_breakpoints.contains(l)) {
                    m_resumeStep = m_pos;
                    pause();
                    emit breakpointHit(l);
                    return;
                }
            }
        }
        m_resumeStep = -1;
        step();
    });
}

Lab::~Lab() {
    m_grace.stop();
    m_runTimer.stop();
    m_waitTimer.stop();
    {
        auto old = std::move(m_program); // reset() then does not prepare a new run
        reset();
    }
    stopSampler();
    m_done->detach(); // an abandoned actor may still report: it finds no Lab
}

bool Lab::onOwnerThread() const {
    return QThread::currentThread() == thread();
}

bool Lab::load(const QString &source, const QString &fileName,
               std::vector<Diagnostic> *diagnostics) {
    Q_ASSERT(onOwnerThread());
    ParseResult res = parse(source, fileName);
    if (res.program && res.program->actors.size() > script::MaxActors) {
        // The parser refuses this too; the engine never indexes past its actor table.
        Diagnostic d;
        d.span.line = 1;
        d.span.col = 1;
        d.span.length = 1;
        d.message = QStringLiteral("this script has %1 actors; a lab has at most %2")
                        .arg(res.program->actors.size())
                        .arg(script::MaxActors);
        d.hint = QStringLiteral("let one actor do the work of several");
        res.diagnostics.push_back(d);
        res.program.reset();
    }
    if (diagnostics)
        *diagnostics = res.diagnostics;
    if (!res.program)
        return false;
    pause();
    {
        // Stop the old program's actors before its tree goes away under them.
        auto old = std::move(m_program);
        reset();
    }
    m_program = std::make_unique<Program>(std::move(*res.program));
    reset(); // registers the actors and starts the sampler for the new program
    return true;
}

bool Lab::atEnd() const {
    return !m_program || m_pos >= int(m_program->steps.size());
}

Actor &Lab::actor(int index) {
    auto &slot = m_actors.at(std::size_t(index));
    if (!slot) {
        // Called on the actor's thread: queue the outcome for ours (see DoneQueue).
        std::shared_ptr<DoneQueue> done = m_done;
        const std::uint64_t gen = m_generation;
        slot = std::make_unique<Actor>(*m_ctx, index,
                                       [done, gen](int a, int step, const StepOutcome &out) {
                                           done->push({gen, a, step, out});
                                       });
    }
    return *slot;
}

void Lab::drainDone() {
    for (DoneQueue::Item &item : m_done->take())
        if (item.generation == m_generation) // reset() since: a late report, dropped
            onActorDone(item.actor, item.step, item.outcome);
}

void Lab::step() {
    Q_ASSERT(onOwnerThread());
    if (!m_program || m_current >= 0 || atEnd() || m_held)
        return;
    startStep(m_pos++);
}

void Lab::startStep(int index) {
    const Stmt &s = *m_program->steps[std::size_t(index)];
    m_current = index;
    m_stepClock.start();
    m_stepBoundMs = std::max(m_ctx->options.maxWaitMs, m_ctx->options.graceMs);
    StepReport r;
    r.step = index;
    r.line = s.span.line;
    r.kind = s.kind;
    r.actor = s.actorIndex;
    record::stepBegin(m_trace, s.actorIndex, s.span.line);
    emit stepStarted(index);
    if (s.actorIndex < 0) {
        runLabStep(s, r);
        return;
    }
    if (s.actorIndex >= m_ctx->actorCount) { // beyond the actor table: refuse the step
        r.outcome.ok = false;
        r.outcome.scriptError = true;
        r.outcome.exception = QStringLiteral("LabPolicyError");
        r.outcome.message = QStringLiteral("a lab has at most %1 actors").arg(script::MaxActors);
        r.outcome.line = r.line;
        ++m_scriptErrors;
        finishStep(r);
        return;
    }
    Actor &a = actor(s.actorIndex);
    const bool busy = a.pending() > 0;
    a.post(index, &s, m_lastOutcome);
    if (busy) {
        r.status = StepStatus::Queued;
        r.blockedIn = actorCall(s.actorIndex);
        finishStep(r);
        return;
    }
    m_currentReport = r;
    m_grace.start(m_ctx->options.graceMs);
}

void Lab::onActorDone(int actorIndex, int step, const StepOutcome &out) {
    m_ctx->sockets.probeAll();
    StepReport r;
    r.step = step;
    r.actor = actorIndex;
    if (m_program && step >= 0 && step < int(m_program->steps.size())) {
        r.line = m_program->steps[std::size_t(step)]->span.line;
        r.kind = m_program->steps[std::size_t(step)]->kind;
    }
    r.outcome = out;
    r.status = StepStatus::Done;
    if (!out.ok && out.scriptError)
        ++m_scriptErrors;
    record::stepEnd(m_trace, actorIndex, r.line, trace::ActorState::Idle);
    if (step == m_current) {
        m_grace.stop();
        m_lastOutcome = out;
        finishStep(r);
    } else {
        emit backgroundStepFinished(r);
    }
}

void Lab::onGrace() {
    // Not a verdict from the clock: the kernel says whether the thread is blocked,
    // its CPU time whether it is busy; otherwise it has not had its turn yet (a slow
    // or loaded machine) and is looked at again shortly.
    if (m_current < 0)
        return;
    StepReport r = m_currentReport;
    const int a = r.actor;
    detectBlocked(true);
    if (a >= 0 && m_ctx->actors[std::size_t(a)].run.load() == ActorRun::Blocked) {
        r.status = StepStatus::Blocked;
        r.blockedIn = actorCall(a);
    } else if (busyTooLong(r)) {
        r.status = StepStatus::Running;
    } else {
        m_grace.start(std::clamp(m_ctx->options.graceMs / 4, 1, 20));
        return;
    }
    m_ctx->sockets.probeAll();
    m_lastOutcome = StepOutcome(); // nothing returned yet
    finishStep(r);
}

bool Lab::busyTooLong(const StepReport &r) const {
    if (m_stepClock.elapsed() >= m_ctx->options.maxWaitMs)
        return true; // last resort: it goes on in the background
    const bool block = m_program && r.step >= 0 && r.step < int(m_program->steps.size()) &&
                       script::runsLikeBlock(*m_program->steps[std::size_t(r.step)]);
    if (!block)
        return false; // one statement: it ends, blocks, or reaches maxWaitMs
    const ActorInfo &ai = m_ctx->actors[std::size_t(r.actor)];
    if (ai.step.load() != r.step || ai.run.load() != ActorRun::Running)
        return false; // not started yet
    timespec ts{};
    if (clock_gettime(clockid_t(ai.cpuClock.load()), &ts) != 0)
        return false;
    const std::int64_t cpuNs = std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
    return cpuNs - ai.stepCpuNs.load() >= std::int64_t(m_ctx->options.busyCpuMs) * 1000000;
}

void Lab::finishStep(StepReport r) {
    m_current = -1;
    if ((r.kind == StmtKind::Expect || r.kind == StmtKind::WaitUntil) && !r.expectPassed)
        ++m_failedExpectations;
    emit stepFinished(r);
    if (atEnd() && m_current < 0)
        emit finished();
    if (m_running) {
        if (!r.expectPassed && m_stopOnFailure)
            pause();
        else
            scheduleNext();
    }
}

void Lab::scheduleNext() {
    if (atEnd()) {
        pause();
        return;
    }
    m_runTimer.start(m_speed <= 0 ? 0 : int(600 / m_speed));
}

void Lab::run(double speed) {
    Q_ASSERT(onOwnerThread());
    m_speed = speed;
    if (!m_program || atEnd())
        return;
    if (!m_running) {
        m_running = true;
        emit runningChanged(true);
    }
    if (m_current < 0)
        m_runTimer.start(0);
}

void Lab::pause() {
    Q_ASSERT(onOwnerThread());
    m_runTimer.stop();
    if (m_running) {
        m_running = false;
        emit runningChanged(false);
    }
}

std::optional<StepReport> Lab::stepAndWait(int slackMs) {
    Q_ASSERT(onOwnerThread());
    if (!m_program || atEnd() || m_current >= 0)
        return std::nullopt;
    std::optional<StepReport> got;
    QEventLoop loop;
    auto c = connect(this, &Lab::stepFinished, &loop, [&](const StepReport &r) {
        got = r;
        loop.quit();
    });
    m_held = false; // the CLI and tests answer questions their own way (questions.h)
    step();         // sets the step's own bound (a `wait 31` may take 31 s)
    if (!got) {
        const qint64 slack = slackMs >= 0 ? slackMs : m_ctx->options.stepSlackMs;
        qint64 bound = m_stepBoundMs;
        if (m_ctx->options.stepBoundCapMs > 0)
            bound = std::min<qint64>(bound, m_ctx->options.stepBoundCapMs);
        const qint64 ms = std::clamp<qint64>(bound + slack, 0, INT_MAX);
        m_stepWaitMs = ms;
        QTimer::singleShot(int(ms), &loop, &QEventLoop::quit);
        loop.exec();
    }
    disconnect(c);
    return got;
}

bool Lab::settle(int timeoutMs) {
    Q_ASSERT(onOwnerThread());
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
        bool running = false;
        for (int i = 0; i < m_ctx->actorCount; ++i)
            if (m_ctx->actors[std::size_t(i)].run.load() == ActorRun::Running)
                running = true;
        if (!running)
            return true;
        if (clock.elapsed() >= timeoutMs)
            return false;
        QThread::usleep(500);
    }
}

ActorRun Lab::actorRun(int a) const {
    Q_ASSERT(onOwnerThread());
    if (a < 0 || a >= m_ctx->actorCount)
        return ActorRun::Idle;
    return m_ctx->actors[std::size_t(a)].run.load();
}

QString Lab::actorCall(int a) const {
    Q_ASSERT(onOwnerThread());
    if (a < 0 || a >= m_ctx->actorCount)
        return {};
    const auto id = CallId(m_ctx->actors[std::size_t(a)].call.load());
    return id == CallId::None ? QString() : QString::fromLatin1(callName(id));
}

std::int64_t Lab::actorSinceNs(int a) const {
    Q_ASSERT(onOwnerThread());
    if (a < 0 || a >= m_ctx->actorCount)
        return 0;
    return m_ctx->actors[std::size_t(a)].sinceNs.load();
}

QStringList Lab::actorNames() const {
    return m_program ? m_program->actors : QStringList();
}

} // namespace sl::engine
