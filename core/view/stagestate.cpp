#include "view/stagestate.h"

#include "script/catalog.h"
#include "sys/kernelprobe.h"

#include <QCoreApplication>
#include <QLocale>

namespace sl::ui {

using trace::ActorState;
using trace::EventKind;

QString shownText(const QString &text, int max) {
    return text.size() <= max ? text : text.left(max - 1) + u'…';
}

const SocketSnap *StageState::socket(int id) const {
    const auto it = m_index.find(id);
    return it == m_index.end() ? nullptr : &sockets[it->second];
}

SocketSnap *StageState::socket(int id) {
    return const_cast<SocketSnap *>(static_cast<const StageState *>(this)->socket(id));
}

const RelaySnap *StageState::relay(int actor) const {
    const auto it = relays.find(actor);
    return it == relays.end() ? nullptr : &it->second;
}

std::int64_t StageState::relayHeld(int actor) const {
    const RelaySnap *r = relay(actor);
    if (!r)
        return -1;
    std::int64_t held = 0;
    for (const auto &[sock, n] : r->pending)
        held += n;
    for (const SocketSnap &s : sockets)
        if (s.actor == actor && !s.closed && !s.kernelOnly && s.hasSample && s.sample.recvQ > 0)
            held += s.sample.recvQ;
    return held;
}

// The relay a Wire control acts on: the caller's own (the wire's thread records the
// controls of its actor), else the lab's only relay (another actor's control does not
// say which wire; with several, none is guessed).
RelaySnap *StageState::relayFor(int actor) {
    if (const auto it = relays.find(actor); it != relays.end())
        return &it->second;
    return relays.size() == 1 ? &relays.begin()->second : nullptr;
}

// The wire forwards with recv(chunk) on one socket and then send() of what it read on
// the other; its thread makes no other call in between, so the first send after a recv
// pairs the two sockets of a direction.
void StageState::applyRelay(const trace::Event &e) {
    using script::CallId;
    if (e.kind == EventKind::SocketClose) {
        for (auto &[actor, r] : relays) // closing a connection drops what it had in hand
            r.pending.erase(e.sock);
        return;
    }
    if (e.actor == trace::NoActor)
        return;
    const auto id = CallId(e.call.call);
    const auto own = relays.find(e.actor);
    if (e.kind == EventKind::CallBegin) {
        if (own != relays.end()) {
            RelaySnap &r = own->second;
            if (id == CallId::Send && r.lastRead >= 0 && e.sock >= 0)
                r.from[e.sock] = r.lastRead;
            r.lastRead = -1;
        }
        return;
    }
    if (e.kind != EventKind::CallEnd)
        return;
    switch (id) {
    case CallId::Wire:
        if (e.call.err == 0)
            relays.try_emplace(e.actor);
        return;
    case CallId::WireCut:
    case CallId::WireResume:
        if (RelaySnap *r = relayFor(e.actor); r && e.call.err == 0)
            r->cut = id == CallId::WireCut;
        return;
    case CallId::Close:
        if (e.sock < 0) // close() of a wire (a socket's close names the socket)
            if (RelaySnap *r = relayFor(e.actor); r && e.call.err == 0)
                r->closed = true;
        return;
    case CallId::Recv:
        if (own != relays.end() && e.sock >= 0 && e.call.moved > 0) {
            own->second.pending[e.sock] += e.call.moved;
            own->second.lastRead = e.sock;
        }
        return;
    case CallId::Send:
        if (own != relays.end() && e.sock >= 0 && e.call.moved > 0) {
            RelaySnap &r = own->second;
            const auto f = r.from.find(e.sock);
            if (f == r.from.end())
                return;
            const auto p = r.pending.find(f->second);
            if (p != r.pending.end() && (p->second -= e.call.moved) <= 0)
                r.pending.erase(p);
        }
        return;
    default:
        return;
    }
}

const SocketSnap *StageState::socketNamed(const QString &name) const {
    for (const SocketSnap &s : sockets)
        if (s.name == name)
            return &s;
    return nullptr;
}

// A SocketNew without an actor (traces saved before SocketNew named its actor): the
// socket belongs to the actor whose socket(), accept(), socketpair() or pipe() call is
// open (the most recent one) — a guess when two actors are in such calls at once.
int StageState::creatingActor() const {
    int best = -1;
    std::int64_t bestNs = -1;
    for (std::size_t i = 0; i < actors.size(); ++i) {
        for (const auto &[call, ns] : actors[i].open) {
            switch (script::CallId(call)) {
            case script::CallId::Socket:
            case script::CallId::Accept:
            case script::CallId::Socketpair:
            case script::CallId::Pipe:
                if (ns >= bestNs) {
                    best = int(i);
                    bestNs = ns;
                }
                break;
            default:
                break;
            }
        }
    }
    return best;
}

void StageState::apply(const trace::Trace &trace, const trace::Event &e) {
    ++cursor;
    lastNs = std::max(lastNs, e.tNs);
    if (e.kind == EventKind::CallBegin || e.kind == EventKind::CallEnd ||
        e.kind == EventKind::SocketClose)
        applyRelay(e);
    ActorSnap *a = nullptr;
    if (e.actor != trace::NoActor) {
        if (actors.size() <= e.actor)
            actors.resize(e.actor + 1);
        a = &actors[e.actor];
    }
    switch (e.kind) {
    case EventKind::ActorNew:
        if (a)
            a->name = shownText(trace.text(e.text.a));
        break;
    case EventKind::ActorStatus:
        if (!a)
            break;
        a->state = ActorState(e.status.status);
        a->blockedIn = a->state == ActorState::Blocked ? e.status.call : 0;
        if (a->state == ActorState::Blocked && !a->open.empty())
            a->sinceNs = a->open.back().second; // blocked since the call began
        else
            a->sinceNs = e.tNs;
        break;
    case EventKind::CallBegin:
        if (!a)
            break;
        if (a->open.empty()) {
            a->call = e.call.call;
            if (a->state != ActorState::Blocked)
                a->state = ActorState::Running;
            a->sinceNs = e.tNs;
        }
        a->open.emplace_back(e.call.call, e.tNs);
        break;
    case EventKind::CallEnd:
        if (!a)
            break;
        if (!a->open.empty())
            a->open.pop_back();
        if (SocketSnap *s = socket(e.sock); s && s->actor < 0 && !s->kernelOnly)
            s->actor = e.actor; // socket() returns the new socket's id in CallEnd
        if (a->open.empty()) {
            a->call = 0;
            a->blockedIn = 0;
            a->state = ActorState::Idle;
            a->sinceNs = e.tNs;
        }
        break;
    case EventKind::StepEnd:
        // The step is over: its actor is idle, even when the watcher of a call that was
        // blocked reported it running again just after that call returned.
        if (a && a->open.empty() && ActorState(e.status.status) == ActorState::Idle &&
            a->state != ActorState::Idle) {
            a->state = ActorState::Idle;
            a->call = 0;
            a->blockedIn = 0;
            a->sinceNs = e.tNs;
        }
        break;
    case EventKind::SocketNew: {
        SocketSnap s;
        s.id = e.sock;
        s.actor = e.actor == trace::NoActor ? creatingActor() : e.actor;
        s.name = shownText(trace.text(e.socket.name));
        s.fd = e.socket.fd;
        s.domain = e.socket.domain;
        s.type = e.socket.type;
        s.kernelOnly = e.socket.kernelOnly != 0;
        if (s.kernelOnly)
            s.actor = -1;
        if (SocketSnap *old = socket(e.sock))
            *old = s;
        else {
            m_index.emplace(s.id, sockets.size());
            sockets.push_back(s);
        }
        break;
    }
    case EventKind::SocketInfo:
        if (SocketSnap *s = socket(e.sock)) {
            s->local = shownText(trace.text(e.socket.local));
            s->peer = shownText(trace.text(e.socket.peer));
            s->peerSock = e.socket.peerSock;
            if (e.socket.kernelOnly) {
                s->kernelOnly = true;
                s->actor = -1;
            }
        }
        break;
    case EventKind::SocketClose:
        if (SocketSnap *s = socket(e.sock)) {
            if (!s->kernelOnly) {
                s->closed = true; // a lab socket stays, faded: the learner closed it
                break;
            }
            // A kernel-only socket the kernel no longer lists has gone (TIME_WAIT ended) or
            // was accepted — then it is a lab socket now, and its ghost would be a double.
            const auto it = m_index.find(e.sock);
            sockets.erase(sockets.begin() + std::ptrdiff_t(it->second));
            m_index.clear();
            for (std::size_t i = 0; i < sockets.size(); ++i)
                m_index.emplace(sockets[i].id, i);
        }
        break;
    case EventKind::Sample:
        if (SocketSnap *s = socket(e.sock)) {
            s->sample = e.sample;
            s->hasSample = true;
            if (e.sample.fd >= 0)
                s->fd = e.sample.fd;
        }
        break;
    default:
        break;
    }
}

void StageState::advance(const trace::Trace &trace, std::size_t end) {
    end = std::min(end, trace.size());
    while (cursor < end)
        apply(trace, trace.event(cursor));
}

StageState buildStageState(const trace::Trace &trace, std::size_t cursor) {
    StageState s;
    s.advance(trace, cursor);
    return s;
}

StagePairs stagePairs(const StageState &state) {
    StagePairs out;
    const std::size_t n = state.sockets.size();
    std::vector<std::size_t> parent(n);
    for (std::size_t i = 0; i < n; ++i)
        parent[i] = i;
    const auto find = [&](std::size_t i) {
        while (parent[i] != i)
            i = parent[i] = parent[parent[i]];
        return i;
    };
    // The lower index stays the root: a group's number follows its first card.
    const auto join = [&](std::size_t a, std::size_t b) {
        a = find(a);
        b = find(b);
        if (a != b)
            parent[std::max(a, b)] = std::min(a, b);
    };
    std::unordered_map<int, std::size_t> index;
    for (std::size_t i = 0; i < n; ++i)
        index.emplace(state.sockets[i].id, i);
    // The descriptor's card and its kernel continuation share both addresses; the most
    // recent lab socket with them is the one continued (a port reused later). A socket
    // still open whose connection the kernel moved on (TIME_WAIT after shutdown(): its
    // own state reads CLOSE and its peer address is gone) is continued too, by local
    // address. Listeners never: the connections in their accept queue are not theirs.
    std::map<std::pair<QString, QString>, std::size_t> doneByAddr;
    for (std::size_t i = 0; i < n; ++i) {
        const SocketSnap &s = state.sockets[i];
        if (s.kernelOnly || s.local.isEmpty() || (s.hasSample && s.sample.listener))
            continue;
        const bool moved = s.hasSample && sys::TcpState(s.sample.state) == sys::TcpState::Close;
        if (s.closed || moved)
            doneByAddr[{s.local, s.peer}] = i;
    }
    const auto inAcceptQueue = [](const SocketSnap &g) {
        if (!g.hasSample)
            return false;
        switch (sys::TcpState(g.sample.state)) {
        case sys::TcpState::Established:
        case sys::TcpState::SynRecv:
        case sys::TcpState::NewSynRecv:
            return true;
        default:
            return false;
        }
    };
    for (std::size_t i = 0; i < n; ++i) {
        const SocketSnap &s = state.sockets[i];
        if (s.peerSock >= 0)
            if (const auto it = index.find(s.peerSock); it != index.end())
                join(i, it->second);
        if (s.kernelOnly && !s.local.isEmpty() && !inAcceptQueue(s)) {
            auto it = doneByAddr.find({s.local, s.peer});
            if (it == doneByAddr.end())
                it = doneByAddr.find({s.local, QString()});
            if (it != doneByAddr.end()) {
                out.ghostOf.emplace(s.id, state.sockets[it->second].id);
                join(i, it->second);
            }
        }
    }
    std::vector<int> size(n, 0), numberOfRoot(n, 0);
    for (std::size_t i = 0; i < n; ++i)
        ++size[find(i)];
    int next = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t r = find(i);
        if (size[r] < 2)
            continue;
        if (!numberOfRoot[r])
            numberOfRoot[r] = ++next;
        out.number.emplace(state.sockets[i].id, numberOfRoot[r]);
    }
    return out;
}

