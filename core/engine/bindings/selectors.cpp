// selectors.DefaultSelector(): on Linux CPython's EpollSelector. register() keeps a
// key (fileobj, fd, events, data) and adds the descriptor with epoll_ctl(); select()
// waits in epoll_wait() and returns [(key, events)]. Python's checks and messages are
// kept (KeyError for a socket registered twice or not at all, ValueError for events).
#include "engine/bindings/bound.h"
#include "engine/interpreter.h"

#include "sys/net.h"

#include <cmath>
#include <sys/epoll.h>

using namespace sl::script;

namespace sl::engine {

namespace {

constexpr std::int64_t EventRead = 1, EventWrite = 2;

std::uint32_t epollEvents(std::int64_t events) {
    return (events & EventRead ? EPOLLIN : 0u) | (events & EventWrite ? EPOLLOUT : 0u);
}

// A key is a tuple, as CPython's SelectorKey namedtuple; `s` marks it for attribute
// reads (key.fileobj, key.data: boundAttribute()).
Value keyValue(const Watched &w, std::int64_t events) {
    Value k = Value::tuple({w.fileobj, Value::integer(w.fd), Value::integer(events), w.data});
    k.s = QStringLiteral("SelectorKey");
    return k;
}

std::int64_t selectorEvents(const Watched &w) {
    return (w.events & EPOLLIN ? EventRead : 0) | (w.events & EPOLLOUT ? EventWrite : 0);
}

} // namespace

Value Interpreter::selectorMethod(const Expr &e, EpollObject &p, const ValueList &args) {
    const CallId id = e.call->id;
    std::unique_lock lock(p.mutex);
    // _fileobj_lookup(): the descriptor, or, for a socket closed since it was
    // registered, the key registered with that very object.
    auto lookup = [&](const Value &v, std::shared_ptr<LabSocket> *s) -> int {
        if (v.type == Value::Type::Socket && v.sock && v.sock->fd.load() < 0) {
            for (const Watched &w : p.watched)
                if (w.fileobj.equals(v))
                    return w.fd;
            raise("ValueError", QStringLiteral("Invalid file descriptor: -1"), true);
        }
        if (v.type != Value::Type::Socket && v.type != Value::Type::Int &&
            v.type != Value::Type::Bound)
            raise("ValueError", QStringLiteral("Invalid file object: %1").arg(v.repr()), true);
        const int fd = watchFd(v, s);
        return fd;
    };
    auto keyOf = [&](const Value &v) -> Watched & {
        std::shared_ptr<LabSocket> s;
        Watched *w = p.find(lookup(v, &s));
        if (!w)
            raise("KeyError", QStringLiteral("%1 is not registered").arg(v.repr()), true);
        return *w;
    };
    switch (id) {
    case CallId::GetKey: {
        if (p.fd < 0)
            raise("RuntimeError", QStringLiteral("Selector is closed"), true);
        return keyValue(keyOf(args.at(0)), selectorEvents(keyOf(args.at(0))));
    }
    case CallId::Close: {
        if (m_actor < 0)
            break;
        if (p.fd < 0)
            return Value::none();
        CallMark m = begin(CallId::Close, &e, nullptr, -1);
        const sys::SysResult r = sys::close(p.fd);
        p.fd = -1;
        p.watched.clear();
        end(m, r.ret, r.err, -1);
        return Value::none();
    }
    case CallId::Register:
    case CallId::Modify: {
        if (m_actor < 0)
            break;
        const std::int64_t events = args.size() > 1 ? args[1].i : 0;
        if (args.size() < 2 || args[1].type != Value::Type::Int || events == 0 ||
            (events & ~(EventRead | EventWrite)))
            raise("ValueError",
                  QStringLiteral("Invalid events: %1")
                      .arg(args.size() > 1 ? args[1].repr() : QStringLiteral("None")),
                  true);
        const Value data = args.size() > 2 ? args[2] : Value::none();
        std::shared_ptr<LabSocket> s;
        if (id == CallId::Register) {
            const int fd = lookup(args.at(0), &s);
            if (p.fd < 0)
                raise("RuntimeError", QStringLiteral("Selector is closed"), true);
            if (p.find(fd))
                raise(
                    "KeyError",
                    QStringLiteral("%1 (FD %2) is already registered").arg(args[0].repr()).arg(fd),
                    true);
            CallMark m = begin(id, &e, s.get(), -1);
            const sys::SysResult r = sys::epollCtl(p.fd, EPOLL_CTL_ADD, fd, epollEvents(events));
            end(m, r.ret, r.err, -1);
            if (!r.ok())
                raiseErrno(r.err, s.get());
            p.watched.push_back({fd, epollEvents(events), s, args[0], data});
            return keyValue(p.watched.back(), events);
        }
        Watched &w = keyOf(args.at(0));
        if (epollEvents(events) != w.events) {
            CallMark m = begin(id, &e, w.sock.get(), -1);
            const sys::SysResult r = sys::epollCtl(p.fd, EPOLL_CTL_MOD, w.fd, epollEvents(events));
            end(m, r.ret, r.err, -1);
            if (!r.ok())
                raiseErrno(r.err, w.sock.get());
            w.events = epollEvents(events);
        }
        w.data = data;
        return keyValue(w, events);
    }
    case CallId::Unregister: {
        if (m_actor < 0)
            break;
        Watched w = keyOf(args.at(0));
        if (w.sock == nullptr || w.sock->fd.load() >= 0) {
            // CPython ignores an OSError here (the descriptor may be closed already).
            CallMark m = begin(id, &e, w.sock.get(), -1);
            const sys::SysResult r = sys::epollCtl(p.fd, EPOLL_CTL_DEL, w.fd, 0);
            end(m, r.ret, r.err, -1);
        }
        std::erase_if(p.watched, [&](const Watched &x) { return x.fd == w.fd; });
        return keyValue(w, selectorEvents(w));
    }
    case CallId::SelectorSelect: {
        if (m_actor < 0)
            break;
        // None: for ever; <= 0: do not wait; else rounded up to a millisecond.
        int timeoutMs = -1;
        if (!args.empty() && !args[0].isNone()) {
            const double t = args[0].toDouble();
            timeoutMs = t <= 0 ? 0 : int(std::min(std::ceil(t * 1e3), 2147483647.0));
        }
        if (p.fd < 0)
            raise("ValueError", QStringLiteral("I/O operation on closed epoll object"), true);
        const int maxEvents = std::max(int(p.watched.size()), 1);
        lock.unlock();
        std::vector<std::pair<int, std::uint32_t>> ready;
        epollWait(e, p, CallId::SelectorSelect, timeoutMs, maxEvents, &ready);
        lock.lock();
        ValueList out;
        for (const auto &[fd, ev] : ready) {
            std::int64_t events = 0;
            if (ev & ~std::uint32_t(EPOLLIN))
                events |= EventWrite;
            if (ev & ~std::uint32_t(EPOLLOUT))
                events |= EventRead;
            if (const Watched *w = p.find(fd))
                out.push_back(Value::tuple({keyValue(*w, selectorEvents(*w)),
                                            Value::integer(events & selectorEvents(*w))}));
        }
        return Value::list(std::move(out));
    }
    default:
        raise("AttributeError",
              QStringLiteral("'EpollSelector' object has no attribute '%1'").arg(e.name), true);
    }
    raise(
        "LabError",
        QStringLiteral("selector.%1() makes a system call: only an actor can do that").arg(e.name),
        true);
}

} // namespace sl::engine
