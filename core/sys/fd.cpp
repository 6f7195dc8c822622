#include "sys/fd.h"

#include <dirent.h>
#include <unistd.h>
#include <utility>

namespace sl::sys {

Fd &Fd::operator=(Fd &&other) noexcept {
    if (this != &other)
        reset(other.release());
    return *this;
}

int Fd::release() {
    return std::exchange(m_fd, -1);
}

void Fd::reset(int fd) {
    const int old = std::exchange(m_fd, fd);
    // Not retried on EINTR: Linux releases the descriptor before it can be
    // interrupted, so a retry could close a number another thread just got.
    if (old >= 0 && old != fd)
        ::close(old);
}

int openFdCount() {
    // opendir() itself holds a descriptor while we count: subtract it.
    DIR *dir = ::opendir("/proc/self/fd");
    if (!dir)
        return -1;
    int count = 0;
    while (const dirent *e = ::readdir(dir)) {
        if (e->d_name[0] != '.')
            ++count;
    }
    ::closedir(dir);
    return count - 1;
}

} // namespace sl::sys
