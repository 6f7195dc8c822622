// QueueFill: how full a socket's queues are, as the kernel means it. The stage, the
// Inspector, the Playground, the presentation view and the terminal report all draw
// their bars from these numbers, so "full" means the same everywhere: the kernel will
// not take more.
//
// Thread affinity: none (pure functions of a SocketSnap).
#pragma once

#include "view/stagestate.h"

#include <cstdint>

namespace sl::ui {

struct QueueFill {
    std::int64_t used = -1;     // bytes of data waiting (TCP) / memory in use (UDP), -1 = n/a
    std::int64_t capacity = -1; // what the queue can hold in the same unit, -1 = n/a
    bool full = false;          // the kernel takes no more (window 0, UDP drops, used ≥ capacity)
    bool window0 = false;       // TCP: this side's advertised window is 0 / the peer's is 0
    int datagrams = -1;         // UDP: datagrams waiting, -1 = n/a
    std::int64_t drops = -1;    // UDP: datagrams dropped since the socket was made, -1 = n/a
    double ratio() const;       // used / capacity in [0, 1]; 1 when full
};

// The receive queue of `s` (TCP: data against the data the socket can hold; UDP: the
// kernel's receive memory against SO_RCVBUF, with datagrams and drops).
QueueFill recvFill(const StageState &st, const SocketSnap &s);
// The send queue of `s`; window0 is set when the peer advertises a zero window.
QueueFill sendFill(const StageState &st, const SocketSnap &s);

} // namespace sl::ui
