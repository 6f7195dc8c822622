// KernelProbe: what the kernel knows about one socket, read without disturbing it.
//
// A sample reads TCP_INFO (state; for a listener tcpi_unacked is the accept-queue
// length and tcpi_sacked the backlog), SO_SNDBUF/SO_RCVBUF, SIOCOUTQ (bytes in the
// send queue, sent or not), SIOCOUTQNSD (the not-yet-sent part), SIOCINQ (bytes
// waiting to be read), SO_MEMINFO's receive memory and drops, TCP_INFO's tcpi_snd_wnd
// (the window the peer advertises), and readiness from poll() with a zero timeout.
//
// The probe must never change what the program will see next: it never reads
// SO_ERROR (reading clears it), never calls recv (not even MSG_PEEK on a datagram
// socket: harmless, but it is not needed), and never changes a flag.
// Values the kernel cannot report for this kind of socket are -1 ("n/a"); on a
// listener the queue ioctls fail with EINVAL, so sendQ/unsent/recvQ are -1 there.
//
// Thread affinity: none; a probe may run on any thread while another thread is
// blocked in a call on the same descriptor. The caller guarantees the fd is not
// closed (and its number reused) during the sample.
#pragma once

#include <cstdint>
#include <vector>

namespace sl::sys {

class UringProbe;

// Linux numbering (include/net/tcp_states.h); 0 means unknown / not TCP.
enum class TcpState : std::uint8_t {
    Unknown = 0,
    Established = 1,
    SynSent = 2,
    SynRecv = 3,
    FinWait1 = 4,
    FinWait2 = 5,
    TimeWait = 6,
    Close = 7,
    CloseWait = 8,
    LastAck = 9,
    Listen = 10,
    Closing = 11,
    NewSynRecv = 12,
};
const char *tcpStateName(TcpState s);        // "ESTABLISHED", …, "n/a" for Unknown
TcpState tcpStateFromName(const char *name); // inverse; Unknown if no match

// Bits of SocketSample::readiness.
enum Readiness : std::uint8_t {
    Readable = 1,   // POLLIN: recv/accept will not block
    Writable = 2,   // POLLOUT: send-buffer space
    Error = 4,      // POLLERR: a pending error (SO_ERROR is set)
    HangUp = 8,     // POLLHUP: both directions shut
    PeerClosed = 16 // POLLRDHUP: the peer sent FIN (half-closed from its side)
};

struct SocketSample {
    TcpState state = TcpState::Unknown;
    std::uint8_t readiness = 0; // Readiness bits
    bool listener = false;
    bool ok = false;          // false when the fd is not a socket / is closed
    std::int32_t sndbuf = -1; // SO_SNDBUF as the kernel reports it (doubled)
    std::int32_t rcvbuf = -1;
    std::int32_t sendQ = -1;   // SIOCOUTQ
    std::int32_t unsent = -1;  // SIOCOUTQNSD
    std::int32_t recvQ = -1;   // SIOCINQ
    std::int32_t acceptQ = -1; // listener: tcpi_unacked
    std::int32_t backlog = -1; // listener: tcpi_sacked
    std::int32_t peerWnd = -1; // TCP: tcpi_snd_wnd, the window the peer advertises
    std::int32_t rcvMem = -1;  // SO_MEMINFO: receive-queue memory (rmem_alloc)
    std::int32_t drops = -1;   // SO_MEMINFO: packets dropped since the socket was made
    bool operator==(const SocketSample &) const = default;
};

class KernelProbe {
public:
    // One socket. isTcp selects whether TCP_INFO is read (false for UDP, AF_UNIX).
    static SocketSample sample(int fd, bool isTcp);
    // Readiness only (one poll with a zero timeout).
    static std::uint8_t readiness(int fd);
    // Many sockets: one poll() over all of them, then the per-socket reads; from
    // BatchFrom TCP sockets on, their SO_MEMINFO, SIOCINQ and SIOCOUTQ go through one
    // io_uring batch (sys/uringprobe.h) and only TCP_INFO stays a call per socket.
    // The samples are the same either way (tst_probe compares them). ring: a kept ring
    // to use (the caller serialises its use); null sets one up for this call only.
    static void sampleMany(const int *fds, const bool *isTcp, SocketSample *out, int n,
                           UringProbe *ring = nullptr);
    // From how many TCP sockets the ring is used: below it the batch saves too few
    // system calls to be worth a ring's commands. Tests lower it to 1.
    static int batchFrom();
    static void setBatchFrom(int n);
};

} // namespace sl::sys
