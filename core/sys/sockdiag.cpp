// SockDiag: one NETLINK_SOCK_DIAG dump per address family (what `ss -tan` does).
//
// The request is an inet_diag_req_v2 with NLM_F_DUMP; the kernel answers with one or
// more datagrams, each holding several inet_diag_msg records, and ends the dump with
// NLMSG_DONE (or NLMSG_ERROR carrying -errno). AF_INET6 dumps include dual-stack
// sockets, AF_INET dumps do not include AF_INET6 sockets: no record appears twice.
//
// The kernel filters the dump by port with an INET_DIAG_REQ_BYTECODE program (the one
// `ss 'sport = :P or dport = :P'` sends), so only the lab's sockets are copied out: an
// unfiltered dump walks and copies every TCP socket of the machine (B2).
#include "sys/sockdiag.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

namespace sl::sys {

namespace {

SockAddr diagAddr(int family, const __be32 *addr, __be16 port) {
    SockAddr a;
    if (family == AF_INET) {
        auto *sin = reinterpret_cast<sockaddr_in *>(&a.ss);
        sin->sin_family = AF_INET;
        sin->sin_port = port; // already network order
        std::memcpy(&sin->sin_addr, addr, 4);
        a.len = sizeof(sockaddr_in);
    } else {
        auto *sin6 = reinterpret_cast<sockaddr_in6 *>(&a.ss);
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = port;
        std::memcpy(&sin6->sin6_addr, addr, 16);
        a.len = sizeof(sockaddr_in6);
    }
    return a;
}

// The attributes after an inet_diag_msg: SO_MEMINFO's array and TCP_INFO, as a
// descriptor's getsockopt would give them (each as long as this kernel makes it).
void readAttributes(const nlmsghdr *h, DiagSocket &d, std::int32_t *unsent = nullptr) {
    const auto *m = static_cast<const inet_diag_msg *>(NLMSG_DATA(h));
    int len = int(h->nlmsg_len) - int(NLMSG_LENGTH(sizeof(inet_diag_msg)));
    auto *a = reinterpret_cast<rtattr *>(
        const_cast<char *>(reinterpret_cast<const char *>(m) + NLMSG_ALIGN(sizeof *m)));
    for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        const auto bytes = std::size_t(RTA_PAYLOAD(a));
        if (a->rta_type == INET_DIAG_SKMEMINFO) {
            std::uint32_t mem[SK_MEMINFO_VARS] = {};
            std::memcpy(mem, RTA_DATA(a), std::min(bytes, sizeof mem));
            if (bytes >= (SK_MEMINFO_SNDBUF + 1) * sizeof mem[0]) {
                d.rcvMem = std::int32_t(mem[SK_MEMINFO_RMEM_ALLOC]);
                d.rcvbuf = std::int32_t(mem[SK_MEMINFO_RCVBUF]);
                d.sndbuf = std::int32_t(mem[SK_MEMINFO_SNDBUF]);
            }
            if (bytes >= (SK_MEMINFO_DROPS + 1) * sizeof mem[0])
                d.drops = std::int32_t(mem[SK_MEMINFO_DROPS]);
        } else if (a->rta_type == INET_DIAG_INFO) {
            tcp_info ti{};
            std::memcpy(&ti, RTA_DATA(a), std::min(bytes, sizeof ti));
            if (bytes >= offsetof(tcp_info, tcpi_snd_wnd) + sizeof ti.tcpi_snd_wnd)
                d.peerWnd = std::int32_t(std::min<std::uint32_t>(ti.tcpi_snd_wnd, INT32_MAX));
            if (unsent &&
                bytes >= offsetof(tcp_info, tcpi_notsent_bytes) + sizeof ti.tcpi_notsent_bytes)
                *unsent = std::int32_t(ti.tcpi_notsent_bytes);
        }
    }
}

// A filter program accepting sockets whose local or peer port lies in one of the ranges
// the sorted `ports` make. Each alternative is three ops: S_GE lo, S_LE hi (each with the
// port in a second op), then a JMP to the end (accept); a failed comparison jumps to the
// next alternative, the last one's to end + 4 (reject). The kernel audits the program by
// walking the "yes" offsets, so every op's "yes" is its own length.
std::vector<inet_diag_bc_op> portFilter(std::vector<int> ports) {
    std::sort(ports.begin(), ports.end());
    ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
    std::vector<std::pair<int, int>> ranges;
    for (int p : ports) {
        if (p < 0 || p > 65535)
            continue;
        if (!ranges.empty() && ranges.back().second + 1 == p)
            ranges.back().second = p;
        else
            ranges.emplace_back(p, p);
    }
    constexpr int AltBytes = 5 * int(sizeof(inet_diag_bc_op)); // GE+port, LE+port, JMP
    const int total = 2 * int(ranges.size()) * AltBytes;
    std::vector<inet_diag_bc_op> ops;
    if (total + 4 > 0xffff)
        return ops; // jumps are 16-bit: no filter, the caller's own check still applies
    int at = 0;
    for (int side = 0; side < 2; ++side) {
        for (const auto &[lo, hi] : ranges) {
            const int next = at + AltBytes; // the next alternative, or the end
            const auto rejectOr = [&](int from) {
                return std::uint16_t((next == total ? total + 4 : next) - from);
            };
            const std::uint8_t ge = side == 0 ? INET_DIAG_BC_S_GE : INET_DIAG_BC_D_GE;
            const std::uint8_t le = side == 0 ? INET_DIAG_BC_S_LE : INET_DIAG_BC_D_LE;
            ops.push_back({ge, 8, rejectOr(at)});
            ops.push_back({0, 0, std::uint16_t(lo)});
            ops.push_back({le, 8, rejectOr(at + 8)});
            ops.push_back({0, 0, std::uint16_t(hi)});
            ops.push_back({INET_DIAG_BC_JMP, 4, std::uint16_t(total - (at + 16))});
            at = next;
        }
    }
    return ops;
}

// One dump for one family, filtered by `filter` when it is not empty; calls `each` for
// every record. Returns 0 or an errno.
template <typename Each>
int dumpFamily(int nl, std::uint8_t family, std::uint8_t protocol, std::uint32_t seq,
               const std::vector<inet_diag_bc_op> &filter, Each each) {
    struct {
        nlmsghdr nlh;
        inet_diag_req_v2 req;
        rtattr bc;
    } msg{};
    msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    msg.nlh.nlmsg_seq = seq;
    msg.req.sdiag_family = family;
    msg.req.sdiag_protocol = protocol;
    msg.req.idiag_states = ~0U; // every state, TIME_WAIT and NEW_SYN_RECV included
    // Memory (what `ss -m` shows) and tcp_info (`ss -i`) of full sockets; TIME_WAIT and
    // request sockets carry neither, and their values stay -1.
    msg.req.idiag_ext =
        std::uint8_t((1U << (INET_DIAG_INFO - 1)) | (1U << (INET_DIAG_SKMEMINFO - 1)));
    const std::size_t filterBytes = filter.size() * sizeof(inet_diag_bc_op);
    msg.bc.rta_type = INET_DIAG_REQ_BYTECODE;
    msg.bc.rta_len = std::uint16_t(RTA_LENGTH(filterBytes));
    const std::size_t head = filter.empty() ? offsetof(decltype(msg), bc) : sizeof msg;
    msg.nlh.nlmsg_len = std::uint32_t(head + filterBytes);
    iovec iov[2] = {{&msg, head}, {const_cast<inet_diag_bc_op *>(filter.data()), filterBytes}};
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK; // nl_pid 0: the kernel
    msghdr mh{};
    mh.msg_name = &kernel;
    mh.msg_namelen = sizeof kernel;
    mh.msg_iov = iov;
    mh.msg_iovlen = filter.empty() ? 1 : 2;
    ssize_t n;
    do {
        n = ::sendmsg(nl, &mh, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return errno;

    // Dump replies are built in skbs of up to 32 KiB; a larger buffer never truncates.
    alignas(nlmsghdr) static thread_local char buf[65536];
    for (;;) {
        do {
            n = ::recv(nl, buf, sizeof buf, 0);
        } while (n < 0 && errno == EINTR);
        if (n < 0)
            return errno;
        if (n == 0)
            return EPROTO;
        int len = int(n);
        for (auto *h = reinterpret_cast<nlmsghdr *>(buf); NLMSG_OK(h, len);
             h = NLMSG_NEXT(h, len)) {
            if (h->nlmsg_seq != seq)
                continue; // a stale answer to an earlier request on this socket
            if (h->nlmsg_type == NLMSG_DONE)
                return 0;
            if (h->nlmsg_type == NLMSG_ERROR) {
                const auto *e = static_cast<const nlmsgerr *>(NLMSG_DATA(h));
                if (h->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr)))
                    return EPROTO;
                return e->error == 0 ? 0 : -e->error;
            }
            if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
                h->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg)))
                continue;
            each(h, static_cast<const inet_diag_msg *>(NLMSG_DATA(h)));
        }
    }
}

} // namespace

