// ProgramTracer: `socketlab trace -- PROGRAM`. Starts PROGRAM as the lab's child with
// the interposer preloaded (preload/socketlab_preload.cpp), reads its records from the
// shared ring (preload/tracerecord.h) and turns them into the lab's own trace events,
// so every view of a lab script (TextReport, the window's stage and sequence) shows a
// real program unchanged:
//   - each thread of each process is an actor, named "comm [pid]" or "comm [pid/tid]"
//     (the threads of one process sort together);
//   - each socket descriptor is a lab socket (a fork child's copy of a descriptor is the
//     same lab socket: one kernel socket, matched by inode);
//   - a call is a CallBegin/CallEnd pair with the C call's arguments as its text;
//   - after the calls of each batch read, the sockets they used are probed: the child's
//     descriptor is copied with pidfd_getfd() and read by KernelProbe (state, queues,
//     buffers, readiness), then closed at once; where pidfd_getfd is refused, sock_diag
//     by inode gives state and queues.
// --step: a call waits in the program until release(); poll() stops at it.
//
// Thread affinity: one thread (the caller's) for everything; the trace may be read by
// others while this one appends.
#pragma once

#include "sys/kernelprobe.h"
#include "trace/trace.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <memory>
#include <sys/types.h>
#include <unordered_map>
#include <vector>

namespace sl::preload {
struct Record;
}

namespace sl::tracer {

class Ring;

// The trace's actor byte of the n-th thread seen: the trace format holds 64 actors
// (trace::MaxActors); later threads' calls are recorded without one.
inline std::uint8_t actorByte(int n) {
    return n >= 0 && n < 64 ? std::uint8_t(n) : trace::NoActor;
}

// One call the program made, as poll() read it (for the terminal report).
struct TracedCall {
    int actor = -1;
    QString actorName;
    QString text;  // "send(5, 4096, 0)"
    QString where; // the Python line that made it, "client.py:12" (setPythonLines)
    bool ended = false;
    std::int64_t ret = 0;
    int err = 0;
    std::int64_t asked = -1, moved = -1;
    bool partial = false;
    int sock = -1;                     // lab socket id, -1
    std::size_t traceEnd = SIZE_MAX;   // End: the trace's size once the call was probed
    std::size_t traceBegin = SIZE_MAX; // Begin: the index of its CallBegin event
};

class ProgramTracer {
public:
    explicit ProgramTracer(trace::Trace &trace);
    ~ProgramTracer(); // kills a child still running (SIGKILL) and reaps it
    ProgramTracer(const ProgramTracer &) = delete;
    ProgramTracer &operator=(const ProgramTracer &) = delete;

    // The interposer: $SOCKETLAB_PRELOAD, else beside the binary (../lib/socketlab/ in the
    // build tree, LIBDIR/socketlab/ installed). Empty when none is found.
    static QString preloadPath();

    // Starts argv[0] (looked up in PATH) with argv. Refuses setuid/setgid programs.
    // stdinNull: the program's standard input is /dev/null (--step reads the terminal).
    bool start(const QStringList &argv, bool step, bool stdinNull, QString *error);
    pid_t pid() const { return m_pid; }

    // Reads the published records into the trace; returns how many. In step mode stops
    // at a call waiting for release() (stepPending()).
    int poll();
    // After a poll() that read `read` records: sleeps 2 ms unless the ring was busy, so
    // the reader works in batches (a reader woken for every record takes a core from the
    // program: traced/untraced was 0.57 polling, see bench_trace).
    static void waitForBatch(int read);
    // Calls read since the last take (Begin and End: a call appears when it begins,
    // again when it ends).
    std::vector<TracedCall> takeCalls();
    bool stepPending() const { return m_pending != nullptr; }
    TracedCall pendingCall() const { return m_pendingCall; }
    void release(); // the waiting call runs
    void setStep(bool on);
    // Sends signo to the program and to every process of it whose sockets were probed
    // (fork children: a shell's `a & b`), through their pidfds.
    void killAll(int signo);
    // Probe after every call (the terminal report), or once per socket per batch read
    // (the default: cheaper when the program makes calls faster than the lab reads).
    void setProbeEachCall(bool on) { m_probeEachCall = on; }
    // takeCalls() collects nothing when off (--quiet: only the trace is kept).
    void setCollectCalls(bool on) { m_collectCalls = on; }
    // Before start(): a CPython program names the line of each call (the lab's
    // sitecustomize.py first on PYTHONPATH; it wraps socket.socket's methods, which costs
    // the program about 0.6 µs of CPU per call). The call's events then carry the line.
    void setPythonLines(bool on) { m_pythonLines = on; }
    // Before start(): the program's working directory (empty: the lab's).
    void setWorkingDirectory(const QString &dir) { m_workDir = dir; }

