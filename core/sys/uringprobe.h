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
// Ownership and thread affinity: each read() sets up its own ring and closes it before
// it returns (no descriptor outlives the call, none is shared with a forked child);
// read() may run on any thread, several at once.
#pragma once

#include <cstdint>

namespace sl::sys {

struct UringReads {
    int inq = -1;    // SIOCINQ, or -errno
    int outq = -1;   // SIOCOUTQ, or -errno
    int memLen = -1; // bytes SO_MEMINFO wrote, or -errno
    std::uint32_t mem[16] = {};
};

class UringProbe {
public:
    // Reads SIOCINQ, SIOCOUTQ and SO_MEMINFO of fds[0..n) into out[0..n). Returns false
    // (out untouched) when the ring cannot be used; a per-socket failure (EBADF: a
    // descriptor closed meanwhile) is in that socket's fields instead.
    static bool read(const int *fds, int n, UringReads *out);
    // Whether read() may be used at all: false after io_uring proved unusable here, or
    // after setEnabled(false) (benchmarks and tests compare the two paths).
    static bool usable();
    static void setEnabled(bool on);
};

} // namespace sl::sys
