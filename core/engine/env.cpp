#include "engine/context.h"

#include <thread>

namespace sl::engine {

namespace {
// Member by member: std::swap's three moves of a Value cost twice as many instructions
// (each move also clears its source), and Env::set does one per assignment. Lists every
// member of Value (engine/value.h): a member added there must be added here.
void swapValues(Value &a, Value &b) noexcept {
    std::swap(a.type, b.type);
    std::swap(a.i, b.i);
    std::swap(a.f, b.f);
    a.s.swap(b.s);
    a.b.swap(b.b);
    a.items.swap(b.items);
    a.obj.swap(b.obj);
    a.sock.swap(b.sock);
    a.pyobj.swap(b.pyobj);
    a.boundObj.swap(b.boundObj);
}
// A member added to Value changes its size: this fails until it is swapped above too.
static_assert(sizeof(void *) != 8 || sizeof(Value) == 152,
              "Value changed: swap every member of it in swapValues()");
} // namespace

void Env::Slot::lockContended() const {
    // Held for the copy of one Value: a waiter spins briefly, then gives the CPU away
    // (the holder may have been preempted; this VM has 2 vCPUs for 3+ threads).
    int spins = 0;
    do {
        while (locked.load(std::memory_order_relaxed)) {
            if (++spins < 64) {
#if defined(__x86_64__) || defined(__i386__)
                __builtin_ia32_pause();
#endif
            } else {
                std::this_thread::yield();
            }
        }
    } while (locked.exchange(true, std::memory_order_acquire));
}

Env::Env()
    : m_chunks(new std::atomic<Slot *>[MaxChunks]) {
    for (std::size_t c = 0; c < MaxChunks; ++c)
        m_chunks[c].store(nullptr, std::memory_order_relaxed);
}

Env::~Env() {
    for (std::size_t c = 0; c < MaxChunks; ++c)
        delete[] m_chunks[c].load(std::memory_order_relaxed);
}

Env::Slot *Env::slotForWrite(int index) {
    if (Slot *s = slot(index))
        return s;
    if (index < 0 || std::size_t(index) >= MaxChunks * ChunkSlots)
        return nullptr;
    std::lock_guard lock(m_growMutex);
    auto &chunk = m_chunks[std::size_t(index) / ChunkSlots];
    if (!chunk.load(std::memory_order_relaxed))
        chunk.store(new Slot[ChunkSlots], std::memory_order_release);
    return chunk.load(std::memory_order_relaxed) + std::size_t(index) % ChunkSlots;
}

void Env::resize(int count) {
    // Keeps the values it has: Lab::perform() grows the names of a running experiment.
    for (int c = 0; c < count; c += int(ChunkSlots))
        slotForWrite(c);
}

bool Env::get(int index, Value *out) const {
    const Slot *s = slot(index);
    if (!s)
        return false;
    s->lock();
    const bool assigned = s->assigned;
    if (assigned)
        *out = s->value;
    s->unlock();
    return assigned;
}

std::optional<Value> Env::get(int index) const {
    std::optional<Value> out;
    const Slot *s = slot(index);
    if (!s)
        return out;
    s->lock();
    if (s->assigned)
        out.emplace(s->value);
    s->unlock();
    return out;
}

void Env::set(int index, Value &&v) {
    Slot *s = slotForWrite(index);
    if (!s)
        return;
    s->lock();
    swapValues(s->value, v); // the old value is released outside the lock: it may be the
    s->assigned = true;      // last owner of a big buffer
    s->unlock();
}

bool Env::take(int index, Value *out) {
    Slot *s = slot(index);
    if (!s)
        return false;
    s->lock();
    const bool assigned = s->assigned;
    if (assigned)
        swapValues(*out, s->value);
    s->assigned = false;
    s->unlock();
    return assigned;
}

void Env::lockAllForFork() {
    for (std::size_t c = 0; c < MaxChunks; ++c)
        if (Slot *chunk = m_chunks[c].load(std::memory_order_acquire))
            for (std::size_t k = 0; k < ChunkSlots; ++k)
                chunk[k].lock();
}

void Env::unlockAllAfterFork() {
    for (std::size_t c = 0; c < MaxChunks; ++c)
        if (Slot *chunk = m_chunks[c].load(std::memory_order_acquire))
            for (std::size_t k = 0; k < ChunkSlots; ++k)
                chunk[k].unlock();
}

void Env::clear() {
    for (std::size_t c = 0; c < MaxChunks; ++c) {
        Slot *chunk = m_chunks[c].load(std::memory_order_acquire);
        if (!chunk)
            continue;
        for (std::size_t k = 0; k < ChunkSlots; ++k) {
            Value old;
            chunk[k].lock();
            std::swap(chunk[k].value, old);
            chunk[k].assigned = false;
            chunk[k].unlock();
        }
    }
}

} // namespace sl::engine
