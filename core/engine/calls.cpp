// The socket calls: each is one real system call, recorded before and after.
#include "engine/interpreter.h"

#include "engine/addresspolicy.h"

#include "sys/errors.h"
#include "sys/net.h"

#include <QStringBuilder>
#include <sys/select.h>

using namespace sl::script;

namespace sl::engine {

static QString nameAt(const QStringList &names, int k) {
    return k < names.size() ? names.at(k) : QString();
}

Value Interpreter::address(const sys::SockAddr &a) const {
    if (a.family() == AF_UNIX) {
        // As CPython: a path is a str, an abstract name bytes (b'\x00name'), an unnamed
        // socket (socketpair(), an unbound client) ''.
        const QByteArray name = a.unixName();
        if (name.startsWith('\0'))
            return Value::bytes(name);
        return Value::str(QString::fromUtf8(name));
    }
    if (a.family() != AF_INET && a.family() != AF_INET6)
        return Value::str(QString());
    return Value::tuple({Value::str(a.host()), Value::integer(a.port())});
}

// AF_UNIX (issue 9): a path (str, or bytes) or an abstract name (leading NUL). A path
// makes a file: the lab keeps it in the temporary directory, and removes it at reset.
sys::SockAddr Interpreter::unixAddressArg(const Value &v, const char *call) {
    if (v.type != Value::Type::Str && v.type != Value::Type::Bytes)
        raise("TypeError",
              QStringLiteral("%1(): an AF_UNIX address must be str or bytes, not %2")
                  .arg(QLatin1String(call), QLatin1String(v.typeName())),
              true);
    const QByteArray path = v.type == Value::Type::Str ? v.s.toUtf8() : v.b;
    const bool abstract = path.startsWith('\0');
    if (!abstract) {
        const QString p = QString::fromUtf8(path);
        const QString tmp = QStringLiteral("/tmp/");
        if (!p.startsWith(tmp) || p.contains(QLatin1String("/../")) ||
            p.endsWith(QLatin1String("/..")) || p.size() <= tmp.size())
            raise("LabPolicyError",
                  QStringLiteral("%1() to the path '%2' refused: Socket Lab keeps AF_UNIX "
                                 "socket files in /tmp (e.g. \"/tmp/lab.sock\"), where it can "
                                 "remove them at reset, and never reaches other programs' "
                                 "sockets. An abstract name (\"\\0name\") makes no file.")
                      .arg(QLatin1String(call), p),
                  false);
    }
    QString err;
    auto a = sys::SockAddr::unixPath(path, &err);
    if (!a)
        raise("OSError", err, false);
    return *a;
}

// The policy judges the address the host resolved to (engine/addresspolicy.h), so this
// machine's own name is allowed when /etc/hosts maps it to loopback. The name is
// resolved first, as CPython does before the call: an unknown name is a gaierror.
void Interpreter::checkAddressAllowed(const QString &host, const sys::SockAddr &resolved,
                                      const char *call) {
    const QString why = addressRefusal(host, resolved, call, m_ctx.options.allowLan);
    if (!why.isEmpty())
        raise("LabPolicyError", why, false);
}

sys::SockAddr Interpreter::addressArg(const Value &v, int family, const char *call) {
    const ValueList &t = v.seq();
    if (v.type != Value::Type::Tuple || t.size() != 2 || t[0].type != Value::Type::Str ||
        t[1].type != Value::Type::Int)
        raise("TypeError",
              QStringLiteral("%1() needs an address tuple (host, port), got %2")
                  .arg(QLatin1String(call), v.repr()),
              true);
    if (t[1].i < 0 || t[1].i > 65535)
        raise("OverflowError",
              QStringLiteral("%1(): port must be 0-65535.").arg(QLatin1String(call)), true);
    QString err;
    int eai = 0;
    auto a = sys::SockAddr::resolve(family == AF_INET6 ? AF_INET6 : AF_INET, t[0].s, int(t[1].i),
                                    &err, &eai);
    if (!a)
        raiseGaierror(eai, err);
    checkAddressAllowed(t[0].s, *a, call);
    return *a;
}

std::shared_ptr<LabSocket> Interpreter::socketArg(const Value &v, const char *what) {
    if (v.type != Value::Type::Socket || !v.sock)
        raise("TypeError",
              QStringLiteral("%1 needs sockets, got %2")
                  .arg(QLatin1String(what), QLatin1String(v.typeName())),
              true);
    return v.sock;
}

Value Interpreter::callFunction(const Expr &e, const ValueList &args) {
    switch (e.call->id) {
    case CallId::Socket:
        return doSocket(e, args);
    case CallId::Socketpair:
        return doSocketpair(e, args);
    case CallId::Pipe:
        return doPipe(e);
    case CallId::Select:
        return doSelect(e, args);
    case CallId::Sleep:
        return doSleep(e, args);
    case CallId::Fork: // oscalls.cpp
        return doFork(e);
    case CallId::Exit:
        return doExit(e, args);
    case CallId::Waitpid:
        return doWaitpid(e, args);
    case CallId::Getpid:
        return doGetpid(e);
    case CallId::Gethostname: // bindings/resolver.cpp
        return doGethostname(e, args);
    case CallId::Gethostbyname:
        return doGethostbyname(e, args);
    case CallId::Wire:
        return doWire(e, args);
    case CallId::PollNew: // bindings/pollcalls.cpp
        return doPollNew(e, args);
    case CallId::EpollNew:
    case CallId::SelectorNew:
        return doEpollNew(e, args);
    default:
        break;
    }
    raise("NameError", QStringLiteral("'%1' is not a function").arg(e.name), true);
}

Value Interpreter::doSocket(const Expr &e, const ValueList &args) {
    const int family = args.size() > 0 ? int(args[0].i) : AF_INET;
    const int type = args.size() > 1 ? int(args[1].i) : SOCK_STREAM;
    CallMark m = begin(CallId::Socket, &e, nullptr, -1);
    const sys::SysResult r = sys::socket(family, type);
    if (!r.ok()) {
        end(m, r.ret, r.err, -1);
        raiseErrno(r.err, nullptr);
    }
    auto s = m_ctx.sockets.add(m_actor, int(r.ret), family, type, nameAt(m_pendingNames, 0));
    m.sock = s->id;
    touch(*s);
    end(m, r.ret, 0, -1);
    return Value::socket(s);
}

Value Interpreter::doSocketpair(const Expr &e, const ValueList &args) {
    const int family = args.size() > 0 ? int(args[0].i) : AF_UNIX;
    const int type = args.size() > 1 ? int(args[1].i) : SOCK_STREAM;
    CallMark m = begin(CallId::Socketpair, &e, nullptr, -1);
    int fds[2] = {-1, -1};
    const sys::SysResult r = sys::socketpair(family, type, fds);
    if (!r.ok()) {
        end(m, r.ret, r.err, -1);
        raiseErrno(r.err, nullptr);
    }
    auto a = m_ctx.sockets.add(m_actor, fds[0], family, type, nameAt(m_pendingNames, 0));
    auto b = m_ctx.sockets.add(m_actor, fds[1], family, type, nameAt(m_pendingNames, 1));
    touch(*a);
    touch(*b);
    m.sock = a->id;
    end(m, r.ret, 0, -1);
    return Value::tuple({Value::socket(a), Value::socket(b)});
}

Value Interpreter::doPipe(const Expr &e) {
    CallMark m = begin(CallId::Pipe, &e, nullptr, -1);
    int fds[2] = {-1, -1};
    const sys::SysResult r = sys::pipe(fds);
    if (!r.ok()) {
        end(m, r.ret, r.err, -1);
        raiseErrno(r.err, nullptr);
    }
    auto rd = m_ctx.sockets.add(m_actor, fds[0], 0, 0, nameAt(m_pendingNames, 0), true, false);
    auto wr = m_ctx.sockets.add(m_actor, fds[1], 0, 0, nameAt(m_pendingNames, 1), true, true);
    touch(*rd);
    touch(*wr);
    m.sock = rd->id;
    end(m, r.ret, 0, -1);
    return Value::tuple({Value::socket(rd), Value::socket(wr)});
}

Value Interpreter::doSleep(const Expr &e, const ValueList &args) {
    const double sec = args.at(0).toDouble();
    if (sec < 0 || sec > 3600)
        raise("ValueError", QStringLiteral("sleep length must be between 0 and 3600 s"), true);
    CallMark m = begin(CallId::Sleep, &e, nullptr, -1);
    // time.sleep() is nanosleep(); here it is a wait that reset() can cut short, so
    // a lab is never stuck behind a long sleep.
    std::unique_lock lock(m_ctx.sleepMutex);
    m_ctx.sleepWake.wait_for(lock, std::chrono::duration<double>(sec),
                             [&] { return m_ctx.stopping.load(); });
    lock.unlock();
    end(m, 0, 0, -1);
    return Value::none();
}

Value Interpreter::doSelect(const Expr &e, const ValueList &args) {
    // select() takes three lists of sockets and a timeout (None: wait for ever).
    // Like redis' ae_select.c we build the fd_sets, call select() once, and scan the
    // result with FD_ISSET, keeping the caller's socket objects in order.
    std::vector<std::shared_ptr<LabSocket>> sets[3];
    QString ids[3];
    int maxFd = -1;
    for (int k = 0; k < 3; ++k) {
        if (!args.at(k).isSequence())
            raise("TypeError", QStringLiteral("select() arguments 1-3 must be lists of sockets"),
                  true);
        QStringList idList;
        for (const Value &v : args[k].seq()) {
            auto s = socketArg(v, "select()");
            const int fd = s->fd.load();
            if (fd < 0)
                raise("ValueError",
                      QStringLiteral("select(): %1 is closed (file descriptor -1)").arg(v.repr()),
                      true);
            if (fd >= FD_SETSIZE)
                // FD_SET() past FD_SETSIZE writes outside the set: undefined behaviour,
                // an abort under _FORTIFY_SOURCE. Python refuses it with this message, word
                // for word (lesson 23 compares it; poll() and epoll are the way out).
                raise("ValueError", QStringLiteral("filedescriptor out of range in select()"),
                      false);
            maxFd = std::max(maxFd, fd);
            sets[k].push_back(s);
            idList << QString::number(s->id);
        }
        ids[k] = idList.join(QLatin1Char(','));
    }
    std::int64_t timeoutNs = -1;
    if (args.size() > 3 && !args[3].isNone()) {
        const double t = args[3].toDouble();
        if (t < 0)
            raise("ValueError", QStringLiteral("timeout must be non-negative"), true);
        timeoutNs = std::int64_t(t * 1e9);
    }
    trace::Event in;
    in.tNs = m_ctx.trace.now();
    in.kind = trace::EventKind::SelectIn;
    in.actor = std::uint8_t(m_actor);
    in.line = decltype(in.line)(m_line);
    for (int k = 0; k < 3; ++k)
        in.select.sets[k] = m_ctx.trace.intern(ids[k]);
    in.select.nfds = maxFd + 1;
    in.select.timeoutNs = timeoutNs;
    m_ctx.trace.append(in);

    fd_set fs[3];
    for (int k = 0; k < 3; ++k) {
        FD_ZERO(&fs[k]);
        for (const auto &s : sets[k])
            FD_SET(s->fd.load(), &fs[k]);
    }
    CallMark m = begin(CallId::Select, &e, nullptr, -1);
    timeval tv{}, *tvp = nullptr;
    if (timeoutNs >= 0) {
        tv.tv_sec = timeoutNs / 1000000000;
        tv.tv_usec = (timeoutNs % 1000000000) / 1000;
        tvp = &tv;
    }
    int rc;
    if (maxFd < 0) {
        // select([], [], [], t) watches nothing: it is a sleep (for ever when t is
        // None). No descriptor could be shut down to wake it, so wait where reset()
        // can cut it short, as sleep() does.
        std::unique_lock lock(m_ctx.sleepMutex);
        const auto stop = [&] { return m_ctx.stopping.load(); };
        if (timeoutNs < 0)
            m_ctx.sleepWake.wait(lock, stop);
        else
            m_ctx.sleepWake.wait_for(lock, std::chrono::nanoseconds(timeoutNs), stop);
        rc = 0;
    } else {
        do {
            rc = ::select(maxFd + 1, &fs[0], &fs[1], &fs[2], tvp);
        } while (rc < 0 && errno == EINTR);
    }
    const int err = rc < 0 ? errno : 0;
    end(m, rc, err, -1);
    if (rc < 0)
        raiseErrno(err, nullptr);

    ValueList out[3];
    QString outIds[3];
    for (int k = 0; k < 3; ++k) {
        QStringList idList;
        const ValueList &given = args[k].seq();
        for (std::size_t j = 0; j < sets[k].size(); ++j) {
            if (FD_ISSET(sets[k][j]->fd.load(), &fs[k])) {
                out[k].push_back(given[j]);
                idList << QString::number(sets[k][j]->id);
            }
        }
        outIds[k] = idList.join(QLatin1Char(','));
    }
    trace::Event res = in;
    res.tNs = m_ctx.trace.now();
    res.kind = trace::EventKind::SelectOut;
    for (int k = 0; k < 3; ++k)
        res.select.sets[k] = m_ctx.trace.intern(outIds[k]);
    m_ctx.trace.append(res);
    return Value::tuple({Value::list(std::move(out[0])), Value::list(std::move(out[1])),
                         Value::list(std::move(out[2]))});
}

} // namespace sl::engine
