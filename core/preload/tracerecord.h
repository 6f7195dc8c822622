// The wire format between the LD_PRELOAD interposer (socketlab_preload.cpp, inside the
// traced program) and the lab (tracer/ring.*): a shared-memory ring of fixed 128-byte
// records. Plain C++ (no Qt): it is compiled into both.
//
// Layout of the memfd: one RingHeader (4 KiB) then `capacity` Records.
// Producers (every thread of every traced process; fork children inherit the mapping)
// reserve a slot with one atomic add on `head`, wait while the ring is full (the lab
// is behind), fill the record and publish it by storing seq = index + 1 (release).
// The single consumer (the lab) reads slot `tail` once its seq says it is published,
// then advances `tail`. Each traced call writes a Begin record before the real call
// and an End record after it, so a call that never returns (a killed program) is seen.
//
// --step: a Begin record's producer waits (futex on the record's `go` word, shared,
// not private: the lab is another process) until the lab stores go = 1.
#pragma once

#include <atomic>
#include <cstdint>

namespace sl::preload {

inline constexpr std::uint32_t RingMagic = 0x534c5452; // "SLTR"
inline constexpr std::uint32_t RingVersion = 1;
inline constexpr const char *EnvFd = "SOCKETLAB_TRACE_FD"; // the memfd's number
inline constexpr const char *EnvStep = "SOCKETLAB_TRACE_STEP";

enum class Call : std::uint16_t {
    None = 0,
    Socket,
    Socketpair,
    Bind,
    Listen,
    Accept,
    Accept4,
    Connect,
    Send,
    Sendto,
    Sendmsg,
    Recv,
    Recvfrom,
    Recvmsg,
    Read,
    Write,
    Readv,
    Writev,
    Shutdown,
    Close,
    Setsockopt,
    Getsockopt,
    FcntlNonblock, // fcntl(fd, F_SETFL, …) on a socket: a[0] = 1 when O_NONBLOCK is set
    IoctlFionbio,  // ioctl(fd, FIONBIO, &on): a[0] = on
    Select,
    Poll,
    Ppoll,
    EpollCreate,
    EpollCtl,
    EpollWait,
    Count_
};

// ThreadName: published once per thread, before its first Begin: preview = the thread's
// name (/proc comm) then, so the lab names the actor even when the thread or the process
// is gone before the lab reads its records (the program exits at once).
enum Phase : std::uint8_t { Begin = 0, End = 1, ThreadName = 2 };

// Record::flags
enum RecordFlags : std::uint8_t {
    RecNonBlocking = 1, // the call carried MSG_DONTWAIT or the fd is O_NONBLOCK (as cached)
    RecAddrV4 = 2,      // a[2] = IPv4 address (host order), a[3] = port: bind/connect/sendto
    RecAddrUnix = 4,    // preview holds an AF_UNIX path
    RecPyLine = 8,      // Begin: err = the Python line, preview = its file's name (sitecustomize)
};

struct alignas(64) Record {
    std::atomic<std::uint32_t> seq; // (index + 1) low 32 bits once published
    std::atomic<std::uint32_t> go;  // --step: the lab stores 1 to let a Begin's call run
    std::uint16_t call;             // Call
    std::uint8_t phase;             // Phase
    std::uint8_t flags;             // RecordFlags
    std::int32_t fd;                // the descriptor the call is about, -1
    std::int32_t pid, tid;
    std::int32_t err;    // End: errno after the call (0 on success)
    std::uint32_t inode; // the socket's inode (fstat, cached per fd), 0 = unknown
    std::int64_t a[4];   // arguments, by call (see socketlab_preload.cpp)
    std::int64_t ret;    // End: the return value
    std::int64_t t0, t1; // CLOCK_MONOTONIC ns: call start (Begin and End), end (End)
    std::uint16_t previewLen;
    std::uint8_t pad[6];
    char preview[32]; // the first bytes of the payload sent/received (End)
};
static_assert(sizeof(Record) == 128, "a record is two cache lines");

struct alignas(64) RingHeader {
    std::uint32_t magic;
    std::uint32_t version;
    std::uint32_t capacity;                      // records, a power of two
    std::int32_t labPid;                         // producers stop waiting for space once it is gone
    alignas(64) std::atomic<std::uint64_t> head; // next index to reserve
    alignas(64) std::atomic<std::uint64_t> tail; // next index the lab reads
    alignas(64) std::atomic<std::uint64_t> dropped; // records lost (the lab was gone)
    std::atomic<std::uint32_t> step;                // 1: --step (Begin waits for go)
};
inline constexpr std::size_t RingHeaderBytes = 4096;
static_assert(sizeof(RingHeader) <= RingHeaderBytes);

inline std::size_t ringBytes(std::uint32_t capacity) {
    return RingHeaderBytes + std::size_t(capacity) * sizeof(Record);
}

} // namespace sl::preload
