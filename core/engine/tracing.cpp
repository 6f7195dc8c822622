// Recording calls in the trace, and raising Python's exceptions for failed calls.
#include "engine/interpreter.h"
#include "engine/recorder.h"

#include "sys/errors.h"

#include <QStringBuilder>
#include <sys/syscall.h>
#include <unistd.h>

using namespace sl::script;

namespace sl::engine {

trace::StrRef Interpreter::argsRef(const Expr *e) {
    if (!e)
        return 0;
    // The argument text of a call node never changes: intern it once per node, so a
    // loop of 65,536 sends adds no strings to the pool.
    if (e == m_lastArgsExpr)
        return m_lastArgsRef;
    auto it = m_argsRefs.constFind(e);
    if (it != m_argsRefs.constEnd()) {
        m_lastArgsExpr = e;
        return m_lastArgsRef = *it;
    }
    QString text;
    if (e->kind == ExprKind::Call || e->kind == ExprKind::Method) {
        QStringList parts;
        for (std::size_t k = e->kind == ExprKind::Method ? 1 : 0; k < e->kids.size(); ++k)
            parts << e->kids[k]->text;
        text = parts.join(QStringLiteral(", "));
    } else {
        text = e->text;
    }
    const trace::StrRef ref = m_ctx.trace.intern(text);
    m_argsRefs.insert(e, ref);
    m_lastArgsExpr = e;
    return m_lastArgsRef = ref;
}

void Interpreter::touch(const LabSocket &s) {
    // A loop's calls touch the same socket again and again: the last one first.
    if (!m_touched.empty() && m_touched.back() == s.id)
        return;
    if (std::find(m_touched.begin(), m_touched.end(), s.id) == m_touched.end())
        m_touched.push_back(s.id);
}

Interpreter::CallMark Interpreter::begin(CallId id, const Expr *e, const LabSocket *s,
                                         std::int64_t asked, std::uint8_t flags) {
    CallMark m;
    m.id = id;
    m.sock = s ? s->id : -1;
    m.asked = asked;
    m.flags = flags;
    if (s && (s->nonBlocking.load(std::memory_order_relaxed)))
        m.flags |= trace::CallNonBlocking;
    // CPython raises TimeoutError (errno None) where a timeout socket's poll() ran out;
    // the views read this flag to name it so from the trace alone.
    if (s && s->timeout.load(std::memory_order_relaxed) > 0)
        m.flags |= trace::CallTimeout;
    m.t0 =
        record::callBegin(m_ctx.trace, m_actor, m_line, int(id), m.sock, argsRef(e), asked, m.flags)
            .t0;
    if (s) {
        m.counted = const_cast<LabSocket *>(s);
        // seq_cst, and before the call loads the descriptor: SocketTable::wakeAll()
        // takes a pipe end's descriptor away before it reads this count, so either it
        // sees the call (and leaves the descriptor open) or the call sees -1.
        m.counted->inflight.fetch_add(1, std::memory_order_seq_cst);
        touch(*s);
    }
    m_open.emplace_back(id, m.t0);
    if (m_actor >= 0) {
        ActorInfo &a = m_ctx.actors[m_actor];
        a.sinceNs.store(m.t0, std::memory_order_relaxed);
        a.call.store(std::uint16_t(id), std::memory_order_release);
    }
    return m;
}

void Interpreter::end(const CallMark &m, std::int64_t ret, int err, std::int64_t moved,
                      const char *payload, std::size_t payloadLen) {
    if (m_inheritedOpen != 0 && m_open.size() <= m_inheritedOpen) [[unlikely]] {
        // A forked child leaving a call its parent began (the block around the fork):
        // its end is the parent's to record, not the child's lane's.
        if (m.counted)
            m.counted->inflight.fetch_sub(1, std::memory_order_seq_cst);
        if (!m_open.empty())
            m_open.pop_back();
        if (m_inheritedOpen > 0)
            --m_inheritedOpen;
        return;
    }
    record::Call c;
    c.t0 = m.t0;
    c.asked = m.asked;
    c.sock = m.sock;
    c.call = std::uint16_t(m.id);
    c.line = std::uint16_t(m_line);
    c.actor = record::actorByte(m_actor);
    c.flags = m.flags;
    const std::int64_t tEnd =
        record::callEnd(m_ctx.trace, c, ret, err, moved,
                        m_ctx.stopping.load(std::memory_order_relaxed), payload, payloadLen);
    // The socket begin() counted, not a lookup of m.sock: no table lock per call, and
    // a call that creates its socket (m.sock set after begin) leaves its count at 0.
    if (m.counted)
        m.counted->inflight.fetch_sub(1, std::memory_order_seq_cst); // after the call
    if (!m_open.empty())
        m_open.pop_back();
    if (m_actor >= 0) {
        ActorInfo &a = m_ctx.actors[m_actor];
        // A load first: a call that never blocked (nearly all) does no locked
        // compare-and-swap. A seq_cst load is what the failed compare-and-swap was in
        // the memory model (a read), so Lab::detectBlocked's races stay as they were.
        ActorRun was = ActorRun::Blocked;
        if (a.run.load() == ActorRun::Blocked &&
            a.run.compare_exchange_strong(was, ActorRun::Running)) {
            // The call that blocked has returned: the actor runs again.
            record::actorStatus(m_ctx.trace, tEnd, m_actor, m_line, trace::ActorState::Running);
        }
        if (m_open.empty()) {
            a.call.store(0, std::memory_order_release);
        } else {
            a.sinceNs.store(m_open.back().second, std::memory_order_relaxed);
            a.call.store(std::uint16_t(m_open.back().first), std::memory_order_release);
        }
    }
}

void Interpreter::raiseErrno(int err, const LabSocket *s, const QString &context) {
    ScriptException ex;
    ex.err = err;
    ex.callErr = err;
    ex.type = QString::fromLatin1(sys::pythonExceptionName(err));
    // A socket with settimeout(t > 0): the call ran out of time (timed() returns
    // EWOULDBLOCK only then). CPython raises TimeoutError('timed out'), errno None.
    if (s && (err == EAGAIN || err == EWOULDBLOCK) && s->timeout.load() > 0) {
        ex.type = QStringLiteral("TimeoutError");
        ex.err = 0;
        ex.message = QStringLiteral("timed out (after %1 s)").arg(s->timeout.load());
    } else {
        ex.message = QStringLiteral("[Errno %1] %2: %3")
                         .arg(err)
                         .arg(QLatin1String(sys::errnoName(err)), sys::errnoMessage(err));
    }
    if (!context.isEmpty())
        ex.message += QStringLiteral(" — ") + context;
    throw ex;
}

} // namespace sl::engine
