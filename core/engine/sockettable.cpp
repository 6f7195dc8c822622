#include "engine/sockettable.h"

#include "sys/net.h"
#include "sys/sockdiag.h"
#include "sys/uringprobe.h"

#include <QSet>
#include <algorithm>
#include <cassert>

namespace sl::engine {

SocketTable::SocketTable(trace::Trace &trace)
    : m_trace(trace)
    , m_owner(std::this_thread::get_id()) {}

SocketTable::~SocketTable() {
    closeAll();
    std::lock_guard lock(m_mutex);
    unlinkUnixPaths();
}

std::shared_ptr<LabSocket> SocketTable::add(int actor, int fd, int domain, int type,
                                            const QString &name, bool pipeEnd, bool pipeWrite) {
    auto s = std::make_shared<LabSocket>();
    s->fd.store(fd);
    s->domain = domain;
    s->type = type;
    s->name = name;
    s->pipeEnd = pipeEnd;
    s->pipeWrite = pipeWrite;
    const sys::SysResult nb = sys::isNonBlocking(fd);
    s->nonBlocking.store(nb.ok() && nb.ret == 1);
    // The inode is read here, on the thread that made the descriptor, and never by the
    // sampler: an fstat() there would race (for ThreadSanitizer, which models a
    // descriptor as memory) with this thread's connect() on it. It never changes.
    const std::uint32_t inode = sys::SockDiag::inodeOf(fd);
    std::lock_guard lock(m_mutex);
    s->id = int(m_entries.size());
    m_entries.push_back({s, {}, false, false, {}, {}});
    m_entries.back().inode = inode;
    m_entries.back().inodeFd = fd;
    trace::Event ev;
    ev.tNs = m_trace.now();
    ev.kind = trace::EventKind::SocketNew;
    // Whose socket it is: actors run at once, so the stage cannot tell it from the
    // calls open at this moment (the wire's socket() and a server's accept() overlap).
    ev.actor = actor >= 0 && actor < trace::NoActor ? std::uint8_t(actor) : trace::NoActor;
    ev.sock = s->id;
    ev.socket.fd = fd;
    ev.socket.domain = domain;
    ev.socket.type = pipeEnd ? (pipeWrite ? -2 : -1) : type; // -1/-2: pipe read/write end
    ev.socket.name = m_trace.intern(name);
    ev.socket.peerSock = -1;
    m_trace.append(ev);
    return s;
}

int SocketTable::close(LabSocket &s) {
    std::lock_guard lock(m_mutex);
    const int fd = s.fd.exchange(-1);
    if (fd < 0)
        return 0;
    const sys::SysResult r = sys::close(fd);
    if (m_forkChild)
        return r.err; // the parent's descriptor keeps the socket: it is not closed
    trace::Event ev;
    ev.tNs = m_trace.now();
    ev.kind = trace::EventKind::SocketClose;
    ev.sock = s.id;
    ev.socket.fd = fd;
    ev.socket.peerSock = -1;
    m_trace.append(ev);
    if (s.id >= 0 && s.id < int(m_entries.size()))
        m_entries[std::size_t(s.id)].haveSample = false;
    return r.err;
}

std::shared_ptr<LabSocket> SocketTable::byId(int id) const {
    std::lock_guard lock(m_mutex);
    if (id < 0 || id >= int(m_entries.size()))
        return {};
    return m_entries[std::size_t(id)].sock;
}

std::vector<std::shared_ptr<LabSocket>> SocketTable::all() const {
    std::lock_guard lock(m_mutex);
    std::vector<std::shared_ptr<LabSocket>> out;
    out.reserve(m_entries.size());
    for (const Entry &e : m_entries)
        out.push_back(e.sock);
    return out;
}

std::vector<int> SocketTable::tcpPorts() const {
    std::lock_guard lock(m_mutex);
    std::vector<int> ports;
    for (const Entry &e : m_entries) {
        const int fd = e.sock->fd.load();
        if (fd < 0 || !e.sock->isTcp())
            continue;
        sys::SockAddr a;
        if (sys::getsockname(fd, &a).ok() && a.port() > 0 &&
            std::find(ports.begin(), ports.end(), a.port()) == ports.end())
            ports.push_back(a.port());
    }
    return ports;
}

void SocketTable::recordAddresses(Entry &e) {
    const int fd = e.sock->fd.load();
    if (e.sock->pipeEnd || fd < 0)
        return;
    sys::SockAddr a, p;
    const QString local = sys::getsockname(fd, &a).ok() ? a.toString() : QString();
    const QString peer = sys::getpeername(fd, &p).ok() ? p.toString() : QString();
    if (local == e.local && peer == e.peer)
        return;
    e.local = local;
    e.peer = peer;
    if (!local.isEmpty() && !peer.isEmpty()) {
        e.lastLocal = local;
        e.lastPeer = peer;
    }
    if (e.sock->isTcp() && a.port() > 0 &&
        std::find(m_ports.begin(), m_ports.end(), a.port()) == m_ports.end())
        m_ports.push_back(a.port());
    e.peerSock = -1;
    Entry *other = nullptr;
    if (!peer.isEmpty()) {
        for (Entry &o : m_entries) {
            if (&o != &e && o.sock->fd.load() >= 0 && o.local == peer && o.peer == local) {
                e.peerSock = o.sock->id;
                other = &o;
                break;
            }
        }
    }
    appendInfo(e, fd);
    // A client that connected before the server accepted had no lab peer when its
    // addresses were recorded; now that the accepted socket exists, say so for the
    // client too, so that both ends of the connection name each other in the trace.
    if (other && other->peerSock != e.sock->id) {
        other->peerSock = e.sock->id;
        appendInfo(*other, other->sock->fd.load());
    }
}

void SocketTable::appendInfo(Entry &e, int fd) {
    trace::Event ev;
    ev.tNs = m_trace.now();
    ev.kind = trace::EventKind::SocketInfo;
    ev.sock = e.sock->id;
    ev.socket.fd = fd;
    ev.socket.domain = e.sock->domain;
    ev.socket.type = e.sock->type;
    ev.socket.local = m_trace.intern(e.local);
    ev.socket.peer = m_trace.intern(e.peer);
    ev.socket.peerSock = e.peerSock;
    m_trace.append(ev);
}

// Records a sample that differs from the last one (and the state change, if any).
static void recordSample(trace::Trace &trace, int id, int fd, bool nonBlocking,
                         const sys::SocketSample &x, sys::SocketSample &last, bool &haveSample) {
    const std::int64_t t = trace.now();
    if (haveSample && x.state != last.state) {
        trace::Event st;
        st.tNs = t;
        st.kind = trace::EventKind::StateChange;
        st.sock = id;
        st.state.from = std::uint8_t(last.state);
        st.state.to = std::uint8_t(x.state);
        trace.append(st);
    }
    trace::Event ev;
    ev.tNs = t;
    ev.kind = trace::EventKind::Sample;
    ev.sock = id;
    ev.sample.state = std::uint8_t(x.state);
    ev.sample.readiness = x.readiness;
    ev.sample.listener = x.listener;
    ev.sample.nonBlocking = nonBlocking;
    ev.sample.fd = fd;
    ev.sample.sndbuf = x.sndbuf;
    ev.sample.rcvbuf = x.rcvbuf;
    ev.sample.sendQ = x.sendQ;
    ev.sample.unsent = x.unsent;
    ev.sample.recvQ = x.recvQ;
    ev.sample.acceptQ = x.acceptQ;
    ev.sample.backlog = x.backlog;
    ev.sample.peerWnd = x.peerWnd;
    ev.sample.rcvMem = x.rcvMem;
    ev.sample.drops = x.drops;
    trace.append(ev);
    last = x;
    haveSample = true;
}

// pre: the socket's sample from probeAll's sock_diag dump (equal to the descriptor's), or
// nullptr to probe the descriptor.
static bool probeEntry(trace::Trace &trace, LabSocket &s, sys::SocketSample &last, bool &haveSample,
                       bool &sampledNonBlocking, bool *stateChanged,
                       const sys::SocketSample *pre = nullptr) {
    const int fd = s.fd.load();
    if (fd < 0)
        return false;
    const sys::SocketSample x = pre ? *pre : sys::KernelProbe::sample(fd, s.isTcp());
    // O_NONBLOCK is only ever changed by the lab's own fcntl() (setblocking,
    // settimeout), so the flag it keeps is the descriptor's; a change of mode alone
    // is recorded too.
    const bool nb = s.nonBlocking.load();
    if (haveSample && x == last && nb == sampledNonBlocking)
        return false;
    *stateChanged = !haveSample || x.state != last.state;
    recordSample(trace, s.id, fd, nb, x, last, haveSample);
    sampledNonBlocking = nb;
    return true;
}

void SocketTable::probeAll() {
    // One probeAll at a time (the sampler's and an actor's), so that their samples are
    // recorded in the order they were taken. The table lock is NOT held during the
    // sock_diag dump below: with thousands of sockets it takes milliseconds, and every
    // connect(), accept() and close() of every actor would wait for it (lesson 23).
    std::lock_guard probing(m_probeMutex);
    // B2: from 32 TCP sockets on, their reads are batched through io_uring
    // (KernelProbe::sampleMany); where io_uring is unusable, from 16 on one sock_diag
    // dump filtered in the kernel to the lab's ports gives the same numbers as four calls
    // per descriptor (SockDiag::sampleTcp). What neither can say (and every socket of a
    // small lab) is probed by descriptor.
    constexpr std::size_t DumpFrom = 16;
    thread_local std::vector<int> fds, at;
    thread_local std::vector<std::uint32_t> inodes;
    thread_local std::vector<sys::SocketSample> pre;
    std::vector<int> ports;
    std::uint64_t dumpSeq = 0;
    {
        std::lock_guard lock(m_mutex);
        fds.clear();
        inodes.clear();
        at.assign(m_entries.size(), -1);
        for (std::size_t i = 0; i < m_entries.size(); ++i) {
            Entry &e = m_entries[i];
            const int fd = e.sock->fd.load();
            if (fd < 0 || !e.sock->isTcp() || e.sock->kernelOnly)
                continue;
            at[i] = int(fds.size());
            fds.push_back(fd);
            // Inode 0 matches no dumped socket: that one is probed by descriptor.
            inodes.push_back(e.inodeFd == fd ? e.inode : 0);
        }
        if (fds.size() >= DumpFrom)
            ports = m_ports;
        dumpSeq = m_probeSeq;
    }
    bool dumped = false;
    const bool ring = sys::UringProbe::usable();
    if (ring && fds.size() >= std::size_t(sys::KernelProbe::batchFrom())) {
        // Faster than the dump (B2, 1,000 sockets: 1.6-1.8 ms of CPU against the dump's
        // 4.3 ms, which walks the kernel's whole hash table; at 10,000 the dump is ~10 %
        // cheaper) and equal to the descriptor's sample by construction. Unlocked, as the
        // dump below; the ring is kept by the table (m_ring, under m_probeMutex).
        pre.resize(fds.size());
        thread_local std::unique_ptr<bool[]> allTcp;
        thread_local std::size_t allTcpSize = 0;
        if (allTcpSize < fds.size()) {
            allTcpSize = fds.size() * 2;
            allTcp.reset(new bool[allTcpSize]);
            std::fill_n(allTcp.get(), allTcpSize, true);
        }
        sys::KernelProbe::sampleMany(fds.data(), allTcp.get(), pre.data(), int(fds.size()),
                                     &m_ring);
        dumped = true;
    } else if (!ring && fds.size() >= DumpFrom) {
        // Unlocked: a descriptor may be closed (and its number reused) meanwhile. Such a
        // result is dropped below: close() sets the entry's fd to -1 for good, so an entry
        // whose fd is unchanged afterwards was open during the whole dump.
        pre.resize(fds.size());
        dumped = sys::SockDiag::sampleTcp(fds.data(), inodes.data(), int(fds.size()), ports,
                                          pre.data()) == 0;
    }
    std::lock_guard lock(m_mutex);
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        Entry &e = m_entries[i];
        const int k = i < at.size() ? at[i] : -1;
        // A socket probed by descriptor after the dump began (probeOne, lastSample) has a
        // newer sample than the dump's: probe it again rather than record an older one.
        const bool usable = dumped && k >= 0 && pre[std::size_t(k)].ok &&
                            e.sock->fd.load() == fds[std::size_t(k)] && e.probeSeq <= dumpSeq;
        const sys::SocketSample *p = usable ? &pre[std::size_t(k)] : nullptr;
        probeLocked(e, p);
    }
}

