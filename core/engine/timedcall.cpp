// settimeout(t > 0) as CPython does it (Modules/socketmodule.c, sock_call_ex and
// internal_connect): the descriptor is O_NONBLOCK, and each call first waits in
// poll() for the socket to be ready, up to t seconds from the start of the call,
// then makes the non-blocking system call (again, if poll() was a false positive).
// So a send() on a timeout socket takes what fits and returns at once (a partial
// count), and a call that runs out of time raises TimeoutError with no errno.
//
// Thread affinity: the actor's thread (the Interpreter's).
#include "engine/interpreter.h"

#include "sys/errors.h"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <poll.h>

namespace sl::engine {

namespace {

std::int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

std::int64_t Interpreter::deadlineAfter(double seconds) {
    // A timeout of hours is still a timeout; cap it where the arithmetic stays exact.
    const double capped = std::min(seconds, 1e9);
    return nowNs() + std::int64_t(std::ceil(capped * 1e9));
}

int Interpreter::waitReady(const LabSocket &s, bool writing, std::int64_t deadlineNs) {
    for (;;) {
        const std::int64_t left = deadlineNs - nowNs();
        if (left < 0)
            return TimedOut;
        const int fd = s.fd.load();
        if (fd < 0)
            return EBADF;
        pollfd p{fd, short(writing ? POLLOUT : POLLIN), 0};
        // CPython rounds the interval up to whole milliseconds (_PyTime_ROUND_CEILING).
        const int ms = int(std::min<std::int64_t>((left + 999999) / 1000000, 1 << 30));
        const int rc = ::poll(&p, 1, ms);
        if (rc < 0 && errno == EINTR)
            continue; // PEP 475: retry with the time that is left
        if (rc < 0)
            return errno;
        return rc == 0 ? TimedOut : 0;
    }
}

sys::SysResult Interpreter::timeoutResult() {
    // CPython's SOCK_TIMEOUT_ERR: what connect_ex() returns when its time runs out,
    // and what the trace records for a call that timed out (raiseErrno() turns it
    // into TimeoutError, errno None, for a socket with a timeout).
    return sys::SysResult::failure(EWOULDBLOCK);
}

sys::SysResult Interpreter::connectTimed(LabSocket &s, const sys::SockAddr &a) {
    const sys::SysResult r = sys::connect(s.fd.load(), a);
    const double t = s.timeout.load(std::memory_order_relaxed);
    if (r.ok() || !(t > 0) || r.err != EINPROGRESS)
        return r; // non-blocking (t == 0) raises EINPROGRESS, as CPython does
    const std::int64_t deadline = deadlineAfter(t);
    for (;;) {
        const int w = waitReady(s, true, deadline);
        if (w == TimedOut)
            return timeoutResult();
        if (w != 0)
            return sys::SysResult::failure(w);
        int pending = 0;
        const sys::SysResult g = sys::getsockoptError(s.fd.load(), &pending);
        if (!g.ok())
            return g;
        if (pending == 0 || pending == EISCONN)
            return sys::SysResult::success(0);
        if (pending != EAGAIN && pending != EWOULDBLOCK)
            return sys::SysResult::failure(pending);
    }
}

} // namespace sl::engine
