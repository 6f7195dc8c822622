// UringProbe: the per-socket reads of a probe that io_uring can make, batched.
//
// Since Linux 6.7 a socket answers three io_uring commands (IORING_OP_URING_CMD):
// SIOCINQ, SIOCOUTQ and getsockopt() at level SOL_SOCKET. They run the same kernel
// code as ioctl() and getsockopt() (tcp_ioctl, sk_getsockopt), but a thousand of them
// cost a few io_uring_enter() calls instead of a thousand system calls — and on this VM a
// system call's entry and exit is most of a probe's cost (B2: ~0.5 µs each, against
// ~0.2 µs for the same read as a ring command). TCP_INFO is IPPROTO_TCP level, which
// the ring refuses (EOPNOTSUPP), so it stays a getsockopt() per socket.
//
// The reads are the probe's own, with no side effect: SIOCINQ, SIOCOUTQ and SO_MEMINFO
// (see kernelprobe.cpp for why each is safe).
//
// Where io_uring is missing (older kernel, `kernel.io_uring_disabled`, a seccomp
// filter) or refuses socket commands, read() returns false once and for all and the
// caller reads by descriptor: the numbers are the same, only slower.
//
// Two ways to use it:
// - UringProbe::read() (static) sets up a ring, reads and closes it before it returns:
//   no descriptor outlives the call. A fresh ring's setup and first commands cost about
//   as much as the system calls they save (B2: 3.7-4.5 ms for 1,000 sockets against
//   3.6-4.2 by descriptor), so it is the fallback, not the fast path.
// - A UringProbe object keeps its ring from the first readKept() until close() or its
//   destruction (B2: 1.6-1.8 ms for 1,000 sockets). SocketTable owns one and closes it
//   with the sockets in closeAll(), so no descriptor of the lab outlives a reset().
//
// Ownership and thread affinity: static read() on any thread, several at once. A
// UringProbe object is used by one thread at a time (its owner serialises the calls:
// SocketTable under its probe mutex), which may differ from call to call (the ring is
// set up without IORING_SETUP_SINGLE_ISSUER). In a forked child the parent's kept ring
// is never used (its rings are shared memory with the parent): readKept() there takes
// the static path.
#pragma once

#include <cstdint>
#include <memory>
#include <sys/types.h>

namespace sl::sys {

struct UringReads {
    int inq = -1;    // SIOCINQ, or -errno
    int outq = -1;   // SIOCOUTQ, or -errno
    int memLen = -1; // bytes SO_MEMINFO wrote, or -errno
    std::uint32_t mem[16] = {};
};

class UringProbe {
public:
    UringProbe();
    ~UringProbe();
    UringProbe(const UringProbe &) = delete;
    UringProbe &operator=(const UringProbe &) = delete;

    // As read(), through this object's ring (set up on first use, kept until close()).
    bool readKept(const int *fds, int n, UringReads *out);
    // Closes the kept ring (its descriptor and mappings); the next readKept() sets up
    // a new one. Idempotent.
    void close();
    bool hasRing() const;

    // Reads SIOCINQ, SIOCOUTQ and SO_MEMINFO of fds[0..n) into out[0..n). Returns false
    // (out untouched) when the ring cannot be used; a per-socket failure (EBADF: a
    // descriptor closed meanwhile) is in that socket's fields instead.
    static bool read(const int *fds, int n, UringReads *out);
    // Whether read() may be used at all: false after io_uring proved unusable here, or
    // after setEnabled(false) (benchmarks and tests compare the two paths).
    static bool usable();
    static void setEnabled(bool on);

private:
    struct Kept;
    std::unique_ptr<Kept> m_kept;
    pid_t m_pid = 0; // the process that set the ring up
};

} // namespace sl::sys
