// The calls a .lab script may make: their Python names, arity, what C call they are,
// and a stable CallId stored in the trace. Shared by the parser (to check a script
// before anything runs) and the engine (to perform the call).
//
// Thread affinity: none; the catalogue is immutable.
#pragma once

#include <QString>
#include <cstdint>
#include <vector>

namespace sl::script {

// Stable numbers: they are written into traces. Append only.
enum class CallId : std::uint16_t {
    None = 0,
    // module functions
    Socket = 1,
    Socketpair,
    Select,
    Sleep,
    Pipe,
    // socket methods
    Bind = 10,
    Listen,
    Accept,
    Connect,
    ConnectEx,
    Send,
    Recv,
    Sendto,
    Recvfrom,
    Shutdown,
    Close,
    Setblocking,
    Settimeout,
    Setsockopt,
    Getsockopt,
    Getsockname,
    Getpeername,
    Fileno,
    Write,
    Read,
    Gettimeout, // 30: no system call (the socket object's timeout)
    Getblocking,
    // the HOWTO's patterns: helpers that expand into visible sub-calls
    Sendall = 40,
    RecvExactly,
    RecvUntil,
    SendMsg,
    RecvMsg,
    // blocks: a whole `for`/`while`/`if` owned by one actor is one step
    Block = 60,
    // the Wire: a relay between two peers (engine/wire.h), its controls, and its probe
    Wire = 110,
    WireCut,
    WireResume,
    WireReset,
    WireAddress,
    Held,
    // bindings (issue 9): select.poll()/epoll(), selectors, makefile(), struct, htons
    PollNew = 120,  // select.poll(): no system call until poll()
    EpollNew,       // select.epoll(): epoll_create1()
    SelectorNew,    // selectors.DefaultSelector(): epoll_create1()
    Register,       // epoll_ctl(EPOLL_CTL_ADD) (a poll object only notes it)
    Modify,         // epoll_ctl(EPOLL_CTL_MOD)
    Unregister,     // epoll_ctl(EPOLL_CTL_DEL)
    PollWait,       // p.poll(t): poll()
    EpollWait,      // ep.poll(t): epoll_wait() (same Python name, recorded apart)
    SelectorSelect, // sel.select(t): epoll_wait()
    Makefile,       // s.makefile(mode): no system call
    Flush,          // f.flush(): send() until the write buffer is empty
    Readline,       // f.readline(): recv(8192) until a newline
    GetKey,         // sel.get_key(fileobj): no system call
    FileWrite,      // f.write(b): into the buffer (send() only when it is full)
    FileRead,       // f.read(n): the buffer, then recv()
    FileClose,      // f.close(): flush, then release the socket
    Pack = 140,     // struct.pack(): pure
    Unpack,
    Calcsize,
    Htons,
    Ntohs,
    Htonl,
    Ntohl,
    // processes (issue 10, lesson 4): os.fork() and its companions. 160.. is taken.
    Fork = 150, // os.fork(): fork()
    Exit,       // os._exit(n): _exit() (a forked child only)
    Waitpid,    // os.waitpid(pid, options): wait4()
    Getpid,     // os.getpid(): getpid()
    // the resolver (issue 10): this machine's name, and a name's IPv4 address
    Gethostname = 160, // socket.gethostname(): uname()
    Gethostbyname,     // socket.gethostbyname(name): getaddrinfo(AF_INET)
    // probe functions (read the last kernel sample; no syscall of their own)
    State = 70,
    Readable,
    Writable,
    Blocked,
    SendQ,
    RecvQ,
    Unsent,
    AcceptQ,
    Backlog,
    SndBuf,
    RcvBuf,
    Leftover,
    Pending,
    ErrorOf,
    ExceptionOf,
    Drops,       // SO_MEMINFO: datagrams the kernel dropped on this socket
    RcvMem,      // SO_MEMINFO: memory the receive queue uses
    KernelState, // sock_diag: what the kernel keeps of a closed socket (TIME_WAIT, …)
    // builtins (pure, never traced)
    Len = 90,
    Range,
    Int,
    Str,
    Bytes,
    Decode,
    Encode,
    Min,
    Max,
    Abs,
    Monotonic,
};

static_assert(int(CallId::KernelState) < int(CallId::Len), "probes end before the builtins");

enum class CallKind : std::uint8_t {
    Function, // socket(...), select(...), sleep(...)
    Method,   // s.send(...)
    Helper,   // s.sendall(...): a method that expands into sub-calls
    Probe,    // state(s): reads the kernel sample, usable in expect/say too
    Builtin,  // len(x): pure
};

struct CallInfo {
    CallId id;
    const char *name; // Python name: "recv", "recv_exactly"
    CallKind kind;
    int minArgs, maxArgs;   // positional arguments (not counting the object)
    const char *cSignature; // "ssize_t recv(int fd, void *buf, size_t len, int flags)"
    const char *cTemplate;  // "recv(%fd, buf, %1, 0)"; %fd = descriptor, %1.. = arguments
    const char *summary;    // one line for hover text and the README
};

const CallInfo *findFunction(const QString &name); // Function, Probe or Builtin
const CallInfo *findMethod(const QString &name);   // Method or Helper (on sockets, bytes)
const CallInfo *callInfo(CallId id);
const std::vector<CallInfo> &allCalls();
const char *callName(CallId id); // "recv", "?" if unknown

// The C equivalent of one call as text, e.g. `send(fd 5, buf, 1000000, MSG_NOSIGNAL)`.
QString cEquivalent(CallId id, int fd, const QStringList &args);

// Closest known name within edit distance 2, for "did you mean …?" hints.
QString suggestName(const QString &unknown, bool method);

// Named integer constants: AF_INET, SOCK_STREAM, SOL_SOCKET, SO_SNDBUF, SHUT_WR,
// TCP_NODELAY, errno names (EAGAIN, ECONNRESET, …). Also reachable as socket.NAME,
// errno.NAME. Returns false when unknown.
bool constantValue(const QString &name, std::int64_t *value);
QStringList constantNames();

// Module attributes (issue 9): `select.poll`, `selectors.DefaultSelector`, `struct.pack`,
// `socket.htons`, `select.POLLIN`, `selectors.EVENT_READ`. isModuleName() says which
// names before a '.' are modules; moduleFunction() whether module.member is a call the
// catalogue knows (its entry is found by the member's name); moduleConstant() its value.
bool isModuleName(const QString &name);
bool moduleFunction(const QString &module, const QString &member);
bool moduleConstant(const QString &module, const QString &member, std::int64_t *value);

} // namespace sl::script
