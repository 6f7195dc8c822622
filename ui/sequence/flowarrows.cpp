#include "ui/sequence/flowarrows.h"

#include "script/catalog.h"

#include <cerrno>

namespace sl::ui {

using script::CallId;
using trace::EventKind;

namespace {
// Linux's TCP states (sys::TcpState), by number as the trace stores them.
enum : std::uint8_t {
    Established = 1,
    SynSent,
    SynRecv,
    FinWait1,
    FinWait2,
    TimeWait,
    Close,
    CloseWait,
    LastAck,
    Listen,
    Closing
};
constexpr int SockStream = 1;
} // namespace

void FlowArrows::clear() {
    m_consumed = 0;
    m_arrows.clear();
    m_socks.clear();
    m_addrActor.clear();
}

int FlowArrows::actorOf(int sock) const {
    const auto it = m_socks.constFind(sock);
    if (it == m_socks.cend())
        return -1;
    if (it->actor >= 0)
        return it->actor;
    // A kernel-only socket (the continuation of a closed one): whose address it has.
    return m_addrActor.value(it->local, -1);
}

void FlowArrows::arrow(FlowArrow::Kind kind, int toSock, std::size_t event, bool before,
                       std::int64_t bytes) {
    const Sock &to = m_socks[toSock];
    FlowArrow a;
    a.kind = kind;
    a.toSock = toSock;
    a.fromSock = to.peer;
    a.to = actorOf(toSock);
    a.from = actorOf(to.peer);
    a.bytes = bytes;
    a.event = event;
    a.key = 2 * std::int64_t(event) + (before ? -1 : 1);
    if (a.from < 0 || a.to < 0)
        return; // no lab socket on one end: nothing to draw between columns
    if (kind == FlowArrow::Data) {
        const Sock &from = m_socks[to.peer];
        if (from.lastSentBytes == bytes)
            a.preview = from.lastSent;
    }
    m_arrows.push_back(a);
}

void FlowArrows::consume(const trace::Trace &trace, std::size_t to) {
    to = std::min(to, trace.size());
    for (std::size_t i = m_consumed; i < to; ++i) {
        const trace::Event &e = trace.event(i);
        switch (e.kind) {
        case EventKind::SocketNew: {
            Sock &s = m_socks[e.sock];
            s.actor = e.actor == trace::NoActor ? -1 : e.actor;
            s.type = e.socket.type;
            s.kernelOnly = e.socket.kernelOnly;
            break;
        }
        case EventKind::SocketInfo: {
            Sock &s = m_socks[e.sock];
            s.local = e.socket.local;
            if (e.socket.peerSock >= 0) {
                s.peer = e.socket.peerSock;
                // The connecting side learnt its address before its peer existed (the
                // accepted socket names it, not the other way round): pair both ways.
                Sock &other = m_socks[e.socket.peerSock];
                if (other.peer < 0 || !s.kernelOnly)
                    other.peer = e.sock;
            }
            if (!s.kernelOnly && s.actor >= 0 && e.socket.local)
                m_addrActor[e.socket.local] = s.actor;
            break;
        }
        case EventKind::SocketClose:
            m_socks[e.sock].closed = true;
            break;
        case EventKind::Sample: {
            Sock &s = m_socks[e.sock];
            if (s.type != SockStream || e.sample.recvQ < 0)
                break;
            const std::int64_t arrived = e.sample.recvQ - s.recvQ + s.read - s.credited;
            if (arrived > 0 && s.peer >= 0)
                arrow(FlowArrow::Data, e.sock, i, false, arrived);
            s.recvQ = e.sample.recvQ;
            s.read = s.credited = 0;
            break;
        }
        case EventKind::StateChange: {
            Sock &s = m_socks[e.sock];
            if (s.type != SockStream || s.peer < 0)
                break;
            const auto from = e.state.from, state = e.state.to;
            // A FIN moves ESTABLISHED to CLOSE_WAIT, and a side that closed first
            // (FIN_WAIT1/2) to CLOSING or TIME_WAIT — and a socket that still has its
            // descriptor reads CLOSE then, its connection handed to a time-wait socket.
            const bool fin =
                (state == CloseWait && (from == Established || from == SynRecv)) ||
                ((state == TimeWait || state == Closing || (state == Close && !s.kernelOnly)) &&
                 (from == FinWait1 || from == FinWait2));
            // A reset takes a connected socket straight to CLOSE (an orphan going to CLOSE
            // is the one that SENT the reset). A reset in FIN_WAIT* reads like the FIN
            // above; the ECONNRESET of the next call tells it (below).
            const bool rst = state == Close && !s.kernelOnly && !s.closed &&
                             (from == Established || from == CloseWait || from == SynRecv);
            if (fin && !s.finIn) {
                s.finIn = true;
                arrow(FlowArrow::Fin, e.sock, i, false);
            } else if (rst && !s.rstIn) {
                s.rstIn = true;
                arrow(FlowArrow::Rst, e.sock, i, false);
            }
            break;
        }
        case EventKind::CallEnd: {
            if (e.sock < 0)
                break;
            Sock &s = m_socks[e.sock];
            const auto id = CallId(e.call.call);
            if (s.type != SockStream)
                break;
            if (e.call.err == ECONNRESET && !s.rstIn && s.peer >= 0) {
                s.rstIn = true;
                arrow(FlowArrow::Rst, e.sock, i, true);
                break;
            }
            if (e.call.err)
                break;
            if (id == CallId::Send || id == CallId::Sendto || id == CallId::Write) {
                if (e.call.ret > 0) {
                    s.lastSent = trace.preview(e.call.preview);
                    s.lastSentBytes = e.call.ret;
                }
            } else if (id == CallId::Recv || id == CallId::Read || id == CallId::Recvfrom) {
                const std::int64_t n = e.call.ret;
                if (n == 0 && e.call.asked > 0 && !s.finIn && s.peer >= 0) {
                    // b'' before any sample saw the FIN: it had arrived by now.
                    s.finIn = true;
                    arrow(FlowArrow::Fin, e.sock, i, true);
                } else if (n > 0) {
                    const std::int64_t known = s.recvQ + s.credited - s.read;
                    if (n > known && s.peer >= 0) { // arrived since the last sample
                        arrow(FlowArrow::Data, e.sock, i, true,
                              n - std::max<std::int64_t>(known, 0));
                        s.credited += n - std::max<std::int64_t>(known, 0);
                    }
                    s.read += n;
                }
            }
            break;
        }
        default:
            break;
        }
    }
    m_consumed = std::max(m_consumed, to);
}

} // namespace sl::ui
