// os.fork(), os._exit(), os.waitpid(), os.getpid() (issue 10, lesson 4): real system
// calls; the process bookkeeping is ForkSet's (forks.h).
#include "engine/interpreter.h"

#include <unistd.h>

using namespace sl::script;

namespace sl::engine {

Value Interpreter::doFork(const Expr &e) {
    if (m_ctx.forks.inChild())
        // A grandchild would inherit its parent's pipe to the lab and hold it open;
        // one generation is what the lessons need.
        raise("LabPolicyError",
              QStringLiteral("os.fork() in a child: the lab follows one generation of "
                             "processes (the parent's children), not their children"),
              false);
    if (m_actor < 0)
        raise("LabPolicyError", QStringLiteral("os.fork() needs an actor (e.g. `server:`)"), true);
    CallMark m = begin(CallId::Fork, &e, nullptr, -1);
    const ForkSet::Result r = m_ctx.forks.fork(m_ctx, m_actor);
    if (r.pid < 0) {
        end(m, -1, r.err, -1);
        raiseErrno(r.err, nullptr);
    }
    if (r.pid > 0) {
        end(m, r.pid, 0, -1);
        return Value::integer(r.pid);
    }
    // The child. The fork() call and the block around it were begun on the parent's
    // lane: their ends are the parent's. The child's lane starts with its own fork()
    // returning 0.
    m_open.pop_back();
    m_inheritedOpen = m_open.size();
    m_actor = r.actor;
    CallMark own = begin(CallId::Fork, &e, nullptr, -1);
    end(own, 0, 0, -1);
    return Value::integer(0);
}

Value Interpreter::doExit(const Expr &e, const ValueList &args) {
    if (!m_ctx.forks.inChild())
        raise("LabPolicyError",
              QStringLiteral("os._exit() here would end Socket Lab itself: only a child that "
                             "os.fork() made may call it"),
              false);
    if (args.at(0).type != Value::Type::Int)
        raise("TypeError",
              QStringLiteral("'%1' object cannot be interpreted as an integer")
                  .arg(QLatin1String(args.at(0).typeName())),
              true);
    const int status = int(args.at(0).i);
    CallMark m = begin(CallId::Exit, &e, nullptr, -1);
    end(m, status, 0, -1); // _exit() never returns: its end is recorded just before it
    ForkSet::exitNow(status & 0xff);
}

Value Interpreter::doWaitpid(const Expr &e, const ValueList &args) {
    if (args.at(0).type != Value::Type::Int || args.at(1).type != Value::Type::Int)
        raise("TypeError", QStringLiteral("os.waitpid(pid, options) takes two integers"), true);
    const auto pid = pid_t(args.at(0).i);
    if (pid <= 0)
        // Any child of the Socket Lab process, not only the script's: refused.
        raise("LabPolicyError",
              QStringLiteral("os.waitpid(%1, …) would wait for any child of Socket Lab; pass "
                             "the pid os.fork() returned")
                  .arg(pid),
              false);
    CallMark m = begin(CallId::Waitpid, &e, nullptr, -1);
    int status = 0, err = 0;
    const pid_t r = m_ctx.forks.waitpid(pid, int(args.at(1).i), &status, &err);
    if (r < 0) {
        end(m, -1, err, -1);
        raiseErrno(err, nullptr);
    }
    end(m, r, 0, -1);
    return Value::tuple({Value::integer(r), Value::integer(status)});
}

Value Interpreter::doGetpid(const Expr &e) {
    CallMark m = begin(CallId::Getpid, &e, nullptr, -1);
    const pid_t pid = ::getpid();
    end(m, pid, 0, -1);
    return Value::integer(pid);
}

} // namespace sl::engine
