// QueueFill from the samples in a StageState. Every number is the kernel's own; where a
// number the kernel does not give is derived, the derivation is written here.
#include "view/queuefill.h"

#include "sys/kernelprobe.h"

#include <algorithm>
#include <sys/socket.h>

namespace sl::ui {

double QueueFill::ratio() const {
    if (full)
        return 1.0;
    if (used <= 0 || capacity <= 0)
        return 0.0;
    return std::clamp(double(used) / double(capacity), MinVisible, 1.0);
}

namespace {

bool isTcp(const SocketSnap &s) {
    return s.type == SOCK_STREAM && (s.domain == AF_INET || s.domain == AF_INET6);
}
bool isUdp(const SocketSnap &s) {
    return s.type == SOCK_DGRAM && (s.domain == AF_INET || s.domain == AF_INET6);
}

// States in which a zero window stops data: the sender may still send (ESTABLISHED,
// CLOSE_WAIT) or has data queued before its FIN (FIN_WAIT1, CLOSING). Before the
// handshake completes tcpi_snd_wnd is 0 too, and means nothing.
bool sendsData(const trace::SampleData &x) {
    using sys::TcpState;
    const auto st = TcpState(x.state);
    return st == TcpState::Established || st == TcpState::CloseWait || st == TcpState::FinWait1 ||
           st == TcpState::Closing;
}

// The room left in the window the peer advertised, as the sender sees it: tcpi_snd_wnd
// counts from the last acknowledged byte, so the bytes in flight (sent, not yet
// acknowledged: SIOCOUTQ - SIOCOUTQNSD) already use part of it. On loopback they are
// already in the peer's receive queue; only the ACK is late (delayed ACK). Measured at
// lesson 5's EAGAIN: tcpi_snd_wnd 2,048 with 2,048 in flight and the receiver holding
// 4,096 (its clamp); ~200 ms later the ACK brings tcpi_snd_wnd 0 (`ss -ti` snd_wnd:0).
// Both moments mean the same: the receiver takes no more. -1 = unknown.
std::int64_t windowLeft(const trace::SampleData &x) {
    if (x.peerWnd < 0 || x.sendQ < 0 || x.unsent < 0 || !sendsData(x))
        return -1;
    const std::int64_t inFlight = std::max<std::int64_t>(0, std::int64_t(x.sendQ) - x.unsent);
    return std::max<std::int64_t>(0, std::int64_t(x.peerWnd) - inFlight);
}

// The peer's sample when the peer is a lab socket still open (its tcpi_snd_wnd is the
// window `s` advertises). The lab re-records a connecting socket's peer once accept()
// makes it, but traces written before that name the peer on the accepted side only
// (peerSock -1 on the client): for them, look the other way too.
const SocketSnap *openPeer(const StageState &st, const SocketSnap &s) {
    const SocketSnap *p = s.peerSock >= 0 ? st.socket(s.peerSock) : nullptr;
    if (!p && s.hasSample && sendsData(s.sample)) {
        for (const SocketSnap &o : st.sockets)
            if (o.peerSock == s.id && !o.kernelOnly) {
                p = &o;
                break;
            }
    }
    if (!p || p->closed || !p->hasSample || p->sample.listener)
        return nullptr;
    return p;
}

// TCP receive. SIOCINQ counts data; SO_RCVBUF (reported doubled) counts memory, and the
// kernel charges every queued segment's truesize (data + sk_buff + shared info) against
// it. It advertises a window sized so that the memory will not overflow. Measured on
// loopback (Linux 6.18), listener SO_RCVBUF set before listen(), sender SO_SNDBUF 4096,
// non-blocking sends until EAGAIN, then `ss -tmi` and TCP_INFO:
//
//   SO_RCVBUF set / reported | data queued at window 0 | rmem_alloc | rcv_ssthresh
//   1024 / 2304              | 1,152                   | 2,816      | 1,152
//   2048 / 4096              | 2,048                   | 3,712      | 2,048
//   4096 / 8192              | 4,096                   | 5,760      | 4,096
//   8192 / 16384             | 12,288                  | 14,784     | 9,487
//   16384 / 32768            | 24,576                  | 25,408     | 21,518
//
// So 8,192 of memory holds 4,096 of data, but the ratio is not a constant (it depends
// on how many segments carry the data, and the window clamp grows). The one number that
// says how much more the kernel takes is the window this socket advertises, which its
// peer reads as tcpi_snd_wnd (less what is in flight: windowLeft()). Capacity = data
// waiting + the window left: at window 0 the
// capacity is exactly what is queued, and the bar is full (the kernel drops segments
// beyond the window: ss shows d2 on the receiver). When the peer is not a lab socket its
// window is unknown, and half the reported SO_RCVBUF is used: the kernel's default
// scaling ratio (TCP_DEFAULT_SCALING_RATIO, 50 %) that sets the first window (8192 →
// 4,096 above), marked as an estimate.
QueueFill tcpRecv(const StageState &st, const SocketSnap &s) {
    QueueFill f;
    const trace::SampleData &x = s.sample;
    f.used = x.recvQ;
    if (f.used < 0)
        return f;
    const SocketSnap *peer = openPeer(st, s);
    const std::int64_t left = peer ? windowLeft(peer->sample) : -1;
    if (left >= 0) {
        f.capacity = f.used + left;
        f.window0 = left == 0;
    } else {
        f.capacity = x.rcvbuf > 0 ? x.rcvbuf / 2 : -1;
        f.estimated = true;
    }
    if (f.capacity >= 0)
        f.capacity = std::max(f.capacity, f.used);
    f.full = f.window0 || (f.used > 0 && f.used >= f.capacity);
    if (!f.window0 && f.capacity == 0) // nothing queued, no window yet (handshake)
        f.capacity = -1;
    return f;
}

// TCP send. SIOCOUTQ counts data not yet acknowledged; SO_SNDBUF counts memory
// (sk_wmem_queued). A sender's segments are large (up to 64 KiB on loopback) and the
// kernel lets the last one overshoot, so the data at EAGAIN is SO_SNDBUF itself:
// measured SIOCOUTQ 8,192 with SO_SNDBUF 8,192 (wmem_queued 9,024). With a tiny peer
// window (SO_RCVBUF 1024) segments are small and EAGAIN came at 5,184 of 8,192: the bar
// then shows 63 % with `window 0`, which is why window0 is its own flag.
QueueFill tcpSend(const SocketSnap &s) {
    QueueFill f;
    const trace::SampleData &x = s.sample;
    f.used = x.sendQ;
    f.capacity = x.sndbuf;
    if (f.used < 0)
        return f;
    f.window0 = windowLeft(x) == 0;
    f.full = f.capacity > 0 && f.used >= f.capacity;
    return f;
}

// UDP receive. SIOCINQ is the length of the next datagram only. The queue's memory is
// rmem_alloc, and __udp_enqueue_schedule_skb() drops a datagram when rmem_alloc plus its
// truesize would pass SO_RCVBUF (one datagram is always let in). The kernel keeps no
// count of queued datagrams; it is derived as rmem_alloc / truesize of the next
// datagram: exact when the datagrams are of one size (as a lesson sends them), an
// estimate otherwise. Counting from the trace was rejected: sendto()'s destination is
// an expression in the trace (`raddr`), not an address, and datagrams from outside the
// lab would be missed.
QueueFill udpRecv(const SocketSnap &s) {
    QueueFill f;
    const trace::SampleData &x = s.sample;
    f.drops = x.drops;
    f.capacity = x.rcvbuf;
    if (x.rcvMem < 0) { // a trace made before rcv_mem: only the next datagram's length
        f.used = x.recvQ;
        f.dataBytes = x.recvQ;
        f.datagrams = x.recvQ > 0 ? 1 : -1;
        f.estimated = true;
        return f;
    }
    f.used = x.rcvMem;
    if (x.rcvMem == 0) {
        f.datagrams = 0;
        f.dataBytes = 0;
        return f;
    }
    const std::int64_t next = std::max(0, x.recvQ);
    const std::int64_t each = udpTruesize(next);
    f.datagrams = int(std::max<std::int64_t>(1, (x.rcvMem + each / 2) / each));
    f.dataBytes = std::int64_t(f.datagrams) * next;
    f.estimated = f.datagrams * each != x.rcvMem;
    f.full = x.rcvbuf > 0 && x.rcvMem + each > x.rcvbuf;
    return f;
}

} // namespace

// Measured on Linux 6.18 x86-64, loopback, one datagram per fresh socket, rmem_alloc:
//   0..195 → 832; 200..640 → 1,280; 650..1,650 → 2,304; 1,700..3,000 → 4,352;
//   4,000 → 8,448; 8,000..16,000 → 16,640; 16,010 → 16,842; 60,000 → 60,832.
// That is: the head is len + ~384 bytes of headers and skb_shared_info; up to 580 it
// comes from the small-head cache (truesize 832); up to 16 KiB from a power-of-two
// kmalloc bucket (+256 for the sk_buff); beyond that the data is in page fragments and
// the truesize is len + 832.
std::int64_t udpTruesize(std::int64_t len) {
    const std::int64_t head = std::max<std::int64_t>(0, len) + 384;
    if (head <= 580)
        return 832;
    if (head <= 16384) {
        std::int64_t bucket = 1024;
        while (bucket < head)
            bucket *= 2;
        return bucket + 256;
    }
    return len + 832;
}

QueueFill recvFill(const StageState &st, const SocketSnap &s) {
    if (!s.hasSample || s.closed || s.sample.listener)
        return {};
    if (isTcp(s))
        return tcpRecv(st, s);
    if (isUdp(s))
        return udpRecv(s);
    QueueFill f; // AF_UNIX, pipes: bytes queued against the buffer, as reported
    f.used = s.sample.recvQ;
    f.capacity = s.sample.rcvbuf;
    f.full = f.used > 0 && f.capacity > 0 && f.used >= f.capacity;
    return f;
}

QueueFill sendFill(const StageState &, const SocketSnap &s) {
    if (!s.hasSample || s.closed || s.sample.listener)
        return {};
    if (isTcp(s))
        return tcpSend(s);
    QueueFill f;
    f.used = s.sample.sendQ;
    f.capacity = s.sample.sndbuf;
    f.full = f.used > 0 && f.capacity > 0 && f.used >= f.capacity;
    return f;
}

} // namespace sl::ui