QString actorStatusText(const ActorSnap &a, std::int64_t nowNs) {
    const auto call = [](std::uint16_t id) {
        return QString::fromLatin1(script::callName(script::CallId(id)));
    };
    const double secs = std::max<std::int64_t>(0, nowNs - a.sinceNs) / 1e9;
    switch (a.state) {
    case ActorState::Blocked:
        return QCoreApplication::translate("sl::ui::Stage", "blocked in %1() for %2 s")
            .arg(call(a.blockedIn ? a.blockedIn : a.call))
            .arg(secs, 0, 'f', 1);
    case ActorState::Running:
        if (a.call)
            return QCoreApplication::translate("sl::ui::Stage", "running %1()").arg(call(a.call));
        return QCoreApplication::translate("sl::ui::Stage", "running");
    case ActorState::Done:
        return QCoreApplication::translate("sl::ui::Stage", "done");
    case ActorState::Idle:
        break;
    }
    return QCoreApplication::translate("sl::ui::Stage", "idle");
}

QString laneStatusText(const StageState &s, int actor, std::int64_t nowNs) {
    const ActorSnap &a = s.actors.at(std::size_t(actor));
    const RelaySnap *r = s.relay(actor);
    if (!r || a.state != ActorState::Idle)
        return actorStatusText(a, nowNs);
    if (r->closed)
        return QCoreApplication::translate("sl::ui::Stage", "relay: closed");
    const std::int64_t n = s.relayHeld(actor);
    const auto stage = [](const char *text) {
        return QCoreApplication::translate("sl::ui::Stage", text);
    };
    if (n == 1)
        return stage(r->cut
                         ? QT_TRANSLATE_NOOP("sl::ui::Stage", "relay: cut, holds 1 byte")
                         : QT_TRANSLATE_NOOP("sl::ui::Stage", "relay: forwarding, holds 1 byte"));
    return stage(r->cut ? QT_TRANSLATE_NOOP("sl::ui::Stage", "relay: cut, holds %1 bytes")
                        : QT_TRANSLATE_NOOP("sl::ui::Stage", "relay: forwarding, holds %1 bytes"))
        .arg(QLocale().toString(qlonglong(n)));
}

} // namespace sl::ui
