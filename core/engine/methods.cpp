// Socket methods: s.bind(), s.send(), s.recv(), … Each is one real system call.
#include "engine/interpreter.h"

#include "sys/errors.h"
#include "sys/net.h"

#include <QStringBuilder>
#include <algorithm>
#include <limits>
#include <netinet/tcp.h>

using namespace sl::script;

namespace sl::engine {

static std::int64_t intArg(const ValueList &args, std::size_t k, std::int64_t dflt) {
    if (k >= args.size() || args[k].isNone())
        return dflt;
    return args[k].type == Value::Type::Float ? std::int64_t(args[k].f) : args[k].i;
}

Value Interpreter::callSocketMethod(const Expr &e, LabSocket &s, const ValueList &args) {
    const CallId id = e.call->id;
    if (s.fd.load() < 0 && id != CallId::Close && id != CallId::Fileno &&
        id != CallId::Gettimeout && id != CallId::Getblocking) {
        // A closed socket object has descriptor -1; CPython makes the call on it all
        // the same and the kernel answers EBADF. The lab does not hand -1 to the kernel
        // but records the call as failed with that errno, so `error`, error_of(), the
        // sequence view and a replayed trace see the same failure as the terminal.
        CallMark m = begin(id, &e, &s, -1);
        end(m, -1, EBADF, -1);
        raiseErrno(EBADF, &s, QStringLiteral("%1 is closed").arg(s.name));
    }
    auto needBytes = [&](std::size_t k) -> const QByteArray & {
        if (k >= args.size() || args[k].type != Value::Type::Bytes)
            raise("TypeError",
                  QStringLiteral("%1() needs bytes (b\"…\"), got %2")
                      .arg(e.name, k < args.size() ? QLatin1String(args[k].typeName())
                                                   : QLatin1String("nothing")),
                  true);
        return args[k].b;
    };
    auto needCount = [&](std::size_t k) {
        if (k >= args.size() || args[k].type != Value::Type::Int)
            raise("TypeError", QStringLiteral("%1() needs a byte count").arg(e.name), true);
        if (args[k].i < 0)
            raise("ValueError", QStringLiteral("negative buffersize in %1").arg(e.name), true);
        checkSize(args[k].i, "a buffer");
        return args[k].i;
    };
    const int fd = s.fd.load();
    switch (id) {
    case CallId::Send:
    case CallId::Write:
        return doSend(e, s, needBytes(0), 0, id);
    case CallId::Recv:
    case CallId::Read:
        return doRecv(e, s, needCount(0), id);
    case CallId::Sendall:
        return helperSendall(e, s, needBytes(0));
    case CallId::RecvExactly:
        return Value::bytes(helperRecvExactly(e, s, needCount(0)));
    case CallId::RecvUntil:
        return helperRecvUntil(e, s, needBytes(0));
    case CallId::SendMsg:
        return helperSendMsg(e, s, needBytes(0));
    case CallId::RecvMsg:
        return helperRecvMsg(e, s);
    case CallId::Bind:
    case CallId::Connect:
    case CallId::ConnectEx:
    case CallId::Accept:
    case CallId::Getsockname:
    case CallId::Getpeername:
    case CallId::Sendto:
    case CallId::Recvfrom:
        return doAddressCall(e, s, args);
    case CallId::Setsockopt:
    case CallId::Getsockopt:
    case CallId::Setblocking:
    case CallId::Settimeout:
        return doOption(e, s, args);
    case CallId::Listen: {
        // As CPython: no argument is min(SOMAXCONN, 128); a negative backlog is 0
        // (socket.listen() clamps it before the system call).
        std::int64_t backlog = intArg(args, 0, std::min(SOMAXCONN, 128));
        backlog = std::clamp<std::int64_t>(backlog, 0, std::numeric_limits<int>::max());
        CallMark m = begin(id, &e, &s, -1);
        const sys::SysResult r = sys::listen(fd, int(backlog));
        end(m, r.ret, r.err, -1);
        if (!r.ok())
            raiseErrno(r.err, &s);
        return Value::none();
    }
    case CallId::Shutdown: {
        CallMark m = begin(id, &e, &s, -1);
        const sys::SysResult r = sys::shutdown(fd, int(intArg(args, 0, SHUT_RDWR)));
        end(m, r.ret, r.err, -1);
        if (!r.ok())
            raiseErrno(r.err, &s);
        return Value::none();
    }
    case CallId::Close: {
        if (fd < 0)
            return Value::none(); // closing twice is harmless in Python
        if (s.ioRefs.load() > 0) {
            // As CPython: a socket with open makefile() objects only marks itself closed;
            // the descriptor is released when the last file object is closed.
            s.closePending.store(true);
            return Value::none();
        }
        if (s.inflight.load() > 0)
            // Linux does not wake a call blocked on a descriptor that another thread
            // closes, and the number could be reused under it. Python would let you;
            // the lab says what would happen instead of leaving an actor stuck.
            raise("LabPolicyError",
                  QStringLiteral("%1.close() while another actor is inside a call on it: Linux "
                                 "would leave that call blocked for ever. Call "
                                 "%1.shutdown(SHUT_RDWR) first; it wakes the call.")
                      .arg(s.name),
                  false);
        CallMark m = begin(id, &e, &s, -1);
        const int err = m_ctx.sockets.close(s);
        end(m, err ? -1 : 0, err, -1);
        return Value::none();
    }
    case CallId::Fileno:
        return Value::integer(fd);
    case CallId::Makefile: // bindings/makefile.cpp
        return doMakefile(e, s, args);
    case CallId::Gettimeout: { // no system call: what settimeout() left in the object
        const double t = s.timeout.load();
        return t < 0 ? Value::none() : Value::real(t);
    }
    case CallId::Getblocking: // True for a timeout socket too, as CPython says
        return Value::boolean(s.timeout.load() != 0);
    default:
        break;
    }
    raise("AttributeError", QStringLiteral("socket has no method '%1'").arg(e.name), true);
}

Value Interpreter::doSend(const Expr &e, LabSocket &s, const QByteArray &data, std::int64_t from,
                          CallId id) {
    return Value::integer(sendBytes(e, s, data, from, id));
}

std::int64_t Interpreter::sendBytes(const Expr &e, LabSocket &s, const QByteArray &data,
                                    std::int64_t from, CallId id) {
    const std::int64_t len = data.size() - from;
    CallMark m = begin(id, &e, &s, len);
    const char *p = data.constData() + from;
    const sys::SysResult r = timed(s, true, [&](int fd) {
        return id == CallId::Write ? sys::write(fd, p, std::size_t(len))
                                   : sys::send(fd, p, std::size_t(len));
    });
    const std::int64_t moved = r.ok() ? r.ret : -1;
    end(m, r.ret, r.err, moved, data.constData() + from, moved > 0 ? std::size_t(moved) : 0);
    if (!r.ok())
        raiseErrno(r.err, &s);
    return r.ret;
}

// A buffer of n bytes that only this interpreter holds. Small ones come from a ring of
// the last few: a loop's recv() reuses the buffer of two iterations ago once the
// script has let go of it (its name was rebound), instead of allocating each time.
QByteArray &Interpreter::recvBuffer(std::int64_t n) {
    if (n > RecvReusable) { // not kept: doRecv() lets it go to the script
        m_recvBig = QByteArray(qsizetype(n), Qt::Uninitialized);
        return m_recvBig;
    }
    for (QByteArray &b : m_recvBuffers) {
        // Not one much larger than asked: the script may keep what recv() returns.
        if (b.isDetached() && b.capacity() >= n && b.capacity() <= 2 * n + 256) {
            if (b.size() != n) // a full recv() left it at n: a loop's usual case
                b.resize(qsizetype(n));
            return b;
        }
    }
    QByteArray &slot = m_recvBuffers[m_recvNext];
    m_recvNext = (m_recvNext + 1) % m_recvBuffers.size();
    slot = QByteArray(qsizetype(n), Qt::Uninitialized);
    return slot;
}

Value Interpreter::doRecv(const Expr &e, LabSocket &s, std::int64_t n, CallId id) {
    Value v = Value::bytes(recvBytes(e, s, n, id));
    m_recvBig = QByteArray(); // a big buffer is the script's alone
    return v;
}

const QByteArray &Interpreter::recvBytes(const Expr &e, LabSocket &s, std::int64_t n, CallId id) {
    QByteArray &buf = recvBuffer(n);
    if (n == 0) [[unlikely]] {
        // CPython answers recv(0) (and os.read(fd, 0)) with b'' before any system call
        // (sock_recv, os_read_impl; strace shows none), where Linux's recv(fd, buf, 0)
        // would block on an empty TCP queue. So no call, and nothing to record.
        buf.truncate(0);
        return buf;
    }
    CallMark m = begin(id, &e, &s, n);
    const sys::SysResult r = timed(s, false, [&](int fd) {
        return id == CallId::Read ? sys::read(fd, buf.data(), std::size_t(n))
                                  : sys::recv(fd, buf.data(), std::size_t(n));
    });
    const std::int64_t moved = r.ok() ? r.ret : -1;
    end(m, r.ret, r.err, moved, buf.constData(), moved > 0 ? std::size_t(moved) : 0);
    if (!r.ok()) {
        m_recvBig = QByteArray();
        raiseErrno(r.err, &s);
    }
    if (r.ret != buf.size())
        buf.truncate(qsizetype(r.ret));
    return buf;
}

Value Interpreter::doAddressCall(const Expr &e, LabSocket &s, const ValueList &args) {
    const CallId id = e.call->id;
    const int fd = s.fd.load();
    const int family = s.domain == AF_INET6 ? AF_INET6 : AF_INET;
    auto addressOf = [&](const Value &v, const char *call) {
        return s.domain == AF_UNIX ? unixAddressArg(v, call) : addressArg(v, family, call);
    };
    switch (id) {
    case CallId::Bind:
    case CallId::Connect:
    case CallId::ConnectEx: {
        const sys::SockAddr a = addressOf(args.at(0), e.name.toLatin1().constData());
        CallMark m = begin(id, &e, &s, -1);
        const sys::SysResult r = id == CallId::Bind ? sys::bind(fd, a) : connectTimed(s, a);
        end(m, r.ret, r.err, -1);
        if (id == CallId::Bind && r.ok() && s.domain == AF_UNIX && !a.unixName().startsWith('\0'))
            m_ctx.sockets.addUnixPath(a.unixName()); // removed at reset
        // Its addresses changed: record them now. In a big lab only this socket, so that
        // a loop of connect()s is not quadratic (the step's end probes all of them).
        if (m_ctx.sockets.size() >= 64)
            m_ctx.sockets.probeOne(s);
        else
            m_ctx.sockets.probeAll();
        if (id == CallId::ConnectEx)
            return Value::integer(r.err); // connect_ex returns errno instead of raising
        if (!r.ok())
            raiseErrno(r.err, &s);
        return Value::none();
    }
    case CallId::Accept: {
        sys::SockAddr peer;
        CallMark m = begin(id, &e, &s, -1);
        const sys::SysResult r = timed(s, false, [&](int f) { return sys::accept(f, &peer); });
        if (!r.ok()) {
            end(m, r.ret, r.err, -1);
            raiseErrno(r.err, &s);
        }
        // The new socket exists before the call is recorded as returned, so the
        // CallEnd can be read as "accept() -> conn".
        auto c = m_ctx.sockets.add(m_actor, int(r.ret), s.domain, s.type,
                                   m_pendingNames.isEmpty() ? QString() : m_pendingNames.first());
        touch(*c);
        end(m, r.ret, 0, -1);
        return Value::tuple({Value::socket(c), address(peer)});
    }
    case CallId::Getsockname:
    case CallId::Getpeername: {
        sys::SockAddr a;
        CallMark m = begin(id, &e, &s, -1);
        const sys::SysResult r =
            id == CallId::Getsockname ? sys::getsockname(fd, &a) : sys::getpeername(fd, &a);
        end(m, r.ret, r.err, -1);
        if (!r.ok())
            raiseErrno(r.err, &s);
        return address(a);
    }
    case CallId::Sendto: {
        if (args.at(0).type != Value::Type::Bytes)
            raise("TypeError", QStringLiteral("sendto() needs bytes"), true);
        const QByteArray &data = args[0].b;
        const sys::SockAddr a = addressOf(args.at(1), "sendto");
        CallMark m = begin(id, &e, &s, data.size());
        const sys::SysResult r = timed(s, true, [&](int f) {
            return sys::sendto(f, data.constData(), std::size_t(data.size()), a);
        });
        end(m, r.ret, r.err, r.ok() ? r.ret : -1, data.constData(),
            r.ok() ? std::size_t(r.ret) : 0);
        if (!r.ok())
            raiseErrno(r.err, &s);
        return Value::integer(r.ret);
    }
    case CallId::Recvfrom: {
        const std::int64_t n = args.at(0).i;
        if (n < 0)
            raise("ValueError", QStringLiteral("negative buffersize in recvfrom"), true);
        checkSize(n, "a buffer");
        QByteArray buf(qsizetype(n), Qt::Uninitialized);
        sys::SockAddr from;
        CallMark m = begin(id, &e, &s, n);
        const sys::SysResult r = timed(
            s, false, [&](int f) { return sys::recvfrom(f, buf.data(), std::size_t(n), &from); });
        end(m, r.ret, r.err, r.ok() ? r.ret : -1, buf.constData(), r.ok() ? std::size_t(r.ret) : 0);
        if (!r.ok())
            raiseErrno(r.err, &s);
        buf.truncate(qsizetype(r.ret));
        // No address at all (an unbound AF_UNIX sender): None, as CPython.
        return Value::tuple({Value::bytes(buf), from.len == 0 ? Value::none() : address(from)});
    }
    default:
        break;
    }
    raise("AttributeError", QStringLiteral("socket has no method '%1'").arg(e.name), true);
}

Value Interpreter::doOption(const Expr &e, LabSocket &s, const ValueList &args) {
    const CallId id = e.call->id;
    const int fd = s.fd.load();
    switch (id) {
    case CallId::Setblocking: {
        const bool blocking = args.at(0).truthy();
        CallMark m = begin(id, &e, &s, -1);
        // As CPython: setblocking(flag) is settimeout(None if flag else 0.0).
        const sys::SysResult r = sys::setNonBlocking(fd, !blocking);
        end(m, r.ret, r.err, -1);
        if (!r.ok())
            raiseErrno(r.err, &s);
        s.nonBlocking.store(!blocking);
        s.timeout.store(blocking ? -1 : 0);
        return Value::none();
    }
    case CallId::Settimeout: {
        // None: blocking; 0: non-blocking; t > 0: as CPython, the descriptor becomes
        // O_NONBLOCK and each call waits in poll() for up to t seconds (timed()). To
        // Python the socket is still blocking: getblocking() is True.
        const Value &v = args.at(0);
        const double t = v.isNone() ? -1 : v.toDouble();
        if (!v.isNone() && t < 0)
            raise("ValueError", QStringLiteral("Timeout value out of range"), true);
        CallMark m = begin(id, &e, &s, -1);
        const sys::SysResult r = sys::setNonBlocking(fd, t >= 0);
        end(m, r.ret, r.err, -1);
        if (!r.ok())
            raiseErrno(r.err, &s);
        s.nonBlocking.store(t == 0);
        s.timeout.store(t);
        return Value::none();
    }
    case CallId::Setsockopt: {
        const int level = int(intArg(args, 0, 0)), opt = int(intArg(args, 1, 0));
        const Value &v = args.at(2);
        const bool timeo = level == SOL_SOCKET && (opt == SO_RCVTIMEO || opt == SO_SNDTIMEO);
        const bool lingerOpt =
            level == SOL_SOCKET && opt == SO_LINGER && v.type != Value::Type::Bytes;
        if (!timeo && !lingerOpt && v.type != Value::Type::Bytes && v.type != Value::Type::Int &&
            v.type != Value::Type::Bool) // as CPython, before any system call
            raise("TypeError",
                  QStringLiteral("a bytes-like object is required, not '%1'")
                      .arg(QLatin1String(v.typeName())),
                  true);
        CallMark m = begin(id, &e, &s, -1);
        sys::SysResult r;
        if (timeo) {
            r = sys::setTimeout(fd, opt, v.toDouble());
        } else if (lingerOpt) {
            const ValueList &t = v.seq();
            linger l{};
            l.l_onoff = t.size() > 0 ? int(t[0].i) : int(v.i);
            l.l_linger = t.size() > 1 ? int(t[1].i) : 0;
            r = sys::setsockoptRaw(fd, level, opt, &l, sizeof l);
        } else if (v.type == Value::Type::Bytes) {
            // As CPython: bytes are the option's memory as is (struct.pack('ii', 1, 0)).
            r = sys::setsockoptRaw(fd, level, opt, v.b.constData(), socklen_t(v.b.size()));
        } else {
            r = sys::setsockoptInt(fd, level, opt, int(v.i));
        }
        end(m, r.ret, r.err, -1);
        if (!r.ok())
            raiseErrno(r.err, &s);
        return Value::none();
    }
    case CallId::Getsockopt: {
        const int level = int(intArg(args, 0, 0)), opt = int(intArg(args, 1, 0));
        if (args.size() > 2) { // getsockopt(level, opt, buflen): the option's bytes
            const std::int64_t buflen = intArg(args, 2, 0);
            if (buflen <= 0 || buflen > 1024)
                raise("OSError", QStringLiteral("getsockopt buflen out of range"), true);
            QByteArray bytes(qsizetype(buflen), '\0');
            CallMark m = begin(id, &e, &s, -1);
            const sys::SysResult r = sys::getsockoptBytes(fd, level, opt, &bytes);
            end(m, r.ret, r.err, -1);
            if (!r.ok())
                raiseErrno(r.err, &s);
            return Value::bytes(bytes);
        }
        int value = 0;
        CallMark m = begin(id, &e, &s, -1);
        // Note: getsockopt(SO_ERROR) really reads and clears the pending error; the
        // probe never does, so only the script can consume it.
        const sys::SysResult r = sys::getsockoptInt(fd, level, opt, &value);
        end(m, r.ok() ? value : r.ret, r.err, -1);
        if (!r.ok())
            raiseErrno(r.err, &s);
        return Value::integer(value);
    }
    default:
        break;
    }
    raise("AttributeError", QStringLiteral("socket has no method '%1'").arg(e.name), true);
}

} // namespace sl::engine
