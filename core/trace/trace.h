// The append-only timeline of a lab run.
//
// Storage: events live in fixed-size chunks of contiguous records that never move once
// written, reached through a preallocated table of chunk pointers. Appending takes no
// lock (actors and the sampler append from their own threads): an appender reserves
// an index with one atomic add, writes its record and marks it written (a release store
// of the record's own kind byte: see below). size() — the readers — advances the
// published prefix over the written records
// that follow it, so size() only ever grows over a prefix of written events, in index
// order, and appenders never wait for or publish each other (B3). Reading events below
// size() needs no lock, so the GUI can read while actors append.
//
// Compact records (trace/compact.h): an Event is 64 bytes, but a lab's events mostly
// hold small numbers (a call's byte counts, a socket's queues), so each is kept as a
// 44-byte record — the same header and a payload packed per kind — which brings B3's
// cost per event from 66 to about 45 bytes. The record is its own written flag: chunks
// start zeroed (calloc), and the kind byte is stored last, with release, as
// kind | 0x80 (0xff for an overflow record), so a kind byte of 0 means "not written
// yet". (A separate flag array was a second cache line per event that every appending
// core wrote, 64 flags to a line: B3 with 4 threads on 2 cores.) The rule is
// lossless: a record is kept compact only when decoding it gives the Event back byte
// for byte; any other event (int64 extremes, a 20-minute call, hostile JSONL values)
// goes whole to an overflow store of 64-byte Events (chunked, lock-free, the same
// design) written before the record's kind byte, and the record points there. So event(i)
// returns, by value, exactly what append() was given; overflowCount() tells how often
// the fallback was taken (0 for a typical lesson's events).
//
// Strings are interned in a pool (the same text gets the same StrRef), previews of
// payloads go to a separate store capped in total size (previewBytesCap); when the cap
// is reached previews are dropped (preview = 0), events never are. The preview store
// is a chunked array of fixed slots (no allocation and no lock per preview).
//
// Remote mode (os.fork(), engine/forks.h): in a forked child the trace is a copy the
// parent never sees. setRemote(fd) makes append() write each event to a pipe instead
// (whole 64-byte Events; the parent compacts them when it appends them),
// and intern()/addPreview() send every new string and preview (tagged with the child's
// own ref) before the event that uses it; the parent's RemoteReader (remotetrace.h)
// maps the refs and appends. Refs below the pool and preview sizes at the fork are the
// same in both processes (the child has a copy), so only new ones travel.
//
// Thread affinity (unchanged by compact records): append*/intern/addPreview from any
// thread; event(i) for i < size() from any thread; preview(r) of a StrRef some thread
// got back; clear() only when no other thread uses the trace.
// lockForFork()/unlockAfterFork() and setRemote(): on the thread that forks (setRemote
// in the child, where it is the only thread).
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
    static constexpr std::size_t ChunkSize = 8192;  // events per chunk (360 KiB of records)
    static constexpr std::size_t MaxChunks = 65536; // 536 M events at most
    static constexpr std::size_t PreviewMax = 48;   // bytes kept of each payload
    static constexpr std::size_t RecordBytes = 44;  // an event's record (trace/compact.h)

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
    // Event i (i < size()), decoded from its record: a copy, so keep it by value (a
    // `const Event &` bound to it lives as long as that reference, not longer).
    Event event(std::size_t i) const;

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

    // Approximate bytes used by records (their own flags), the overflow store, pool,
    // previews and the chunk tables (for benchmarks).
    std::size_t memoryBytes() const;
    // Events kept whole in the overflow store (did not fit a compact record).
    std::size_t overflowCount() const { return m_overflowCount.load(std::memory_order_relaxed); }
    std::size_t stringCount() const;
    std::size_t previewCount() const;

private:
    struct Chunk {
        // Raw records (compact.h), written with memcpy and read with memcpy once
        // published; the kind byte (compact::KindOffset) only through std::atomic_ref
        // until then. Zero when allocated (fresh pages): kind byte 0 = not written.
        alignas(8) unsigned char bytes[ChunkSize * RecordBytes];
        unsigned char *record(std::size_t k) { return bytes + k * RecordBytes; }
        const unsigned char *record(std::size_t k) const { return bytes + k * RecordBytes; }
    };
    // Events that did not fit a record, whole. Slots are handed out by one atomic add
    // and read only through a record published after the slot was written.
    static constexpr std::size_t OverflowChunkSize = 1024;  // 64 KiB per chunk
    static constexpr std::size_t MaxOverflowChunks = 65536; // 64 M overflow events at most
    struct OverflowChunk {
        Event events[OverflowChunkSize];
    };
    static constexpr std::size_t PreviewChunkSlots = 1024; // 64 KiB per chunk
    static constexpr std::size_t MaxPreviewChunks = 65536; // 64 M previews at most
    struct PreviewSlot { // 49 bytes, unaligned: slots are written once, by one thread
        std::uint8_t len;
        char data[PreviewMax];
    };
    struct PreviewChunk {
        PreviewSlot entries[PreviewChunkSlots];
    };
    Chunk *chunk(std::size_t c);                  // allocates it when nobody has yet
    PreviewChunk *previewChunk(std::size_t c);    // the same for previews
    OverflowChunk *overflowChunk(std::size_t c);  // and for overflow events
    std::uint64_t appendOverflow(const Event &e); // the slot's index
    void freeAll();
    std::size_t appendLocal(const Event &e);
    std::size_t appendRemote(const Event &e); // the child's append: one write() to the pipe
    void sendRemote(const char *data, std::size_t len);

    std::unique_ptr<std::atomic<Chunk *>[]> m_chunks;       // MaxChunks slots
    alignas(64) std::atomic<std::size_t> m_reserved{0};     // indices handed out
    alignas(64) mutable std::atomic<std::size_t> m_size{0}; // the published prefix
    alignas(64) std::atomic<std::size_t> m_chunkCount{0};

    std::unique_ptr<std::atomic<PreviewChunk *>[]> m_previewChunks; // MaxPreviewChunks
    // Slots handed out (low 32 bits) and bytes kept, <= cap (high 32 bits): one word, so
    // a preview takes one compare-and-swap on one shared line (both fit: at most
    // MaxPreviewChunks * PreviewChunkSlots = 2^26 slots of PreviewMax bytes).
    alignas(64) std::atomic<std::uint64_t> m_previewState{0};
    static std::size_t previewSlots(std::uint64_t state) {
        return std::size_t(state & 0xffffffffu);
    }
    std::atomic<std::size_t> m_previewCap{64u << 20};
    std::atomic<std::size_t> m_previewChunkCount{0};

    std::unique_ptr<std::atomic<OverflowChunk *>[]> m_overflowChunks; // MaxOverflowChunks
    alignas(64) std::atomic<std::size_t> m_overflowCount{0};          // slots handed out
    std::atomic<std::size_t> m_overflowChunkCount{0};

    alignas(64) mutable std::mutex m_poolMutex;
    std::vector<QString> m_strings; // [0] = ""
    QHash<QString, StrRef> m_stringIndex;
    std::int64_t m_originNs = 0;
    std::atomic<int> m_remoteFd{-1}; // >= 0 only in a forked child
};

} // namespace sl::trace
