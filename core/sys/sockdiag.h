// SockDiag: the kernel's own list of TCP sockets, through NETLINK_SOCK_DIAG (the
// interface behind `ss`). It shows what no descriptor shows: connections waiting in
// an accept queue, orphaned FIN_WAIT1/FIN_WAIT2 sockets and TIME_WAIT.
//
// Thread affinity: none; each call opens its own netlink socket.
#pragma once

#include "sys/kernelprobe.h"
#include "sys/net.h"

#include <QHash>
#include <vector>

namespace sl::sys {

struct DiagSocket {
    TcpState state = TcpState::Unknown;
    SockAddr local;
    SockAddr peer;
    std::uint32_t inode = 0; // 0: no descriptor (accept queue, FIN_WAIT2, TIME_WAIT)
    std::uint32_t recvQ = 0; // idiag_rqueue (listener: accept-queue length)
    std::uint32_t sendQ = 0; // idiag_wqueue (listener: backlog)
    int ownerFd = -1;        // a descriptor of this process with that inode, or -1
    // Full sockets only (not TIME_WAIT, not request sockets); -1 = not reported.
    std::int32_t rcvbuf = -1, sndbuf = -1; // INET_DIAG_SKMEMINFO
    std::int32_t rcvMem = -1;              // rmem_alloc
    std::int32_t drops = -1;               // sk_drops
    std::int32_t peerWnd = -1;             // INET_DIAG_INFO: tcpi_snd_wnd
};

class SockDiag {
public:
    // IPv4 and IPv6 TCP sockets whose local or peer port is in `ports`, in every
    // state. ownerFd is filled from this process's /proc/self/fd. On failure returns
    // an empty list and sets *err to the errno.
    static std::vector<DiagSocket> tcpSockets(const std::vector<int> &ports, int *err = nullptr);
    // B2: samples n TCP descriptors with one dump per address family, filtered in the
    // kernel to sockets whose local or peer port is in `ports` (INET_DIAG_REQ_BYTECODE),
    // matched to fds[i] by inodes[i] (inodeOf(), cached by the caller), plus one poll()
    // for readiness. out[i] equals KernelProbe::sample(fds[i], true) field by field
    // (tst_sockdiag checks it); out[i].ok is false where the dump cannot say the same
    // (not listed, not a full socket, CLOSE: whether a FIN came in decides SIOCINQ;
    // unsent bytes: the dump's send_q and peer_wnd lagged the descriptor's by a segment)
    // and the caller probes that descriptor itself. Returns 0 or an errno (then all !ok).
    static int sampleTcp(const int *fds, const std::uint32_t *inodes, int n,
                         const std::vector<int> &ports, SocketSample *out);
    // inode -> fd for every socket descriptor of this process.
    static QHash<std::uint32_t, int> socketInodes();
    // inode of one descriptor (fstat), 0 when it is not a socket.
    static std::uint32_t inodeOf(int fd);
};

} // namespace sl::sys
