// The lab's side of the shared ring (preload/tracerecord.h): a memfd the traced program
// inherits, mapped here; a single consumer.
//
// Thread affinity: one thread reads (the ProgramTracer's).
#pragma once

#include "preload/tracerecord.h"

#include <cstdint>

namespace sl::tracer {

class Ring {
public:
    // capacity: records, a power of two.
    explicit Ring(std::uint32_t capacity = 1u << 16); // 8 MiB
    ~Ring();
    Ring(const Ring &) = delete;
    Ring &operator=(const Ring &) = delete;
    bool ok() const { return m_header != nullptr; }
    int fd() const { return m_fd; } // inherited by the child (no CLOEXEC)
    // The next published record, or nullptr; it stays valid until consume().
    const preload::Record *peek() const;
    void consume();
    // Frees the consumed slots for the producers: once per batch, not per record (each
    // store would take the line from every producer that checks it).
    void publishTail();
    // Lets a Begin record's call run (--step).
    void release(const preload::Record *r);
    void setStep(bool on);
    bool stepOn() const { return m_header->step.load(std::memory_order_relaxed) != 0; }
    std::uint64_t pendingReserved() const; // reserved but not yet read
    std::uint64_t dropped() const;

private:
    preload::RingHeader *m_header = nullptr;
    preload::Record *m_slots = nullptr;
    std::uint32_t m_mask = 0;
    std::uint64_t m_tail = 0;
    std::size_t m_bytes = 0;
    int m_fd = -1;
};

} // namespace sl::tracer