    // True once the program (the first child) has exited and every record is read; the
    // trace is then completed: calls still open end as "woken", actors end, sockets close.
    bool finished();
    // The program's exit status as a shell reports it: its code, or 128 + the signal.
    int exitStatus() const { return m_exitStatus; }
    std::uint64_t dropped() const;
    int actorCount() const { return int(m_actors.size()); }
    std::int64_t callCount() const { return m_callCount; } // calls that returned

private:
    struct OpenCall {
        int call;
        std::int64_t t0;    // lab ns
        std::uint16_t line; // the Python line (sitecustomize.py), 0
        QString where;      // "client.py:12", empty
    };
    struct Actor {
        int pid, tid;
        QString name;
        std::vector<OpenCall> open;
        bool blocked = false; // an ActorStatus Blocked was recorded for open.back()
    };
    struct Sock {
        int id;
        int domain = -1, type = -1;
        std::uint32_t inode = 0;
        int refs = 0;
        int pid = 0, fd = -1; // a descriptor that names it (for probing)
        int port = 0;         // a port seen in its calls (sock_diag fallback)
        QString local, peer;
        bool haveSample = false;
        bool lastNonBlocking = false;
        sys::SocketSample last;
    };
    int actorFor(const preload::Record &r);
    Sock *sockFor(const preload::Record &r, bool create);
    Sock *newSock(const preload::Record &r, int fd, std::uint32_t inode, int domain, int type);
    void closeFd(int pid, int fd);
    void handle(const preload::Record &r);
    void probe(Sock &s);
    int pidfd(int pid);
    std::int64_t labNs(std::int64_t monoNs) const;
    QString callText(const preload::Record &r) const;
    std::pair<trace::StrRef, QString> argsOf(const preload::Record &r);
    struct ArgsKey {
        std::uint16_t call;
        std::int32_t fd;
        std::int64_t a[4];
        std::uint8_t addr;
        bool operator==(const ArgsKey &o) const {
            return call == o.call && fd == o.fd && addr == o.addr && a[0] == o.a[0] &&
                   a[1] == o.a[1] && a[2] == o.a[2] && a[3] == o.a[3];
        }
    };
    struct ArgsHash {
        std::size_t operator()(const ArgsKey &k) const {
            std::size_t h =
                k.call * 0x9e3779b97f4a7c15ull ^ std::size_t(k.fd) ^ (std::size_t(k.addr) << 40);
            for (std::int64_t v : k.a)
                h = (h ^ std::size_t(v)) * 0x100000001b3ull;
            return h;
        }
    };
    std::unordered_map<ArgsKey, std::pair<trace::StrRef, QString>, ArgsHash> m_argsCache;
    void completeTrace();
    void markBlocked();

    trace::Trace &m_trace;
    std::unique_ptr<Ring> m_ring;
    pid_t m_pid = -1;
    bool m_exited = false;
    bool m_completed = false;
    bool m_probeEachCall = false;
    bool m_collectCalls = true;
    bool m_pythonLines = false;
    QString m_workDir;
    bool m_noPidfd = false; // SOCKETLAB_TRACE_NO_PIDFD=1 at start()
    std::int64_t m_callCount = 0;
    bool m_everStepped = false; // Begin records may wait: release each one read
    int m_exitStatus = 0;
    std::int64_t m_monoOrigin = 0; // CLOCK_MONOTONIC ns at the trace's origin
    std::int64_t m_lastProgressNs = 0;
    QHash<quint64, int> m_actorIndex;      // pid << 32 | tid
    QHash<quint64, QString> m_threadNames; // ThreadName records of threads not yet actors
    std::vector<Actor> m_actors;
    std::vector<Sock> m_socks;
    QHash<quint64, int> m_fdSock;    // pid << 32 | fd -> lab socket
    QHash<quint32, int> m_inodeSock; // live sockets by inode
    QHash<int, int> m_pidfds;        // pid -> pidfd (-1: refused)
    std::vector<int> m_touched;      // lab sockets to probe after this batch
    std::vector<TracedCall> m_calls;
    const preload::Record *m_pending = nullptr;
    TracedCall m_pendingCall;
};

} // namespace sl::tracer
