// os.fork() in the lab (issue 10, lesson 4): a real fork() of the Socket Lab process,
// made on the actor thread that runs the step. The child is a real process with a real
// pid that shares every descriptor with the parent; it goes on running the rest of the
// step (Python's semantics) as its own actor ("pid 12345 (server)"), and its trace
// events reach the parent's trace through a pipe (Trace's remote mode, remotetrace.h).
//
// Locks across fork(): the child has one thread, the one that forked. Every lock another
// thread could hold at that moment and the child may take afterwards is taken before
// fork() and released after it in both processes (glibc does the same for malloc with its
// atfork handlers): the Env slots, the socket table, the trace's string pool, the sleep
// mutex. The child never waits for another thread: it has no sampler, no lab thread, no
// reader; it never returns into the actor's job loop (Actor::loop calls childStepEnded()).
//
// The parent keeps each child's pidfd (a signal or a wait can never reach a reused pid),
// the pipe's read end and the reader thread that drains it. killAll() (Lab::reset(), and
// the destructor) sends SIGKILL to live children, joins the readers and reaps every
// child: no zombie, no leaked descriptor, no hang (a killed child closes its pipe).
//
// Thread affinity: fork() and waitpid() on an actor's thread; killAll() on the lab's
// thread; inChild()/childActor() anywhere (written only in the child, before any read).
// For ThreadSanitizer: the child-side members (and SocketTable's fork flag, Trace's remote
// descriptor) are written only in the child, which has one thread, and never in the parent,
// where other threads read them; a Child's descriptors are set before its reader thread
// starts (std::thread's constructor orders them) and closed by its last owner; `drained`
// is under drainMutex; the reader appends through Trace's thread-safe append/intern.
#pragma once

#include "trace/trace.h"

#include <QString>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace sl::engine {

struct LabContext;

class ForkSet {
public:
    explicit ForkSet(trace::Trace &trace);
    ~ForkSet(); // killAll()
    ForkSet(const ForkSet &) = delete;
    ForkSet &operator=(const ForkSet &) = delete;

    struct Result {
        pid_t pid = -1; // > 0 in the parent, 0 in the child, -1 on failure (err)
        int err = 0;
        int actor = -1; // the child's actor index (both processes)
    };
    // Forks; returns in both processes. parentActor names the child ("pid N (server)").
    Result fork(LabContext &ctx, int parentActor);

    bool inChild() const { return m_inChild; }
    int childActor() const { return m_childActor; }
    pid_t childPid() const { return m_childPid; }
    // The lowest actor index a child uses (-1: none): perform() must not give it to a new
    // script actor.
    int lowestChildActor() const;

    // os.waitpid(pid, options): the real waitpid() on a child of this lab. Returns the
    // pid (0 with WNOHANG while it runs) and the raw wait status; -1 with err (ECHILD for
    // a pid that is not one of the lab's children, or one already reaped). It first waits
    // for the child's end without reaping it (waitid(P_PIDFD, WNOWAIT): where a blocked
    // parent sleeps), then for its reader to drain the pipe, and only then reaps: every
    // event of the child is in the trace before the parent's waitpid() returns, and the
    // reader has noted the zombie (so the trace tells the same story on every run).
    pid_t waitpid(pid_t pid, int options, int *status, int *err);

    // In the child: its step ended (ok) or raised; records why and _exit()s.
    [[noreturn]] void childStepEnded(bool ok, const QString &exception, const QString &message);
    [[noreturn]] static void exitNow(int status); // os._exit(): no destructor, no flush

    void killAll(); // SIGKILL live children, join readers, reap, close descriptors

private:
    // Shared by m_children, the reader thread's owner and a waitpid() in progress: its
    // descriptors close with the last owner, so a waitpid() that killAll() overtook never
    // uses a closed (or reused) descriptor number.
    struct Child {
        ~Child();
        pid_t pid = -1;
        int pidfd = -1;
        int readFd = -1;
        int actor = -1;
        std::thread reader;
        std::mutex drainMutex;
        std::condition_variable drainedCv;
        bool drained = false; // the reader saw EOF and recorded the child's end
    };
    void readChild(Child &c, trace::Trace::ForkPoint at);
    void recordEnd(Child &c); // ActorStatus Done, and the zombie's note

    trace::Trace &m_trace;
    mutable std::mutex m_mutex; // forks one at a time (a pipe's write end reaches one child only)
    std::vector<std::shared_ptr<Child>> m_children; // shared: waitpid() may outlive killAll()
    // Child-side state: set in the child right after fork(), never in the parent.
    bool m_inChild = false;
    int m_childActor = -1;
    pid_t m_childPid = 0;
};

} // namespace sl::engine
