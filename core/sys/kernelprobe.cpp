// KernelProbe. Every read here is side-effect free in the kernel:
//  - getsockopt(TCP_INFO) copies a snapshot (tcp_get_info) under the socket lock;
//  - SO_MEMINFO (sk_rcvbuf, sk_sndbuf: what SO_RCVBUF/SO_SNDBUF report; rmem_alloc, sk_drops)
//    is a plain read;
//  - SIOCINQ/SIOCOUTQ/SIOCOUTQNSD read queue counters (tcp_ioctl); on a listener they
//    fail with EINVAL, so they are not even tried there;
//  - poll() with a zero timeout only evaluates the socket's poll mask.
// SO_ERROR is never read: sock_error() clears it (xchg), which would steal the error
// the program's next connect/recv is meant to report. recv(MSG_PEEK) is not used.
//
// <linux/tcp.h>, not <netinet/tcp.h>: glibc's struct tcp_info stops at
// tcpi_total_retrans, and including both redefines struct tcphdr.
#include "sys/kernelprobe.h"
#include "sys/uringprobe.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <vector>

namespace sl::sys {

namespace {

constexpr const char *kStateNames[] = {
    "n/a",   "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",    "TIME_WAIT",
    "CLOSE", "CLOSE_WAIT",  "LAST_ACK", "LISTEN",   "CLOSING",   "NEW_SYN_RECV",
};
constexpr int kStateCount = int(sizeof kStateNames / sizeof kStateNames[0]);

// POLLRDHUP must be asked for; POLLERR/POLLHUP are always reported.
constexpr short kPollEvents = POLLIN | POLLOUT | POLLRDHUP;

std::uint8_t readinessFromRevents(short revents) {
    std::uint8_t r = 0;
    if (revents & POLLIN)
        r |= Readable;
    if (revents & POLLOUT)
        r |= Writable;
    if (revents & POLLERR)
        r |= Error;
    if (revents & POLLHUP)
        r |= HangUp;
    if (revents & POLLRDHUP)
        r |= PeerClosed;
    return r; // POLLNVAL (closed fd) maps to nothing: the sample says ok == false
}

int queueIoctl(int fd, unsigned long req) {
    int v = 0;
    return ::ioctl(fd, req, &v) == 0 ? v : -1;
}

// Everything but readiness, in as few system calls as the values allow (on a VM with
// page-table isolation each call costs ~1.3 µs, so the count is what matters):
//  - SO_MEMINFO returns sk_rcvbuf and sk_sndbuf together: the very fields SO_RCVBUF
//    and SO_SNDBUF report (already doubled). It is also the "is this a socket" check:
//    EBADF / ENOTSOCK leave the sample at its defaults with ok == false.
//  - TCP_INFO gives the state and tcpi_notsent_bytes = write_seq - snd_nxt, the exact
//    expression SIOCOUTQNSD computes (which reports 0 in SYN_SENT/SYN_RECV, as we do),
//    so SIOCOUTQNSD itself is only called when TCP_INFO is too short to carry it.
//  - SIOCINQ (rcv_nxt - copied_seq) and SIOCOUTQ (write_seq - snd_una) have no
//    equivalent in TCP_INFO and are read by ioctl.
//
// pre: SO_MEMINFO, SIOCINQ and SIOCOUTQ already read through the ring (UringProbe, a
// successful SO_MEMINFO), or nullptr to read them here.
void readSocket(int fd, bool isTcp, SocketSample &s, const UringReads *pre = nullptr) {
    // The kernel copies min(len, what it has): a kernel with fewer SK_MEMINFO_VARS gives a
    // shorter answer, and only what it covered is used.
    std::uint32_t mem[SK_MEMINFO_VARS] = {};
    socklen_t len = sizeof mem;
    constexpr socklen_t kBufsEnd = (SK_MEMINFO_SNDBUF + 1) * sizeof mem[0];
    bool haveMem = false;
    if (pre) {
        len = std::min<socklen_t>(socklen_t(pre->memLen), sizeof mem);
        std::memcpy(mem, pre->mem, len);
        haveMem = true;
    } else {
        haveMem = ::getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) == 0;
    }
    if (haveMem && len >= kBufsEnd) {
        s.rcvbuf = std::int32_t(mem[SK_MEMINFO_RCVBUF]);
        s.sndbuf = std::int32_t(mem[SK_MEMINFO_SNDBUF]);
        // rmem_alloc: the truesize (data + skb overhead) of everything in the receive
        // queue: what the kernel compares with sk_rcvbuf before it drops (UDP) or
        // shrinks the window (TCP). `ss -m` shows it as r<n>.
        s.rcvMem = std::int32_t(mem[SK_MEMINFO_RMEM_ALLOC]);
        if (len >= (SK_MEMINFO_DROPS + 1) * sizeof mem[0])
            s.drops = std::int32_t(mem[SK_MEMINFO_DROPS]); // sk_drops, ss -m d<n>
    } else {
        // Kernels before 4.12 lack SO_MEMINFO (ENOPROTOOPT): read the two options.
        int v = 0;
        len = sizeof v;
        if (::getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, &len) != 0)
            return;
        s.sndbuf = v;
        len = sizeof v;
        if (::getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &len) == 0)
            s.rcvbuf = v;
    }
    s.ok = true;

    bool haveUnsent = false;
    if (isTcp) {
        tcp_info ti;
        len = sizeof ti;
        if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 && len >= 8) {
            s.state = ti.tcpi_state < kStateCount ? TcpState(ti.tcpi_state) : TcpState::Unknown;
            if (s.state == TcpState::Listen) {
                // For a listener tcp_get_info() reuses these two fields: unacked is
                // sk_ack_backlog (connections waiting for accept), sacked is
                // sk_max_ack_backlog (the backlog given to listen, after clamping).
                s.listener = true;
                s.acceptQ = std::int32_t(ti.tcpi_unacked);
                s.backlog = std::int32_t(ti.tcpi_sacked);
                return; // the queue ioctls would only say EINVAL
            }
            constexpr socklen_t kNotsentEnd =
                offsetof(tcp_info, tcpi_notsent_bytes) + sizeof ti.tcpi_notsent_bytes;
            if (len >= kNotsentEnd) {
                const bool synState = s.state == TcpState::SynSent || s.state == TcpState::SynRecv;
                s.unsent = synState ? 0 : std::int32_t(ti.tcpi_notsent_bytes);
                haveUnsent = true;
            }
            // tcpi_snd_wnd (Linux 5.4+): the window the peer last advertised, scaled, in
            // bytes. 0 with data unsent means the peer's receive queue takes no more.
            constexpr socklen_t kSndWndEnd =
                offsetof(tcp_info, tcpi_snd_wnd) + sizeof ti.tcpi_snd_wnd;
            if (len >= kSndWndEnd)
                s.peerWnd = std::int32_t(std::min<std::uint32_t>(ti.tcpi_snd_wnd, INT32_MAX));
        }
    }
    // For UDP SIOCINQ is the size of the next datagram, for AF_UNIX stream the bytes
    // queued; SIOCOUTQNSD exists for TCP only (others fail: the value stays -1).
    // A failed ioctl is -1 (queueIoctl); the ring gives the same failure as -errno.
    s.recvQ = pre ? std::max(pre->inq, -1) : queueIoctl(fd, SIOCINQ);
    s.sendQ = pre ? std::max(pre->outq, -1) : queueIoctl(fd, SIOCOUTQ);
    if (isTcp && !haveUnsent)
        s.unsent = queueIoctl(fd, SIOCOUTQNSD);
}

} // namespace

