// The lab's own steps (say, expect, wait), reset(), and the sampler thread.
#include "engine/blockinfo.h"
#include "engine/lab.h"

#include "sys/errors.h"

#include <QCoreApplication>
#include <QThread>
#include <algorithm>
#include <chrono>

using namespace sl::script;

namespace sl::engine {

void Lab::runLabStep(const Stmt &s, StepReport &r) {
    switch (s.kind) {
    case StmtKind::Say: {
        // Narration quotes values of this run, so it never states a number the
        // kernel did not produce. Let the actors finish what they were doing first.
        settle(1000);
        // `error`, `exception` and `result` are the last actor step's, whatever lab
        // steps (expect, wait, say) came between.
        m_labInterp->setLastOutcome(m_lastOutcome);
        trace::Event ev;
        ev.tNs = m_trace.now();
        ev.kind = trace::EventKind::Say;
        ev.line = decltype(ev.line)(s.span.line);
        try {
            const auto en_ = s.say.constFind(QStringLiteral("en"));
            const auto ko_ = s.say.constFind(QStringLiteral("ko"));
            const QString en = en_ != s.say.constEnd() ? m_labInterp->narrate(*en_) : QString();
            const QString ko = ko_ != s.say.constEnd() ? m_labInterp->narrate(*ko_) : QString();
            r.say[0] = en;
            r.say[1] = ko;
            ev.text.a = m_trace.intern(en);
            ev.text.b = m_trace.intern(ko);
        } catch (const ScriptException &ex) {
            r.outcome.ok = false;
            r.outcome.exception = ex.type;
            r.outcome.message = ex.message;
            r.outcome.scriptError = true;
            ++m_scriptErrors;
        }
        m_trace.append(ev);
        finishStep(r);
        return;
    }
    case StmtKind::Expect: {
        settle(1000);
        m_ctx->sockets.probeAll();
        m_ctx->sockets.probeKernelOnly();
        m_labInterp->setLastOutcome(m_lastOutcome);
        // The kernel needs a moment for what another thread just did (a FIN, an ACK)
        // to show: an expectation that fails is tried again for up to 500 ms.
        QElapsedTimer clock;
        clock.start();
        bool passed = evaluateExpect(*s.expr, &r.expectDetail);
        while (!passed && clock.elapsed() < 500) {
            QThread::msleep(10);
            QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
            m_labInterp->setLastOutcome(m_lastOutcome);
            passed = evaluateExpect(*s.expr, &r.expectDetail);
        }
        r.expectPassed = passed;
        trace::Event ev;
        ev.tNs = m_trace.now();
        ev.kind = trace::EventKind::Expect;
        ev.line = decltype(ev.line)(s.span.line);
        ev.expect.passed = passed;
        ev.expect.text = m_trace.intern(s.expr->text);
        ev.expect.detail = m_trace.intern(r.expectDetail);
        m_trace.append(ev);
        finishStep(r);
        return;
    }
    case StmtKind::Wait: {
        double sec = 0;
        try {
            sec = m_labInterp->evaluate(*s.expr).toDouble();
        } catch (const ScriptException &) {
        }
        sec = std::clamp(sec, 0.0, 600.0); // (a NaN stays NaN: the next line)
        if (!(sec >= 0))
            sec = 0;
        m_stepBoundMs = qint64(sec * 1000) + 100;
        const std::uint64_t gen = m_generation;
        QTimer::singleShot(int(sec * 1000), this, [this, gen, r] {
            if (gen != m_generation || m_current != r.step)
                return;
            m_ctx->sockets.probeAll();
            finishStep(r);
        });
        return;
    }
    case StmtKind::WaitUntil: {
        m_waitLimitMs = 5000;
        if (s.timeout) {
            try {
                double sec = m_labInterp->evaluate(*s.timeout).toDouble();
                if (!(sec >= 0))
                    sec = 0;
                m_waitLimitMs = qint64(std::min(sec, 86400.0) * 1000); // a day at most
            } catch (const ScriptException &) {
            }
        }
        // The condition is tried every 20 ms, each try may take a moment (a probe).
        m_stepBoundMs = m_waitLimitMs + 1000;
        m_waitClock.start();
        m_currentReport = r;
        onWaitPoll();
        return;
    }
    case StmtKind::Def:
    case StmtKind::Class:
    case StmtKind::Import:
    case StmtKind::Assign:
    case StmtKind::AugAssign: {
        // A module-level definition (issue 9): `def`, `class`, `import`, `MSGLEN = 20`,
        // shared by every actor. The parser lets it make no system call, so the lab's
        // own thread runs it; `error`/`result` keep the last actor step's.
        m_labInterp->setLastOutcome(m_lastOutcome);
        r.outcome = m_labInterp->runStep(s);
        if (!r.outcome.ok && r.outcome.scriptError)
            ++m_scriptErrors;
        finishStep(r);
        return;
    }
    default:
        finishStep(r);
        return;
    }
}

void Lab::onWaitPoll() {
    // `wait until COND within T`: the condition is tried every 20 ms on this thread
    // (the event loop keeps running), against fresh kernel samples.
    if (m_current < 0)
        return;
    const Stmt &s = *m_program->steps[std::size_t(m_current)];
    StepReport r = m_currentReport;
    m_ctx->sockets.probeAll();
    m_labInterp->setLastOutcome(m_lastOutcome);
    const bool ok = evaluateExpect(*s.expr, &r.expectDetail);
    if (!ok && m_waitClock.elapsed() < m_waitLimitMs) {
        m_waitTimer.start(20);
        return;
    }
    r.expectPassed = ok;
    if (!ok)
        r.expectDetail =
            QStringLiteral("still false after %1 s: ").arg(double(m_waitLimitMs) / 1000) +
            r.expectDetail;
    trace::Event ev;
    ev.tNs = m_trace.now();
    ev.kind = trace::EventKind::Expect;
    ev.line = decltype(ev.line)(s.span.line);
    ev.expect.passed = ok;
    ev.expect.text = m_trace.intern(QStringLiteral("until ") + s.expr->text);
    ev.expect.detail = m_trace.intern(r.expectDetail);
    m_trace.append(ev);
    finishStep(r);
}

bool Lab::evaluateExpect(const Expr &e, QString *detail) {
    try {
        const bool passed = m_labInterp->evaluate(e).truthy();
        // Say what was found, so a failure explains itself: "state(conn) is 'ESTABLISHED'".
        const Expr *probe = &e;
        if (e.kind == ExprKind::Unary && e.op == '!')
            probe = e.kids[0].get();
        if (probe->kind == ExprKind::Compare) {
            const Expr &lhs = *probe->kids[0];
            const bool errnoValue =
                (lhs.kind == ExprKind::Name && lhs.name == QLatin1String("error")) ||
                (lhs.kind == ExprKind::Call && lhs.call && lhs.call->id == script::CallId::ErrorOf);
            if (errnoValue) { // by name: "error is EAGAIN (BlockingIOError)"
                const Value errValue = m_labInterp->evaluate(lhs);
                const int err = int(errValue.i);
                *detail =
                    errValue.isNone()
                        ? QStringLiteral("%1 is None (the exception has no errno)").arg(lhs.text)
                    : err ? QStringLiteral("%1 is %2 (%3)")
                                .arg(lhs.text, QLatin1String(sys::errnoName(err)),
                                     QLatin1String(sys::pythonExceptionName(err)))
                          : QStringLiteral("%1 is 0 (the call succeeded)").arg(lhs.text);
            } else {
                *detail =
                    QStringLiteral("%1 is %2").arg(lhs.text, m_labInterp->evaluate(lhs).repr());
            }
        } else {
            *detail =
                QStringLiteral("%1 is %2").arg(probe->text, m_labInterp->evaluate(*probe).repr());
        }
        return passed;
    } catch (const ScriptException &ex) {
        *detail = ex.type + QStringLiteral(": ") + ex.message;
        return false;
    }
}

void Lab::detectBlocked(bool atGrace) {
    // Called from the sampler thread and from the lab thread; one at a time, so that
    // one blocked call gets one event. A call still asleep in the kernel after the
    // grace period is blocked; /proc says in which system call. When a step's grace
    // has run out, a call that is asleep counts at once (a sendall loop's current
    // send() may have begun after the step did).
    std::lock_guard guard(m_blockMutex);
    const std::int64_t now = m_trace.now();
    const std::int64_t grace = std::int64_t(m_ctx->options.graceMs) * 1000000;
    for (int i = 0; i < m_ctx->actorCount; ++i) {
        ActorInfo &a = m_ctx->actors[std::size_t(i)];
        const std::uint16_t call = a.call.load();
        const std::int64_t since = a.sinceNs.load();
        if (call == 0 || a.run.load() != ActorRun::Running)
            continue;
        const bool late = now - since >= grace;
        if (!late && !atGrace)
            continue;
        // Only a thread asleep in the kernel, in a call that can block, is blocked:
        // one on a CPU or waiting for one (a busy loop, a long copy, a loaded
        // machine) is running, however long it has been.
        const BlockInfo b = readBlockInfo(a.tid.load());
        if (!blocksIn(b, call))
            continue;
        if (a.call.load() != call || a.sinceNs.load() != since)
            continue; // that call has ended: what /proc said may be about the next one
        // The event first, then the state: whoever sees Blocked (a StepReport, an
        // `expect blocked(a)`, actorRun()) finds the event already in the trace, so
        // the trace never lags what is reported.
        trace::Event ev;
        ev.tNs = now;
        ev.kind = trace::EventKind::ActorStatus;
        ev.actor = std::uint8_t(i);
        ev.line = decltype(ev.line)(a.line.load());
        ev.status.status = std::uint8_t(trace::ActorState::Blocked);
        ev.status.call = call;
        ev.status.sysno = b.sysno;
        ev.status.wchan = m_trace.intern(b.wchan);
        m_trace.append(ev);
        if (m_ctx->options.blockedHook) // tests: widen the window between the two
            m_ctx->options.blockedHook(i);
        ActorRun expected = ActorRun::Running;
        if (!a.run.compare_exchange_strong(expected, ActorRun::Blocked)) {
            // Its step ended meanwhile: say so after the event, so that no lane stays
            // Blocked on an event that came late.
            trace::Event st = ev;
            st.tNs = m_trace.now();
            st.status.status = std::uint8_t(
                expected == ActorRun::Idle ? trace::ActorState::Idle : trace::ActorState::Running);
            st.status.sysno = -1;
            st.status.wchan = {};
            m_trace.append(st);
            continue;
        }
        if (a.call.load() != call || a.sinceNs.load() != since) {
            // It returned between the check and the mark, and end() saw Running: undo,
            // as end() would have.
            expected = ActorRun::Blocked;
            if (a.run.compare_exchange_strong(expected, ActorRun::Running)) {
                trace::Event st = ev;
                st.tNs = m_trace.now();
                st.status.status = std::uint8_t(trace::ActorState::Running);
                st.status.sysno = -1;
                st.status.wchan = {};
                m_trace.append(st);
            }
        }
    }
}

void Lab::startSampler() {
    if (m_sampler.joinable())
        return;
    m_samplerQuit = false;
    m_sampler = std::thread([this] { sampleLoop(); });
}

void Lab::stopSampler() {
    {
        std::lock_guard lock(m_samplerMutex);
        m_samplerQuit = true;
    }
    m_samplerWake.notify_all();
    if (m_sampler.joinable())
        m_sampler.join();
}

void Lab::sampleLoop() {
    std::unique_lock lock(m_samplerMutex);
    int tick = 0;
    // The period adapts: when a full probe takes longer than the configured period
    // (thousands of sockets), the sampler waits twice the probe's time, so that it never
    // takes more than about half a CPU from the program it watches; it returns to the
    // configured period as soon as probes are cheap again. (Adapting from half the
    // period changed what a loaded machine recorded of lesson 5: tst_textreport saw
    // 6,144 instead of 8,192 bytes queued at the EAGAIN in 2 of 3 runs.)
    auto period = std::chrono::microseconds(std::int64_t(m_ctx->options.sampleIntervalMs) * 1000);
    while (!m_samplerQuit) {
        m_samplerWake.wait_for(lock, period);
        if (m_samplerQuit)
            break;
        lock.unlock();
        const auto t0 = std::chrono::steady_clock::now();
        m_ctx->sockets.probeAll();
        const auto took = std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::steady_clock::now() - t0);
        const auto base =
            std::chrono::microseconds(std::int64_t(m_ctx->options.sampleIntervalMs) * 1000);
        period = took > base ? std::min(took * 2, base * 20) : base;
        detectBlocked();
        // The netlink dump costs more than a probe: the kernel-only sockets are
        // looked at every 50th tick (and after every step): a dump walks the kernel's
        // whole connection hash table, several ms on a large one.
        if (++tick % 50 == 0)
            m_ctx->sockets.probeKernelOnly();
        lock.lock();
    }
}

