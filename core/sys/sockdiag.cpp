// SockDiag: one NETLINK_SOCK_DIAG dump per address family (what `ss -tan` does).
//
// The request is an inet_diag_req_v2 with NLM_F_DUMP; the kernel answers with one or
// more datagrams, each holding several inet_diag_msg records, and ends the dump with
// NLMSG_DONE (or NLMSG_ERROR carrying -errno). AF_INET6 dumps include dual-stack
// sockets, AF_INET dumps do not include AF_INET6 sockets: no record appears twice.
//
// The kernel could filter by port with an INET_DIAG_REQ_BYTECODE program; filtering in
// userspace is simpler and a dump of a test machine is a few hundred records.
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
#include <sys/stat.h>
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
void readAttributes(const nlmsghdr *h, DiagSocket &d) {
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
        }
    }
}

// One dump for one family; appends matching records. Returns 0 or an errno.
int dumpFamily(int nl, std::uint8_t family, std::uint32_t seq, const std::vector<int> &ports,
               std::vector<DiagSocket> &out) {
    struct {
        nlmsghdr nlh;
        inet_diag_req_v2 req;
    } msg{};
    msg.nlh.nlmsg_len = sizeof msg;
    msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    msg.nlh.nlmsg_seq = seq;
    msg.req.sdiag_family = family;
    msg.req.sdiag_protocol = IPPROTO_TCP;
    msg.req.idiag_states = ~0U; // every state, TIME_WAIT and NEW_SYN_RECV included
    // Memory (what `ss -m` shows) and tcp_info (`ss -i`) of full sockets; TIME_WAIT and
    // request sockets carry neither, and their values stay -1.
    msg.req.idiag_ext =
        std::uint8_t((1U << (INET_DIAG_INFO - 1)) | (1U << (INET_DIAG_SKMEMINFO - 1)));
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK; // nl_pid 0: the kernel
    ssize_t n;
    do {
        n = ::sendto(nl, &msg, sizeof msg, 0, reinterpret_cast<sockaddr *>(&kernel), sizeof kernel);
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
            const auto *m = static_cast<const inet_diag_msg *>(NLMSG_DATA(h));
            const int sport = ntohs(m->id.idiag_sport);
            const int dport = ntohs(m->id.idiag_dport);
            if (!ports.empty() && std::find(ports.begin(), ports.end(), sport) == ports.end() &&
                std::find(ports.begin(), ports.end(), dport) == ports.end())
                continue;
            DiagSocket d;
            d.state = m->idiag_state <= std::uint8_t(TcpState::NewSynRecv)
                          ? TcpState(m->idiag_state)
                          : TcpState::Unknown;
            d.local = diagAddr(m->idiag_family, m->id.idiag_src, m->id.idiag_sport);
            d.peer = diagAddr(m->idiag_family, m->id.idiag_dst, m->id.idiag_dport);
            d.inode = m->idiag_inode;
            d.recvQ = m->idiag_rqueue;
            d.sendQ = m->idiag_wqueue;
            readAttributes(h, d);
            out.push_back(d);
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
    int rc = dumpFamily(nl, AF_INET, 1, ports, out);
    if (rc == 0)
        rc = dumpFamily(nl, AF_INET6, 2, ports, out);
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
