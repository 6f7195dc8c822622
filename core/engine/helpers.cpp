// The HOWTO's patterns as helpers. Each is recorded as one call (flagged CallHelper)
// with every real send()/recv() it makes nested inside, so the learner sees the loop.
#include "engine/interpreter.h"

#include <QStringBuilder>

using namespace sl::script;

namespace sl::engine {

Value Interpreter::helperSendall(const Expr &e, LabSocket &s, const QByteArray &data) {
    // mysend(): keep calling send() with what is left until all of it is taken.
    CallMark m = begin(CallId::Sendall, &e, &s, data.size(), trace::CallHelper);
    std::int64_t total = 0;
    const double timeout = s.timeout.load();
    m_sendallDeadline = timeout > 0 ? deadlineAfter(timeout) : 0;
    struct ClearDeadline {
        std::int64_t &d;
        ~ClearDeadline() { d = 0; }
    } clear{m_sendallDeadline};
    try {
        while (total < data.size()) {
            const Value sent = doSend(e, s, data, total);
            if (sent.i == 0)
                raise("RuntimeError", QStringLiteral("socket connection broken"), false);
            total += sent.i;
        }
    } catch (const ScriptException &ex) {
        end(m, -1, ex.callErr, total);
        throw;
    }
    end(m, 0, 0, total);
    return Value::none();
}

// Takes up to n bytes from the socket's leftover (what an earlier recv_until read
// past its delimiter), so no byte of the stream is lost between helpers.
static QByteArray takeLeftover(LabSocket &s, std::int64_t n) {
    std::lock_guard lock(s.leftoverMutex);
    const QByteArray part = s.leftover.left(qsizetype(n));
    s.leftover.remove(0, part.size());
    return part;
}

QByteArray Interpreter::helperRecvExactly(const Expr &e, LabSocket &s, std::int64_t n) {
    // myreceive(): recv(min(MSGLEN - bytes_recd, 2048)) until MSGLEN bytes are in;
    // recv() returning b'' means the peer closed: "socket connection broken".
    CallMark m = begin(CallId::RecvExactly, &e, &s, n, trace::CallHelper);
    QByteArray got = takeLeftover(s, n);
    try {
        while (got.size() < n) {
            const Value chunk = doRecv(e, s, std::min<std::int64_t>(n - got.size(), 2048));
            if (chunk.b.isEmpty()) {
                std::lock_guard lock(s.leftoverMutex);
                s.leftover.prepend(got); // keep what came, as a careful reader would
                raise("RuntimeError",
                      QStringLiteral("socket connection broken: the peer closed after %1 of %2 "
                                     "bytes")
                          .arg(got.size())
                          .arg(n),
                      false);
            }
            got += chunk.b;
        }
    } catch (const ScriptException &ex) {
        end(m, -1, ex.callErr, got.size());
        throw;
    }
    end(m, got.size(), 0, got.size(), got.constData(), std::size_t(got.size()));
    return got;
}

Value Interpreter::helperRecvUntil(const Expr &e, LabSocket &s, const QByteArray &delim) {
    // Delimited messages: read chunks of 4096 and scan for the delimiter. What comes
    // after it is the start of the next message: it is kept for the next read.
    if (delim.isEmpty())
        raise("ValueError", QStringLiteral("recv_until() needs a non-empty delimiter"), true);
    CallMark m = begin(CallId::RecvUntil, &e, &s, -1, trace::CallHelper);
    QByteArray buf = takeLeftover(s, std::numeric_limits<qsizetype>::max());
    try {
        qsizetype at;
        while ((at = buf.indexOf(delim)) < 0) {
            const Value chunk = doRecv(e, s, 4096);
            if (chunk.b.isEmpty()) {
                std::lock_guard lock(s.leftoverMutex);
                s.leftover.prepend(buf);
                raise("RuntimeError",
                      QStringLiteral("socket connection broken: the peer closed before the "
                                     "delimiter (%1 bytes kept)")
                          .arg(buf.size()),
                      false);
            }
            checkSize(buf.size() + chunk.b.size(), "a message");
            buf += chunk.b;
        }
        const QByteArray msg = buf.left(at);
        {
            std::lock_guard lock(s.leftoverMutex);
            s.leftover = buf.mid(at + delim.size()) + s.leftover;
        }
        end(m, msg.size(), 0, msg.size(), msg.constData(), std::size_t(msg.size()));
        return Value::bytes(msg);
    } catch (const ScriptException &ex) {
        end(m, -1, ex.callErr, -1);
        throw;
    }
}

Value Interpreter::helperSendMsg(const Expr &e, LabSocket &s, const QByteArray &payload) {
    // Length-prefixed message: 5 ASCII digits, then the payload (the HOWTO's
    // "prefix the message with its length"). The prefix itself may arrive in pieces.
    if (payload.size() > 99999)
        raise("ValueError",
              QStringLiteral("send_msg(): %1 bytes do not fit a 5-digit length "
                             "prefix (99,999 at most)")
                  .arg(payload.size()),
              true);
    const QByteArray framed = QByteArray::number(payload.size()).rightJustified(5, '0') + payload;
    CallMark m = begin(CallId::SendMsg, &e, &s, framed.size(), trace::CallHelper);
    try {
        helperSendall(e, s, framed);
    } catch (const ScriptException &ex) {
        end(m, -1, ex.callErr, -1);
        throw;
    }
    end(m, 0, 0, framed.size());
    return Value::none();
}

Value Interpreter::helperRecvMsg(const Expr &e, LabSocket &s) {
    CallMark m = begin(CallId::RecvMsg, &e, &s, -1, trace::CallHelper);
    try {
        const QByteArray prefix = helperRecvExactly(e, s, 5);
        bool ok = false;
        const int len = prefix.toInt(&ok);
        if (!ok || len < 0)
            raise(
                "ValueError",
                QStringLiteral("recv_msg(): bad length prefix %1").arg(Value::bytes(prefix).repr()),
                false);
        const QByteArray payload = helperRecvExactly(e, s, len);
        end(m, payload.size(), 0, payload.size() + 5, payload.constData(),
            std::size_t(payload.size()));
        return Value::bytes(payload);
    } catch (const ScriptException &ex) {
        end(m, -1, ex.callErr, -1);
        throw;
    }
}

Value Interpreter::evalProbe(const Expr &e, const ValueList &args) {
    // Probe functions read the kernel now (a fresh sample, recorded in the trace if
    // it changed): `expect state(conn) == "CLOSE_WAIT"` checks the kernel, not a model.
    const Value &arg = args.at(0);
    if (e.call->id == CallId::Held)
        return wireHeld(args); // wirecalls.cpp
    if (e.call->id == CallId::Blocked) {
        if (arg.type != Value::Type::Actor)
            raise("TypeError", QStringLiteral("blocked() takes an actor name"), true);
        if (arg.i < 0 || arg.i >= script::MaxActors)
            raise("LabPolicyError",
                  QStringLiteral("a lab has at most %1 actors").arg(script::MaxActors), true);
        return Value::boolean(m_ctx.actors[std::size_t(arg.i)].run.load() == ActorRun::Blocked);
    }
    if (e.call->id == CallId::ErrorOf || e.call->id == CallId::ExceptionOf) {
        if (arg.type != Value::Type::Actor)
            raise("TypeError", QStringLiteral("%1() takes an actor name").arg(e.name), true);
        if (arg.i < 0 || arg.i >= script::MaxActors)
            raise("LabPolicyError",
                  QStringLiteral("a lab has at most %1 actors").arg(script::MaxActors), true);
        bool ok = true;
        int err = 0;
        QString exception;
        m_ctx.actors[std::size_t(arg.i)].outcome(&ok, &err, &exception);
        if (e.call->id == CallId::ErrorOf) // as `error`: None for an exception without errno
            return !ok && err == 0 ? Value::none() : Value::integer(err);
        return ok ? Value::none() : Value::str(exception);
    }
    auto s = socketArg(arg, "a probe");
    if (e.call->id == CallId::Leftover) {
        std::lock_guard lock(s->leftoverMutex);
        return Value::integer(s->leftover.size());
    }
    if (e.call->id == CallId::KernelState) {
        if (s->fd.load() >= 0)
            return Value::str(QString::fromLatin1(
                sys::tcpStateName(m_ctx.sockets.lastSample(s->id, true).state)));
        return Value::str(m_ctx.sockets.kernelState(s->id));
    }
    if (s->fd.load() < 0) {
        if (e.call->id == CallId::State)
            return Value::str(QStringLiteral("CLOSED (no descriptor)"));
        return Value::integer(-1);
    }
    const sys::SocketSample x = m_ctx.sockets.lastSample(s->id, true);
    switch (e.call->id) {
    case CallId::State:
        return Value::str(QString::fromLatin1(sys::tcpStateName(x.state)));
    case CallId::Readable:
        return Value::boolean(x.readiness & sys::Readable);
    case CallId::Writable:
        return Value::boolean(x.readiness & sys::Writable);
    case CallId::Pending:
        return Value::boolean(x.readiness & sys::Error);
    case CallId::SendQ:
        return Value::integer(x.sendQ);
    case CallId::RecvQ:
        return Value::integer(x.recvQ);
    case CallId::Unsent:
        return Value::integer(x.unsent);
    case CallId::AcceptQ:
        return Value::integer(x.acceptQ);
    case CallId::Backlog:
        return Value::integer(x.backlog);
    case CallId::SndBuf:
        return Value::integer(x.sndbuf);
    case CallId::RcvBuf:
        return Value::integer(x.rcvbuf);
    case CallId::Drops:
        return Value::integer(x.drops);
    case CallId::RcvMem:
        return Value::integer(x.rcvMem);
    default:
        break;
    }
    raise("NameError", QStringLiteral("unknown probe '%1'").arg(e.name), true);
}

} // namespace sl::engine
