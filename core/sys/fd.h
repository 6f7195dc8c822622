// An owned file descriptor (RAII). Closing is the owner's business: the destructor
// closes, release() hands ownership out. Move-only.
//
// Thread affinity: an Fd may be moved between threads; it must not be closed on one
// thread while another thread is blocked in a call on it — close() does not wake a
// blocked call on Linux (see KERNEL-FACTS.md), shutdown(SHUT_RDWR) does.
#pragma once

namespace sl::sys {

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd)
        : m_fd(fd) {}
    ~Fd() { reset(); }
    Fd(Fd &&other) noexcept
        : m_fd(other.release()) {}
    Fd &operator=(Fd &&other) noexcept;
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;

    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    explicit operator bool() const { return valid(); }
    int release();
    // Closes the owned descriptor (if any) and takes fd. close() is not retried on
    // EINTR: on Linux the descriptor is gone either way.
    void reset(int fd = -1);

private:
    int m_fd = -1;
};

// Number of descriptors this process has open (entries of /proc/self/fd, less the
// one used to read it). Used to prove that reset() leaks nothing.
int openFdCount();

} // namespace sl::sys
