#include "view/queuefill.h"

#include <algorithm>

namespace sl::ui {

double QueueFill::ratio() const {
    if (full)
        return 1.0;
    if (used <= 0 || capacity <= 0)
        return 0.0;
    return std::clamp(double(used) / double(capacity), 0.0, 1.0);
}

// Placeholder until the kernel data is wired (issue 8, point 1 and 2): the plain
// SIOCINQ/SIOCOUTQ against SO_RCVBUF/SO_SNDBUF the views used so far.
QueueFill recvFill(const StageState &, const SocketSnap &s) {
    QueueFill f;
    if (!s.hasSample)
        return f;
    f.used = s.sample.recvQ;
    f.capacity = s.sample.rcvbuf;
    f.full = f.used >= 0 && f.capacity > 0 && f.used >= f.capacity;
    return f;
}

QueueFill sendFill(const StageState &, const SocketSnap &s) {
    QueueFill f;
    if (!s.hasSample)
        return f;
    f.used = s.sample.sendQ;
    f.capacity = s.sample.sndbuf;
    f.full = f.used >= 0 && f.capacity > 0 && f.used >= f.capacity;
    return f;
}

} // namespace sl::ui
