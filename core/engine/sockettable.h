// The lab's sockets: every descriptor a script created, with what the lab knows
// about it (script name, blocking mode, timeout, the recv_until leftover, the last
// kernel sample). The kernel's own numbers come from KernelProbe; nothing here is
// estimated.
//
// Ownership: the SocketTable owns the descriptors. A LabSocket is shared with the
// Values that name it; its descriptor is closed by SocketTable::close() or
// closeAll(), never by a Value going away (a socket that is never closed keeps its
// peer waiting, which lesson 13 shows on purpose).
//
// Thread affinity: all members are thread-safe. Actors create and close sockets on
// their threads; the sampler and the lab thread probe them. Closing takes the table
// mutex, and so does probing a descriptor, so a probe never reads a descriptor number
// that was closed and reused under it; probeAll's sock_diag dump runs outside that lock
// (matched by inode, and dropped for an entry closed meanwhile), serialised by its own, as is
// the io_uring batch (its ring is the table's, kept under the probe mutex). wakeAll(),
// closeAll() and clear() belong to reset(): they are called on the thread that created the table
// (the lab's), checked by assert() in debug builds; closeAll() and clear() only once no actor runs.
#pragma once

#include "sys/kernelprobe.h"
#include "sys/sockdiag.h"
#include "sys/uringprobe.h"
#include "trace/trace.h"

#include <QHash>
#include <QString>
#include <atomic>
#include <memory>
#include <mutex>
#include <sys/socket.h>
#include <thread>
#include <vector>

namespace sl::engine {

struct LabSocket {
    int id = -1;             // lab socket id, stable for the run (the trace's `sock`)
    std::atomic<int> fd{-1}; // -1 once closed
    int domain = 0;          // AF_INET, AF_INET6, AF_UNIX, or 0 for a pipe end
    int type = 0;            // SOCK_STREAM, SOCK_DGRAM
    bool pipeEnd = false;    // an os.pipe() end (read/write, no socket options)
    bool pipeWrite = false;
    QString name;            // the script name it was first bound to
    bool kernelOnly = false; // a "ghost": seen only through sock_diag, no descriptor

    std::atomic<bool> nonBlocking{false};
    std::atomic<double> timeout{-1}; // settimeout(): <0 none (blocking), 0 non-blocking
    std::atomic<int> inflight{0};    // calls in progress on it (from any actor)
    // makefile() (issue 9): open file objects on it, and a close() that waits for
    // them (CPython's socket._io_refs and _closed: the descriptor stays open until
    // the last file object is closed).
    std::atomic<int> ioRefs{0};
    std::atomic<bool> closePending{false};

    // recv_until()/recv_msg() keep what they read past a message here (the HOWTO's
    // "put that aside and hold onto it"). Guarded by leftoverMutex.
    std::mutex leftoverMutex;
    QByteArray leftover;

    bool isTcp() const {
        return !pipeEnd && (domain == AF_INET || domain == AF_INET6) && type == SOCK_STREAM;
    }
};

class SocketTable {
public:
    explicit SocketTable(trace::Trace &trace);
    ~SocketTable();

    // Registers an open descriptor of `actor` (-1: none); records SocketNew.
    std::shared_ptr<LabSocket> add(int actor, int fd, int domain, int type, const QString &name,
                                   bool pipeEnd = false, bool pipeWrite = false);
    // Closes the descriptor (under the table lock); records SocketClose — except in a
    // forked child (setForkChild()), where it closes the child's descriptor only: the
    // socket lives on in the parent, so the trace records the close() call, not the end.
    int close(LabSocket &s);
    // os.fork() (forks.cpp): the probe and table locks are held across fork(), in their
    // order, so the child never inherits one locked by the sampler (a child's probeAll()
    // would wait forever) nor a ring with the sampler's commands half submitted;
    // setForkChild() is called in the child only.
    void lockForFork() {
        m_probeMutex.lock();
        m_mutex.lock();
    }
    void unlockAfterFork() {
        m_mutex.unlock();
        m_probeMutex.unlock();
    }
    void setForkChild() { m_forkChild = true; }
    std::shared_ptr<LabSocket> byId(int id) const;
    std::vector<std::shared_ptr<LabSocket>> all() const;
    std::vector<int> tcpPorts() const; // local ports of the lab's TCP sockets