std::vector<DiagSocket> SockDiag::tcpSockets(const std::vector<int> &ports, int *err) {
    std::vector<DiagSocket> out;
    if (err)
        *err = 0;
    const int nl = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (nl < 0) {
        if (err)
            *err = errno;
        return out;
    }
    const std::vector<inet_diag_bc_op> filter = portFilter(ports);
    const auto each = [&](const nlmsghdr *h, const inet_diag_msg *m) {
        const int sport = ntohs(m->id.idiag_sport);
        const int dport = ntohs(m->id.idiag_dport);
        // The kernel filtered already; this keeps the answer right on a kernel that
        // ignored the program.
        if (!ports.empty() && std::find(ports.begin(), ports.end(), sport) == ports.end() &&
            std::find(ports.begin(), ports.end(), dport) == ports.end())
            return;
        DiagSocket d;
        d.state = m->idiag_state <= std::uint8_t(TcpState::NewSynRecv) ? TcpState(m->idiag_state)
                                                                       : TcpState::Unknown;
        d.local = diagAddr(m->idiag_family, m->id.idiag_src, m->id.idiag_sport);
        d.peer = diagAddr(m->idiag_family, m->id.idiag_dst, m->id.idiag_dport);
        d.inode = m->idiag_inode;
        d.recvQ = m->idiag_rqueue;
        d.sendQ = m->idiag_wqueue;
        readAttributes(h, d);
        out.push_back(d);
    };
    int rc = dumpFamily(nl, AF_INET, IPPROTO_TCP, 1, filter, each);
    if (rc == 0)
        rc = dumpFamily(nl, AF_INET6, IPPROTO_TCP, 2, filter, each);
    ::close(nl);
    if (rc != 0) {
        if (err)
            *err = rc;
        return {};
    }
    // Sockets in an accept queue, FIN_WAIT2/TIME_WAIT and request sockets have inode 0:
    // no descriptor can point at them.
    const QHash<std::uint32_t, int> owners = socketInodes();
    for (DiagSocket &d : out) {
        if (d.inode != 0)
            d.ownerFd = owners.value(d.inode, -1);
    }
    return out;
}

