// WatchSockets: the TCP sockets of a process the lab did not start (`socketlab watch`,
// issue 11 §2). Nothing is traced: the kernel's own list (NETLINK_SOCK_DIAG, what `ss`
// reads) is matched to the process's descriptors by inode (/proc/P/fd links read
// "socket:[INODE]"). Sockets with inode 0 have no descriptor anywhere — connections
// waiting in a listener's accept queue, request sockets, orphaned FIN_WAIT and
// TIME_WAIT — and are shown as kernel-only when their local port is one the process
// has used (a listener's, or any of its sockets' since the watch began).
//
// Readiness: with pidfd_getfd() (ptrace permission on the target) the descriptor is
// duplicated for a moment and poll()ed with a zero timeout — the exact answer; without
// it, readiness is derived from the dump (bytes or connections queued, a FIN in) and
// marked as derived.
//
// Thread affinity: a WatchSockets belongs to one thread (it keeps the ports seen
// between refreshes); each refresh opens its own netlink socket.
#pragma once

#include "sys/sockdiag.h"

#include <QSet>
#include <QString>
#include <sys/types.h>
#include <vector>

namespace sl::sys {

struct WatchedSocket {
    DiagSocket diag;
    pid_t pid = 0;               // owning process (0: kernel-only, or unknown for --port)
    int fd = -1;                 // its descriptor in that process, -1 for kernel-only
    std::uint8_t readiness = 0;  // Readiness bits
    bool readinessExact = false; // from poll() on a pidfd_getfd() duplicate
    bool kernelOnly() const { return diag.inode == 0; }
};

class WatchSockets {
public:
    // Watch one process's sockets, or every socket with local or peer port `port`.
    static WatchSockets forPid(pid_t pid) { return WatchSockets(pid, 0); }
    static WatchSockets forPort(int port) { return WatchSockets(0, port); }

    // One refresh. Returns 0 or an errno: ESRCH when the process does not exist (or has
    // ended), EACCES/EPERM when its descriptors cannot be read (another user's), or the
    // netlink error. Sorted: descriptors by number, then kernel-only sockets.
    int refresh(std::vector<WatchedSocket> *out);

    // Why refresh() failed, as a sentence for the terminal.
    QString describeError(int err) const;

    // Non-TCP sockets of the watched process at the last refresh (UDP, Unix, netlink):
    // counted, not shown.
    int otherSockets() const { return m_otherSockets; }

    // inode -> descriptor for every socket descriptor of `pid` (0: readable), or errno.
    static int socketInodesOf(pid_t pid, QHash<std::uint32_t, int> *out);

private:
    WatchSockets(pid_t pid, int port)
        : m_pid(pid)
        , m_port(port) {}
    void fillReadiness(std::vector<WatchedSocket> &list);
    pid_t m_pid;
    int m_port;
    QSet<int> m_ports; // local ports the process's sockets have had while watched
    int m_otherSockets = 0;
};

// One line per socket, aligned columns: FD STATE LOCAL PEER RECV-Q SEND-Q RCVBUF SNDBUF
// READY [PID] NOTE. Listeners show the accept queue under RECV-Q and the backlog under
// SEND-Q (as `ss` does).
QString watchTable(const std::vector<WatchedSocket> &list, bool withPid);

} // namespace sl::sys
