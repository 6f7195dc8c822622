#include "engine/actor.h"

#include <csignal>
#include <new>
#include <pthread.h>
#include <stdexcept>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace sl::engine {

Actor::Actor(LabContext &ctx, int index, DoneFn done)
    : m_ctx(ctx)
    , m_index(index)
    , m_done(std::move(done)) {
    m_thread = std::thread([this] { loop(); });
}

Actor::~Actor() {
    quit();
    join();
}

void Actor::post(int step, const script::Stmt *stmt, const StepOutcome &lastOutcome) {
    m_pending.fetch_add(1);
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back({step, stmt, lastOutcome});
    }
    m_wake.notify_one();
}

void Actor::quit() {
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
        m_jobs.clear();
    }
    m_wake.notify_one();
}

void Actor::join() {
    if (m_thread.joinable())
        m_thread.join();
}

namespace {

std::int64_t threadCpuNs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

StepOutcome failure(const char *type, const QString &message, int line) {
    StepOutcome out;
    out.ok = false;
    out.scriptError = true;
    out.exception = QString::fromLatin1(type);
    out.message = message;
    out.line = line;
    return out;
}

} // namespace

void Actor::loop() {
    ActorInfo &info = m_ctx.actors[std::size_t(m_index)];
    // The kernel's thread id: /proc/self/task/<tid>/syscall tells which call blocks.
    info.tid.store(int(::syscall(SYS_gettid)));
    // A write() into a pipe whose reader is gone raises SIGPIPE in the writing thread,
    // which ends the process unless its host ignores the signal (the CLI does; a test
    // or another host may not). Blocked in this thread, it stays pending (and is
    // dropped with the thread) and write() fails with EPIPE, as in Python.
    sigset_t pipeSignal;
    sigemptyset(&pipeSignal);
    sigaddset(&pipeSignal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSignal, nullptr);
    // Its CPU clock, readable from the lab's thread: a busy loop uses CPU time, a
    // thread that waits for a CPU (a loaded machine) does not.
    clockid_t cpu{};
    if (pthread_getcpuclockid(pthread_self(), &cpu) == 0)
        info.cpuClock.store(int(cpu));
    Interpreter interp(m_ctx, m_index);
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_quit || !m_jobs.empty(); });
            if (m_quit)
                break;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        info.step.store(job.step);
        info.stepCpuNs.store(threadCpuNs());
        info.run.store(ActorRun::Running);
        interp.setLastOutcome(job.last);
        // Nothing thrown here may end the process: a C++ exception (an allocation
        // that fails, an index out of range in the engine) ends this step with an
        // error the script's report shows; the actor goes on with its next step.
        StepOutcome out;
        const int line = job.stmt->span.line;
        try {
            if (m_ctx.options.actorHook)
                m_ctx.options.actorHook(m_index, job.step);
            out = interp.runStep(*job.stmt);
        } catch (const std::bad_alloc &) {
            out = failure("MemoryError", QStringLiteral("out of memory in this step"), line);
        } catch (const std::exception &ex) {
            out = failure("InternalError",
                          QStringLiteral("the lab failed in this step: %1")
                              .arg(QString::fromLocal8Bit(ex.what())),
                          line);
        } catch (...) {
            out = failure("InternalError",
                          QStringLiteral("the lab failed in this step (unknown exception)"), line);
        }
        // A child that os.fork() made ran the rest of the step: it must never come back
        // to this loop (it would wait for jobs no one posts). It records how the step
        // ended and _exit()s.
        if (m_ctx.forks.inChild())
            m_ctx.forks.childStepEnded(out.ok, out.exception, out.message);
        info.setOutcome(out.ok, out.err, out.exception);
        info.run.store(ActorRun::Idle);
        info.call.store(0);
        info.step.store(-1);
        m_pending.fetch_sub(1);
        if (m_done)
            m_done(m_index, job.step, out);
    }
    m_finished.store(true);
}

} // namespace sl::engine