const char *tcpStateName(TcpState s) {
    const int i = int(s);
    return (i > 0 && i < kStateCount) ? kStateNames[i] : kStateNames[0];
}

TcpState tcpStateFromName(const char *name) {
    if (!name)
        return TcpState::Unknown;
    for (int i = 1; i < kStateCount; ++i) {
        if (std::strcmp(name, kStateNames[i]) == 0)
            return TcpState(i);
    }
    return TcpState::Unknown;
}

std::uint8_t KernelProbe::readiness(int fd) {
    pollfd p{fd, kPollEvents, 0};
    int n;
    do {
        n = ::poll(&p, 1, 0);
    } while (n < 0 && errno == EINTR);
    return n > 0 ? readinessFromRevents(p.revents) : 0;
}

SocketSample KernelProbe::sample(int fd, bool isTcp) {
    SocketSample s;
    readSocket(fd, isTcp, s);
    if (s.ok)
        s.readiness = readiness(fd);
    return s;
}

namespace {
std::atomic<int> g_batchFrom{32};
}

int KernelProbe::batchFrom() {
    return g_batchFrom.load(std::memory_order_relaxed);
}

void KernelProbe::setBatchFrom(int n) {
    g_batchFrom.store(std::max(n, 1), std::memory_order_relaxed);
}

void KernelProbe::sampleMany(const int *fds, const bool *isTcp, SocketSample *out, int n,
                             UringProbe *ring) {
    if (n <= 0)
        return;
    // One poll() over all descriptors costs ≈ 70 µs for 1,000 fds, against ≈ 0.2 µs
    // each for separate zero-timeout polls. The buffer is per thread and reused, so a
    // sampler running every frame does not allocate.
    thread_local std::vector<pollfd> pfds;
    pfds.resize(std::size_t(n));
    for (int i = 0; i < n; ++i)
        pfds[std::size_t(i)] = pollfd{fds[i], kPollEvents, 0};
    int rc;
    do {
        rc = ::poll(pfds.data(), nfds_t(n), 0);
    } while (rc < 0 && errno == EINTR);
    // poll() refuses more fds than RLIMIT_NOFILE with EINVAL (possible when a list holds
    // duplicates): fall back to one poll per descriptor.
    const bool polled = rc >= 0;

    // TCP sockets' SO_MEMINFO, SIOCINQ and SIOCOUTQ in one io_uring_enter per 170
    // sockets (B2); a socket whose SO_MEMINFO failed there (closed meanwhile) and every
    // other kind of socket is read by descriptor. Both give the same numbers.
    thread_local std::vector<int> tcpFds, tcpAt;
    thread_local std::vector<UringReads> reads;
    tcpAt.assign(std::size_t(n), -1);
    bool batched = false;
    if (UringProbe::usable()) {
        tcpFds.clear();
        for (int i = 0; i < n; ++i) {
            if (isTcp[i]) {
                tcpAt[std::size_t(i)] = int(tcpFds.size());
                tcpFds.push_back(fds[i]);
            }
        }
        if (int(tcpFds.size()) >= batchFrom()) {
            reads.resize(tcpFds.size());
            batched = ring ? ring->readKept(tcpFds.data(), int(tcpFds.size()), reads.data())
                           : UringProbe::read(tcpFds.data(), int(tcpFds.size()), reads.data());
        }
    }

    for (int i = 0; i < n; ++i) {
        SocketSample &s = out[i];
        s = SocketSample{};
        const int k = tcpAt[std::size_t(i)];
        const UringReads *pre = batched && k >= 0 && reads[std::size_t(k)].memLen >= 0
                                    ? &reads[std::size_t(k)]
                                    : nullptr;
        readSocket(fds[i], isTcp[i], s, pre);
        if (!s.ok)
            continue;
        s.readiness =
            polled ? readinessFromRevents(pfds[std::size_t(i)].revents) : readiness(fds[i]);
    }
}

} // namespace sl::sys
