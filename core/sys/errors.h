// Results of system calls, and errno as a learner should see it.
//
// Every wrapper in core/sys returns a SysResult instead of setting a global: the
// value the kernel returned and the errno it left (0 when the call succeeded).
// errno is shown by name (EAGAIN), with its message, and with the exception Python
// raises for it (BlockingIOError), because the learner reads Python's HOWTO.
//
// Thread affinity: none; all functions are pure and thread-safe.
#pragma once

#include <QString>
#include <cstdint>

namespace sl::sys {

struct SysResult {
    std::int64_t ret = -1; // what the kernel returned (fd, byte count, 0, -1 …)
    int err = 0;           // errno when the call failed, 0 otherwise
    bool ok() const { return err == 0; }
    static SysResult success(std::int64_t r) { return {r, 0}; }
    static SysResult failure(int e) { return {-1, e}; }
};

// "EAGAIN", "ECONNRESET", …; "E?<n>" for a number the table does not know.
// The returned pointer is static (never freed). A negative number is a getaddrinfo()
// EAI_* code, which CPython's socket.gaierror carries as its errno: "EAI_NONAME"; the
// functions below treat it alike (gai_strerror() text, socket.gaierror).
const char *errnoName(int err);

// The errno's number for a name such as "EAGAIN" (also accepts "EWOULDBLOCK"),
// or 0 when the name is unknown.
int errnoFromName(const QString &name);

// strerror() text, e.g. "Resource temporarily unavailable".
QString errnoMessage(int err);

// The Python exception class socket calls raise for this errno:
// EAGAIN -> BlockingIOError, ECONNRESET -> ConnectionResetError,
// EPIPE -> BrokenPipeError, ECONNREFUSED -> ConnectionRefusedError,
// ETIMEDOUT -> TimeoutError, EINPROGRESS -> BlockingIOError, … ; OSError otherwise.
const char *pythonExceptionName(int err);

// "EAGAIN (BlockingIOError: Resource temporarily unavailable)"
QString describeErrno(int err);

} // namespace sl::sys
