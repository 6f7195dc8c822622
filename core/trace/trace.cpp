#include "trace/trace.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sys/mman.h>
#include <type_traits>
#include <unistd.h>

namespace sl::trace {

namespace {
// A chunk is 512 KiB: 128 page faults when it is first written, each a trap that costs
// microseconds under virtualisation. Asking the kernel to map the pages in one call makes
// chunk allocation a small part of append's cost (B3). Best effort: older kernels refuse.
std::unique_ptr<Event[]> newChunk(std::size_t n) {
    // Storage from operator new[] is prefaulted, then the Events are constructed in it.
    // Event is trivially destructible, so the array new adds no cookie and the
    // unique_ptr's delete[] returns this very block to operator delete[].
    static_assert(std::is_trivially_destructible_v<Event>);
    void *mem = ::operator new[](n * sizeof(Event));
#ifdef MADV_POPULATE_WRITE
    static const std::uintptr_t page = std::uintptr_t(::sysconf(_SC_PAGESIZE));
    const auto begin = (std::uintptr_t(mem) + page - 1) & ~(page - 1);
    const auto end = (std::uintptr_t(mem) + n * sizeof(Event)) & ~(page - 1);
    if (end > begin)
        ::madvise(reinterpret_cast<void *>(begin), end - begin, MADV_POPULATE_WRITE);
#endif
    return std::unique_ptr<Event[]>(new (mem) Event[n]);
}

std::int64_t steadyNowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

Trace::Trace()
    : m_chunks(new std::unique_ptr<Event[]>[MaxChunks]) {
    m_strings.emplace_back();
    m_previews.emplace_back();
    m_originNs = steadyNowNs();
}

Trace::~Trace() = default;

std::size_t Trace::append(const Event &e) {
    std::lock_guard lock(m_appendMutex);
    // Only appenders write m_size, and they hold the mutex: a relaxed load suffices.
    const std::size_t n = m_size.load(std::memory_order_relaxed);
    const std::size_t c = n / ChunkSize;
    if (c == m_chunkCount) [[unlikely]] {
        if (c >= MaxChunks) {
            // 536 M events is far beyond any lab run; dropping silently would make the
            // timeline lie, so stop loudly.
            std::abort();
        }
        m_chunks[c] = newChunk(ChunkSize);
        ++m_chunkCount;
    }
    m_chunks[c][n % ChunkSize] = e;
    // Release: a reader that sees the new size also sees the event and its chunk pointer.
    m_size.store(n + 1, std::memory_order_release);
    return n;
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
    return ref;
}

QString Trace::text(StrRef ref) const {
    std::lock_guard lock(m_poolMutex);
    return ref < m_strings.size() ? m_strings[ref] : QString();
}

StrRef Trace::addPreview(const char *data, std::size_t len) {
    if (!data || len == 0)
        return 0;
    const std::size_t n = std::min(len, PreviewMax);
    std::lock_guard lock(m_poolMutex);
    if (m_previewBytes + n > m_previewCap)
        return 0;
    const auto ref = StrRef(m_previews.size());
    m_previews.emplace_back(data, qsizetype(n));
    m_previewBytes += n;
    return ref;
}

QByteArray Trace::preview(StrRef ref) const {
    std::lock_guard lock(m_poolMutex);
    return ref < m_previews.size() ? m_previews[ref] : QByteArray();
}

std::int64_t Trace::now() const {
    return steadyNowNs() - m_originNs;
}

void Trace::clear() {
    std::scoped_lock lock(m_appendMutex, m_poolMutex);
    m_size.store(0, std::memory_order_release);
    for (std::size_t c = 0; c < m_chunkCount; ++c)
        m_chunks[c].reset();
    m_chunkCount = 0;
    m_strings.clear();
    m_strings.emplace_back();
    m_stringIndex.clear();
    m_previews.clear();
    m_previews.emplace_back();
    m_previewBytes = 0;
    m_originNs = steadyNowNs();
}

std::size_t Trace::memoryBytes() const {
    std::size_t bytes = MaxChunks * sizeof(m_chunks[0]);
    {
        std::lock_guard lock(m_appendMutex);
        bytes += m_chunkCount * ChunkSize * sizeof(Event);
    }
    std::lock_guard lock(m_poolMutex);
    // Rough per-object overheads: QString/QByteArray header + allocation header, and a
    // hash node holding a QString and a StrRef.
    constexpr std::size_t StringOverhead = 24 + 16;
    constexpr std::size_t HashNodeBytes = 48;
    for (const QString &s : m_strings)
        bytes += StringOverhead + std::size_t(s.size()) * sizeof(QChar);
    bytes += std::size_t(m_stringIndex.size()) * HashNodeBytes;
    bytes += m_previews.size() * StringOverhead + m_previewBytes;
    return bytes;
}

std::size_t Trace::stringCount() const {
    std::lock_guard lock(m_poolMutex);
    return m_strings.size() - 1; // [0] = "" is not a string of the run
}

std::size_t Trace::previewCount() const {
    std::lock_guard lock(m_poolMutex);
    return m_previews.size() - 1;
}

} // namespace sl::trace