void SocketTable::probeLocked(Entry &e, const sys::SocketSample *pre) {
    bool stateChanged = false;
    if (probeEntry(m_trace, *e.sock, e.last, e.haveSample, e.sampledNonBlocking, &stateChanged,
                   pre) &&
        !pre)
        e.probeSeq = ++m_probeSeq;
    if (e.sock->fd.load() >= 0 && (stateChanged || e.peer.isEmpty()))
        recordAddresses(e);
}

void SocketTable::probeOne(const LabSocket &s) {
    std::lock_guard lock(m_mutex);
    if (s.id >= 0 && s.id < int(m_entries.size()))
        probeLocked(m_entries[std::size_t(s.id)], nullptr);
}

QString SocketTable::kernelState(int id) const {
    QString local, peer;
    std::vector<int> ports;
    {
        std::lock_guard lock(m_mutex);
        if (id < 0 || id >= int(m_entries.size()))
            return QStringLiteral("gone");
        local = m_entries[std::size_t(id)].lastLocal;
        peer = m_entries[std::size_t(id)].lastPeer;
        ports = m_ports;
    }
    if (local.isEmpty() || peer.isEmpty() || ports.empty())
        return QStringLiteral("gone");
    int err = 0;
    for (const sys::DiagSocket &d : sys::SockDiag::tcpSockets(ports, &err))
        if (d.inode == 0 && d.local.toString() == local && d.peer.toString() == peer)
            return QString::fromLatin1(sys::tcpStateName(d.state));
    return QStringLiteral("gone");
}

