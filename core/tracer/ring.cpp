#include "tracer/ring.h"

#include <cstring>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sl::tracer {

using namespace sl::preload;

Ring::Ring(std::uint32_t capacity) {
    m_bytes = ringBytes(capacity);
    // Not MFD_CLOEXEC: the child keeps it across exec; the lab closes it in the
    // destructor. Its number reaches the interposer in SOCKETLAB_TRACE_FD.
    m_fd = int(syscall(SYS_memfd_create, "socketlab-trace", 0));
    if (m_fd < 0)
        return;
    if (ftruncate(m_fd, off_t(m_bytes)) != 0)
        return;
    // Populated now: the program's first write to each page would otherwise fault (and
    // allocate) on its call path.
    void *p = mmap(nullptr, m_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, m_fd, 0);
    if (p == MAP_FAILED)
        return;
    auto *h = static_cast<RingHeader *>(p);
    h->capacity = capacity;
    h->labPid = int(getpid());
    h->version = RingVersion;
    h->magic = RingMagic; // last: a producer checks it (the memory is zero before)
    m_slots = reinterpret_cast<Record *>(static_cast<char *>(p) + RingHeaderBytes);
    m_mask = capacity - 1;
    m_header = h;
}

Ring::~Ring() {
    if (m_header)
        munmap(m_header, m_bytes);
    if (m_fd >= 0)
        ::close(m_fd);
}

const Record *Ring::peek() const {
    const Record &r = m_slots[m_tail & m_mask];
    if (r.seq.load(std::memory_order_acquire) != std::uint32_t(m_tail + 1))
        return nullptr;
    return &r;
}

void Ring::consume() {
    ++m_tail;
}

void Ring::publishTail() {
    m_header->tail.store(m_tail, std::memory_order_release);
}

void Ring::release(const Record *r) {
    auto *w = const_cast<std::atomic<std::uint32_t> *>(&r->go);
    w->store(1, std::memory_order_release);
    syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(w), FUTEX_WAKE, 1, nullptr, nullptr, 0);
}

void Ring::setStep(bool on) {
    m_header->step.store(on ? 1 : 0, std::memory_order_relaxed);
}

std::uint64_t Ring::pendingReserved() const {
    return m_header->head.load(std::memory_order_relaxed) - m_tail;
}

std::uint64_t Ring::dropped() const {
    return m_header->dropped.load(std::memory_order_relaxed);
}

} // namespace sl::tracer
