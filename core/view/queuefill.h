// QueueFill: how full a socket's queues are, as the kernel means it. The stage, the
// Inspector, the Playground, the presentation view and the terminal report all draw
// their bars from these numbers, so "full" means the same everywhere: the kernel will
// not take more.
//
//  - TCP receive: bytes of data waiting (SIOCINQ) against the data the socket can hold,
//    which is the data waiting plus the room left in the window it advertises (read on
//    its peer: tcpi_snd_wnd less the bytes in flight). SO_RCVBUF counts memory, and each
//    segment's bookkeeping
//    takes its share: with SO_RCVBUF 4096 (8,192 of memory) the window closes at
//    4,096 bytes of data (queuefill.cpp has the measurements).
//  - TCP send: bytes not yet acknowledged (SIOCOUTQ) against SO_SNDBUF; window0 when the
//    peer advertises a zero window.
//  - UDP receive: the kernel's receive memory (SO_MEMINFO rmem_alloc) against SO_RCVBUF,
//    the datagrams that memory holds, and the datagrams dropped since the socket was made.
//
// Thread affinity: none (pure functions of a StageState).
#pragma once

#include "view/stagestate.h"

#include <cstdint>

namespace sl::ui {

struct QueueFill {
    std::int64_t used = -1;      // bytes of data waiting (TCP) / memory in use (UDP), -1 = n/a
    std::int64_t capacity = -1;  // what the queue can hold in the same unit, -1 = n/a
    bool full = false;           // the kernel takes no more (window 0, no room for a datagram)
    bool window0 = false;        // TCP: this side's advertised window is 0 / the peer's is 0
    int datagrams = -1;          // UDP: datagrams waiting, -1 = n/a
    std::int64_t dataBytes = -1; // UDP: bytes of data in them (≈ datagrams × next length)
    std::int64_t drops = -1;     // UDP: datagrams dropped since the socket was made, -1 = n/a
    bool estimated = false;      // capacity (TCP) or datagrams (UDP) is an estimate
    // A queue holding anything is drawn at least this full, so that 35 bytes against
    // 8,192 remain visible (a 4 % sliver) instead of rounding to an empty bar.
    static constexpr double MinVisible = 0.04;
    double ratio() const; // used / capacity in [0, 1]; 1 when full; ≥ MinVisible if used > 0
};

// The receive queue of `s` (TCP: data against the data the socket can hold; UDP: the
// kernel's receive memory against SO_RCVBUF, with datagrams and drops).
QueueFill recvFill(const StageState &st, const SocketSnap &s);
// The send queue of `s`; window0 is set when the peer advertises a zero window.
QueueFill sendFill(const StageState &st, const SocketSnap &s);

// The memory (skb truesize) one datagram of `len` bytes takes in a UDP receive queue on
// loopback, as measured on Linux 6.18 x86-64 (queuefill.cpp). Used to count datagrams.
std::int64_t udpTruesize(std::int64_t len);

} // namespace sl::ui
