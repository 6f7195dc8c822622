// The append-only timeline of a lab run.
//
// Storage: events live in fixed-size chunks of contiguous Events that never move once
// written, reached through a preallocated table of chunk pointers. Appending takes no
// lock (actors and the sampler append from their own threads): an appender reserves
// an index with one atomic add, writes its event and marks it written (a plain release
// store). size() — the readers — advances the published prefix over the written events
// that follow it, so size() only ever grows over a prefix of written events, in index
// order, and appenders never wait for or publish each other (B3). Reading events below
// size() needs no lock, so the GUI can read while actors append.
//
// Strings are interned in a pool (the same text gets the same StrRef), previews of
// payloads go to a separate store capped in total size (previewBytesCap); when the cap
// is reached previews are dropped (preview = 0), events never are. The preview store
// is a chunked array of fixed slots (no allocation and no lock per preview).
//
// Remote mode (os.fork(), engine/forks.h): in a forked child the trace is a copy the
// parent never sees. setRemote(fd) makes append() write each event to a pipe instead,
// and intern()/addPreview() send every new string and preview (tagged with the child's
// own ref) before the event that uses it; the parent's RemoteReader (remotetrace.h)
// maps the refs and appends. Refs below the pool and preview sizes at the fork are the
// same in both processes (the child has a copy), so only new ones travel.
//
// Thread affinity: append*/intern/addPreview from any thread; event(i) for i < size()
// from any thread; preview(r) of a StrRef some thread got back; clear() only when no
// other thread uses the trace. lockForFork()/unlockAfterFork() and setRemote(): on the
// thread that forks (setRemote in the child, where it is the only thread).
#pragma once

#include "trace/event.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <atomic>
#include <memory>
#include <mutex>
#include <new>
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

    // Returns the index of the new event. tNs of e is kept as given. Lock-free; the
    // events of one thread keep their order.
    std::size_t append(const Event &e) {
        // One relaxed load and a branch never taken outside a forked child (B3's cost).
        if (m_remoteFd.load(std::memory_order_relaxed) >= 0) [[unlikely]]
            return appendRemote(e);
        return appendLocal(e);
    }
    std::size_t size() const;
    const Event &event(std::size_t i) const {
        // The acquire load of size() that made i visible also made its chunk visible.
        return m_chunks[i / ChunkSize].load(std::memory_order_relaxed)->event(i % ChunkSize);
    }

    StrRef intern(const QString &text); // "" -> 0
    QString text(StrRef ref) const;     // 0 -> ""

    // Keeps the first PreviewMax bytes of data; returns 0 once the cap is reached.
    StrRef addPreview(const char *data, std::size_t len);
    QByteArray preview(StrRef ref) const;
    void setPreviewBytesCap(std::size_t cap) { m_previewCap.store(cap, std::memory_order_relaxed); }
    std::size_t previewBytesCap() const { // import lifts it meanwhile
        return m_previewCap.load(std::memory_order_relaxed);
    }

    // Nanoseconds since this trace's origin (steady clock).
    std::int64_t now() const;
    void setOrigin(std::int64_t steadyNs) { m_originNs = steadyNs; }

    void clear();

    // fork() (engine/forks.cpp): the pool's lock is held across fork() so that the child
    // never inherits it locked by a thread it does not have; forkPoint() is read while
    // it is held. In the child, setRemote(fd) then switches to remote mode (see above).
    struct ForkPoint {
        StrRef strings = 0;  // pool size: refs below it are the same in both processes
        StrRef previews = 0; // preview count: the same for preview refs (1-based) <= it
    };
    void lockForFork() { m_poolMutex.lock(); }
    void unlockAfterFork() { m_poolMutex.unlock(); }
    ForkPoint forkPointLocked() const; // between lockForFork() and unlockAfterFork()
    void setRemote(int fd) { m_remoteFd.store(fd, std::memory_order_relaxed); }
    bool isRemote() const { return m_remoteFd.load(std::memory_order_relaxed) >= 0; }
    // The remote wire format: a 1-byte tag, then
    //   'E' + Event (64 bytes)
    //   'S' + StrRef + uint32 length + UTF-8 bytes (a new string)
    //   'P' + StrRef + uint8 length + bytes (a new preview)
    static constexpr char RemoteEvent = 'E', RemoteString = 'S', RemotePreview = 'P';

    // Approximate bytes used by events, pool and previews (for benchmarks).
    std::size_t memoryBytes() const;
    std::size_t stringCount() const;
    std::size_t previewCount() const;

private:
    struct Chunk {
        // Raw storage (Event is trivially copyable): a new chunk is not zeroed first,
        // every event is written whole before it is published.
        alignas(Event) unsigned char bytes[ChunkSize * sizeof(Event)];
        std::atomic<std::uint8_t> written[ChunkSize]; // 1 once event k is complete
        Event *slot(std::size_t k) { return reinterpret_cast<Event *>(bytes) + k; }
        const Event &event(std::size_t k) const {
            return *std::launder(reinterpret_cast<const Event *>(bytes) + k);
        }
    };
    static constexpr std::size_t PreviewChunkSlots = 1024; // 64 KiB per chunk
    static constexpr std::size_t MaxPreviewChunks = 65536; // 64 M previews at most
    struct alignas(64) PreviewSlot {
        std::uint8_t len;
        char data[PreviewMax];
    };
    struct PreviewChunk {
        PreviewSlot entries[PreviewChunkSlots];
    };
    Chunk *chunk(std::size_t c);               // allocates it when nobody has yet
    PreviewChunk *previewChunk(std::size_t c); // the same for previews
    void freeAll();
    std::size_t appendLocal(const Event &e);
    std::size_t appendRemote(const Event &e); // the child's append: one write() to the pipe
    void sendRemote(const char *data, std::size_t len);

    std::unique_ptr<std::atomic<Chunk *>[]> m_chunks;       // MaxChunks slots
    alignas(64) std::atomic<std::size_t> m_reserved{0};     // indices handed out
    alignas(64) mutable std::atomic<std::size_t> m_size{0}; // the published prefix
    alignas(64) std::atomic<std::size_t> m_chunkCount{0};

    std::unique_ptr<std::atomic<PreviewChunk *>[]> m_previewChunks; // MaxPreviewChunks
    alignas(64) std::atomic<std::size_t> m_previewCount{0};         // slots handed out
    alignas(64) std::atomic<std::size_t> m_previewBytes{0};         // bytes kept, <= cap
    std::atomic<std::size_t> m_previewCap{64u << 20};
    std::atomic<std::size_t> m_previewChunkCount{0};

    alignas(64) mutable std::mutex m_poolMutex;
    std::vector<QString> m_strings; // [0] = ""
    QHash<QString, StrRef> m_stringIndex;
    std::int64_t m_originNs = 0;
    std::atomic<int> m_remoteFd{-1}; // >= 0 only in a forked child
};

} // namespace sl::trace
