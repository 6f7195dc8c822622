#include "trace/trace.h"
#include "trace/compact.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sys/mman.h>
#include <thread>
#include <time.h>
#include <type_traits>
#include <unistd.h>

namespace sl::trace {

static_assert(Trace::RecordBytes == compact::RecordBytes);

namespace {
// A chunk is 352 KiB: ~90 page faults when it is first written, each a trap that costs
// microseconds under virtualisation. Asking the kernel to map the pages in one call makes
// chunk allocation a small part of append's cost (B3). Best effort: older kernels refuse.
// Chunks start zeroed — a record chunk's kind bytes must be 0 ("not written", trace.h) —
// by calloc(), which clears only memory malloc reuses (fresh pages are zero already):
// mmap() of fresh pages for every chunk made B3's 4-thread run slower (the kernel
// zeroing 20 M events' pages again for each run), a freed trace's memory is reused.
// Only record chunks need the zeros (Zeroed); preview and overflow slots are read only
// after they were written.
template <typename T, bool Zeroed = false>
T *newPrefaulted() {
    static_assert(std::is_trivially_destructible_v<T> && alignof(T) <= alignof(std::max_align_t));
    void *mem = Zeroed ? std::calloc(1, sizeof(T)) : std::malloc(sizeof(T));
    if (!mem) [[unlikely]]
        throw std::bad_alloc();
#ifdef MADV_POPULATE_WRITE
    static const std::uintptr_t page = std::uintptr_t(::sysconf(_SC_PAGESIZE));
    const auto begin = (std::uintptr_t(mem) + page - 1) & ~(page - 1);
    const auto end = (std::uintptr_t(mem) + sizeof(T)) & ~(page - 1);
    if (end > begin)
        ::madvise(reinterpret_cast<void *>(begin), end - begin, MADV_POPULATE_WRITE);
#endif
    if constexpr (std::is_trivially_default_constructible_v<T>)
        return static_cast<T *>(mem); // an implicit-lifetime type: the zeros are its value
    else
        return new (mem) T; // overflow Events (their constructor sets the defaults)
}

template <typename T>
void deletePrefaulted(T *p) {
    std::free(p);
}

// Installs a chunk in an empty slot of a table, or returns the one another thread
// installed first (the loser's allocation is freed).
template <bool Zeroed = false, typename T>
T *installChunk(std::atomic<T *> &slot, std::atomic<std::size_t> &count) {
    T *fresh = newPrefaulted<T, Zeroed>();
    T *expected = nullptr;
    if (slot.compare_exchange_strong(expected, fresh, std::memory_order_seq_cst)) {
        count.fetch_add(1, std::memory_order_relaxed);
        return fresh;
    }
    deletePrefaulted(fresh);
    return expected;
}

// What std::chrono::steady_clock::now() reads on Linux (CLOCK_MONOTONIC), without its
// out-of-line wrapper in libstdc++: two clock reads per traced call (B1).
std::int64_t steadyNowNs() {
    timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}
} // namespace

Trace::Trace()
    : m_chunks(new std::atomic<Chunk *>[MaxChunks])
    , m_previewChunks(new std::atomic<PreviewChunk *>[MaxPreviewChunks])
    , m_overflowChunks(new std::atomic<OverflowChunk *>[MaxOverflowChunks]) {
    for (std::size_t c = 0; c < MaxChunks; ++c)
        m_chunks[c].store(nullptr, std::memory_order_relaxed);
    for (std::size_t c = 0; c < MaxPreviewChunks; ++c)
        m_previewChunks[c].store(nullptr, std::memory_order_relaxed);
    for (std::size_t c = 0; c < MaxOverflowChunks; ++c)
        m_overflowChunks[c].store(nullptr, std::memory_order_relaxed);
    m_strings.emplace_back();
    m_originNs = steadyNowNs();
}

Trace::~Trace() {
    freeAll();
}

void Trace::freeAll() {
    const std::size_t chunks = (m_reserved.load() + ChunkSize - 1) / ChunkSize + 1;
    for (std::size_t c = 0; c < std::min(chunks, MaxChunks); ++c)
        deletePrefaulted(m_chunks[c].exchange(nullptr));
    const std::size_t previewChunks =
        (previewSlots(m_previewState.load()) + PreviewChunkSlots - 1) / PreviewChunkSlots + 1;
    for (std::size_t c = 0; c < std::min(previewChunks, MaxPreviewChunks); ++c)
        deletePrefaulted(m_previewChunks[c].exchange(nullptr));
    const std::size_t overflowChunks =
        (m_overflowCount.load() + OverflowChunkSize - 1) / OverflowChunkSize + 1;
    for (std::size_t c = 0; c < std::min(overflowChunks, MaxOverflowChunks); ++c)
        deletePrefaulted(m_overflowChunks[c].exchange(nullptr));
}

Trace::Chunk *Trace::chunk(std::size_t c) {
    if (c >= MaxChunks) [[unlikely]] {
        // 536 M events is far beyond any lab run; dropping silently would make the
        // timeline lie, so stop loudly.
        std::abort();
    }
    Chunk *p = m_chunks[c].load(std::memory_order_seq_cst);
    return p ? p : installChunk<true>(m_chunks[c], m_chunkCount); // zeroed: trace.h
}

Trace::OverflowChunk *Trace::overflowChunk(std::size_t c) {
    if (c >= MaxOverflowChunks) [[unlikely]]
        std::abort(); // 64 M events that fit no record: as for chunk(), stop loudly
    OverflowChunk *p = m_overflowChunks[c].load(std::memory_order_seq_cst);
    return p ? p : installChunk(m_overflowChunks[c], m_overflowChunkCount);
}

std::uint64_t Trace::appendOverflow(const Event &e) {
    // Written before the record that points here gets its kind byte (release), so a
    // reader that sees the record sees this slot.
    const std::size_t n = m_overflowCount.fetch_add(1, std::memory_order_relaxed);
    OverflowChunk *c = overflowChunk(n / OverflowChunkSize);
    std::memcpy(static_cast<void *>(&c->events[n % OverflowChunkSize]), &e, sizeof(Event));
    return n;
}

std::size_t Trace::appendLocal(const Event &e) {
    // The one shared read-modify-write per event: the index. Publishing is left to the
    // readers (size()), so an appender only stores: the record, then its kind byte
    // (release), which is also its written flag.
    const std::size_t n = m_reserved.fetch_add(1, std::memory_order_relaxed);
    const std::size_t k = n % ChunkSize;
    // The chunk is nearly always there (installed half a chunk ahead): one load.
    Chunk *c = n / ChunkSize < MaxChunks ? m_chunks[n / ChunkSize].load(std::memory_order_acquire)
                                         : nullptr;
    if (!c) [[unlikely]]
        c = chunk(n / ChunkSize);
    if (k == ChunkSize / 2 && n / ChunkSize + 1 < MaxChunks) [[unlikely]]
        chunk(n / ChunkSize + 1); // the next chunk, well before anyone needs it
    // Packed after the atomic add: it drained the store buffer, so reading e (just
    // written by the caller) does not stall on store forwarding.
    unsigned char *rec = c->record(k);
    compact::Packed p;
    std::uint8_t kind = std::uint8_t(e.kind) | compact::WrittenBit;
    if (compact::encode(e, p)) [[likely]] {
        compact::storeRecord(rec, e, p);
    } else {
        p = compact::Packed{};
        p[0] = appendOverflow(e);
        compact::storeRecord(rec, e, p);
        kind = compact::OverflowKind;
    }
    std::atomic_ref<unsigned char>(rec[compact::KindOffset]).store(kind, std::memory_order_release);
    return n;
}

Event Trace::event(std::size_t i) const {
    // The acquire load of size() that made i visible also made its chunk (and its
    // overflow slot, written before the record) visible.
    const unsigned char *rec =
        m_chunks[i / ChunkSize].load(std::memory_order_relaxed)->record(i % ChunkSize);
    if (rec[compact::KindOffset] != compact::OverflowKind) [[likely]]
        return compact::decode(rec);
    std::uint64_t slot;
    std::memcpy(&slot, rec + compact::HeaderBytes, sizeof slot);
    const OverflowChunk *c =
        m_overflowChunks[slot / OverflowChunkSize].load(std::memory_order_relaxed);
    Event e;
    std::memcpy(static_cast<void *>(&e), &c->events[slot % OverflowChunkSize], sizeof e);
    return e;
}

std::size_t Trace::size() const {
    // Advances the published prefix over every event written since: readers do this
    // work (a byte per event), appenders never wait for each other. Several readers may
    // race; the prefix only grows (a compare-and-swap keeps the largest).
    std::size_t s = m_size.load(std::memory_order_acquire);
    const std::size_t start = s;
    for (;;) {
        if (s / ChunkSize >= MaxChunks) [[unlikely]]
            break;
        const Chunk *c = m_chunks[s / ChunkSize].load(std::memory_order_acquire);
        if (!c)
            break;
        std::size_t k = s % ChunkSize;
        // The kind bytes (0 until written); written only through atomic_ref.
        auto *bytes = const_cast<unsigned char *>(c->bytes) + compact::KindOffset;
        while (k < ChunkSize && std::atomic_ref<unsigned char>(bytes[k * RecordBytes])
                                        .load(std::memory_order_acquire) != 0)
            ++k;
        s += k - s % ChunkSize;
        if (k < ChunkSize)
            break;
    }
    if (s == start)
        return s;
    std::size_t seen = start;
    while (seen < s && !m_size.compare_exchange_weak(seen, s, std::memory_order_acq_rel,
                                                     std::memory_order_acquire)) {
    }
    return std::max(seen, s);
}

StrRef Trace::intern(const QString &text) {
    if (text.isEmpty())
        return 0;
    std::lock_guard lock(m_poolMutex);
    const auto it = m_stringIndex.constFind(text);
    if (it != m_stringIndex.constEnd())
        return it.value();
    const auto ref = StrRef(m_strings.size());
    m_strings.push_back(text);
    m_stringIndex.insert(text, ref);
    if (isRemote()) [[unlikely]] {
        // Sent under the pool's lock: the string reaches the pipe before any event
        // that names it (the events are appended after intern() returns).
        const QByteArray utf8 = text.toUtf8();
        QByteArray msg;
        msg.reserve(1 + 8 + utf8.size());
        const std::uint32_t len = std::uint32_t(utf8.size());
        msg.append(RemoteString);
        msg.append(reinterpret_cast<const char *>(&ref), sizeof ref);
        msg.append(reinterpret_cast<const char *>(&len), sizeof len);
        msg.append(utf8);
        sendRemote(msg.constData(), std::size_t(msg.size()));
    }
    return ref;
}

QString Trace::text(StrRef ref) const {
    std::lock_guard lock(m_poolMutex);
    return ref < m_strings.size() ? m_strings[ref] : QString();
}

Trace::PreviewChunk *Trace::previewChunk(std::size_t c) {
    PreviewChunk *p = m_previewChunks[c].load(std::memory_order_acquire);
    return p ? p : installChunk(m_previewChunks[c], m_previewChunkCount);
}

StrRef Trace::addPreview(const char *data, std::size_t len) {
    if (!data || len == 0)
        return 0;
    const std::size_t n = std::min(len, PreviewMax);
    // Bytes first: a preview that would pass the cap is dropped, and a later, smaller
    // one may still fit (as the cap has always worked).
    // The count and the bytes in one compare-and-swap (m_previewState).
    const std::size_t cap = m_previewCap.load(std::memory_order_relaxed);
    std::uint64_t state = m_previewState.load(std::memory_order_relaxed);
    std::size_t index;
    do {
        const std::size_t used = std::size_t(state >> 32);
        index = previewSlots(state);
        if (used > cap || n > cap - used || index / PreviewChunkSlots >= MaxPreviewChunks)
            return 0;
    } while (!m_previewState.compare_exchange_weak(state, state + (std::uint64_t(n) << 32) + 1,
                                                   std::memory_order_relaxed));
    PreviewSlot &slot = previewChunk(index / PreviewChunkSlots)->entries[index % PreviewChunkSlots];
    slot.len = std::uint8_t(n);
    if (n == PreviewMax) // a payload of 48 bytes or more (nearly all): a fixed-size copy
        std::memcpy(slot.data, data, PreviewMax);
    else
        std::memcpy(slot.data, data, n);
    if (isRemote()) [[unlikely]] {
        char msg[1 + sizeof(StrRef) + 1 + PreviewMax];
        const StrRef ref = StrRef(index + 1);
        msg[0] = RemotePreview;
        std::memcpy(msg + 1, &ref, sizeof ref);
        msg[1 + sizeof ref] = char(n);
        std::memcpy(msg + 2 + sizeof ref, data, n);
        sendRemote(msg, 2 + sizeof ref + n);
    }
    // The ref reaches readers inside an event, published after this (release) store.
    return StrRef(index + 1);
}

QByteArray Trace::preview(StrRef ref) const {
    if (ref == 0 || ref > previewSlots(m_previewState.load(std::memory_order_acquire)))
        return QByteArray();
    const std::size_t index = ref - 1;
    const PreviewChunk *c =
        m_previewChunks[index / PreviewChunkSlots].load(std::memory_order_acquire);
    if (!c)
        return QByteArray();
    const PreviewSlot &slot = c->entries[index % PreviewChunkSlots];
    return QByteArray(slot.data, slot.len);
}

Trace::ForkPoint Trace::forkPointLocked() const {
    ForkPoint p;
    p.strings = StrRef(m_strings.size());
    p.previews = StrRef(previewSlots(m_previewState.load(std::memory_order_acquire)));
    return p;
}

void Trace::sendRemote(const char *data, std::size_t len) {
    // The child's pipe to its parent's reader. A full pipe blocks the child until the
    // reader drains it (the order of the messages is the trace's order). A reader that
    // is gone (the parent reset the lab) fails with EPIPE (SIGPIPE is blocked on actor
    // threads): the child's events then go nowhere, as its lab no longer exists.
    const int fd = m_remoteFd.load(std::memory_order_relaxed);
    while (len > 0) {
        const ssize_t w = ::write(fd, data, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        data += w;
        len -= std::size_t(w);
    }
}

std::size_t Trace::appendRemote(const Event &e) {
    // The child has one thread, so messages never interleave; each is one write()
    // smaller than PIPE_BUF, so even so it would be atomic.
    char msg[1 + sizeof(Event)];
    msg[0] = RemoteEvent;
    std::memcpy(msg + 1, &e, sizeof(Event));
    sendRemote(msg, sizeof msg);
    return 0;
}

std::int64_t Trace::now() const {
    return steadyNowNs() - m_originNs;
}

void Trace::clear() {
    std::lock_guard lock(m_poolMutex);
    freeAll();
    m_reserved.store(0);
    m_size.store(0, std::memory_order_release);
    m_chunkCount.store(0);
    m_previewState.store(0);
    m_previewChunkCount.store(0);
    m_overflowCount.store(0);
    m_overflowChunkCount.store(0);
    m_strings.clear();
    m_strings.emplace_back();
    m_stringIndex.clear();
    m_originNs = steadyNowNs();
}

std::size_t Trace::memoryBytes() const {
    // The three chunk tables are allocated whole with the trace.
    std::size_t bytes = MaxChunks * sizeof(m_chunks[0]) +
                        MaxPreviewChunks * sizeof(m_previewChunks[0]) +
                        MaxOverflowChunks * sizeof(m_overflowChunks[0]);
    bytes += m_chunkCount.load(std::memory_order_relaxed) * sizeof(Chunk);
    bytes += m_previewChunkCount.load(std::memory_order_relaxed) * sizeof(PreviewChunk);
    bytes += m_overflowChunkCount.load(std::memory_order_relaxed) * sizeof(OverflowChunk);
    std::lock_guard lock(m_poolMutex);
    // Rough per-object overheads: QString header + allocation header, and a hash node
    // holding a QString and a StrRef.
    constexpr std::size_t StringOverhead = 24 + 16;
    constexpr std::size_t HashNodeBytes = 48;
    for (const QString &s : m_strings)
        bytes += StringOverhead + std::size_t(s.size()) * sizeof(QChar);
    bytes += std::size_t(m_stringIndex.size()) * HashNodeBytes;
    return bytes;
}

std::size_t Trace::stringCount() const {
    std::lock_guard lock(m_poolMutex);
    return m_strings.size() - 1; // [0] = "" is not a string of the run
}

std::size_t Trace::previewCount() const {
    return previewSlots(m_previewState.load(std::memory_order_relaxed));
}

} // namespace sl::trace
