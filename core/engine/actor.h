// An actor: one OS thread of the experiment ("client", "server"), so that a blocking
// call blocks that actor and nothing else.
//
// Steps are posted to the actor's queue and run in order on its thread. A step
// posted while the actor is still blocked in an earlier one waits behind it, as a
// later line of a blocked thread would. When a step ends, `done` is called on the
// actor's thread (the Lab forwards it to its own thread with a queued call).
//
// Ownership: owned by Lab; the destructor asks the thread to quit and joins it, so
// the caller must first wake any blocked call (Lab::reset() does).
// Thread affinity: post(), pending(), quit() from the lab's thread.
#pragma once

#include "engine/interpreter.h"

#include <deque>
#include <functional>
#include <thread>

namespace sl::engine {

class Actor {
public:
    using DoneFn = std::function<void(int actor, int step, const StepOutcome &outcome)>;

    Actor(LabContext &ctx, int index, DoneFn done);
    ~Actor();
    Actor(const Actor &) = delete;
    Actor &operator=(const Actor &) = delete;

    void post(int step, const script::Stmt *stmt, const StepOutcome &lastOutcome);
    int pending() const { return m_pending.load(); } // queued + running jobs
    void quit();                                     // no new jobs; the thread ends
    bool finished() const { return m_finished.load(); }
    void join();

private:
    struct Job {
        int step;
        const script::Stmt *stmt;
        StepOutcome last;
    };
    void loop();

    LabContext &m_ctx;
    int m_index;
    DoneFn m_done;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_quit = false;
    std::atomic<int> m_pending{0};
    std::atomic<bool> m_finished{false};
    std::thread m_thread;
};

} // namespace sl::engine
