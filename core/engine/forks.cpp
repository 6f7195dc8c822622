#include "engine/forks.h"

#include "engine/context.h"
#include "engine/recorder.h"
#include "script/limits.h"
#include "trace/remotetrace.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

namespace sl::engine {

namespace {

int pidfdOpen(pid_t pid) {
    return int(::syscall(SYS_pidfd_open, pid, 0));
}

// The child's exit status without reaping it (WNOWAIT): the script's waitpid() reaps.
// false when it is already reaped (ECHILD) or not ours.
bool peekExit(int pidfd, siginfo_t *si) {
    for (;;) {
        *si = siginfo_t{};
        if (::waitid(idtype_t(P_PIDFD), id_t(pidfd), si, WEXITED | WNOWAIT) == 0)
            return true;
        if (errno != EINTR)
            return false;
    }
}

void note(trace::Trace &t, const QString &en, const QString &ko) {
    trace::Event ev;
    ev.tNs = t.now();
    ev.kind = trace::EventKind::Note;
    ev.text.a = t.intern(en);
    ev.text.b = t.intern(ko);
    t.append(ev);
}

} // namespace

ForkSet::ForkSet(trace::Trace &trace)
    : m_trace(trace) {}

ForkSet::~ForkSet() {
    if (!m_inChild) // a child never runs destructors (it _exit()s), but be sure
        killAll();
}

ForkSet::Child::~Child() {
    if (pidfd >= 0)
        ::close(pidfd);
    if (readFd >= 0)
        ::close(readFd);
}

int ForkSet::lowestChildActor() const {
    std::lock_guard lock(m_mutex);
    int lowest = -1;
    for (const auto &c : m_children)
        if (lowest < 0 || c->actor < lowest)
            lowest = c->actor;
    return lowest;
}

ForkSet::Result ForkSet::fork(LabContext &ctx, int parentActor) {
    Result res;
    std::unique_lock lock(m_mutex);
    // The child's actor: right after the script's actors and the children so far, so
    // that the views (which grow their lanes to the highest actor index) draw no empty
    // lane. perform() refuses a new script actor that would take one of these.
    int index = ctx.actorCount;
    for (const auto &c : m_children)
        index = std::max(index, c->actor + 1);
    if (index >= script::MaxActors) {
        res.err = EAGAIN; // as fork() itself when a process limit is reached
        return res;
    }
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) {
        res.err = errno;
        return res;
    }
    const QString parentName =
        parentActor >= 0 ? ctx.actors[std::size_t(parentActor)].name : QStringLiteral("lab");

    // atfork: every lock another thread may hold now and the child may need later.
    // Order: the Env slots (leaves), the socket table (it interns under its lock), the
    // sleep mutex, the string pool (a leaf).
    ctx.env.lockAllForFork();
    ctx.sockets.lockForFork();
    std::unique_lock sleepLock(ctx.sleepMutex);
    ctx.trace.lockForFork();
    const trace::Trace::ForkPoint at = ctx.trace.forkPointLocked();
    const pid_t pid = ::fork();
    const int forkErr = errno;
    ctx.trace.unlockAfterFork();
    sleepLock.unlock();
    ctx.sockets.unlockAfterFork();
    ctx.env.unlockAllAfterFork();

    if (pid == 0) {
        // The child: this thread is its only thread. From here on its events travel
        // through the pipe; its close()s close its own descriptors only.
        ::close(p[0]);
        m_inChild = true;
        m_childActor = index;
        m_childPid = ::getpid();
        ctx.sockets.setForkChild();
        ctx.trace.setRemote(p[1]);
        res.pid = 0;
        res.actor = index;
        return res;
    }
    // Closed before the lock is released: the next fork() cannot hand this write end to
    // another child, whose life would then hold this child's pipe open.
    ::close(p[1]);
    if (pid < 0) {
        ::close(p[0]);
        res.err = forkErr;
        return res;
    }
    auto c = std::make_shared<Child>();
    c->pid = pid;
    c->pidfd = pidfdOpen(pid); // before anyone can reap it: only this thread knows pid yet
    c->readFd = p[0];
    c->actor = index;
    // Its lane, before any of its events (the reader starts after this append). The pid
    // first: a narrow lane that shows only the name's start still tells it from "server".
    trace::Event ev;
    ev.tNs = m_trace.now();
    ev.kind = trace::EventKind::ActorNew;
    ev.actor = std::uint8_t(index);
    ev.text.a = m_trace.intern(QStringLiteral("pid %1 (%2)").arg(pid).arg(parentName));
    m_trace.append(ev);
    Child *raw = c.get();
    c->reader = std::thread([this, raw, at] { readChild(*raw, at); });
    m_children.push_back(std::move(c));
    res.pid = pid;
    res.actor = index;
    return res;
}

void ForkSet::readChild(Child &c, trace::Trace::ForkPoint at) {
    trace::RemoteReader reader(m_trace, c.readFd, at, std::uint8_t(c.actor));
    reader.run();
    recordEnd(c);
    {
        std::lock_guard lock(c.drainMutex);
        c.drained = true;
    }
    c.drainedCv.notify_all();
}

