// The Wire's relay thread: a poll() loop over its listener, the two sockets of each
// connection and an eventfd, every socket call recorded under the wire's own actor.
#include "engine/wire.h"
#include "engine/recorder.h"

#include "engine/context.h"
#include "engine/sockettable.h"
#include "script/catalog.h"
#include "sys/errors.h"

#include <QStringBuilder>
#include <cmath>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

using sl::script::CallId;

namespace sl::engine {

namespace {
QString addrText(const sys::SockAddr &a) {
    return QStringLiteral("('%1', %2)").arg(a.host()).arg(a.port());
}
} // namespace

Wire::Wire(LabContext &ctx, int actor, const QString &name, const WireOptions &o)
    : m_ctx(ctx)
    , m_actor(actor)
    , m_name(name)
    , m_opt(o) {}

Wire::~Wire() {
    stop();
}

// ---------------------------------------------------------------- recording

Wire::Mark Wire::begin(int call, const LabSocket *s, std::int64_t asked, const QString &args) {
    return begin(call, s, asked, args.isEmpty() ? 0 : m_ctx.trace.intern(args), 0);
}

Wire::Mark Wire::begin(int call, const LabSocket *s, std::int64_t asked, trace::StrRef args,
                       int line) {
    Mark m;
    m.line = line;
    m.call = std::uint16_t(call);
    m.sock = s ? s->id : -1;
    m.asked = asked;
    if (s && s->nonBlocking.load(std::memory_order_relaxed))
        m.flags |= trace::CallNonBlocking;
    m.t0 = record::callBegin(m_ctx.trace, m_actor, line, m.call, m.sock, args, asked, m.flags).t0;
    return m;
}

void Wire::end(const Mark &m, std::int64_t ret, int err, std::int64_t moved, const char *payload,
               std::size_t payloadLen) {
    record::Call c;
    c.t0 = m.t0;
    c.asked = m.asked;
    c.sock = m.sock;
    c.call = m.call;
    c.line = std::uint16_t(m.line);
    c.actor = record::actorByte(m_actor);
    c.flags = m.flags;
    record::callEnd(m_ctx.trace, c, ret, err, moved, m_ctx.stopping.load(std::memory_order_relaxed),
                    payload, payloadLen);
}

// ---------------------------------------------------------------- setup

bool Wire::start(int *err) {
    m_wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_wakeFd < 0) {
        *err = errno;
        return false;
    }
    Mark m = begin(int(CallId::Socket), nullptr, -1, QStringLiteral("AF_INET, SOCK_STREAM"));
    sys::SysResult r = sys::socket(AF_INET, SOCK_STREAM);
    if (!r.ok()) {
        end(m, r.ret, r.err, -1);
        *err = r.err;
        return false;
    }
    m_listener = m_ctx.sockets.add(m_actor, int(r.ret), AF_INET, SOCK_STREAM,
                                   m_name + QStringLiteral(".listener"));
    m.sock = m_listener->id;
    end(m, r.ret, 0, -1);
    {
        std::lock_guard lock(m_mutex);
        m_sockIds.push_back(m_listener->id);
    }
    const int fd = m_listener->fd.load();
    const auto any = sys::SockAddr::resolve(AF_INET, QStringLiteral("127.0.0.1"), 0);
    m = begin(int(CallId::Bind), m_listener.get(), -1, QStringLiteral("('127.0.0.1', 0)"));
    r = sys::bind(fd, *any);
    end(m, r.ret, r.err, -1);
    if (r.ok()) {
        m = begin(int(CallId::Listen), m_listener.get(), -1, QStringLiteral("128"));
        r = sys::listen(fd, 128);
        end(m, r.ret, r.err, -1);
    }
    if (r.ok()) {
        m = begin(int(CallId::Getsockname), m_listener.get(), -1, QString());
        r = sys::getsockname(fd, &m_address);
        end(m, r.ret, r.err, -1);
    }
    if (r.ok()) {
        setNonBlocking(*m_listener);
        m_ctx.sockets.probeAll(); // its address, now
    }
    if (!r.ok()) {
        *err = r.err;
        closeSock(*m_listener);
        return false;
    }
    {
        std::lock_guard lock(m_mutex);
        m_running = true;
    }
    m_thread = std::thread([this] { loop(); });
    return true;
}

