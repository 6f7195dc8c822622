#include "engine/actor.h"

#include <sys/syscall.h>
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

void Actor::loop() {
    ActorInfo &info = m_ctx.actors[std::size_t(m_index)];
    // The kernel's thread id: /proc/self/task/<tid>/syscall tells which call blocks.
    info.tid.store(int(::syscall(SYS_gettid)));
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
        info.run.store(ActorRun::Running);
        interp.setLastOutcome(job.last);
        const StepOutcome out = interp.runStep(*job.stmt);
        info.setOutcome(out.ok, out.err, out.exception);
        info.run.store(ActorRun::Idle);
        info.call.store(0);
        m_pending.fetch_sub(1);
        if (m_done)
            m_done(m_index, job.step, out);
    }
    m_finished.store(true);
}

} // namespace sl::engine