void ForkSet::recordEnd(Child &c) {
    // EOF: the child's only write end is closed, so it has exited (or was killed).
    siginfo_t si;
    if (c.pidfd < 0 || !peekExit(c.pidfd, &si)) {
        record::actorStatus(m_trace, m_trace.now(), c.actor, 0, trace::ActorState::Done);
        return; // already reaped by the script's waitpid()
    }
    record::actorStatus(m_trace, m_trace.now(), c.actor, 0, trace::ActorState::Done);
    if (si.si_code == CLD_EXITED)
        note(m_trace,
             QStringLiteral("pid %1 exited with status %2; it stays a zombie until the parent's "
                            "os.waitpid() reaps it")
                 .arg(c.pid)
                 .arg(si.si_status),
             QStringLiteral(
                 "pid %1 종료(상태 %2): 부모가 os.waitpid()로 거둘 때까지 좀비로 남습니다")
                 .arg(c.pid)
                 .arg(si.si_status));
    else
        note(m_trace, QStringLiteral("pid %1 was killed by signal %2").arg(c.pid).arg(si.si_status),
             QStringLiteral("pid %1: 시그널 %2로 종료됨").arg(c.pid).arg(si.si_status));
}

pid_t ForkSet::waitpid(pid_t pid, int options, int *status, int *err) {
    std::shared_ptr<Child> c;
    {
        std::lock_guard lock(m_mutex);
        for (const auto &k : m_children)
            if (k->pid == pid)
                c = k;
    }
    if (!c) {
        *err = ECHILD; // as the kernel says for a pid that is not a child
        return -1;
    }
    // Unlocked: it may block until the child exits; reset() kills the child to wake it.
    if (c->pidfd >= 0) {
        siginfo_t si{};
        int rc;
        while ((rc = ::waitid(idtype_t(P_PIDFD), id_t(c->pidfd), &si,
                              WEXITED | WNOWAIT | (options & WNOHANG))) != 0 &&
               errno == EINTR) {
        }
        if (rc != 0) {
            *err = errno; // ECHILD: reaped already
            return -1;
        }
        if (si.si_pid == 0) { // WNOHANG, still running
            *status = 0;
            return 0;
        }
        // It has exited: its pipe is at EOF or about to be. The reader never blocks
        // on anything else, so this wait is short (bounded all the same).
        std::unique_lock lock(c->drainMutex);
        c->drainedCv.wait_for(lock, std::chrono::seconds(5), [&] { return c->drained; });
    }
    for (;;) {
        int st = 0;
        const pid_t r = ::waitpid(pid, &st, options);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            *err = errno;
            return -1;
        }
        *status = st;
        return r;
    }
}

void ForkSet::childStepEnded(bool ok, const QString &exception, const QString &message) {
    if (ok) {
        note(m_trace,
             QStringLiteral("pid %1: its step ended without os._exit(). Python would go on "
                            "running the parent's code after it; the lab ends the child here, "
                            "with status 0.")
                 .arg(m_childPid),
             QStringLiteral("pid %1: os._exit() 없이 단계가 끝났습니다. 파이썬이라면 부모의 "
                            "코드를 이어서 실행하겠지만, 랩은 여기서 자식을 상태 0으로 끝냅니다.")
                 .arg(m_childPid));
        exitNow(0);
    }
    note(m_trace,
         QStringLiteral("pid %1: uncaught %2: %3 (the child exits with status 1)")
             .arg(m_childPid)
             .arg(exception, message),
         QStringLiteral("pid %1: 처리되지 않은 %2: %3 (자식은 상태 1로 끝납니다)")
             .arg(m_childPid)
             .arg(exception, message));
    exitNow(1);
}

void ForkSet::exitNow(int status) {
    // _exit(): no atexit handler, no static destructor, no stdio flush — the parent's
    // (copied) Qt and lab state must not be torn down twice. The trace's messages are
    // already in the pipe (each write() returned).
    ::_exit(status);
}

void ForkSet::killAll() {
    std::vector<std::shared_ptr<Child>> children;
    {
        std::lock_guard lock(m_mutex);
        children.swap(m_children);
    }
    for (auto &c : children)
        if (c->pidfd >= 0) // ESRCH once it is reaped: a pidfd never reaches a reused pid
            ::syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, nullptr, 0);
    for (auto &c : children)
        if (c->reader.joinable())
            c->reader.join(); // EOF: the killed child's write end is gone
    for (auto &c : children) {
        if (c->pidfd >= 0) {
            siginfo_t si{};
            while (::waitid(idtype_t(P_PIDFD), id_t(c->pidfd), &si, WEXITED) != 0 &&
                   errno == EINTR) {
            } // ECHILD: the script reaped it already
        }
        // Its descriptors close with the last owner (~Child): here, or a waitpid() that
        // still holds it.
    }
}

} // namespace sl::engine
