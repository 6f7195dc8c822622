// select.poll(), select.epoll() and selectors.DefaultSelector(), as CPython 3.11 does
// them on Linux: a poll object keeps its set and hands it to poll() each time; epoll
// and the selector (EpollSelector) keep theirs in the kernel (epoll_ctl), and wait in
// epoll_wait(). Every system call is recorded; each wait is also recorded as a
// SelectIn/SelectOut pair, so the select() panel explains poll and epoll alike.
#include "engine/bindings/bound.h"
#include "engine/interpreter.h"

#include "sys/net.h"

#include <cmath>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>

using namespace sl::script;

namespace sl::engine {

namespace {

constexpr std::uint32_t ReadBits = POLLIN | POLLRDNORM | POLLHUP | POLLERR | POLLRDHUP;
constexpr std::uint32_t WriteBits = POLLOUT | POLLWRNORM | POLLERR | POLLHUP;

// The panel's three sets for what is watched (asked) and what came back (ready):
// read = asked for POLLIN, write = POLLOUT, exception = POLLPRI alone (urgent data).
void panelSets(const std::vector<Watched> &watched, QString (&ids)[3]) {
    QStringList l[3];
    for (const Watched &w : watched) {
        if (!w.sock)
            continue;
        const QString id = QString::number(w.sock->id);
        if (w.events & POLLIN)
            l[0] << id;
        if (w.events & POLLOUT)
            l[1] << id;
        if ((w.events & POLLPRI) && !(w.events & POLLIN))
            l[2] << id;
    }
    for (int k = 0; k < 3; ++k)
        ids[k] = l[k].join(QLatin1Char(','));
}

void panelReady(const std::vector<Watched> &watched,
                const std::vector<std::pair<int, std::uint32_t>> &ready, QString (&ids)[3]) {
    QStringList l[3];
    for (const auto &[fd, rev] : ready) {
        for (const Watched &w : watched) {
            if (w.fd != fd || !w.sock)
                continue;
            const QString id = QString::number(w.sock->id);
            if ((w.events & POLLIN) && (rev & ReadBits))
                l[0] << id;
            if ((w.events & POLLOUT) && (rev & WriteBits))
                l[1] << id;
            if ((w.events & POLLPRI) && !(w.events & POLLIN) && (rev & POLLPRI))
                l[2] << id;
        }
    }
    for (int k = 0; k < 3; ++k)
        ids[k] = l[k].join(QLatin1Char(','));
}

Value readyList(const std::vector<std::pair<int, std::uint32_t>> &ready) {
    ValueList out;
    for (const auto &[fd, ev] : ready)
        out.push_back(Value::tuple({Value::integer(fd), Value::integer(ev)}));
    return Value::list(std::move(out));
}

std::int64_t intOr(const ValueList &args, std::size_t k, std::int64_t dflt) {
    return k < args.size() && !args[k].isNone() ? args[k].i : dflt;
}

} // namespace

trace::Event Interpreter::recordSelectIn(const QString (&ids)[3], int nfds,
                                         std::int64_t timeoutNs) {
    trace::Event in;
    in.tNs = m_ctx.trace.now();
    in.kind = trace::EventKind::SelectIn;
    in.actor = std::uint8_t(m_actor);
    in.line = decltype(in.line)(m_line);
    for (int k = 0; k < 3; ++k)
        in.select.sets[k] = m_ctx.trace.intern(ids[k]);
    in.select.nfds = nfds;
    in.select.timeoutNs = timeoutNs;
    m_ctx.trace.append(in);
    return in;
}

void Interpreter::recordSelectOut(const trace::Event &in, const QString (&ids)[3]) {
    trace::Event res = in;
    res.tNs = m_ctx.trace.now();
    res.kind = trace::EventKind::SelectOut;
    for (int k = 0; k < 3; ++k)
        res.select.sets[k] = m_ctx.trace.intern(ids[k]);
    m_ctx.trace.append(res);
}

int Interpreter::watchFd(const Value &v, std::shared_ptr<LabSocket> *sock) {
    int fd = -1;
    if (v.type == Value::Type::Socket && v.sock) {
        fd = v.sock->fd.load();
        *sock = v.sock;
    } else if (v.type == Value::Type::Int) {
        fd = int(v.i);
        for (const auto &s : m_ctx.sockets.all())
            if (s->fd.load() == fd && fd >= 0)
                *sock = s;
    } else if (v.type == Value::Type::Bound && v.boundObj &&
               v.boundObj->kind == BoundObject::Kind::File) {
        *sock = static_cast<FileObject &>(*v.boundObj).sock;
        fd = *sock ? (*sock)->fd.load() : -1;
    } else {
        raise("TypeError", QStringLiteral("argument must be an int, or have a fileno() method."),
              true);
    }
    if (fd < 0)
        raise("ValueError",
              QStringLiteral("file descriptor cannot be a negative integer (%1)").arg(fd), true);
    return fd;
}

Value Interpreter::doPollNew(const Expr &, const ValueList &) {
    // select.poll() makes no system call: the set is the object's until poll().
    return Value::bound(std::make_shared<PollObject>());
}

Value Interpreter::doEpollNew(const Expr &e, const ValueList &args) {
    if (e.call->id == CallId::EpollNew) {
        const std::int64_t hint = intOr(args, 0, -1);
        if (hint != -1 && hint <= 0)
            raise("ValueError", QStringLiteral("negative sizehint"), true);
    }
    CallMark m = begin(e.call->id, &e, nullptr, -1);
    const sys::SysResult r = sys::epollCreate();
    end(m, r.ret, r.err, -1);
    if (!r.ok())
        raiseErrno(r.err, nullptr);
    const auto kind =
        e.call->id == CallId::EpollNew ? BoundObject::Kind::Epoll : BoundObject::Kind::Selector;
    return Value::bound(std::make_shared<EpollObject>(kind, int(r.ret)));
}

Value Interpreter::pollMethod(const Expr &e, PollObject &p, const ValueList &args) {
    std::unique_lock lock(p.mutex);
    auto find = [&](int fd) {
        return std::find_if(p.watched.begin(), p.watched.end(),
                            [&](const Watched &w) { return w.fd == fd; });
    };
    switch (e.call->id) {
    case CallId::Register:
    case CallId::Modify: {
        std::shared_ptr<LabSocket> s;
        const int fd = watchFd(args.at(0), &s);
        const std::uint32_t mask = std::uint32_t(intOr(args, 1, POLLIN | POLLPRI | POLLOUT));
        auto it = find(fd);
        if (e.call->id == CallId::Modify && it == p.watched.end()) {
            lock.unlock();
            raiseErrno(ENOENT, nullptr); // CPython: FileNotFoundError, [Errno 2]
        }
        if (it == p.watched.end())
            p.watched.push_back({fd, mask, s, {}, {}});
        else
            it->events = mask; // a dict update: the place in the set stays
        return Value::none();
    }
    case CallId::Unregister: {
        std::shared_ptr<LabSocket> s;
        const int fd = watchFd(args.at(0), &s);
        auto it = find(fd);
        if (it == p.watched.end())
            raise("KeyError", QString::number(fd), true);
        p.watched.erase(it);
        return Value::none();
    }
    case CallId::PollWait: {
        if (m_actor < 0)
            break;
        // Milliseconds; None or negative: wait for ever. A float is rounded up.
        int timeoutMs = -1;
        if (!args.empty() && !args[0].isNone()) {
            const double t = args[0].toDouble();
            timeoutMs = t < 0 ? -1 : int(std::min(std::ceil(t), 2147483647.0));
        }
        std::vector<Watched> watched = p.watched;
        lock.unlock();
        std::vector<pollfd> fds;
        for (const Watched &w : watched)
            fds.push_back({w.fd, short(w.events), 0});
        QString ids[3];
        panelSets(watched, ids);
        const trace::Event in = recordSelectIn(
            ids, int(fds.size()), timeoutMs < 0 ? -1 : std::int64_t(timeoutMs) * 1000000);
        CallMark m = begin(CallId::PollWait, &e, nullptr, -1);
        sys::SysResult r;
        if (fds.empty()) {
            // Nothing to watch: a sleep that reset() can cut short (select() does so).
            std::unique_lock sl(m_ctx.sleepMutex);
            const auto stop = [&] { return m_ctx.stopping.load(); };
            if (timeoutMs < 0)
                m_ctx.sleepWake.wait(sl, stop);
            else
                m_ctx.sleepWake.wait_for(sl, std::chrono::milliseconds(timeoutMs), stop);
            r = sys::SysResult::success(0);
        } else {
            r = sys::poll(fds.data(), fds.size(), timeoutMs);
        }
        end(m, r.ret, r.err, -1);
        if (!r.ok())
            raiseErrno(r.err, nullptr);
        std::vector<std::pair<int, std::uint32_t>> ready;
        for (const pollfd &f : fds)
            if (f.revents)
                ready.emplace_back(f.fd, std::uint16_t(f.revents));
        panelReady(watched, ready, ids);
        recordSelectOut(in, ids);
        return readyList(ready);
    }
    default:
        raise("AttributeError",
              QStringLiteral("'select.poll' object has no attribute '%1'").arg(e.name), true);
    }
    raise("LabError",
          QStringLiteral("%1() makes a system call: only an actor can do that").arg(e.name), true);
}

Value Interpreter::epollWait(const Expr &e, EpollObject &p, CallId id, int timeoutMs, int maxEvents,
                             std::vector<std::pair<int, std::uint32_t>> *out) {
    std::unique_lock lock(p.mutex);
    const int epfd = p.fd;
    const std::vector<Watched> watched = p.watched;
    lock.unlock();
    QString ids[3];
    panelSets(watched, ids);
    const trace::Event in =
        recordSelectIn(ids, maxEvents, timeoutMs < 0 ? -1 : std::int64_t(timeoutMs) * 1000000);
    std::vector<epoll_event> evs(std::size_t(std::max(1, maxEvents)));
    CallMark m = begin(id, &e, nullptr, -1);
    sys::SysResult r;
    if (watched.empty() && timeoutMs != 0) {
        // Nothing registered: no descriptor reset() could shut down to wake the wait,
        // so wait where reset() can cut it short (as select([], [], [], t) does).
        std::unique_lock sl(m_ctx.sleepMutex);
        const auto stop = [&] { return m_ctx.stopping.load(); };
        if (timeoutMs < 0)
            m_ctx.sleepWake.wait(sl, stop);
        else
            m_ctx.sleepWake.wait_for(sl, std::chrono::milliseconds(timeoutMs), stop);
        r = sys::SysResult::success(0);
    } else {
        r = sys::epollWait(epfd, evs.data(), int(evs.size()), timeoutMs);
    }
    end(m, r.ret, r.err, -1);
    if (!r.ok()) {
        if (id == CallId::SelectorSelect && r.err == EINTR)
            return Value::none(); // EpollSelector.select() returns [] on EINTR
        raiseErrno(r.err, nullptr);
    }
    for (int k = 0; k < int(r.ret); ++k)
        out->emplace_back(int(evs[std::size_t(k)].data.fd),
                          std::uint32_t(evs[std::size_t(k)].events)); // packed: copies
    panelReady(watched, *out, ids);
    recordSelectOut(in, ids);
    return Value::none();
}

Value Interpreter::epollMethod(const Expr &e, EpollObject &p, const ValueList &args) {
    const CallId id = e.call->id;
    if (id == CallId::Fileno) {
        std::lock_guard lock(p.mutex);
        if (p.fd < 0)
            raise("ValueError", QStringLiteral("I/O operation on closed epoll object"), true);
        return Value::integer(p.fd);
    }
    if (m_actor < 0)
        raise(
            "LabError",
            QStringLiteral("epoll.%1() makes a system call: only an actor can do that").arg(e.name),
            true);
    std::unique_lock lock(p.mutex);
    if (id == CallId::Close) {
        if (p.fd < 0)
            return Value::none();
        CallMark m = begin(CallId::Close, &e, nullptr, -1);
        const sys::SysResult r = sys::close(p.fd);
        p.fd = -1;
        p.watched.clear();
        end(m, r.ret, r.err, -1);
        return Value::none();
    }
    if (p.fd < 0)
        raise("ValueError", QStringLiteral("I/O operation on closed epoll object"), true);
    switch (id) {
    case CallId::Register:
    case CallId::Modify:
    case CallId::Unregister: {
        std::shared_ptr<LabSocket> s;
        const int fd = watchFd(args.at(0), &s);
        const std::uint32_t mask = std::uint32_t(
            intOr(args, 1, id == CallId::Register ? EPOLLIN | EPOLLPRI | EPOLLOUT : 0));
        const int op = id == CallId::Register ? EPOLL_CTL_ADD
                       : id == CallId::Modify ? EPOLL_CTL_MOD
                                              : EPOLL_CTL_DEL;
        CallMark m = begin(id, &e, s.get(), -1);
        const sys::SysResult r = sys::epollCtl(p.fd, op, fd, mask);
        end(m, r.ret, r.err, -1);
        if (!r.ok()) {
            lock.unlock();
            raiseErrno(r.err, s.get());
        }
        if (id == CallId::Register)
            p.watched.push_back({fd, mask, s, {}, {}});
        else if (Watched *w = p.find(fd); w && id == CallId::Modify)
            w->events = mask;
        else if (id == CallId::Unregister)
            std::erase_if(p.watched, [&](const Watched &x) { return x.fd == fd; });
        return Value::none();
    }
    case CallId::PollWait: {
        // Seconds (a float); None or negative: for ever; rounded up to milliseconds.
        int timeoutMs = -1;
        if (!args.empty() && !args[0].isNone()) {
            const double t = args[0].toDouble();
            timeoutMs = t < 0 ? -1 : int(std::min(std::ceil(t * 1000), 2147483647.0));
        }
        std::int64_t maxEvents = intOr(args, 1, -1);
        if (maxEvents == -1)
            maxEvents = FD_SETSIZE - 1;
        else if (maxEvents < 1)
            raise("ValueError",
                  QStringLiteral("maxevents must be greater than 0, got %1").arg(maxEvents), true);
        lock.unlock();
        std::vector<std::pair<int, std::uint32_t>> ready;
        epollWait(e, p, CallId::EpollWait, timeoutMs, int(maxEvents), &ready);
        return readyList(ready);
    }
    default:
        break;
    }
    raise("AttributeError",
          QStringLiteral("'select.epoll' object has no attribute '%1'").arg(e.name), true);
}

} // namespace sl::engine
