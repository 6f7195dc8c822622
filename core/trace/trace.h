// The append-only timeline of a lab run.
//
// Storage: events live in fixed-size chunks of contiguous Events that never move once
// written, reached through a preallocated table of chunk pointers. Appending takes a
// mutex (actors and the sampler append from their own threads); reading events below
// size() needs no lock, so the GUI can read while actors append.
//
// Strings are interned in a pool (the same text gets the same StrRef), previews of
// payloads go to a separate store capped in total size (previewBytesCap); when the cap
// is reached previews are dropped (preview = 0), events never are.
//
// Thread affinity: append*/intern/addPreview from any thread; event(i) for i < size()
// from any thread; clear() only when no other thread uses the trace.
#pragma once

#include "trace/event.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace sl::trace {

class Trace {
public:
    static constexpr std::size_t ChunkSize = 8192;  // events per chunk (512 KiB)
    static constexpr std::size_t MaxChunks = 65536; // 536 M events at most
    static constexpr std::size_t PreviewMax = 48;   // bytes kept of each payload

    Trace();
    ~Trace();
    Trace(const Trace &) = delete;
    Trace &operator=(const Trace &) = delete;

    // Returns the index of the new event. tNs of e is kept as given.
    std::size_t append(const Event &e);
    std::size_t size() const { return m_size.load(std::memory_order_acquire); }
    const Event &event(std::size_t i) const { return m_chunks[i / ChunkSize][i % ChunkSize]; }

    StrRef intern(const QString &text);    // "" -> 0
    QString text(StrRef ref) const;        // 0 -> ""

    // Keeps the first PreviewMax bytes of data; returns 0 once the cap is reached.
    StrRef addPreview(const char *data, std::size_t len);
    QByteArray preview(StrRef ref) const;
    void setPreviewBytesCap(std::size_t cap) { m_previewCap = cap; }
    std::size_t previewBytesCap() const { return m_previewCap; } // import lifts it meanwhile

    // Nanoseconds since this trace's origin (steady clock).
    std::int64_t now() const;
    void setOrigin(std::int64_t steadyNs) { m_originNs = steadyNs; }

    void clear();

    // Approximate bytes used by events, pool and previews (for benchmarks).
    std::size_t memoryBytes() const;
    std::size_t stringCount() const;
    std::size_t previewCount() const;

private:
    std::unique_ptr<std::unique_ptr<Event[]>[]> m_chunks; // MaxChunks slots
    std::atomic<std::size_t> m_size{0};
    std::size_t m_chunkCount = 0;
    mutable std::mutex m_appendMutex;

    mutable std::mutex m_poolMutex;
    std::vector<QString> m_strings; // [0] = ""
    QHash<QString, StrRef> m_stringIndex;
    std::vector<QByteArray> m_previews; // [0] = empty
    std::size_t m_previewBytes = 0;
    std::size_t m_previewCap = 64u << 20;
    std::int64_t m_originNs = 0;
};

} // namespace sl::trace