void Lab::reset() {
    Q_ASSERT(onOwnerThread());
    pause();
    m_grace.stop();
    m_waitTimer.stop();
    ++m_generation;
    stopSampler();
    m_ctx->stopping.store(true);
    m_ctx->sleepWake.notify_all();
    // os.fork()'s children first: an actor blocked in os.waitpid() wakes when they die.
    m_ctx->forks.killAll();
    for (auto &a : m_actors)
        if (a)
            a->quit();
    // Wake every blocked call until every actor has returned; a woken actor may be
    // in a loop that makes one more call, so wake again until none is left. A woken
    // actor normally returns within milliseconds; the bound is for one that cannot be
    // woken at all, and is generous because an abandoned actor still holds the trace
    // (under ThreadSanitizer on a loaded 2-core machine, 1 s abandoned live actors).
    QElapsedTimer clock;
    clock.start();
    bool stuck = false;
    for (;;) {
        m_ctx->sockets.wakeAll();
        m_ctx->sleepWake.notify_all();
        bool all = true;
        for (auto &a : m_actors)
            if (a && !a->finished())
                all = false;
        if (all)
            break;
        if (clock.elapsed() > 5000) {
            stuck = true;
            break;
        }
        QThread::msleep(2);
    }
    // The Wire relays only ever wait in poll(): stop and join them before their
    // descriptors are closed.
    m_ctx->wires.stopAll();
    // Again: an actor may have forked once more while it was being woken.
    m_ctx->forks.killAll();
    if (stuck) {
        // Never hang: an actor that could not be woken keeps its context alive.
        for (auto &a : m_actors)
            if (a && !a->finished())
                (void)a.release();
        (void)m_ctx.release();
        m_ctx = std::make_unique<LabContext>(m_trace);
    }
    m_actors.clear();
    if (stuck) // a stuck actor may still read a Stmt of a retired program
        for (auto &p : m_retired)
            (void)p.release();
    m_retired.clear();
    m_ctx->sockets.clear();
    m_ctx->env.clear();
    m_ctx->stopping.store(false);
    for (auto &a : m_ctx->actors) {
        a.run.store(ActorRun::Idle);
        a.call.store(0);
        a.sinceNs.store(0);
        a.tid.store(0);
        a.line.store(0);
        a.step.store(-1);
        a.setOutcome(true, 0, QString());
    }
    m_trace.clear();
    m_pos = 0;
    m_current = -1;
    m_resumeStep = -1;
    m_failedExpectations = 0;
    m_scriptErrors = 0;
    m_lastOutcome = StepOutcome();
    if (m_program) {
        m_ctx->program = m_program.get();
        m_ctx->env.resize(int(m_program->names.size()));
        m_ctx->actorCount = int(std::min<qsizetype>(m_program->actors.size(), script::MaxActors));
        m_actors.resize(std::size_t(m_ctx->actorCount));
        for (int i = 0; i < m_ctx->actorCount; ++i) {
            m_ctx->actors[std::size_t(i)].name = m_program->actors.at(i);
            trace::Event ev;
            ev.tNs = m_trace.now();
            ev.kind = trace::EventKind::ActorNew;
            ev.actor = std::uint8_t(i);
            ev.text.a = m_trace.intern(m_program->actors.at(i));
            m_trace.append(ev);
        }
        m_labInterp = std::make_unique<Interpreter>(*m_ctx, -1);
        startSampler();
    }
    emit resetDone();
}

} // namespace sl::engine
