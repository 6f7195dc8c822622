// Where a thread is blocked, read from the kernel rather than guessed from a timer:
// /proc/self/task/TID/syscall gives the number of the call it sleeps in, and
// /proc/self/task/TID/wchan the kernel wait point (inet_csk_accept, wait_woken, …).
//
// Thread affinity: none.
#pragma once

#include <QString>

namespace sl::engine {

struct BlockInfo {
    bool known = false;    // /proc/self/task/TID/syscall could be read
    int sysno = -1;        // -1: not in a system call ("running"), or unreadable
    QString syscall;       // "recvfrom", "accept4", … ("" if unknown)
    QString wchan;         // kernel wait point, "" if not sleeping
    bool sleeping = false; // state S or D in /proc/self/task/TID/stat
};

BlockInfo readBlockInfo(int tid);

// Whether b shows a thread blocked in `call` (a script::CallId): asleep (S/D) in a
// system call that can block for it. A thread on a CPU, runnable and waiting for one,
// or asleep elsewhere (a lock of the lab's own, a page fault) is not blocked. Where the
// kernel does not say which call (no syscall file), asleep inside a call is taken.
bool blocksIn(const BlockInfo &b, int call);

} // namespace sl::engine