    // Samples every open socket and records what changed (Sample, StateChange,
    // SocketInfo). Called after every step and by the sampler at its rate.
    void probeAll();
    // Samples one socket (a bind() or connect() changed its addresses): with thousands
    // of sockets a probeAll() after each connect() made a loop of them quadratic.
    void probeOne(const LabSocket &s);
    std::size_t size() const; // sockets ever added (and kernel-only ones) in this run
    // kernel_state(s) for a closed TCP socket: the state of the kernel socket that still
    // has the last complete local/peer address pair the socket ever had (TIME_WAIT,
    // FIN_WAIT2, …) through sock_diag, or "gone". One netlink dump; called by the lab's probe
    // functions, not the sampler.
    QString kernelState(int id) const;
    // The kernel's sockets on the lab's ports that no lab descriptor owns: connections
    // waiting in an accept queue, FIN_WAIT2 and TIME_WAIT after close(). They are
    // recorded as kernel-only sockets (SocketNew with kernelOnly = 1, then Sample and
    // SocketClose when they vanish), through NETLINK_SOCK_DIAG.
    void probeKernelOnly();
    // The last sample of a socket (probes it first when fresh is true).
    sys::SocketSample lastSample(int id, bool fresh);

    // reset(): wake every blocked call (shutdown(SHUT_RDWR); for pipes, close the end
    // nobody is blocked on), then, once the actors are gone, close everything.
    void wakeAll();
    void closeAll();
    void clear();
    // AF_UNIX paths a script bound (issue 9): removed by clear() and the destructor,
    // so a reset leaves no socket files behind and the next run can bind them again.
    void addUnixPath(const QByteArray &path);

private:
    struct Entry {
        std::shared_ptr<LabSocket> sock;
        sys::SocketSample last;
        bool haveSample = false;
        bool sampledNonBlocking = false; // the mode the last Sample event recorded
        QString local, peer;     // as getsockname()/getpeername() last said (the SocketInfo events)
        int peerSock = -1;       // the peer's lab id as last recorded in a SocketInfo event
        std::uint32_t inode = 0; // of descriptor inodeFd (probeAll's sock_diag match)
        int inodeFd = -1;
        std::uint64_t probeSeq = 0; // m_probeSeq when a descriptor probe last recorded it
        // The last complete 4-tuple the socket ever had: kernelState() looks its connection
        // up by it. `peer` empties when the socket goes to CLOSE with its descriptor still
        // open (a server that shut down first and got the client's FIN: its connection
        // moved to a TIME_WAIT socket of its own and getpeername() fails), but the
        // TIME_WAIT socket keeps these numbers.
        QString lastLocal, lastPeer;
    };
    void probeLocked(Entry &e, const sys::SocketSample *pre); // under m_mutex
    void recordAddresses(Entry &e);                           // under m_mutex
    void appendInfo(Entry &e, int fd); // under m_mutex: a SocketInfo event from e's fields
    int addGhost(const sys::DiagSocket &d, const QString &local, const QString &peer);
    trace::Trace &m_trace;
    mutable std::mutex m_mutex;
    std::mutex m_probeMutex; // one probeAll() at a time; taken before m_mutex
    // probeAll()'s io_uring ring (B2), kept between probes: a ring set up per probe is no
    // faster than the system calls it batches. Used under m_probeMutex only; closeAll()
    // closes it with the sockets, so a reset() leaves no descriptor of the lab open.
    sys::UringProbe m_ring;
    std::uint64_t m_probeSeq = 0;        // under m_mutex
    std::vector<Entry> m_entries;        // index = LabSocket::id
    std::vector<int> m_ports;            // every TCP port a lab socket has had in this run
    QHash<QString, int> m_ghosts;        // "local|peer" -> id of the kernel-only socket
    std::thread::id m_owner;             // the lab's thread (see Thread affinity)
    bool m_forkChild = false;            // set in a forked child only (one thread)
    std::vector<QByteArray> m_unixPaths; // under m_mutex
    void unlinkUnixPaths();              // under m_mutex
};

} // namespace sl::engine
