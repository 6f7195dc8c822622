// Library objects a script can hold (issue 9): select.poll(), select.epoll(),
// selectors.DefaultSelector() and sock.makefile(). Each lives in a Value of type Bound
// (shared ownership, as a Python object), and its methods make real system calls
// (bindings/pollcalls.cpp, bindings/makefile.cpp), recorded as calls in the trace.
//
// Thread affinity: an object is used by the actor that calls its methods; a Value may
// be shared by actors (as in one Python process), so each object guards its state
// with its own mutex. An epoll descriptor is closed by close() or by the destructor
// (the lab's reset drops every Value), never left open.
#pragma once

#include "engine/value.h"

#include <QByteArray>
#include <QString>
#include <memory>
#include <mutex>
#include <vector>

namespace sl::engine {

struct LabSocket;

struct BoundObject {
    enum class Kind : std::uint8_t { Poll, Epoll, Selector, File };
    explicit BoundObject(Kind k)
        : kind(k) {}
    virtual ~BoundObject();
    BoundObject(const BoundObject &) = delete;
    BoundObject &operator=(const BoundObject &) = delete;

    const Kind kind;
    std::mutex mutex;
};

// A registered descriptor of a poll object, an epoll object or a selector: the
// events asked for, the socket (for the trace and the select() panel) and, for a
// selector, the key's fileobj and data.
struct Watched {
    int fd = -1;
    std::uint32_t events = 0;
    std::shared_ptr<LabSocket> sock; // null for a descriptor that is not a lab socket
    Value fileobj;                   // selectors: what register() was given
    Value data;                      // selectors: register()'s data
};

// select.poll(): the set lives in the object; poll() hands it to the kernel each time.
// Kept in registration order, as CPython's dict (modify keeps the place).
struct PollObject : BoundObject {
    PollObject()
        : BoundObject(Kind::Poll) {}
    std::vector<Watched> watched;
};

// select.epoll() and selectors.DefaultSelector() (EpollSelector on Linux): the kernel
// keeps the interest list; `watched` mirrors it for the trace and the keys.
struct EpollObject : BoundObject {
    explicit EpollObject(Kind k, int epfd)
        : BoundObject(k)
        , fd(epfd) {}
    ~EpollObject() override;
    int fd = -1; // -1 once closed
    std::vector<Watched> watched;
    Watched *find(int wfd);
};

// sock.makefile(mode, buffering): CPython's SocketIO under a BufferedReader and/or a
// BufferedWriter (BufferedRWPair for "rwb"), 8192 bytes each by default.
struct FileObject : BoundObject {
    FileObject()
        : BoundObject(Kind::File) {}
    std::shared_ptr<LabSocket> sock;
    bool reading = false, writing = false, binary = true;
    int bufferSize = 8192; // 0: unbuffered (the raw SocketIO)
    bool closed = false;
    QString mode;
    QByteArray rbuf;  // read-ahead: bytes recv()ed and not returned yet
    QByteArray wbuf;  // bytes write() took and flush() has not sent
    bool eof = false; // the last recv() returned b''
};

QString boundRepr(const Value &v);
const char *boundTypeName(const Value &v);

} // namespace sl::engine