void Wire::setNonBlocking(LabSocket &s) {
    Mark m = begin(int(CallId::Setblocking), &s, -1, QStringLiteral("False"));
    const sys::SysResult r = sys::setNonBlocking(s.fd.load(), true);
    end(m, r.ret, r.err, -1);
    if (r.ok()) {
        s.nonBlocking.store(true);
        s.timeout.store(0);
    }
}

void Wire::closeSock(LabSocket &s) {
    if (s.fd.load() < 0)
        return;
    Mark m = begin(int(CallId::Close), &s, -1, QString());
    const int err = m_ctx.sockets.close(s);
    end(m, err ? -1 : 0, err, -1);
    std::lock_guard lock(m_mutex);
    m_sockIds.erase(std::remove(m_sockIds.begin(), m_sockIds.end(), s.id), m_sockIds.end());
}

void Wire::lingerZero(LabSocket &s) {
    if (s.fd.load() < 0)
        return;
    linger l{};
    l.l_onoff = 1;
    l.l_linger = 0;
    Mark m =
        begin(int(CallId::Setsockopt), &s, -1, QStringLiteral("SOL_SOCKET, SO_LINGER, (1, 0)"));
    const sys::SysResult r = sys::setsockoptRaw(s.fd.load(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
    end(m, r.ret, r.err, -1);
}

// ---------------------------------------------------------------- controls

void Wire::control(WireCommand c, bool record, int call, int line, trace::StrRef args) {
    std::unique_lock lock(m_mutex);
    if (!m_running) {
        // No thread (closed): the flags still answer isCut().
        if (c == WireCommand::Cut)
            m_cut.store(true);
        else if (c == WireCommand::Resume)
            m_cut.store(false);
        return;
    }
    m_commands.push_back({c, record, call, line, args});
    const std::uint64_t ticket = ++m_asked;
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t w = ::write(m_wakeFd, &one, sizeof one);
    // The thread only ever waits in poll(), so it answers at once; the bound is for
    // a lab being reset under us.
    m_acted.wait_for(lock, std::chrono::seconds(5), [&] { return m_done >= ticket || !m_running; });
    lock.unlock();
    if (c == WireCommand::Close && m_thread.joinable() &&
        m_thread.get_id() != std::this_thread::get_id())
        m_thread.join();
}

void Wire::stop() {
    m_quit.store(true);
    if (m_wakeFd >= 0) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t w = ::write(m_wakeFd, &one, sizeof one);
    }
    if (m_thread.joinable() && m_thread.get_id() != std::this_thread::get_id())
        m_thread.join();
    {
        std::lock_guard lock(m_mutex);
        m_running = false;
    }
    m_acted.notify_all();
    if (m_wakeFd >= 0) {
        ::close(m_wakeFd);
        m_wakeFd = -1;
    }
}

std::int64_t Wire::held() const {
    std::int64_t h = m_pendingBytes.load();
    std::vector<int> ids;
    {
        std::lock_guard lock(m_mutex);
        ids = m_sockIds;
    }
    for (int id : ids) {
        if (m_listener && id == m_listener->id)
            continue;
        const auto s = m_ctx.sockets.byId(id);
        if (!s || s->fd.load() < 0) // closed a moment ago: its last sample is stale
            continue;
        const sys::SocketSample x = m_ctx.sockets.lastSample(id, true);
        if (x.ok && x.recvQ > 0)
            h += x.recvQ;
    }
    return h;
}

void Wire::runCommand(const Command &c) {
    Mark m;
    if (c.record)
        m = begin(c.call, nullptr, -1, c.args, c.line);
    switch (c.what) {
    case WireCommand::Cut:
        m_cut.store(true);
        break;
    case WireCommand::Resume:
        m_cut.store(false);
        break;
    case WireCommand::Reset:
        for (Conn &k : m_conns)
            abort(k);
        m_conns.clear();
        break;
    case WireCommand::Close:
        for (Conn &k : m_conns)
            closeConn(k);
        m_conns.clear();
        if (m_listener)
            closeSock(*m_listener);
        m_quit.store(true);
        break;
    }
    if (c.record)
        end(m, 0, 0, -1);
}

// ---------------------------------------------------------------- connections

void Wire::abort(Conn &c) {
    // SO_LINGER {1, 0} + close(): the kernel discards the queues and sends RST.
    m_pendingBytes.fetch_sub(c.ab.pending.size() + c.ba.pending.size());
    c.ab.pending.clear();
    c.ba.pending.clear();
    for (LabSocket *s : {c.a.get(), c.b.get()}) {
        if (s && s->fd.load() >= 0) {
            lingerZero(*s);
            closeSock(*s);
        }
    }
}

void Wire::closeConn(Conn &c) {
    m_pendingBytes.fetch_sub(c.ab.pending.size() + c.ba.pending.size());
    c.ab.pending.clear();
    c.ba.pending.clear();
    for (LabSocket *s : {c.a.get(), c.b.get()})
        if (s)
            closeSock(*s);
}

void Wire::acceptOne() {
    sys::SockAddr peer;
    Mark m = begin(int(CallId::Accept), m_listener.get(), -1, QString());
    sys::SysResult r = sys::accept(m_listener->fd.load(), &peer);
    if (!r.ok()) {
        end(m, r.ret, r.err, -1);
        return;
    }
    Conn c;
    c.number = ++m_connCount;
    c.a = m_ctx.sockets.add(m_actor, int(r.ret), AF_INET, SOCK_STREAM,
                            m_name % QStringLiteral(".c") % QString::number(c.number));
    end(m, r.ret, 0, -1);
    {
        std::lock_guard lock(m_mutex);
        m_sockIds.push_back(c.a->id);
    }
    setNonBlocking(*c.a);
    m = begin(int(CallId::Socket), nullptr, -1, QStringLiteral("AF_INET, SOCK_STREAM"));
    r = sys::socket(AF_INET, SOCK_STREAM);
    if (!r.ok()) {
        end(m, r.ret, r.err, -1);
        abort(c);
        return;
    }
    c.b = m_ctx.sockets.add(m_actor, int(r.ret), AF_INET, SOCK_STREAM,
                            m_name % QStringLiteral(".t") % QString::number(c.number));
    m.sock = c.b->id;
    end(m, r.ret, 0, -1);
    {
        std::lock_guard lock(m_mutex);
        m_sockIds.push_back(c.b->id);
    }
    setNonBlocking(*c.b);
    m = begin(int(CallId::Connect), c.b.get(), -1, addrText(m_opt.target));
    r = sys::connect(c.b->fd.load(), m_opt.target);
    end(m, r.ret, r.err, -1);
    m_ctx.sockets.probeAll(); // addresses changed: record them now
    if (r.ok()) {
        c.connecting = false;
    } else if (r.err == EINPROGRESS || r.err == EINTR) {
        c.connecting = true;
    } else {
        abort(c); // the target refused: the client gets an RST
        return;
    }
    m_conns.push_back(std::move(c));
}

void Wire::finishConnect(Conn &c) {
    int soErr = 0;
    Mark m = begin(int(CallId::Getsockopt), c.b.get(), -1, QStringLiteral("SOL_SOCKET, SO_ERROR"));
    const sys::SysResult r = sys::getsockoptError(c.b->fd.load(), &soErr);
    end(m, r.ok() ? soErr : r.ret, r.err, -1);
    if (!r.ok() || soErr != 0) {
        abort(c);
        c.a.reset();
        c.b.reset();
        return;
    }
    c.connecting = false;
    m_ctx.sockets.probeAll();
}

bool Wire::trySend(Conn &c, Direction &d, LabSocket &dst) {
    const std::int64_t len = d.pending.size();
    Mark m = begin(int(CallId::Send), &dst, len, QString::number(len));
    const sys::SysResult r = sys::send(dst.fd.load(), d.pending.constData(), std::size_t(len));
    const std::int64_t moved = r.ok() ? r.ret : -1;
    end(m, r.ret, r.err, moved, d.pending.constData(), moved > 0 ? std::size_t(moved) : 0);
    if (!r.ok()) {
        if (r.err == EAGAIN || r.err == EINTR)
            return true; // wait for POLLOUT
        abort(c);        // the peer is gone: pass the failure on as an RST
        return false;
    }
    d.pending.remove(0, qsizetype(r.ret));
    m_pendingBytes.fetch_sub(r.ret);
    m_forwarded.fetch_add(r.ret);
    if (d.pending.isEmpty()) {
        double pause = m_opt.delay;
        if (m_opt.rate > 0)
            pause += double(len) / m_opt.rate;
        d.nextNs = m_ctx.trace.now() + std::int64_t(pause * 1e9);
    }
    return true;
}

bool Wire::step(Conn &c, Direction &d, LabSocket &src, LabSocket &dst, short srcEv, short dstEv) {
    if (!d.pending.isEmpty())
        return dstEv ? trySend(c, d, dst) : true;
    if (!(srcEv & (POLLIN | POLLHUP | POLLERR)))
        return true;
    const std::int64_t n = m_opt.chunk;
    QByteArray buf(qsizetype(n), Qt::Uninitialized);
    Mark m = begin(int(CallId::Recv), &src, n, QString::number(n));
    const sys::SysResult r = sys::recv(src.fd.load(), buf.data(), std::size_t(n));
    const std::int64_t moved = r.ok() ? r.ret : -1;
    end(m, r.ret, r.err, moved, buf.constData(), moved > 0 ? std::size_t(moved) : 0);
    if (!r.ok()) {
        if (r.err == EAGAIN || r.err == EINTR)
            return true;
        abort(c); // ECONNRESET from one peer: the other gets an RST too
        return false;
    }
    if (r.ret == 0) {
        // The peer sent FIN: pass it on, and close once both directions are done.
        d.eof = true;
        Mark s = begin(int(CallId::Shutdown), &dst, -1, QStringLiteral("SHUT_WR"));
        const sys::SysResult sr = sys::shutdown(dst.fd.load(), SHUT_WR);
        end(s, sr.ret, sr.err, -1);
        if (c.ab.eof && c.ba.eof) {
            closeConn(c);
            return false;
        }
        return true;
    }
    buf.truncate(qsizetype(r.ret));
    d.pending = buf;
    m_pendingBytes.fetch_add(r.ret);
    return trySend(c, d, dst);
}

// ---------------------------------------------------------------- the thread

void Wire::loop() {
    struct Slot {
        int conn; // -1: wake fd or listener
        bool isA;
    };
    std::vector<pollfd> fds;
    std::vector<Slot> owners;
    while (!m_quit.load() && !m_ctx.stopping.load()) {
        std::vector<Command> cmds;
        {
            std::lock_guard lock(m_mutex);
            cmds.swap(m_commands);
        }
        for (const Command &c : cmds)
            runCommand(c);
        if (!cmds.empty()) {
            {
                std::lock_guard lock(m_mutex);
                m_done += cmds.size();
            }
            m_acted.notify_all();
        }
        if (m_quit.load() || m_ctx.stopping.load())
            break;

        fds.clear();
        owners.clear();
        fds.push_back({m_wakeFd, POLLIN, 0});
        owners.push_back({-1, false});
        if (m_listener && m_listener->fd.load() >= 0) {
            fds.push_back({m_listener->fd.load(), POLLIN, 0});
            owners.push_back({-1, true});
        }
        const std::int64_t now = m_ctx.trace.now();
        std::int64_t waitNs = -1;
        auto plan = [&](const Direction &d, short &srcEv, short &dstEv) {
            if (!d.pending.isEmpty())
                dstEv |= POLLOUT;
            else if (d.eof)
                return;
            else if (now < d.nextNs)
                waitNs = waitNs < 0 ? d.nextNs - now : std::min(waitNs, d.nextNs - now);
            else
                srcEv |= POLLIN;
        };
        for (std::size_t k = 0; k < m_conns.size(); ++k) {
            const Conn &c = m_conns[k];
            short ea = 0, eb = 0;
            if (c.connecting)
                eb = POLLOUT;
            else if (!m_cut.load()) {
                plan(c.ab, ea, eb);
                plan(c.ba, eb, ea);
            }
            // A socket with nothing asked of it is left out (fd -1): a hung-up peer
            // must not wake the loop while its direction is paused or cut.
            fds.push_back({ea ? c.a->fd.load() : -1, ea, 0});
            owners.push_back({int(k), true});
            fds.push_back({eb ? c.b->fd.load() : -1, eb, 0});
            owners.push_back({int(k), false});
        }
        const int timeoutMs = waitNs < 0 ? -1 : int((waitNs + 999999) / 1000000);
        const int rc = ::poll(fds.data(), nfds_t(fds.size()), timeoutMs);
        if (rc < 0 && errno != EINTR)
            break;
        if (m_quit.load() || m_ctx.stopping.load())
            break;
        if (rc <= 0)
            continue;
        if (fds[0].revents) {
            std::uint64_t v;
            [[maybe_unused]] const ssize_t got = ::read(m_wakeFd, &v, sizeof v);
        }
        bool accept = false;
        std::vector<short> ra(m_conns.size(), 0), rb(m_conns.size(), 0);
        for (std::size_t j = 1; j < fds.size(); ++j) {
            if (!fds[j].revents)
                continue;
            if (owners[j].conn < 0)
                accept = true;
            else if (owners[j].isA)
                ra[std::size_t(owners[j].conn)] = fds[j].revents;
            else
                rb[std::size_t(owners[j].conn)] = fds[j].revents;
        }
        std::vector<char> dead(m_conns.size(), 0);
        for (std::size_t k = 0; k < m_conns.size(); ++k) {
            Conn &c = m_conns[k];
            if (!ra[k] && !rb[k])
                continue;
            if (c.connecting) {
                finishConnect(c);
                dead[k] = !c.a;
                continue;
            }
            if (!step(c, c.ab, *c.a, *c.b, ra[k], rb[k])) {
                dead[k] = 1;
                continue;
            }
            if (!step(c, c.ba, *c.b, *c.a, rb[k], ra[k]))
                dead[k] = 1;
        }
        for (std::size_t k = m_conns.size(); k-- > 0;)
            if (dead[k])
                m_conns.erase(m_conns.begin() + std::ptrdiff_t(k));
        if (accept)
            acceptOne();
    }
    std::lock_guard lock(m_mutex);
    m_running = false;
    m_acted.notify_all();
}

// ---------------------------------------------------------------- the set

WireSet::~WireSet() {
    stopAll();
}

int WireSet::create(LabContext &ctx, int actor, const QString &name, const WireOptions &o,
                    int *err) {
    std::shared_ptr<Wire> w;
    int index;
    {
        std::lock_guard lock(m_mutex);
        for (const auto &other : m_wires) {
            if (other->actor() == actor) {
                *err = EBUSY; // its thread records in that lane: one relay per lane
                return -1;
            }
        }
        index = int(m_wires.size());
        w = std::make_shared<Wire>(ctx, actor, name, o);
        m_wires.push_back(w);
    }
    if (!w->start(err))
        return -1;
    return index;
}

std::shared_ptr<Wire> WireSet::get(std::int64_t index) const {
    std::lock_guard lock(m_mutex);
    if (index < 0 || index >= std::int64_t(m_wires.size()))
        return {};
    return m_wires[std::size_t(index)];
}

void WireSet::stopAll() {
    std::vector<std::shared_ptr<Wire>> old;
    {
        std::lock_guard lock(m_mutex);
        old.swap(m_wires);
    }
    for (auto &w : old)
        w->stop();
}

} // namespace sl::engine