std::size_t SocketTable::size() const {
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

sys::SocketSample SocketTable::lastSample(int id, bool fresh) {
    std::lock_guard lock(m_mutex);
    if (id < 0 || id >= int(m_entries.size()))
        return {};
    Entry &e = m_entries[std::size_t(id)];
    if (fresh) {
        bool stateChanged = false;
        if (probeEntry(m_trace, *e.sock, e.last, e.haveSample, e.sampledNonBlocking, &stateChanged))
            e.probeSeq = ++m_probeSeq;
        if (stateChanged)
            recordAddresses(e);
    }
    return e.last;
}

void SocketTable::wakeAll() {
    assert(std::this_thread::get_id() == m_owner); // the lab's thread (reset())
    std::lock_guard lock(m_mutex);
    for (Entry &e : m_entries) {
        LabSocket &s = *e.sock;
        const int fd = s.fd.load();
        if (fd < 0)
            continue;
        if (!s.pipeEnd) {
            // shutdown(SHUT_RDWR) from another thread wakes accept (EINVAL), recv (0),
            // send (EPIPE), a connect stuck in SYN_SENT (ECONNRESET), select and a UDP
            // recvfrom. close() would not: the call would stay blocked.
            sys::shutdown(fd, SHUT_RDWR);
        } else {
            // A pipe cannot be shut down; closing the idle end wakes the other one
            // (the reader sees EOF, the writer EPIPE). An end that a call is using must
            // stay open (its number could be reused under the call), and the check
            // must not race with a call that is just starting: Interpreter::begin()
            // counts the call (inflight, seq_cst) and only then loads the descriptor;
            // here the descriptor is taken away (seq_cst) and only then the count is
            // read. In the single total order of seq_cst operations one of the two
            // comes first: either we see the count and give the descriptor back, or
            // the call loads -1 and fails with EBADF instead of reading a descriptor
            // we close. (The old relaxed check-then-close let a read() start on an
            // end being closed.)
            const int taken = s.fd.exchange(-1, std::memory_order_seq_cst);
            if (taken < 0)
                continue;
            if (s.inflight.load(std::memory_order_seq_cst) == 0)
                sys::close(taken);
            else
                s.fd.store(taken, std::memory_order_seq_cst); // in use: leave it open
        }
    }
}

void SocketTable::closeAll() {
    assert(std::this_thread::get_id() == m_owner); // the lab's thread, actors joined
    // The probe mutex first (the lock order), and held to the end: a sampler's probeAll()
    // between the ring's close and the sockets' would set the ring up again.
    std::lock_guard probing(m_probeMutex);
    {
        std::lock_guard lock(m_mutex);
        for (Entry &e : m_entries) {
            const int fd = e.sock->fd.exchange(-1);
            if (fd >= 0)
                sys::close(fd);
        }
    }
    m_ring.close();
}

void SocketTable::clear() {
    assert(std::this_thread::get_id() == m_owner);
    closeAll();
    std::lock_guard lock(m_mutex);
    m_entries.clear();
    m_ports.clear();
    m_ghosts.clear();
    unlinkUnixPaths();
}

void SocketTable::addUnixPath(const QByteArray &path) {
    std::lock_guard lock(m_mutex);
    if (std::find(m_unixPaths.begin(), m_unixPaths.end(), path) == m_unixPaths.end())
        m_unixPaths.push_back(path);
}

void SocketTable::unlinkUnixPaths() {
    for (const QByteArray &p : m_unixPaths)
        sys::unlinkPath(p);
    m_unixPaths.clear();
}

int SocketTable::addGhost(const sys::DiagSocket &d, const QString &local, const QString &peer) {
    auto s = std::make_shared<LabSocket>();
    s->id = int(m_entries.size());
    s->domain = d.local.family();
    s->type = SOCK_STREAM;
    s->kernelOnly = true;
    m_entries.push_back({s, {}, false, false, local, peer});
    m_entries.back().lastLocal = local;
    m_entries.back().lastPeer = peer;
    trace::Event ev;
    ev.tNs = m_trace.now();
    ev.kind = trace::EventKind::SocketNew;
    ev.sock = s->id;
    ev.socket.fd = -1;
    ev.socket.domain = s->domain;
    ev.socket.type = SOCK_STREAM;
    ev.socket.kernelOnly = 1;
    ev.socket.peerSock = -1;
    m_trace.append(ev);
    ev.kind = trace::EventKind::SocketInfo;
    ev.socket.local = m_trace.intern(local);
    ev.socket.peer = m_trace.intern(peer);
    for (const Entry &o : m_entries)
        if (o.sock->fd.load() >= 0 && o.local == peer && o.peer == local)
            ev.socket.peerSock = o.sock->id;
    m_trace.append(ev);
    m_entries.back().peerSock = ev.socket.peerSock;
    return s->id;
}

void SocketTable::probeKernelOnly() {
    std::vector<int> ports;
    {
        std::lock_guard lock(m_mutex);
        ports = m_ports;
    }
    if (ports.empty())
        return;
    int err = 0;
    const std::vector<sys::DiagSocket> all = sys::SockDiag::tcpSockets(ports, &err);
    if (err)
        return; // no sock_diag here: the kernel view stays empty rather than guessed
    std::lock_guard lock(m_mutex);
    // Issue 11 §4: a socket of another process (nc, curl, a Python client) whose peer
    // is an open lab socket is the outside end of a lab connection: a ghost too. Lab
    // inodes (also of closed sockets) are left out: a lab socket closed between the dump
    // and the /proc/self/fd read must not come back as a ghost.
    QSet<QString> labLocal;
    QSet<std::uint32_t> labInodes;
    for (const Entry &e : m_entries) {
        if (e.sock->fd.load() >= 0 && !e.local.isEmpty())
            labLocal.insert(e.local);
        if (e.inode != 0)
            labInodes.insert(e.inode);
    }
    QSet<QString> seen;
    for (const sys::DiagSocket &d : all) {
        // A socket that some descriptor of this process owns is not a ghost: it is a
        // lab socket (probed through its fd) or belongs to the host program.
        const bool outsidePeer =
            d.inode != 0 && !labInodes.contains(d.inode) && labLocal.contains(d.peer.toString());
        if (d.ownerFd >= 0 || (d.inode != 0 && !outsidePeer) || d.state == sys::TcpState::Listen)
            continue;
        const QString local = d.local.toString(), peer = d.peer.toString();
        const QString key = local + QLatin1Char('|') + peer;
        seen.insert(key);
        int id = m_ghosts.value(key, -1);
        if (id < 0) {
            id = addGhost(d, local, peer);
            m_ghosts.insert(key, id);
        }
        Entry &e = m_entries[std::size_t(id)];
        // An outside client seen before the lab accepted its connection: paired with
        // the accepted socket once that exists (the stage joins the two cards).
        for (std::size_t i = 0; outsidePeer && e.peerSock < 0 && i < m_entries.size(); ++i) {
            const Entry &o = m_entries[i];
            if (o.sock->fd.load() < 0 || o.local != peer || o.peer != local)
                continue;
            e.peerSock = o.sock->id;
            trace::Event ev;
            ev.tNs = m_trace.now();
            ev.kind = trace::EventKind::SocketInfo;
            ev.sock = id;
            ev.socket.fd = -1;
            ev.socket.domain = e.sock->domain;
            ev.socket.type = SOCK_STREAM;
            ev.socket.local = m_trace.intern(local);
            ev.socket.peer = m_trace.intern(peer);
            ev.socket.peerSock = e.peerSock;
            ev.socket.kernelOnly = 1;
            m_trace.append(ev);
        }
        sys::SocketSample x;
        x.ok = true;
        x.state = d.state;
        x.recvQ = std::int32_t(d.recvQ);
        x.sendQ = std::int32_t(d.sendQ);
        x.rcvbuf = d.rcvbuf; // sock_diag's SO_MEMINFO and tcp_info, -1 when not given
        x.sndbuf = d.sndbuf;
        x.rcvMem = d.rcvMem;
        x.drops = d.drops;
        x.peerWnd = d.peerWnd;
        if (!e.haveSample || !(x == e.last))
            recordSample(m_trace, e.sock->id, -1, false, x, e.last, e.haveSample);
    }
    for (auto it = m_ghosts.begin(); it != m_ghosts.end();) {
        if (seen.contains(it.key())) {
            ++it;
            continue;
        }
        trace::Event ev;
        ev.tNs = m_trace.now();
        ev.kind = trace::EventKind::SocketClose;
        ev.sock = it.value();
        ev.socket.fd = -1;
        ev.socket.peerSock = -1;
        ev.socket.kernelOnly = 1;
        m_trace.append(ev);
        m_entries[std::size_t(it.value())].haveSample = false;
        it = m_ghosts.erase(it);
    }
}

} // namespace sl::engine
