// The catalogue of calls a .lab script may make. The table is the single source of
// truth for names, arity and the C text shown next to every call.
#include "script/catalog.h"

#include <QHash>
#include <QStringList>

#include <algorithm>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/poll.h>
#include <sys/socket.h>
#include <sys/wait.h>

namespace sl::script {

namespace {

using K = CallKind;
using C = CallId;

const std::vector<CallInfo> &table() {
    static const std::vector<CallInfo> t = {
        // module functions
        {C::Socket, "socket", K::Function, 0, 2, "int socket(int domain, int type, int protocol)",
         "socket(%{1:AF_INET}, %{2:SOCK_STREAM}, 0)", "Create a socket and return it."},
        {C::Socketpair, "socketpair", K::Function, 0, 2,
         "int socketpair(int domain, int type, int protocol, int sv[2])",
         "socketpair(%{1:AF_UNIX}, %{2:SOCK_STREAM}, 0, sv)",
         "Create two connected sockets and return them as a pair."},
        {C::Select, "select", K::Function, 3, 4,
         "int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, "
         "struct timeval *timeout)",
         "select(nfds, %1, %2, %3, %{4:NULL})",
         "Wait until some sockets are readable, writable or in error; return the three lists."},
        {C::Sleep, "sleep", K::Function, 1, 1,
         "int nanosleep(const struct timespec *req, struct timespec *rem)",
         "nanosleep(&(struct timespec){%1 s}, NULL)", "Pause this actor for some seconds."},
        {C::Pipe, "pipe", K::Function, 0, 0, "int pipe2(int pipefd[2], int flags)",
         "pipe2(fds, O_CLOEXEC)", "Create a pipe and return (read end, write end)."},
        // socket methods
        {C::Bind, "bind", K::Method, 1, 1,
         "int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)",
         "bind(%fd, %1, addrlen)", "Give the socket a local address (host, port)."},
        {C::Listen, "listen", K::Method, 0, 1, "int listen(int sockfd, int backlog)",
         "listen(%fd, %{1:SOMAXCONN})", "Make the socket a listener with an accept queue."},
        {C::Accept, "accept", K::Method, 0, 0,
         "int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags)",
         "accept4(%fd, &addr, &addrlen, SOCK_CLOEXEC)",
         "Take a connection from the accept queue; return (conn, address)."},
        {C::Connect, "connect", K::Method, 1, 1,
         "int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen)",
         "connect(%fd, %1, addrlen)", "Connect to a listening address."},
        {C::ConnectEx, "connect_ex", K::Method, 1, 1,
         "int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen)",
         "connect(%fd, %1, addrlen)", "Like connect(), but return the errno instead of failing."},
        {C::Send, "send", K::Method, 1, 1,
         "ssize_t send(int sockfd, const void *buf, size_t len, int flags)",
         "send(%fd, buf, %1, MSG_NOSIGNAL)",
         "Hand bytes to the kernel; returns how many it took (maybe fewer)."},
        {C::Recv, "recv", K::Method, 1, 1,
         "ssize_t recv(int sockfd, void *buf, size_t len, int flags)", "recv(%fd, buf, %1, 0)",
         "Take up to n bytes from the receive queue; b\"\" means the peer closed."},
        {C::Sendto, "sendto", K::Method, 2, 2,
         "ssize_t sendto(int sockfd, const void *buf, size_t len, int flags, "
         "const struct sockaddr *dest_addr, socklen_t addrlen)",
         "sendto(%fd, buf, %1, MSG_NOSIGNAL, %2, addrlen)", "Send one datagram to an address."},
        {C::Recvfrom, "recvfrom", K::Method, 1, 1,
         "ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags, "
         "struct sockaddr *src_addr, socklen_t *addrlen)",
         "recvfrom(%fd, buf, %1, 0, &addr, &addrlen)",
         "Receive one datagram; return (data, sender address)."},
        {C::Shutdown, "shutdown", K::Method, 1, 1, "int shutdown(int sockfd, int how)",
         "shutdown(%fd, %1)", "Close one or both directions of a connection (sends FIN)."},
        {C::Close, "close", K::Method, 0, 0, "int close(int fd)", "close(%fd)",
         "Release the descriptor; the kernel may keep the connection (TIME_WAIT)."},
        {C::Setblocking, "setblocking", K::Method, 1, 1,
         "int fcntl(int fd, int cmd, ... /* arg */)", "fcntl(%fd, F_SETFL, %1)",
         "Switch between blocking and non-blocking mode."},
        {C::Settimeout, "settimeout", K::Method, 1, 1,
         "int fcntl(int fd, int cmd, ... /* arg */) /* then poll() before each call */",
         "fcntl(%fd, F_SETFL, O_NONBLOCK) /* each call: poll(fd, %1 s), then the call */",
         "Give calls a timeout in seconds: each waits in poll() at most that long (None: "
         "blocking, 0: non-blocking)."},
        {C::Gettimeout, "gettimeout", K::Method, 0, 0, "(no system call)", "/* %fd's timeout */",
         "The timeout settimeout() set: seconds, 0.0 (non-blocking) or None (blocking)."},
        {C::Getblocking, "getblocking", K::Method, 0, 0, "int fcntl(int fd, int cmd, ...)",
         "/* timeout != 0.0 */",
         "True unless the socket is non-blocking (a socket with a timeout is blocking)."},
        {C::Setsockopt, "setsockopt", K::Method, 3, 3,
         "int setsockopt(int sockfd, int level, int optname, const void *optval, "
         "socklen_t optlen)",
         "setsockopt(%fd, %1, %2, &(int){%3}, sizeof(int))", "Set a socket option."},
        {C::Getsockopt, "getsockopt", K::Method, 2, 3,
         "int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen)",
         "getsockopt(%fd, %1, %2, &value, &len)", "Read a socket option."},
        {C::Getsockname, "getsockname", K::Method, 0, 0,
         "int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen)",
         "getsockname(%fd, &addr, &addrlen)", "The socket's local address (host, port)."},
        {C::Getpeername, "getpeername", K::Method, 0, 0,
         "int getpeername(int sockfd, struct sockaddr *addr, socklen_t *addrlen)",
         "getpeername(%fd, &addr, &addrlen)", "The address of the connected peer."},
        {C::Fileno, "fileno", K::Method, 0, 0, "int fd (no system call)", "%fd",
         "The socket's descriptor number."},
        {C::Write, "write", K::Method, 1, 1, "ssize_t write(int fd, const void *buf, size_t count)",
         "write(%fd, buf, %1)", "Write bytes to a descriptor (a pipe or a socket)."},
        {C::Read, "read", K::Method, 0, 1, "ssize_t read(int fd, void *buf, size_t count)",
         "read(%fd, buf, %1)", "Read up to n bytes from a descriptor."},
        // helpers
        {C::Sendall, "sendall", K::Helper, 1, 1,
         "ssize_t send(int sockfd, const void *buf, size_t len, int flags) /* in a loop */",
         "while (left > 0) send(%fd, buf + sent, left, MSG_NOSIGNAL)",
         "Call send() until every byte is taken (the HOWTO's mysend)."},
        {C::RecvExactly, "recv_exactly", K::Helper, 1, 1,
         "ssize_t recv(int sockfd, void *buf, size_t len, int flags) /* in a loop */",
         "while (got < %1) recv(%fd, buf + got, %1 - got, 0)",
         "Call recv() until exactly n bytes arrived (the HOWTO's myreceive)."},
        {C::RecvUntil, "recv_until", K::Helper, 1, 1,
         "ssize_t recv(int sockfd, void *buf, size_t len, int flags) /* until a delimiter */",
         "do recv(%fd, buf, 4096, 0) until memmem(buf, %1)",
         "Call recv() until the delimiter arrives; keep what follows it for later."},
        {C::SendMsg, "send_msg", K::Helper, 1, 1,
         "ssize_t send(int sockfd, const void *buf, size_t len, int flags) /* prefix + data */",
         "send(%fd, len_in_5_digits, 5, MSG_NOSIGNAL); "
         "send(%fd, buf, %1, MSG_NOSIGNAL) /* each until all is sent */",
         "Send the length as 5 ASCII digits (\"00005\"), then the message."},
        {C::RecvMsg, "recv_msg", K::Helper, 0, 0,
         "ssize_t recv(int sockfd, void *buf, size_t len, int flags) /* prefix + data */",
         // What helperRecvMsg() really does: two recv_exactly() loops of plain recv()
         // (no MSG_WAITALL), each sub-call visible in the trace.
         "while (got < 5) recv(%fd, digits + got, 5 - got, 0); len = atoi(digits); "
         "while (got < len) recv(%fd, buf + got, len - got, 0)",
         "Receive a 5-digit length prefix, then exactly that many bytes."},
        // a block is a step, not a call: it has no Python name a script can write
        {C::Block, "<block>", K::Function, 0, 0, "", "",
         "A for/while/if block run as one step by its actor."},
        // the Wire: a relay thread with real sockets between two peers
        {C::Wire, "Wire", K::Function, 1, 4,
         "int socket(...); bind(127.0.0.1:0); listen(); then, on the wire's thread, a poll() "
         "loop: accept(), connect(target), recv(chunk), send()",
         "relay(listen 127.0.0.1:0 -> connect %{1:target}; recv(chunk) + send() both ways)",
         "Start a relay: clients connect to wire.address(); it forwards to target in chunks "
         "(chunk=bytes, delay=s, rate=bytes/s)."},
        {C::WireCut, "cut", K::Method, 0, 0,
         "(no system call: the relay stops calling recv() and send())",
         "/* relay: stop polling for POLLIN/POLLOUT */",
         "Stop forwarding; both connections stay open, so each peer sees a silent partner."},
        {C::WireResume, "resume", K::Method, 0, 0,
         "(no system call: the relay calls recv() and send() again)",
         "/* relay: poll for POLLIN/POLLOUT again */", "Forward again, held bytes first."},
        {C::WireReset, "reset", K::Method, 0, 0,
         "int setsockopt(int sockfd, int level, int optname, const void *optval, "
         "socklen_t optlen); int close(int fd)",
         "setsockopt(fd, SOL_SOCKET, SO_LINGER, &(struct linger){1, 0}, sizeof(struct linger)); "
         "close(fd) /* both sides */",
         "Abort every connection through the wire: an RST to both peers (ECONNRESET)."},
        {C::WireAddress, "address", K::Method, 0, 0,
         "int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen)",
         "getsockname(listen_fd, &addr, &addrlen)",
         "The (host, port) the wire listens on: connect clients here."},
        {C::Held, "held", K::Probe, 1, 1,
         "int ioctl(int fd, SIOCINQ, int *n) /* on the wire's sockets */",
         "ioctl(wire_fd, SIOCINQ, &n) + unsent bytes of the relay",
         "Bytes in the wire: in its receive queues or read and not yet sent on."},
        // bindings (issue 9): select.poll()/epoll(), selectors, makefile(), struct, htons
        {C::PollNew, "poll", K::Function, 0, 0, "(no system call: poll() takes the set each time)",
         "struct pollfd fds[] /* filled by register() */",
         "Make a poll object (select.poll()): register() sockets, then poll() them."},
        {C::EpollNew, "epoll", K::Function, 0, 2, "int epoll_create1(int flags)",
         "epoll_create1(EPOLL_CLOEXEC)",
         "Make an epoll object (select.epoll()): the kernel keeps the interest list."},
        {C::SelectorNew, "DefaultSelector", K::Function, 0, 0, "int epoll_create1(int flags)",
         "epoll_create1(EPOLL_CLOEXEC) /* DefaultSelector is EpollSelector on Linux */",
         "Make a selector (selectors.DefaultSelector(), epoll on Linux): register(sock, "
         "EVENT_READ, data), then select()."},
        {C::Register, "register", K::Method, 1, 3,
         "int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)",
         "epoll_ctl(epfd, EPOLL_CTL_ADD, %1, &(struct epoll_event){%2})",
         "Watch a socket for events (a poll object only notes it until poll())."},
        {C::Modify, "modify", K::Method, 2, 3,
         "int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)",
         "epoll_ctl(epfd, EPOLL_CTL_MOD, %1, &(struct epoll_event){%2})",
         "Change the events a registered socket is watched for."},
        {C::Unregister, "unregister", K::Method, 1, 1,
         "int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)",
         "epoll_ctl(epfd, EPOLL_CTL_DEL, %1, NULL)", "Stop watching a socket."},
        {C::PollWait, "poll", K::Method, 0, 2,
         "int poll(struct pollfd *fds, nfds_t nfds, int timeout)",
         "poll(fds, nfds, %{1:-1} /* ms */)",
         "Wait until a registered socket has an event; return [(fd, events)] (timeout in ms for "
         "poll objects, in seconds for epoll)."},
        {C::EpollWait, "epoll.poll", K::Method, 0, 2,
         "int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)",
         "epoll_wait(epfd, events, maxevents, %{1:-1} /* s, as ms */)",
         "Wait until a registered socket has an event; return [(fd, events)]."},
        {C::SelectorSelect, "select", K::Method, 0, 1,
         "int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)",
         "epoll_wait(epfd, events, maxevents, %{1:-1} /* s, as ms */)",
         "Wait until a registered socket is ready; return [(key, events)]."},
        {C::Makefile, "makefile", K::Method, 0, 2, "FILE *fdopen(int fd, const char *mode)",
         "fdopen(%fd, %{1:\"r\"}) /* with an 8192-byte buffer */",
         "A file object on the socket (Python's SocketIO in a BufferedRWPair): write() fills "
         "a buffer, flush() sends it, readline() recv()s 8192 bytes at a time."},
        {C::Flush, "flush", K::Method, 0, 0,
         "ssize_t send(int sockfd, const void *buf, size_t len, int flags) /* until empty */",
         "fflush(f) /* send(%fd, buffer, buffered, 0) until all is sent */",
         "Send what write() left in the buffer: only now do the bytes leave."},
        {C::Readline, "readline", K::Method, 0, 1,
         "ssize_t recv(int sockfd, void *buf, size_t len, int flags) /* 8192 at a time */",
         "fgets(line, size, f) /* recv(%fd, buffer, 8192, 0) until '\\n' */",
         "Return one line (up to and with b\"\\n\") from the buffer, recv()ing more as needed."},
        {C::GetKey, "get_key", K::Method, 1, 1, "(no system call)", "/* the selector's key */",
         "The selector's key for a registered socket (KeyError if it is not registered)."},
        // what a file object's write/read/close record (scripts write f.write(…))
        {C::FileWrite, "file.write", K::Method, 1, 1,
         "size_t fwrite(const void *ptr, size_t size, size_t n, FILE *f) /* buffered */",
         "fwrite(buf, 1, %1, f) /* send() only when the buffer is full */",
         "Copy bytes into the file's buffer; they leave with flush() or a full buffer."},
        {C::FileRead, "file.read", K::Method, 0, 1,
         "size_t fread(void *ptr, size_t size, size_t n, FILE *f) /* buffered */",
         "fread(buf, 1, %{1:all}, f) /* the buffer, then recv() */",
         "Read n bytes (all until the peer closes without n): the buffer, then recv()."},
        {C::FileClose, "file.close", K::Method, 0, 0, "int fclose(FILE *f)",
         "fclose(f) /* flush, then release the socket */",
         "Flush, then close the file; the socket stays open until it is closed too."},
        {C::Pack, "pack", K::Builtin, 1, 64, "", "memcpy(buf, &(uint32_t){htonl(v)}, 4) /* … */",
         "Pack values into bytes by a format (struct.pack('!I', n): 4 bytes, network order)."},
        {C::Unpack, "unpack", K::Builtin, 2, 2, "", "ntohl(*(uint32_t *)buf) /* … */",
         "Unpack bytes into a tuple by a format (struct.unpack('!I', data))."},
        {C::Calcsize, "calcsize", K::Builtin, 1, 1, "", "sizeof(struct …)",
         "The size in bytes of a struct format (struct.calcsize('!IH') is 6)."},
        {C::Htons, "htons", K::Builtin, 1, 1, "uint16_t htons(uint16_t hostshort)", "htons(%1)",
         "A 16-bit integer from host to network (big-endian) byte order."},
        {C::Ntohs, "ntohs", K::Builtin, 1, 1, "uint16_t ntohs(uint16_t netshort)", "ntohs(%1)",
         "A 16-bit integer from network to host byte order."},
        {C::Htonl, "htonl", K::Builtin, 1, 1, "uint32_t htonl(uint32_t hostlong)", "htonl(%1)",
         "A 32-bit integer from host to network (big-endian) byte order."},
        {C::Ntohl, "ntohl", K::Builtin, 1, 1, "uint32_t ntohl(uint32_t netlong)", "ntohl(%1)",
         "A 32-bit integer from network to host byte order."},
        // processes (issue 10): a real fork() of the lab's process
        {C::Fork, "fork", K::Function, 0, 0, "pid_t fork(void)", "fork()",
         "Make a child process that goes on from here: 0 in the child, its pid in the parent. "
         "Every descriptor is shared; a socket ends when its last descriptor closes."},
        {C::Exit, "_exit", K::Function, 1, 1, "void _exit(int status)", "_exit(%1)",
         "End the child process at once with this status (only a child the lab forked)."},
        {C::Waitpid, "waitpid", K::Function, 2, 2,
         "pid_t waitpid(pid_t pid, int *wstatus, int options)", "waitpid(%1, &wstatus, %2)",
         "Wait for a child to end and reap it (no more zombie): return (pid, status)."},
        {C::Getpid, "getpid", K::Function, 0, 0, "pid_t getpid(void)", "getpid()",
         "This process's id (a forked child has its own)."},
        // the resolver (issue 10). Real calls, recorded: the answer depends on this
        // machine (/etc/hosts, DNS), which is what lesson 2 shows.
        {C::Gethostname, "gethostname", K::Function, 0, 0,
         "int gethostname(char *name, size_t len)",
         "gethostname(name, sizeof name) /* glibc: uname(&u), u.nodename */",
         "This machine's name (socket.gethostname()): the kernel's nodename, as uname -n says."},
        {C::Gethostbyname, "gethostbyname", K::Function, 1, 1,
         "int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, "
         "struct addrinfo **res)",
         "getaddrinfo(%1, NULL, &(struct addrinfo){.ai_family = AF_INET}, &res)",
         "A host name's IPv4 address as text (socket.gethostbyname(name)): /etc/hosts, then "
         "DNS; socket.gaierror when the name does not resolve."},
        // probes
        {C::State, "state", K::Probe, 1, 1, "getsockopt(fd, IPPROTO_TCP, TCP_INFO) -> tcpi_state",
         "tcpi_state(%fd)", "The socket's TCP state, e.g. \"ESTABLISHED\"."},
        {C::Readable, "readable", K::Probe, 1, 1, "int poll(struct pollfd *fds, nfds_t n, int t)",
         "poll(&(struct pollfd){%fd, POLLIN}, 1, 0)", "True when recv() would not block."},
        {C::Writable, "writable", K::Probe, 1, 1, "int poll(struct pollfd *fds, nfds_t n, int t)",
         "poll(&(struct pollfd){%fd, POLLOUT}, 1, 0)", "True when send() would not block."},
        {C::Blocked, "blocked", K::Probe, 1, 1, "/proc/self/task/TID/syscall", "blocked(%1)",
         "True when the actor is blocked inside a call."},
        {C::SendQ, "sendq", K::Probe, 1, 1, "int ioctl(int fd, SIOCOUTQ, int *n)",
         "ioctl(%fd, SIOCOUTQ, &n)", "Bytes in the send queue (unsent + unacknowledged)."},
        {C::RecvQ, "recvq", K::Probe, 1, 1, "int ioctl(int fd, SIOCINQ, int *n)",
         "ioctl(%fd, SIOCINQ, &n)", "Bytes waiting in the receive queue."},
        {C::Unsent, "unsent", K::Probe, 1, 1, "int ioctl(int fd, SIOCOUTQNSD, int *n)",
         "ioctl(%fd, SIOCOUTQNSD, &n)", "Bytes in the send queue not sent yet."},
        {C::AcceptQ, "acceptq", K::Probe, 1, 1,
         "getsockopt(fd, IPPROTO_TCP, TCP_INFO) -> tcpi_unacked", "tcpi_unacked(%fd)",
         "Connections waiting in a listener's accept queue."},
        {C::Backlog, "backlog", K::Probe, 1, 1,
         "getsockopt(fd, IPPROTO_TCP, TCP_INFO) -> tcpi_sacked", "tcpi_sacked(%fd)",
         "The listener's backlog (accept queue capacity)."},
        {C::SndBuf, "sndbuf", K::Probe, 1, 1, "getsockopt(fd, SOL_SOCKET, SO_SNDBUF)",
         "getsockopt(%fd, SOL_SOCKET, SO_SNDBUF, &n, &len)", "The send buffer size in bytes."},
        {C::RcvBuf, "rcvbuf", K::Probe, 1, 1, "getsockopt(fd, SOL_SOCKET, SO_RCVBUF)",
         "getsockopt(%fd, SOL_SOCKET, SO_RCVBUF, &n, &len)", "The receive buffer size in bytes."},
        {C::Leftover, "leftover", K::Probe, 1, 1, "(none: kept by recv_until)", "leftover(%fd)",
         "Bytes recv_until() read past the delimiter and keeps for the next call."},
        {C::Pending, "pending", K::Probe, 1, 1, "getsockopt(fd, SOL_SOCKET, SO_ERROR)",
         "getsockopt(%fd, SOL_SOCKET, SO_ERROR, &err, &len)",
         "The pending socket error (0 when none), as SO_ERROR reports it."},
        {C::ErrorOf, "error_of", K::Probe, 1, 1,
         "extern int errno; /* as the actor's last finished step left it */",
         "errno /* after %1's last call */",
         "The errno that ended the actor's last finished step (0 if it succeeded): `error` "
         "for a step that finished in the background, e.g. a blocked recv() that timed out."},
        {C::ExceptionOf, "exception_of", K::Probe, 1, 1,
         "extern int errno; /* named as Python raises it: EAGAIN -> BlockingIOError */",
         "errno /* after %1's last call */",
         "The exception that ended the actor's last finished step (\"TimeoutError\"), None "
         "if it succeeded."},
        {C::Drops, "drops", K::Probe, 1, 1, "getsockopt(fd, SOL_SOCKET, SO_MEMINFO)",
         "getsockopt(%fd, SOL_SOCKET, SO_MEMINFO, mem, &len) /* mem[SK_MEMINFO_DROPS] */",
         "Packets the kernel dropped on this socket since it was made (a full UDP queue)."},
        {C::RcvMem, "rcvmem", K::Probe, 1, 1, "getsockopt(fd, SOL_SOCKET, SO_MEMINFO)",
         "getsockopt(%fd, SOL_SOCKET, SO_MEMINFO, mem, &len) /* mem[SK_MEMINFO_RMEM_ALLOC] */",
         "Memory the receive queue uses: what the kernel compares with SO_RCVBUF."},
        {C::KernelState, "kernel_state", K::Probe, 1, 1, "NETLINK_SOCK_DIAG (ss -tan)",
         "/* sock_diag: the TCP socket with this one's last addresses */",
         "What the kernel still keeps of a socket after close(): 'TIME_WAIT', 'FIN_WAIT2', "
         "… or 'gone' (its state() while its descriptor is open)."},
        // builtins
        {C::Len, "len", K::Builtin, 1, 1, "", "", "Length of bytes, a string, a list or a tuple."},
        {C::Range, "range", K::Builtin, 1, 3, "", "", "The integers from start to stop (excl.)."},
        {C::Int, "int", K::Builtin, 1, 2, "", "", "Convert to an integer."},
        {C::Str, "str", K::Builtin, 0, 1, "", "", "Convert to a string."},
        {C::Bytes, "bytes", K::Builtin, 0, 2, "", "", "Make bytes (bytes(n) is n zero bytes)."},
        {C::Decode, "decode", K::Builtin, 0, 1, "", "", "Bytes to a string (UTF-8)."},
        {C::Encode, "encode", K::Builtin, 0, 1, "", "", "A string to bytes (UTF-8)."},
        {C::Min, "min", K::Builtin, 1, 16, "", "", "The smallest of its arguments."},
        {C::Max, "max", K::Builtin, 1, 16, "", "", "The largest of its arguments."},
        {C::Abs, "abs", K::Builtin, 1, 1, "", "", "The absolute value."},
        {C::Monotonic, "monotonic", K::Builtin, 0, 0, "int clock_gettime(CLOCK_MONOTONIC, &ts)",
         "clock_gettime(CLOCK_MONOTONIC, &ts)",
         "Seconds on a clock that only goes forward (time.monotonic()), to measure in a run."},
    };
    return t;
}

bool isMethodEntry(const CallInfo &c) {
    return c.kind == K::Method || c.kind == K::Helper || c.id == C::Decode || c.id == C::Encode;
}

bool isFunctionEntry(const CallInfo &c) {
    return !isMethodEntry(c) && c.id != C::Block;
}

const CallInfo *find(const QString &name, bool method) {
    for (const CallInfo &c : table()) {
        if (isMethodEntry(c) == method && (method || isFunctionEntry(c)) &&
            name == QLatin1String(c.name))
            return &c;
    }
    return nullptr;
}

int editDistance(const QString &a, const QString &b) {
    std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
    for (int j = 0; j <= b.size(); ++j)
        prev[j] = j;
    for (int i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (int j = 1; j <= b.size(); ++j) {
            const int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

struct Constant {
    const char *name;
    std::int64_t value;
};

const std::vector<Constant> &constants() {
    static const std::vector<Constant> t = {
        {"AF_INET", AF_INET},
        {"AF_INET6", AF_INET6},
        {"AF_UNIX", AF_UNIX},
        {"SOCK_STREAM", SOCK_STREAM},
        {"SOCK_DGRAM", SOCK_DGRAM},
        {"SOL_SOCKET", SOL_SOCKET},
        {"IPPROTO_TCP", IPPROTO_TCP},
        {"IPPROTO_UDP", IPPROTO_UDP},
        {"SO_SNDBUF", SO_SNDBUF},
        {"SO_RCVBUF", SO_RCVBUF},
        {"SO_REUSEADDR", SO_REUSEADDR},
        {"SO_REUSEPORT", SO_REUSEPORT},
        {"SO_KEEPALIVE", SO_KEEPALIVE},
        {"SO_LINGER", SO_LINGER},
        {"SO_SNDTIMEO", SO_SNDTIMEO},
        {"SO_RCVTIMEO", SO_RCVTIMEO},
        {"SO_ERROR", SO_ERROR},
        {"SO_TYPE", SO_TYPE},
        {"TCP_NODELAY", TCP_NODELAY},
        {"TCP_KEEPIDLE", TCP_KEEPIDLE},
        {"TCP_KEEPINTVL", TCP_KEEPINTVL},
        {"TCP_KEEPCNT", TCP_KEEPCNT},
        {"TCP_SYNCNT", TCP_SYNCNT}, // lesson 3: a waiting client keeps retrying while one reads
        {"TCP_USER_TIMEOUT", TCP_USER_TIMEOUT},
        // getsockopt(IPPROTO_TCP, TCP_INFO, n) -> the kernel's struct tcp_info as bytes
        // (segs_out/segs_in at 136, tcpi_probes at 3): lessons 16, 20, 21 count segments.
        {"TCP_INFO", TCP_INFO},
        {"SOL_TCP", SOL_TCP},
        {"IPPROTO_IP", IPPROTO_IP},
        {"SO_RCVLOWAT", SO_RCVLOWAT},
        {"SO_DOMAIN", SO_DOMAIN},
        {"SO_ACCEPTCONN", SO_ACCEPTCONN},
        {"SHUT_RD", SHUT_RD},
        {"SHUT_WR", SHUT_WR},
        {"SHUT_RDWR", SHUT_RDWR},
        {"MSG_PEEK", MSG_PEEK},
        {"MSG_DONTWAIT", MSG_DONTWAIT},
        {"MSG_WAITALL", MSG_WAITALL},
        {"SOMAXCONN", SOMAXCONN},
        {"EAGAIN", EAGAIN},
        {"EWOULDBLOCK", EWOULDBLOCK},
        {"EINPROGRESS", EINPROGRESS},
        {"ECONNREFUSED", ECONNREFUSED},
        {"ECONNRESET", ECONNRESET},
        {"EPIPE", EPIPE},
        {"ENOTCONN", ENOTCONN},
        {"EINVAL", EINVAL},
        {"ETIMEDOUT", ETIMEDOUT},
        {"EADDRINUSE", EADDRINUSE},
        {"EADDRNOTAVAIL", EADDRNOTAVAIL},
        {"EBADF", EBADF},
        {"EISCONN", EISCONN},
        {"EALREADY", EALREADY},
        {"ECONNABORTED", ECONNABORTED},
        {"EMFILE", EMFILE},
        {"EACCES", EACCES},
        {"ENOTSOCK", ENOTSOCK},
        {"EOPNOTSUPP", EOPNOTSUPP},
        {"EHOSTUNREACH", EHOSTUNREACH},
        {"ENETUNREACH", ENETUNREACH},
        {"EINTR", EINTR},
    };
    return t;
}

void addModuleConstants(QHash<QString, std::int64_t> &m);

} // namespace

const CallInfo *findFunction(const QString &name) {
    return find(name, false);
}

const CallInfo *findMethod(const QString &name) {
    return find(name, true);
}

const CallInfo *callInfo(CallId id) {
    for (const CallInfo &c : table()) {
        if (c.id == id)
            return &c;
    }
    return nullptr;
}

const std::vector<CallInfo> &allCalls() {
    return table();
}

const char *callName(CallId id) {
    const CallInfo *c = callInfo(id);
    return c ? c->name : "?";
}

QString cEquivalent(CallId id, int fd, const QStringList &args) {
    const CallInfo *c = callInfo(id);
    if (!c || !*c->cTemplate)
        return {};
    const QString t = QLatin1String(c->cTemplate);
    QString out;
    for (qsizetype i = 0; i < t.size(); ++i) {
        if (t[i] != u'%' || i + 1 >= t.size()) {
            out += t[i];
            continue;
        }
        if (t.mid(i + 1, 2) == QLatin1String("fd")) {
            out += QString::number(fd);
            i += 2;
        } else if (t[i + 1] == u'{') { // %{N:default}
            const qsizetype close = t.indexOf(u'}', i);
            const qsizetype colon = t.indexOf(u':', i);
            const int n = t.mid(i + 2, colon - i - 2).toInt();
            out += n >= 1 && n <= args.size() ? args[n - 1] : t.mid(colon + 1, close - colon - 1);
            i = close;
        } else if (t[i + 1].isDigit()) {
            const int n = t[i + 1].digitValue();
            out += n >= 1 && n <= args.size() ? args[n - 1] : QStringLiteral("?");
            ++i;
        } else {
            out += t[i];
        }
    }
    return out;
}

QString suggestName(const QString &unknown, bool method) {
    const QString lower = unknown.toLower();
    QString best;
    int bestDist = 3;
    for (const CallInfo &c : table()) {
        if (method ? !isMethodEntry(c) : !isFunctionEntry(c))
            continue;
        const int d = editDistance(lower, QLatin1String(c.name));
        if (d < bestDist) {
            bestDist = d;
            best = QLatin1String(c.name);
        }
    }
    return best;
}

bool constantValue(const QString &name, std::int64_t *value) {
    static const QHash<QString, std::int64_t> map = [] {
        QHash<QString, std::int64_t> m;
        for (const Constant &c : constants())
            m.insert(QLatin1String(c.name), c.value);
        addModuleConstants(m); // POLLIN, EPOLLIN, EVENT_READ (bindings, issue 9)
        return m;
    }();
    const auto it = map.constFind(name);
    if (it == map.constEnd())
        return false;
    if (value)
        *value = *it;
    return true;
}

QStringList constantNames() {
    QStringList out;
    for (const Constant &c : constants())
        out << QLatin1String(c.name);
    return out;
}

// Module attributes (issue 9) -------------------------------------------------------

namespace {

struct ModuleMember {
    const char *module;
    const char *member;
};

// Calls reachable as module.member; their catalogue entry has the member's name.
const ModuleMember kModuleFunctions[] = {
    {"socket", "socket"},
    {"socket", "socketpair"},
    {"socket", "htons"},
    {"socket", "ntohs"},
    {"socket", "htonl"},
    {"socket", "ntohl"},
    {"socket", "gethostname"},
    {"socket", "gethostbyname"},
    {"select", "select"},
    {"select", "poll"},
    {"select", "epoll"},
    {"selectors", "DefaultSelector"},
    {"struct", "pack"},
    {"struct", "unpack"},
    {"struct", "calcsize"},
    {"time", "sleep"},
    {"time", "monotonic"},
    {"os", "pipe"},
    {"os", "fork"},
    {"os", "_exit"},
    {"os", "waitpid"},
    {"os", "getpid"},
};

// select's and selectors' own constants (socket's and errno's are constantValue()).
const Constant kSelectConstants[] = {
    {"POLLIN", POLLIN},
    {"POLLPRI", POLLPRI},
    {"POLLOUT", POLLOUT},
    {"POLLERR", POLLERR},
    {"POLLHUP", POLLHUP},
    {"POLLNVAL", POLLNVAL},
    {"POLLRDHUP", POLLRDHUP},
    {"POLLRDNORM", POLLRDNORM},
    {"POLLWRNORM", POLLWRNORM},
    {"EPOLLIN", EPOLLIN},
    {"EPOLLPRI", EPOLLPRI},
    {"EPOLLOUT", EPOLLOUT},
    {"EPOLLERR", EPOLLERR},
    {"EPOLLHUP", EPOLLHUP},
    {"EPOLLRDHUP", EPOLLRDHUP},
    {"EPOLLET", EPOLLET},
    {"EPOLLONESHOT", EPOLLONESHOT},
    {"EPOLLEXCLUSIVE", EPOLLEXCLUSIVE},
    {"EPOLLRDNORM", EPOLLRDNORM},
    {"EPOLLWRNORM", EPOLLWRNORM},
    {"EPOLL_CLOEXEC", EPOLL_CLOEXEC},
};

const Constant kSelectorsConstants[] = {
    {"EVENT_READ", 1},
    {"EVENT_WRITE", 2},
};

void addModuleConstants(QHash<QString, std::int64_t> &m) {
    for (const Constant &c : kSelectConstants)
        m.insert(QLatin1String(c.name), c.value);
    for (const Constant &c : kSelectorsConstants)
        m.insert(QLatin1String(c.name), c.value);
}

} // namespace

bool isModuleName(const QString &name) {
    static const char *const names[] = {"socket", "errno", "select", "selectors",
                                        "struct", "time",  "os"};
    for (const char *n : names)
        if (name == QLatin1String(n))
            return true;
    return false;
}

bool moduleFunction(const QString &module, const QString &member) {
    for (const ModuleMember &m : kModuleFunctions)
        if (module == QLatin1String(m.module) && member == QLatin1String(m.member))
            return true;
    return false;
}

bool moduleConstant(const QString &module, const QString &member, std::int64_t *value) {
    auto in = [&](const auto &table) {
        for (const Constant &c : table)
            if (member == QLatin1String(c.name)) {
                if (value)
                    *value = c.value;
                return true;
            }
        return false;
    };
    if (module == QLatin1String("socket")) // socket.EAGAIN too, as the lab always took it
        return !in(kSelectConstants) && !in(kSelectorsConstants) && constantValue(member, value);
    if (module == QLatin1String("errno"))
        return member.startsWith(u'E') && constantValue(member, value);
    if (module == QLatin1String("select"))
        return in(kSelectConstants);
    if (module == QLatin1String("selectors"))
        return in(kSelectorsConstants);
    if (module == QLatin1String("os") && member == QLatin1String("WNOHANG")) {
        if (value)
            *value = WNOHANG;
        return true;
    }
    return false;
}

} // namespace sl::script