int SockDiag::sampleTcp(const int *fds, const std::uint32_t *inodes, int n,
                        const std::vector<int> &ports, SocketSample *out) {
    for (int i = 0; i < n; ++i)
        out[i] = SocketSample{};
    if (n <= 0)
        return 0;
    const int nl = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (nl < 0)
        return errno;
    // inode -> index; reused between calls (the sampler runs every 10 ms).
    thread_local QHash<std::uint32_t, int> where;
    where.clear();
    where.reserve(n);
    for (int i = 0; i < n; ++i)
        if (inodes[i] != 0)
            where.insert(inodes[i], i);
    const std::vector<inet_diag_bc_op> filter = portFilter(ports);
    const auto each = [&](const nlmsghdr *h, const inet_diag_msg *m) {
        const auto it = where.constFind(m->idiag_inode);
        if (m->idiag_inode == 0 || it == where.constEnd())
            return;
        DiagSocket d;
        d.recvQ = m->idiag_rqueue;
        d.sendQ = m->idiag_wqueue;
        std::int32_t unsent = -1;
        readAttributes(h, d, &unsent);
        SocketSample &s = out[*it];
        s.ok = d.sndbuf >= 0; // a full socket with its memory: what SO_MEMINFO gives
        s.sndbuf = d.sndbuf;
        s.rcvbuf = d.rcvbuf;
        s.rcvMem = d.rcvMem;
        s.drops = d.drops;
        s.state = m->idiag_state < std::uint8_t(TcpState::NewSynRecv) + 1 ? TcpState(m->idiag_state)
                                                                          : TcpState::Unknown;
        if (s.state == TcpState::Listen) {
            // tcp_diag_get_info: a listener's rqueue is sk_ack_backlog, its wqueue
            // sk_max_ack_backlog — what TCP_INFO's unacked/sacked give a descriptor.
            s.listener = true;
            s.acceptQ = std::int32_t(d.recvQ);
            s.backlog = std::int32_t(d.sendQ);
            return;
        }
        const bool syn = s.state == TcpState::SynSent || s.state == TcpState::SynRecv;
        // SIOCINQ and SIOCOUTQ answer 0 in the SYN states (the SYN's sequence number is in
        // write_seq - snd_una); SIOCINQ is rcv_nxt - copied_seq less the FIN's sequence
        // number once a FIN arrived (SOCK_DONE: CLOSE_WAIT, LAST_ACK, CLOSING, TIME_WAIT).
        s.sendQ = syn ? 0 : std::int32_t(d.sendQ);
        std::int32_t inq = syn ? 0 : std::int32_t(d.recvQ);
        const bool finIn = s.state == TcpState::CloseWait || s.state == TcpState::LastAck ||
                           s.state == TcpState::Closing || s.state == TcpState::TimeWait;
        if (finIn && inq > 0)
            --inq;
        s.recvQ = inq;
        s.unsent = syn ? 0 : unsent;
        s.peerWnd = d.peerWnd;
        // CLOSE: a reset or both FINs; whether a FIN came in is not in the record, so
        // SIOCINQ itself says (the caller probes a sample left !ok by descriptor).
        // Bytes waiting for the peer's window: measured here (tst_sockdiag), the dump's
        // send queue and peer window were one segment behind the descriptor's every
        // time (an ACK the socket had not yet processed), so those are probed by
        // descriptor too.
        if (s.state == TcpState::Close || s.unsent > 0)
            s.ok = false;
    };
    int rc = dumpFamily(nl, AF_INET, IPPROTO_TCP, 1, filter, each);
    if (rc == 0)
        rc = dumpFamily(nl, AF_INET6, IPPROTO_TCP, 2, filter, each);
    ::close(nl);
    if (rc != 0) {
        for (int i = 0; i < n; ++i)
            out[i] = SocketSample{};
        return rc;
    }
    // Readiness is not in the dump: one poll() over all descriptors.
    thread_local std::vector<pollfd> pfds;
    pfds.resize(std::size_t(n));
    for (int i = 0; i < n; ++i)
        pfds[std::size_t(i)] = pollfd{out[i].ok ? fds[i] : -1, POLLIN | POLLOUT | POLLRDHUP, 0};
    int prc;
    do {
        prc = ::poll(pfds.data(), nfds_t(n), 0);
    } while (prc < 0 && errno == EINTR);
    for (int i = 0; i < n; ++i) {
        if (!out[i].ok)
            continue;
        if (prc < 0) {
            out[i].readiness = KernelProbe::readiness(fds[i]);
            continue;
        }
        const short r = pfds[std::size_t(i)].revents;
        out[i].readiness =
            std::uint8_t(((r & POLLIN) ? Readable : 0) | ((r & POLLOUT) ? Writable : 0) |
                         ((r & POLLERR) ? Error : 0) | ((r & POLLHUP) ? HangUp : 0) |
                         ((r & POLLRDHUP) ? PeerClosed : 0));
    }
    return 0;
}

QHash<std::uint32_t, int> SockDiag::socketInodes() {
    QHash<std::uint32_t, int> map;
    DIR *dir = ::opendir("/proc/self/fd");
    if (!dir)
        return map;
    const int dfd = ::dirfd(dir);
    char link[64];
    while (const dirent *e = ::readdir(dir)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        const int fd = std::atoi(e->d_name);
        if (fd == dfd)
            continue;
        // The link reads "socket:[12345]" for a socket (the inode of sockfs).
        const ssize_t n = ::readlinkat(dfd, e->d_name, link, sizeof link - 1);
        if (n <= 8 || std::strncmp(link, "socket:[", 8) != 0)
            continue;
        link[n] = '\0';
        const auto inode = std::uint32_t(std::strtoul(link + 8, nullptr, 10));
        // Several descriptors may share an inode (dup); keep the lowest number.
        auto it = map.find(inode);
        if (it == map.end())
            map.insert(inode, fd);
        else if (fd < it.value())
            it.value() = fd;
    }
    ::closedir(dir);
    return map;
}

std::uint32_t SockDiag::inodeOf(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode))
        return 0;
    return std::uint32_t(st.st_ino);
}

} // namespace sl::sys
