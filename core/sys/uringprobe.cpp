// UringProbe: a minimal io_uring (raw system calls, no liburing: the build takes nothing
// beyond Debian's Qt) used only for the three socket reads of a probe.
//
// The socket commands are Linux 6.7+ (SOCKET_URING_OP_*); Debian 12's kernel headers
// (6.1) do not name them, nor the SQE fields getsockopt uses, so those are written at
// their fixed ABI offsets below, each one checked against a field 6.1 does name.
#include "sys/uringprobe.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <linux/io_uring.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

namespace sl::sys {

namespace {

// include/uapi/linux/io_uring.h (6.7+): enum io_uring_socket_op.
constexpr std::uint32_t SocketOpSiocInq = 0, SocketOpSiocOutq = 1, SocketOpGetsockopt = 2;
// SQE fields of the getsockopt command, by offset: level and optname share the 8 bytes
// of `addr`, optlen is `splice_fd_in`, optval is `addr3`.
constexpr std::size_t SqeLevel = offsetof(io_uring_sqe, addr);
constexpr std::size_t SqeOptname = SqeLevel + 4;
constexpr std::size_t SqeOptlen = offsetof(io_uring_sqe, splice_fd_in);
constexpr std::size_t SqeOptval = offsetof(io_uring_sqe, addr3);
static_assert(SqeLevel == 16 && SqeOptlen == 44 && SqeOptval == 48 && sizeof(io_uring_sqe) == 64);

// 170 sockets per io_uring_enter(): 510 of the 512 slots. 1,000 sockets take six enters
// (≈ 3 µs of 1.5 ms), and a small ring is quick to set up for each read.
constexpr unsigned RingEntries = 512;
constexpr int SocketsPerEnter = 170;
static_assert(SocketsPerEnter * 3 <= int(RingEntries));

template <typename T>
T *at(void *base, std::uint32_t offset) {
    return reinterpret_cast<T *>(static_cast<char *>(base) + offset);
}

class Ring {
public:
    ~Ring() { close(); }
    // singleIssuer: only the thread that set the ring up submits (a ring for one read).
    bool open(bool singleIssuer);
    // Submits k prepared commands and waits for their completions; false on failure.
    bool run(const int *fds, int n, UringReads *out);
    bool isOpen() const { return m_fd >= 0; }
    void close();

private:
    int m_fd = -1;
    void *m_sq = MAP_FAILED, *m_cq = MAP_FAILED;
    std::size_t m_sqLen = 0, m_cqLen = 0, m_sqesLen = 0;
    io_uring_sqe *m_sqes = nullptr;
    unsigned *m_sqHead = nullptr, *m_sqTail = nullptr, *m_sqArray = nullptr;
    unsigned *m_cqHead = nullptr, *m_cqTail = nullptr;
    io_uring_cqe *m_cqes = nullptr;
    unsigned m_sqMask = 0, m_cqMask = 0;
};

bool Ring::open(bool singleIssuer) {
    io_uring_params p{};
    // SUBMIT_ALL: a command that fails (a closed descriptor) does not stop the ones after
    // it. COOP_TASKRUN: no interrupt needed (the commands complete inline).
    // SINGLE_ISSUER: only this thread submits — not for a kept ring, which the sampler
    // thread and an actor's probeAll() take turns on.
    p.flags = IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN |
              (singleIssuer ? IORING_SETUP_SINGLE_ISSUER : 0u);
    int fd = int(::syscall(__NR_io_uring_setup, RingEntries, &p));
    if (fd < 0)
        return false;
    m_fd = fd;
    m_sqLen = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    m_cqLen = p.cq_off.cqes + p.cq_entries * sizeof(io_uring_cqe);
    const bool single = p.features & IORING_FEAT_SINGLE_MMAP;
    if (single)
        m_sqLen = m_cqLen = std::max(m_sqLen, m_cqLen);
    m_sq = ::mmap(nullptr, m_sqLen, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
                  IORING_OFF_SQ_RING);
    if (m_sq == MAP_FAILED)
        return close(), false;
    m_cq = single ? m_sq
                  : ::mmap(nullptr, m_cqLen, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
                           IORING_OFF_CQ_RING);
    if (m_cq == MAP_FAILED)
        return close(), false;
    m_sqesLen = p.sq_entries * sizeof(io_uring_sqe);
    void *sqes = ::mmap(nullptr, m_sqesLen, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
                        IORING_OFF_SQES);
    if (sqes == MAP_FAILED)
        return close(), false;
    m_sqes = static_cast<io_uring_sqe *>(sqes);
    m_sqHead = at<unsigned>(m_sq, p.sq_off.head);
    m_sqTail = at<unsigned>(m_sq, p.sq_off.tail);
    m_sqArray = at<unsigned>(m_sq, p.sq_off.array);
    m_sqMask = *at<unsigned>(m_sq, p.sq_off.ring_mask);
    m_cqHead = at<unsigned>(m_cq, p.cq_off.head);
    m_cqTail = at<unsigned>(m_cq, p.cq_off.tail);
    m_cqes = at<io_uring_cqe>(m_cq, p.cq_off.cqes);
    m_cqMask = *at<unsigned>(m_cq, p.cq_off.ring_mask);
    return true;
}

void Ring::close() {
    if (m_sqes)
        ::munmap(m_sqes, m_sqesLen);
    if (m_cq != MAP_FAILED && m_cq != m_sq)
        ::munmap(m_cq, m_cqLen);
    if (m_sq != MAP_FAILED)
        ::munmap(m_sq, m_sqLen);
    if (m_fd >= 0)
        ::close(m_fd);
    m_sqes = nullptr;
    m_sq = m_cq = MAP_FAILED;
    m_fd = -1;
}

bool Ring::run(const int *fds, int n, UringReads *out) {
    unsigned tail = __atomic_load_n(m_sqTail, __ATOMIC_RELAXED);
    for (int i = 0; i < n; ++i) {
        for (std::uint32_t op = 0; op < 3; ++op) {
            const unsigned slot = tail & m_sqMask;
            io_uring_sqe *s = &m_sqes[slot];
            std::memset(s, 0, sizeof *s);
            s->opcode = IORING_OP_URING_CMD;
            s->fd = fds[i];
            s->cmd_op = op == 0 ? SocketOpSiocInq : op == 1 ? SocketOpSiocOutq : SocketOpGetsockopt;
            s->user_data = (std::uint64_t(i) << 2) | op;
            if (op == 2) {
                const std::uint32_t level = SOL_SOCKET, name = SO_MEMINFO, len = sizeof out[i].mem;
                const std::uint64_t val = reinterpret_cast<std::uintptr_t>(out[i].mem);
                auto *raw = reinterpret_cast<unsigned char *>(s);
                std::memcpy(raw + SqeLevel, &level, 4);
                std::memcpy(raw + SqeOptname, &name, 4);
                std::memcpy(raw + SqeOptlen, &len, 4);
                std::memcpy(raw + SqeOptval, &val, 8);
            }
            m_sqArray[slot] = slot;
            ++tail;
        }
    }
    __atomic_store_n(m_sqTail, tail, __ATOMIC_RELEASE);

    const int want = 3 * n;
    int reaped = 0;
    int busy = 0;
    while (reaped < want) {
        // The commands run inline when submitted (they never wait), so one enter usually
        // returns every completion; the loop covers EINTR and a partial submit.
        const unsigned pending = tail - __atomic_load_n(m_sqHead, __ATOMIC_ACQUIRE);
        const long rc = ::syscall(__NR_io_uring_enter, m_fd, pending, unsigned(want - reaped),
                                  IORING_ENTER_GETEVENTS, nullptr, 0);
        if (rc < 0 && (errno == EAGAIN || errno == EBUSY) && ++busy > 1000)
            return false; // the kernel cannot take them now: read by descriptor this time
        if (rc < 0 && errno != EINTR && errno != EAGAIN && errno != EBUSY)
            return false;
        unsigned head = __atomic_load_n(m_cqHead, __ATOMIC_RELAXED);
        const unsigned cqTail = __atomic_load_n(m_cqTail, __ATOMIC_ACQUIRE);
        for (; head != cqTail; ++head) {
            const io_uring_cqe &c = m_cqes[head & m_cqMask];
            const auto i = std::size_t(c.user_data >> 2);
            const unsigned op = unsigned(c.user_data & 3);
            if (i < std::size_t(n)) {
                UringReads &r = out[i];
                (op == 0 ? r.inq : op == 1 ? r.outq : r.memLen) = c.res;
            }
            ++reaped;
        }
        __atomic_store_n(m_cqHead, head, __ATOMIC_RELEASE);
    }
    return true;
}

// -1 unknown, 0 unusable, 1 usable: decided once per process by a probe of a fresh socket.
std::atomic<int> g_support{-1};
std::atomic<bool> g_enabled{true};

// The kernel must answer SO_MEMINFO through the ring for a socket it knows is fine;
// before 6.7 it says EOPNOTSUPP (the socket file has no uring_cmd).
bool checkSupport(Ring &ring) {
    const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return false;
    UringReads r;
    const bool ran = ring.run(&s, 1, &r);
    ::close(s);
    return ran && r.memLen > 0 && r.inq >= 0 && r.outq >= 0;
}

// Opens the ring (and decides support once per process); false when unusable.
bool openChecked(Ring &ring, bool singleIssuer) {
    if (!ring.open(singleIssuer)) {
        g_support.store(0, std::memory_order_relaxed); // setup refused: io_uring is off here
        return false;
    }
    if (g_support.load(std::memory_order_acquire) < 0) {
        const bool ok = checkSupport(ring);
        g_support.store(ok ? 1 : 0, std::memory_order_release);
        if (!ok) {
            ring.close();
            return false;
        }
    }
    return true;
}

bool readAll(Ring &ring, const int *fds, int n, UringReads *out) {
    for (int done = 0; done < n; done += SocketsPerEnter) {
        const int k = std::min(SocketsPerEnter, n - done);
        for (int i = 0; i < k; ++i)
            out[done + i] = UringReads{};
        if (!ring.run(fds + done, k, out + done))
            return false;
    }
    return true;
}

} // namespace

bool UringProbe::usable() {
    return g_enabled.load(std::memory_order_relaxed) &&
           g_support.load(std::memory_order_relaxed) != 0;
}

void UringProbe::setEnabled(bool on) {
    g_enabled.store(on, std::memory_order_relaxed);
}

struct UringProbe::Kept {
    Ring ring;
};

UringProbe::UringProbe() = default;
UringProbe::~UringProbe() {
    close();
}

bool UringProbe::hasRing() const {
    return m_kept && m_kept->ring.isOpen();
}

void UringProbe::close() {
    // In a forked child this drops the child's copy of the descriptor and mappings only;
    // the parent's ring stays.
    m_kept.reset();
}

bool UringProbe::readKept(const int *fds, int n, UringReads *out) {
    if (!usable() || n <= 0)
        return false;
    if (m_kept && m_pid != ::getpid()) {
        // In a forked child: the ring's queues are memory shared with the parent, which
        // may submit at the same time. Use a ring of the child's own for this read.
        return read(fds, n, out);
    }
    if (!hasRing()) {
        auto kept = std::make_unique<Kept>();
        if (!openChecked(kept->ring, false))
            return false;
        m_kept = std::move(kept);
        m_pid = ::getpid();
    }
    if (readAll(m_kept->ring, fds, n, out))
        return true;
    // A failed enter leaves the ring's state unknown: start afresh next time.
    m_kept.reset();
    return false;
}

bool UringProbe::read(const int *fds, int n, UringReads *out) {
    if (!usable() || n <= 0)
        return false;
    // A ring for this read only: no descriptor outlives the call.
    Ring ring;
    return openChecked(ring, true) && readAll(ring, fds, n, out);
}

} // namespace sl::sys
