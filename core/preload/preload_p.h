// Internals of libsocketlab_preload.so shared by its two files: the ring's producer side
// and the per-descriptor cache (preload_ring.cpp), the Traced call recorder and the
// lookup of libc's real functions (used by the wrappers in socketlab_preload.cpp).
// Plain C++, no Qt: this code runs inside the traced program.
// Thread affinity: any thread of the traced program.
#pragma once

#include "tracerecord.h"

#include "tracerecord.h"
#include <algorithm>

#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

// Hidden: only the libc names the wrappers define are exported (and interpose).
#pragma GCC visibility push(hidden)
namespace sl::preload::detail {

extern RingHeader *g_ring;         // nullptr: not traced (every wrapper is the real call)
extern thread_local bool t_inside; // the library's own calls are not recorded
// > 0: the program asked that its calls not be recorded (socketlab_untraced(), used by an
// exported program's probe helpers, which read the kernel as the lab's probes do).
extern thread_local int t_untraced;
extern thread_local bool t_named; // the ThreadName record was published
// The Python line that makes the next calls. sitecustomize.py writes it straight into
// this thread's slot (a memoryview over the address socketlab_pyslot() gave it once per
// thread), so a traced socket method costs no ctypes call: [0] the line (0: none), [1]
// the file's number from socketlab_pyfile() (asked once per file).
extern thread_local std::int32_t t_pySlot[2];
constexpr int MaxPyFiles = 1024;
constexpr int PyFileChars = 32;                 // the last path component, cut
extern char g_pyFiles[MaxPyFiles][PyFileChars]; // [0] is "" (no file)

// Per descriptor: 0 unknown, 1 socket, 2 not a socket; bit 4 = O_NONBLOCK as last set.
constexpr int MaxFd = 65536;
extern std::uint8_t g_kind[MaxFd];
extern std::uint32_t g_inode[MaxFd];
enum : std::uint8_t { KindUnknown = 0, KindSocket = 1, KindOther = 2, KindNonBlock = 4 };

std::int64_t nowNs();
// Reserves a slot, waiting while the ring is full; nullptr when the lab is gone.
Record *reserve(std::uint64_t *index);
void publish(Record *r, std::uint64_t index);
void fillIds(Record *r);
void waitGo(Record *r); // --step: the call waits until the lab lets it run
std::uint8_t kindOf(int fd);
void forget(int fd);
void setNonBlock(int fd, bool on);

// One traced call: Begin on construction, End by end(). Inactive (no records) when
// there is no ring, or inside the library.
struct Traced {
    Record *rec = nullptr;
    std::int64_t t0 = 0;
    Call call;
    int fd;
    std::int64_t a[4] = {0, 0, 0, 0};
    std::uint8_t flags = 0;
    bool active;
    Traced(Call c, int fd_, std::int64_t a0 = 0, std::int64_t a1 = 0, std::int64_t a2 = 0,
           std::int64_t a3 = 0)
        : call(c)
        , fd(fd_)
        , active(g_ring && !t_inside && t_untraced <= 0) {
        a[0] = a0;
        a[1] = a1;
        a[2] = a2;
        a[3] = a3;
    }
    void addr(const sockaddr *sa, socklen_t len) {
        if (!sa)
            return;
        if (sa->sa_family == AF_INET && len >= socklen_t(sizeof(sockaddr_in))) {
            const auto *in = reinterpret_cast<const sockaddr_in *>(sa);
            flags |= RecAddrV4;
            a[2] = ntohl(in->sin_addr.s_addr);
            a[3] = ntohs(in->sin_port);
        }
    }
    void begin() {
        if (!active)
            return;
        t_inside = true;
        if (fd >= 0 && fd < MaxFd && (kindOf(fd) & KindNonBlock))
            flags |= RecNonBlocking;
        t0 = nowNs();
        std::uint64_t i;
        if (!t_named) {
            t_named = true;
            if (Record *n = reserve(&i)) {
                fill(n, ThreadName);
                char comm[17] = {};
                prctl(PR_GET_NAME, comm, 0, 0, 0);
                n->previewLen = std::uint16_t(strnlen(comm, 16));
                std::memcpy(n->preview, comm, n->previewLen);
                publish(n, i);
            }
        }
        Record *r = reserve(&i);
        if (r) {
            r->go.store(0, std::memory_order_relaxed);
            fill(r, Begin);
            r->t1 = 0;
            r->ret = 0;
            r->err = 0;
            r->previewLen = 0;
            if (const std::int32_t line = t_pySlot[0]; line > 0) {
                const std::int32_t f = t_pySlot[1];
                const char *file = g_pyFiles[f > 0 && f < MaxPyFiles ? f : 0];
                r->flags |= RecPyLine;
                r->err = line;
                r->previewLen = std::uint16_t(strnlen(file, PyFileChars));
                std::memcpy(r->preview, file, r->previewLen);
            }
            publish(r, i);
            if (g_ring->step.load(std::memory_order_relaxed))
                waitGo(r);
        }
        t_inside = false;
    }
    void fill(Record *r, Phase p) {
        r->call = std::uint16_t(call);
        r->phase = p;
        r->flags = flags;
        r->fd = fd;
        fillIds(r);
        r->inode = fd >= 0 && fd < MaxFd && (g_kind[fd] & 3) == KindSocket ? g_inode[fd] : 0;
        for (int k = 0; k < 4; ++k)
            r->a[k] = a[k];
        r->t0 = t0;
    }
    // Records the End; returns ret with errno as the call left it.
    template <typename T>
    T end(T ret, const void *payload = nullptr, std::int64_t payloadLen = 0) {
        const int e = errno;
        if (!active)
            return ret;
        t_inside = true;
        const std::int64_t t1 = nowNs();
        std::uint64_t i;
        Record *r = reserve(&i);
        if (r) {
            fill(r, End);
            r->t1 = t1;
            r->ret = std::int64_t(ret);
            r->err = std::int64_t(ret) < 0 ? e : 0;
            const std::int64_t n = payload && payloadLen > 0 ? payloadLen : 0;
            r->previewLen = std::uint16_t(n < 32 ? n : 32);
            if (r->previewLen)
                std::memcpy(r->preview, payload, r->previewLen);
            publish(r, i);
        }
        t_inside = false;
        errno = e;
        return ret;
    }
};

template <typename F>
F real(F *slot, const char *name) {
    F f = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (!f) {
        f = reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
        __atomic_store_n(slot, f, __ATOMIC_RELEASE);
    }
    return f;
}
#define REAL(name)                                                                                 \
    static decltype(&::name) real_##name##_slot = nullptr;                                         \
    auto real_##name = real(&real_##name##_slot, #name)

inline bool isSocket(int fd) {
    return g_ring && !t_inside && t_untraced <= 0 && (kindOf(fd) & 3) == KindSocket;
}

inline std::int64_t iovBytes(const iovec *iov, int n) {
    std::int64_t s = 0;
    for (int k = 0; k < n; ++k)
        s += std::int64_t(iov[k].iov_len);
    return s;
}
inline const void *iovFirst(const iovec *iov, int n) {
    return n > 0 ? iov[0].iov_base : nullptr;
}
inline std::int64_t firstLen(const iovec *iov, int n, std::int64_t ret) {
    if (n <= 0 || ret <= 0)
        return 0;
    return std::min<std::int64_t>(ret, std::int64_t(iov[0].iov_len));
}

} // namespace sl::preload::detail
#pragma GCC visibility pop
