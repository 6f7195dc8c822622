// Where a thread is blocked, read from the kernel rather than guessed from a timer:
// /proc/self/task/TID/syscall gives the number of the call it sleeps in, and
// /proc/self/task/TID/wchan the kernel wait point (inet_csk_accept, wait_woken, …).
//
// Thread affinity: none.
#pragma once

#include <QString>

namespace sl::engine {

struct BlockInfo {
    int sysno = -1;        // -1: not in a system call ("running"), or unreadable
    QString syscall;       // "recvfrom", "accept4", … ("" if unknown)
    QString wchan;         // kernel wait point, "" if not sleeping
    bool sleeping = false; // state S or D in /proc/self/task/TID/stat
};

BlockInfo readBlockInfo(int tid);

} // namespace sl::engine
