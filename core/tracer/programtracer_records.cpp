// ProgramTracer, continued: one record into trace events, the kernel probe of the
// program's sockets, and the end of the trace.
#include "tracer/programtracer.h"
#include "tracer/ring.h"

#include "script/catalog.h"
#include "sys/sockdiag.h"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

namespace sl::tracer {

using preload::Call;
using preload::Record;
using script::CallId;

namespace {

std::int64_t monoNow() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

bool sendCall(Call c) {
    return c == Call::Send || c == Call::Sendto || c == Call::Sendmsg || c == Call::Write ||
           c == Call::Writev;
}
bool recvCall(Call c) {
    return c == Call::Recv || c == Call::Recvfrom || c == Call::Recvmsg || c == Call::Read ||
           c == Call::Readv;
}

QString sockaddrText(const sockaddr_storage &ss, socklen_t len) {
    char host[INET6_ADDRSTRLEN] = {};
    if (ss.ss_family == AF_INET) {
        const auto *in = reinterpret_cast<const sockaddr_in *>(&ss);
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        return QStringLiteral("%1:%2").arg(QLatin1String(host)).arg(ntohs(in->sin_port));
    }
    if (ss.ss_family == AF_INET6) {
        const auto *in = reinterpret_cast<const sockaddr_in6 *>(&ss);
        inet_ntop(AF_INET6, &in->sin6_addr, host, sizeof host);
        return QStringLiteral("[%1]:%2").arg(QLatin1String(host)).arg(ntohs(in->sin6_port));
    }
    if (ss.ss_family == AF_UNIX && len > socklen_t(sizeof(sa_family_t))) {
        const auto *un = reinterpret_cast<const sockaddr_un *>(&ss);
        return QString::fromLocal8Bit(un->sun_path[0] ? un->sun_path : "@abstract");
    }
    return {};
}

} // namespace

// The call's text, interned: formatted once per distinct set of arguments (a loop of
// send(5, 4096, 0) formats and hashes one string, not one per call).
std::pair<trace::StrRef, QString> ProgramTracer::argsOf(const Record &r) {
    ArgsKey k{
        r.call, r.fd, {r.a[0], r.a[1], r.a[2], r.a[3]}, std::uint8_t(r.flags & preload::RecAddrV4)};
    if (auto it = m_argsCache.find(k); it != m_argsCache.end())
        return it->second;
    const QString text = callText(r);
    std::pair<trace::StrRef, QString> v{m_trace.intern(text), text};
    if (m_argsCache.size() > 65536)
        m_argsCache.clear();
    m_argsCache.emplace(k, v);
    return v;
}

int ProgramTracer::pidfd(int pid) {
    if (auto it = m_pidfds.constFind(pid); it != m_pidfds.constEnd())
        return *it;
    // SOCKETLAB_TRACE_NO_PIDFD=1: as on a kernel or policy that refuses pidfd_getfd()
    // (tst_tracer checks the sock_diag fallback with it).
    const int fd = m_noPidfd ? -1 : int(syscall(SYS_pidfd_open, pid, 0));
    m_pidfds.insert(pid, fd);
    return fd;
}

void ProgramTracer::killAll(int signo) {
    if (m_pid > 0 && !m_exited) // not yet reaped: the pid is still the program's
        ::kill(m_pid, signo);
    // The program's children through their pidfds: never a process that reused a pid.
    for (auto it = m_pidfds.cbegin(); it != m_pidfds.cend(); ++it)
        if (*it >= 0 && it.key() != m_pid)
            syscall(SYS_pidfd_send_signal, *it, signo, nullptr, 0);
}

void ProgramTracer::handle(const Record &r) {
    const int actor = actorFor(r);
    const std::uint8_t ab = actorByte(actor);
    const Call c = Call(r.call);
    const CallId id = [&] {
        switch (c) {
        case Call::Socket:
            return CallId::Socket;
        case Call::Socketpair:
            return CallId::Socketpair;
        case Call::Bind:
            return CallId::Bind;
        case Call::Listen:
            return CallId::Listen;
        case Call::Accept:
        case Call::Accept4:
            return CallId::Accept;
        case Call::Connect:
            return CallId::Connect;
        case Call::Send:
        case Call::Sendmsg:
            return CallId::Send;
        case Call::Sendto:
            return CallId::Sendto;
        case Call::Recv:
        case Call::Recvmsg:
            return CallId::Recv;
        case Call::Recvfrom:
            return CallId::Recvfrom;
        case Call::Read:
        case Call::Readv:
            return CallId::Read;
        case Call::Write:
        case Call::Writev:
            return CallId::Write;
        case Call::Shutdown:
            return CallId::Shutdown;
        case Call::Close:
            return CallId::Close;
        case Call::Setsockopt:
            return CallId::Setsockopt;
        case Call::Getsockopt:
            return CallId::Getsockopt;
        case Call::FcntlNonblock:
        case Call::IoctlFionbio:
            return CallId::Setblocking;
        case Call::Select:
            return CallId::Select;
        case Call::Poll:
        case Call::Ppoll:
            return CallId::PollWait;
        case Call::EpollCreate:
            return CallId::EpollNew;
        case Call::EpollCtl:
            return r.a[0] == 1   ? CallId::Register
                   : r.a[0] == 2 ? CallId::Unregister
                                 : CallId::Modify;
        case Call::EpollWait:
            return CallId::EpollWait;
        default:
            return CallId::None;
        }
    }();
    const bool moves = sendCall(c) || recvCall(c);
    const bool onSocket = c != Call::Socket && c != Call::Socketpair && c != Call::Select &&
                          c != Call::Poll && c != Call::Ppoll && c != Call::EpollCreate &&
                          c != Call::EpollCtl && c != Call::EpollWait;
    Sock *s = onSocket ? sockFor(r, true) : nullptr;
    const int sockId = s ? s->id : -1;
    Actor &a = m_actors[std::size_t(actor)];
    TracedCall tc;
    tc.actor = actor;
    tc.actorName = a.name;
    const auto [args, text] = argsOf(r);
    tc.text = text;
    tc.asked = moves ? r.a[0] : -1;
    tc.sock = sockId;
    std::uint8_t flags = (r.flags & preload::RecNonBlocking) ? trace::CallNonBlocking : 0;
    if (r.phase == preload::Begin) {
        OpenCall oc{int(id), labNs(r.t0), 0, {}};
        if ((r.flags & preload::RecPyLine) && r.err > 0) { // sitecustomize.py's line
            oc.line = std::uint16_t(std::min(r.err, 65535));
            oc.where = QStringLiteral("%1:%2")
                           .arg(QString::fromUtf8(r.preview, std::min<int>(r.previewLen, 32)))
                           .arg(r.err);
        }
        tc.where = oc.where;
        trace::Event ev;
        ev.line = oc.line;
        ev.tNs = labNs(r.t0);
        ev.kind = trace::EventKind::CallBegin;
        ev.actor = ab;
        ev.sock = sockId;
        ev.call.call = std::uint16_t(id);
        ev.call.args = args;
        ev.call.asked = tc.asked;
        ev.call.moved = -1;
        ev.call.flags = flags;
        tc.traceBegin = m_trace.append(ev);
        a.open.push_back(oc);
        m_pendingCall = tc;
        if (m_collectCalls)
            m_calls.push_back(tc);
        return;
    }
    // End: what the call made or unmade, then its CallEnd.
    int made = -1;
    if (r.ret >= 0) {
        if (c == Call::Socket) {
            made = newSock(r, int(r.ret), r.inode, int(r.a[0]), int(r.a[1]))->id;
        } else if (c == Call::Socketpair) {
            made = newSock(r, int(r.a[2]), 0, int(r.a[0]), int(r.a[1]))->id;
            m_touched.push_back(newSock(r, int(r.a[3]), 0, int(r.a[0]), int(r.a[1]))->id);
        } else if ((c == Call::Accept || c == Call::Accept4) && s) {
            const int dom = s->domain, type = s->type;
            made = newSock(r, int(r.ret), 0, dom, type)->id;
        }
    }
    s = sockId >= 0 ? &m_socks[std::size_t(sockId)] : nullptr; // newSock() may have moved it
    if (s && !s->inode && r.inode && onSocket && c != Call::Accept && c != Call::Accept4) {
        s->inode = r.inode; // an accepted socket's, learnt from its first call
        m_inodeSock.insert(s->inode, s->id);
    }
    if (s && (r.flags & preload::RecAddrV4) && r.a[3] > 0 && !s->port)
        s->port = int(r.a[3]);
    tc.ended = true;
    ++m_callCount;
    tc.ret = r.ret;
    tc.err = r.err;
    tc.moved = moves ? (r.ret > 0 ? r.ret : 0) : -1;
    tc.partial = sendCall(c) && r.ret >= 0 && r.ret < r.a[0];
    if (made >= 0)
        tc.sock = made;
    trace::Event ev;
    if (!a.open.empty()) {
        ev.line = a.open.back().line;
        tc.where = a.open.back().where;
    }
    ev.tNs = labNs(r.t1);
    ev.kind = trace::EventKind::CallEnd;
    ev.actor = ab;
    ev.sock = made >= 0 && c == Call::Socket ? made : sockId;
    ev.call.call = std::uint16_t(id);
    ev.call.err = std::int16_t(r.err);
    ev.call.ret = r.ret;
    ev.call.asked = tc.asked;
    ev.call.moved = tc.moved;
    ev.call.durNs = r.t1 - r.t0;
    ev.call.args = args;
    if (tc.partial)
        flags |= trace::CallPartial;
    ev.call.flags = flags;
    if (r.previewLen)
        ev.call.preview = m_trace.addPreview(r.preview, std::min<std::size_t>(r.previewLen, 32));
    m_trace.append(ev);
    if (!a.open.empty())
        a.open.pop_back();
    if (a.blocked) { // it was seen asleep in this call: it runs again
        a.blocked = false;
        trace::Event st;
        st.tNs = ev.tNs;
        st.kind = trace::EventKind::ActorStatus;
        st.actor = ab;
        st.status.status = std::uint8_t(trace::ActorState::Running);
        st.status.sysno = -1;
        m_trace.append(st);
    }
    if (m_collectCalls)
        m_calls.push_back(tc);
    if (c == Call::Close)
        closeFd(r.pid, r.fd);
    else if (s)
        m_touched.push_back(s->id);
    if (made >= 0 && (c == Call::Accept || c == Call::Accept4))
        m_touched.push_back(made);
    if (made >= 0 && c != Call::Accept && c != Call::Accept4)
        m_touched.push_back(made);
    std::sort(m_touched.begin(), m_touched.end());
    m_touched.erase(std::unique(m_touched.begin(), m_touched.end()), m_touched.end());
    if (m_probeEachCall) {
        for (int id : m_touched)
            probe(m_socks[std::size_t(id)]);
        m_touched.clear();
    }
    if (m_collectCalls)
        m_calls.back().traceEnd = m_trace.size();
}

// The socket as the kernel has it now: through a copy of the program's descriptor
// (closed again at once: holding it would keep the socket open after the program's
// close()), else through sock_diag by inode.
void ProgramTracer::probe(Sock &s) {
    if (s.fd < 0)
        return;
    sys::SocketSample x;
    bool nb = s.lastNonBlocking;
    QString local = s.local, peer = s.peer;
    const int pfd = pidfd(s.pid);
    const int copy = pfd >= 0 ? int(syscall(SYS_pidfd_getfd, pfd, s.fd, 0)) : -1;
    if (copy >= 0) {
        struct stat st;
        const bool same = fstat(copy, &st) == 0 && S_ISSOCK(st.st_mode) &&
                          (!s.inode || std::uint32_t(st.st_ino) == s.inode);
        if (same) {
            if (!s.inode) {
                s.inode = std::uint32_t(st.st_ino);
                m_inodeSock.insert(s.inode, s.id);
            }
            if (s.domain < 0 || s.type < 0) {
                int v = 0;
                socklen_t l = sizeof v;
                if (getsockopt(copy, SOL_SOCKET, SO_DOMAIN, &v, &l) == 0)
                    s.domain = v;
                l = sizeof v;
                if (getsockopt(copy, SOL_SOCKET, SO_TYPE, &v, &l) == 0)
                    s.type = v;
            }
            const bool tcp =
                (s.domain == AF_INET || s.domain == AF_INET6) && (s.type & 0xf) == SOCK_STREAM;
            x = sys::KernelProbe::sample(copy, tcp);
            const int fl = fcntl(copy, F_GETFL);
            nb = fl >= 0 && (fl & O_NONBLOCK);
            sockaddr_storage ss{};
            socklen_t len = sizeof ss;
            if (getsockname(copy, reinterpret_cast<sockaddr *>(&ss), &len) == 0)
                local = sockaddrText(ss, len);
            len = sizeof ss;
            ss = {};
            if (getpeername(copy, reinterpret_cast<sockaddr *>(&ss), &len) == 0)
                peer = sockaddrText(ss, len);
        }
        ::close(copy);
        if (!same)
            return;
    } else if (s.inode) {
        // pidfd_getfd refused (another user's process, a seccomp policy): sock_diag, by
        // the port seen in its calls, else every TCP socket.
        const std::vector<int> ports = s.port > 0 ? std::vector<int>{s.port} : std::vector<int>{};
        for (const sys::DiagSocket &d : sys::SockDiag::tcpSockets(ports)) {
            if (d.inode != s.inode)
                continue;
            x.ok = true;
            x.state = d.state;
            x.listener = d.state == sys::TcpState::Listen;
            if (x.listener) {
                x.acceptQ = std::int32_t(d.recvQ);
                x.backlog = std::int32_t(d.sendQ);
            } else {
                x.recvQ = std::int32_t(d.recvQ);
                x.sendQ = std::int32_t(d.sendQ);
            }
            x.sndbuf = d.sndbuf;
            x.rcvbuf = d.rcvbuf;
            x.peerWnd = d.peerWnd;
            x.rcvMem = d.rcvMem;
            x.drops = d.drops;
            local = d.local.toString();
            peer = d.peer.toString();
        }
    }
    if (local != s.local || peer != s.peer) {
        s.local = local;
        s.peer = peer;
        trace::Event ev;
        ev.tNs = m_trace.now();
        ev.kind = trace::EventKind::SocketInfo;
        ev.sock = s.id;
        ev.socket.fd = s.fd;
        ev.socket.domain = s.domain;
        ev.socket.type = s.type & 0xf;
        ev.socket.local = m_trace.intern(local);
        ev.socket.peer = m_trace.intern(peer);
        ev.socket.peerSock = -1;
        // The peer is a socket of the traced program too: the stage draws the pair.
        for (const Sock &o : m_socks)
            if (o.id != s.id && o.fd >= 0 && !peer.isEmpty() && o.local == peer && o.peer == local)
                ev.socket.peerSock = o.id;
        m_trace.append(ev);
    }
    if (!x.ok || (s.haveSample && x == s.last && nb == s.lastNonBlocking))
        return;
    const std::int64_t t = m_trace.now();
    if (s.haveSample && x.state != s.last.state) {
        trace::Event st;
        st.tNs = t;
        st.kind = trace::EventKind::StateChange;
        st.sock = s.id;
        st.state.from = std::uint8_t(s.last.state);
        st.state.to = std::uint8_t(x.state);
        m_trace.append(st);
    }
    trace::Event ev;
    ev.tNs = t;
    ev.kind = trace::EventKind::Sample;
    ev.sock = s.id;
    ev.sample.state = std::uint8_t(x.state);
    ev.sample.readiness = x.readiness;
    ev.sample.listener = x.listener;
    ev.sample.nonBlocking = nb;
    ev.sample.fd = s.fd;
    ev.sample.sndbuf = x.sndbuf;
    ev.sample.rcvbuf = x.rcvbuf;
    ev.sample.sendQ = x.sendQ;
    ev.sample.unsent = x.unsent;
    ev.sample.recvQ = x.recvQ;
    ev.sample.acceptQ = x.acceptQ;
    ev.sample.backlog = x.backlog;
    ev.sample.peerWnd = x.peerWnd;
    ev.sample.rcvMem = x.rcvMem;
    ev.sample.drops = x.drops;
    m_trace.append(ev);
    s.last = x;
    s.lastNonBlocking = nb;
    s.haveSample = true;
}

// A call still open BlockedAfterNs after it began: its actor is blocked in it (as the
// stage shows a lab actor asleep in the kernel). Said once per call.
void ProgramTracer::markBlocked() {
    constexpr std::int64_t BlockedAfterNs = 50 * 1000 * 1000;
    const std::int64_t now = m_trace.now();
    for (std::size_t i = 0; i < m_actors.size(); ++i) {
        Actor &a = m_actors[i];
        if (a.blocked || a.open.empty() || now - a.open.back().t0 < BlockedAfterNs)
            continue;
        a.blocked = true;
        trace::Event st;
        st.tNs = now;
        st.kind = trace::EventKind::ActorStatus;
        st.actor = actorByte(int(i));
        st.status.status = std::uint8_t(trace::ActorState::Blocked);
        st.status.call = std::uint16_t(a.open.back().call);
        st.line = a.open.back().line;
        st.status.sysno = -1;
        m_trace.append(st);
    }
}

bool ProgramTracer::finished() {
    if (m_completed)
        return true;
    if (m_pid <= 0)
        return false;
    if (!m_exited) {
        int st = 0;
        const pid_t p = ::waitpid(m_pid, &st, WNOHANG);
        if (p == m_pid) {
            m_exited = true;
            m_exitStatus = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        } else if (p < 0 && errno == ECHILD) {
            m_exited = true;
        }
        if (!m_exited)
            return false;
        m_lastProgressNs = monoNow();
    }
    poll();
    if (m_pending)
        return false;
    // Every record read; or what stays reserved will never be published (a process
    // killed between reserving a slot and filling it, a fork child still running).
    if (m_ring && m_ring->pendingReserved() != 0 && monoNow() - m_lastProgressNs < 500000000)
        return false;
    completeTrace();
    return true;
}

// The program is gone: calls it never returned from end (woken), its actors end, its
// sockets leave the stage. The trace is then complete.
void ProgramTracer::completeTrace() {
    m_completed = true;
    const std::int64_t t = m_trace.now();
    for (std::size_t i = 0; i < m_actors.size(); ++i) {
        Actor &a = m_actors[i];
        const std::uint8_t ab = actorByte(int(i));
        while (!a.open.empty()) {
            trace::Event ev;
            ev.tNs = t;
            ev.kind = trace::EventKind::CallEnd;
            ev.actor = ab;
            ev.call.call = std::uint16_t(a.open.back().call);
            ev.line = a.open.back().line;
            ev.call.ret = -1;
            ev.call.asked = -1;
            ev.call.moved = -1;
            ev.call.durNs = t - a.open.back().t0;
            ev.call.flags = trace::CallWoken;
            m_trace.append(ev);
            a.open.pop_back();
        }
        trace::Event st;
        st.tNs = t;
        st.kind = trace::EventKind::ActorStatus;
        st.actor = ab;
        st.status.status = std::uint8_t(trace::ActorState::Done);
        st.status.sysno = -1;
        m_trace.append(st);
    }
    for (Sock &s : m_socks) {
        if (s.fd < 0)
            continue;
        s.fd = -1;
        trace::Event ev;
        ev.tNs = t;
        ev.kind = trace::EventKind::SocketClose;
        ev.sock = s.id;
        m_trace.append(ev);
    }
    m_fdSock.clear();
    m_inodeSock.clear();
    trace::Event ev;
    ev.tNs = t;
    ev.kind = trace::EventKind::Note;
    ev.text.a = m_trace.intern(
        QStringLiteral("trace: the program ended (exit status %1)").arg(m_exitStatus));
    m_trace.append(ev);
}

} // namespace sl::tracer
