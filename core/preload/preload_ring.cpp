// libsocketlab_preload.so, the producer side: maps the lab's ring at load time (and
// again after exec: the memfd's number is inherited in SOCKETLAB_TRACE_FD), reserves and
// publishes records, waits for the lab under --step, and caches what each descriptor is.
#undef _FORTIFY_SOURCE
#include "preload_p.h"

#pragma GCC visibility push(hidden)
namespace sl::preload::detail {

RingHeader *g_ring = nullptr;
Record *g_slots = nullptr;
std::uint32_t g_mask = 0;
int g_pid = 0;
thread_local int t_tid = 0;
thread_local bool t_inside = false;
thread_local int t_untraced = 0;
thread_local bool t_named = false;
thread_local std::int32_t t_pySlot[2] = {0, 0};
char g_pyFiles[MaxPyFiles][PyFileChars];

std::uint8_t g_kind[MaxFd];
std::uint32_t g_inode[MaxFd];

std::int64_t nowNs() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void atForkChild() {
    g_pid = int(syscall(SYS_getpid));
    t_tid = g_pid;
    t_named = false; // the child's thread is a new actor: named again
}

__attribute__((constructor)) void init() {
    const int saved = errno;
    const char *fdText = getenv(EnvFd);
    if (fdText && *fdText) {
        const int fd = atoi(fdText);
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size >= off_t(RingHeaderBytes)) {
            void *p =
                mmap(nullptr, std::size_t(st.st_size), PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_POPULATE, fd, 0); // pages mapped now, not faulted per record
            if (p != MAP_FAILED) {
                auto *h = static_cast<RingHeader *>(p);
                if (h->magic == RingMagic && h->version == RingVersion &&
                    ringBytes(h->capacity) <= std::size_t(st.st_size)) {
                    g_slots = reinterpret_cast<Record *>(static_cast<char *>(p) + RingHeaderBytes);
                    g_mask = h->capacity - 1;
                    g_ring = h;
                } else {
                    munmap(p, std::size_t(st.st_size));
                }
            }
        }
    }
    g_pid = int(syscall(SYS_getpid));
    pthread_atfork(nullptr, nullptr, atForkChild);
    errno = saved;
}

bool labAlive() {
    return g_ring->labPid <= 0 || kill(g_ring->labPid, 0) == 0 || errno != ESRCH;
}

// Reserves a slot, waiting while the ring is full; nullptr when the lab is gone.
Record *reserve(std::uint64_t *index) {
    const std::uint64_t i = g_ring->head.fetch_add(1, std::memory_order_relaxed);
    int spins = 0;
    while (i - g_ring->tail.load(std::memory_order_acquire) >= std::uint64_t(g_mask) + 1) {
        if (++spins < 64) { // the lab is a moment behind: let it run
            sched_yield();
            continue;
        }
        timespec ts{0, 50000};
        nanosleep(&ts, nullptr);
        if (spins % 400 == 0 && !labAlive()) {
            g_ring->dropped.fetch_add(1, std::memory_order_relaxed);
            return nullptr;
        }
    }
    *index = i;
    return &g_slots[i & g_mask];
}

void publish(Record *r, std::uint64_t index) {
    r->seq.store(std::uint32_t(index + 1), std::memory_order_release);
}

void fillIds(Record *r) {
    if (t_tid == 0)
        t_tid = int(syscall(SYS_gettid));
    r->pid = g_pid;
    r->tid = t_tid;
}

// --step: the call waits until the lab lets it run (go = 1).
void waitGo(Record *r) {
    while (r->go.load(std::memory_order_acquire) == 0) {
        timespec ts{0, 100 * 1000 * 1000};
        syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(&r->go), FUTEX_WAIT, 0, &ts, nullptr,
                0);
        if (r->go.load(std::memory_order_acquire) == 0 && !labAlive())
            return;
    }
}

std::uint8_t kindOf(int fd) {
    if (fd < 0 || fd >= MaxFd)
        return KindOther;
    std::uint8_t k = g_kind[fd];
    if ((k & 3) == KindUnknown) {
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode)) {
            g_inode[fd] = std::uint32_t(st.st_ino);
            const int fl = int(syscall(SYS_fcntl, fd, F_GETFL, 0));
            k = KindSocket | (fl >= 0 && (fl & O_NONBLOCK) ? KindNonBlock : 0);
        } else {
            k = KindOther;
        }
        g_kind[fd] = k;
    }
    return k;
}
void forget(int fd) {
    if (fd >= 0 && fd < MaxFd)
        g_kind[fd] = KindUnknown;
}
void setNonBlock(int fd, bool on) {
    if (fd >= 0 && fd < MaxFd && (g_kind[fd] & 3) == KindSocket)
        g_kind[fd] = std::uint8_t(KindSocket | (on ? KindNonBlock : 0));
}

} // namespace sl::preload::detail
#pragma GCC visibility pop
