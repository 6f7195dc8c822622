# ---- Socket Lab runtime (written into every exported program; standard library only) ----
# What the lab gives a script that plain Python does not: actors as threads run in the
# lab's global step order, the HOWTO helpers on sockets, and probes that read the kernel.
import errno as _errno
import fcntl as _fcntl
import os as _os
import os  # noqa: F401  os.fork(), os.waitpid(), os._exit(), os.getpid() as the lab names them
import select as _select_mod
import socket as _socket_mod
import struct as _struct
import struct  # noqa: F401  the lab's scripts unpack TCP_INFO fields with struct.unpack
import sys as _sys
import threading as _threading
import time as _time
from errno import *  # noqa: F401,F403  EAGAIN, ECONNREFUSED, … as the lab names them
from select import *  # noqa: F401,F403  POLLIN, EPOLLIN, …
from socket import *  # noqa: F401,F403  AF_INET, SOCK_STREAM, SO_SNDBUF, …
from time import monotonic, sleep  # noqa: F401

_GRACE = 0.15  # a call asleep in the kernel this long counts as blocked (the lab's grace)
_TCP_STATES = ["n/a", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
               "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
               "NEW_SYN_RECV"]
_SIOCINQ, _SIOCOUTQ, _SIOCOUTQNSD, _SO_MEMINFO = 0x541B, 0x5411, 0x894B, 55


class LabPolicyError(BaseException):
    """The lab refuses calls beyond loopback; plain Python never does, so a script's
    `except LabPolicyError:` is never taken here (it is defined so that the clause runs)."""


class LabSocket(_socket_mod.socket):
    """A socket with the HOWTO's helpers, as the lab's sockets have them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.leftover = b""  # what recv_until read past its delimiter
        self.last_names = None  # the last (local, peer) the socket had, both known

    def _note_names(self):
        # kernel_state() of a closed socket looks its connection up by these addresses
        # (the descriptor, and with it getsockname(), is gone after close()). They are
        # noted when the connection is made and again at close(): a socket that closed
        # first and then got its peer's FIN is in CLOSE by then, and getpeername() fails,
        # while its TIME_WAIT socket keeps the pair noted before.
        if self.fileno() >= 0:
            try:
                self.last_names = (self.getsockname(), self.getpeername())
            except OSError:
                pass

    def accept(self):
        fd, addr = self._accept()
        s = LabSocket(self.family, self.type, self.proto, fileno=fd)
        s._note_names()
        return s, addr

    def connect(self, address):
        super().connect(address)
        self._note_names()

    def connect_ex(self, address):
        rc = super().connect_ex(address)
        if rc == 0:
            self._note_names()
        return rc

    def close(self):
        self._note_names()
        super().close()

    def setsockopt(self, level, opt, value, *rest):
        if isinstance(value, tuple):  # the lab takes SO_LINGER as (on, seconds)
            value = _struct.pack("ii", *value)
        return super().setsockopt(level, opt, value, *rest)

    def _take(self, n):
        part, self.leftover = self.leftover[:n], self.leftover[n:]
        return part

    def recv_exactly(self, n):  # the HOWTO's myreceive
        got = self._take(n)
        while len(got) < n:
            chunk = self.recv(min(n - len(got), 2048))
            if not chunk:
                self.leftover = got + self.leftover
                raise RuntimeError("socket connection broken: the peer closed after %d of %d bytes"
                                   % (len(got), n))
            got += chunk
        return got

    def recv_until(self, delim):
        buf = self._take(len(self.leftover))
        while delim not in buf:
            chunk = self.recv(4096)
            if not chunk:
                self.leftover = buf + self.leftover
                raise RuntimeError("socket connection broken: the peer closed before the "
                                   "delimiter (%d bytes kept)" % len(buf))
            buf += chunk
        at = buf.index(delim)
        self.leftover = buf[at + len(delim):] + self.leftover
        return buf[:at]

    def send_msg(self, payload):  # a 5-digit length prefix
        if len(payload) > 99999:
            raise ValueError("send_msg(): %d bytes do not fit a 5-digit length prefix" % len(payload))
        self.sendall(b"%05d" % len(payload) + payload)

    def recv_msg(self):
        prefix = self.recv_exactly(5)
        return self.recv_exactly(int(prefix))


class _Module:
    """`socket(...)` makes a LabSocket and `socket.X` is the module's X (so is select)."""

    def __init__(self, module, call):
        self._module, self._call = module, call

    def __call__(self, *args, **kwargs):
        return self._call(*args, **kwargs)

    def __getattr__(self, name):
        if name == "socket" and self._module is _socket_mod:
            return LabSocket
        return getattr(self._module, name)


def _socketpair(*args):
    a, b = _socket_mod.socketpair(*args)
    pair = (LabSocket(a.family, a.type, a.proto, fileno=a.detach()),
            LabSocket(b.family, b.type, b.proto, fileno=b.detach()))
    return pair


class _PipeEnd:
    """One end of os.pipe(), with the lab's read(n) / write(b) (os.read / os.write)."""

    def __init__(self, fd):
        self.fd = fd

    def fileno(self):
        return self.fd

    def read(self, n):
        return _os.read(self.fd, n)

    def write(self, data):
        return _os.write(self.fd, data)

    def close(self):
        if self.fd >= 0:
            fd, self.fd = self.fd, -1
            _os.close(fd)


def pipe():
    r, w = _os.pipe()
    return _PipeEnd(r), _PipeEnd(w)


socket = _Module(_socket_mod, LabSocket)
socketpair = _socketpair
select = _Module(_select_mod, _select_mod.select)


# ---- probes: read the kernel now, as the lab's probe functions do ----
# The lab's probes are not calls of the script, so under `socketlab trace` each probe asks
# the interposer to leave its own getsockopt/ioctl/poll out of the trace (the round trip:
# the traced program makes the lesson's calls, no more). Not traced: a no-op.
def _find_untraced():
    try:
        import ctypes
        fn = ctypes.CDLL(None).socketlab_untraced
    except (ImportError, OSError, AttributeError):
        return None
    fn.argtypes, fn.restype = [ctypes.c_int], None
    return fn


_untraced = _find_untraced()


def _probe(fn):
    if _untraced is None:
        return fn

    def probed(*args, **kwargs):
        _untraced(1)
        try:
            return fn(*args, **kwargs)
        finally:
            _untraced(0)

    probed.__name__ = fn.__name__
    return probed


def _fd(s):
    return s.fileno() if hasattr(s, "fileno") else int(s)


def _ioctl(s, req):
    try:
        return _struct.unpack("i", _fcntl.ioctl(_fd(s), req, b"\0" * 4))[0]
    except OSError:
        return -1


def _tcp_info(s):
    try:
        return _socket_mod.socket(fileno=_fd(s)).getsockopt(IPPROTO_TCP, TCP_INFO, 256)
    except OSError:
        return b""


def _sock(s):
    """A borrowed socket object for getsockopt (detached again before it is dropped)."""
    return _socket_mod.socket(fileno=_fd(s))


def _getopt(s, level, opt, size=0):
    b = _sock(s)
    try:
        return b.getsockopt(level, opt, size) if size else b.getsockopt(level, opt)
    finally:
        b.detach()


def _is_tcp(s):
    try:
        return (_getopt(s, SOL_SOCKET, SO_TYPE) == SOCK_STREAM
                and _getopt(s, SOL_SOCKET, SO_DOMAIN) in (AF_INET, AF_INET6))
    except OSError:
        return False


def _info(s):
    try:
        return _getopt(s, IPPROTO_TCP, TCP_INFO, 256) if _is_tcp(s) else b""
    except OSError:
        return b""


def _closed(s):
    return getattr(s, "fileno", lambda: 0)() < 0


@_probe
def state(s):
    if _closed(s):
        return "CLOSED (no descriptor)"
    ti = _info(s)
    if not ti:
        return "n/a"
    return _TCP_STATES[ti[0]] if ti[0] < len(_TCP_STATES) else "n/a"


def _listener_fields(s):
    ti = _info(s)
    if len(ti) >= 32 and ti[0] == 10:  # LISTEN: tcpi_unacked, tcpi_sacked
        return _struct.unpack_from("II", ti, 24)
    return 0, 0


@_probe
def acceptq(s):
    return -1 if _closed(s) else _listener_fields(s)[0]


@_probe
def backlog(s):
    return -1 if _closed(s) else _listener_fields(s)[1]


def _queue(s, req):
    if _closed(s):
        return -1
    if state(s) == "LISTEN":
        return 0
    return _ioctl(s, req)


@_probe
def recvq(s):
    return _queue(s, _SIOCINQ)


@_probe
def sendq(s):
    return _queue(s, _SIOCOUTQ)


@_probe
def unsent(s):
    if _closed(s):
        return -1
    st = state(s)
    if st in ("SYN_SENT", "SYN_RECV", "LISTEN"):
        return 0
    return _ioctl(s, _SIOCOUTQNSD) if st != "n/a" else 0


def _meminfo(s):
    try:
        raw = _getopt(s, SOL_SOCKET, _SO_MEMINFO, 36)
        return _struct.unpack("%dI" % (len(raw) // 4), raw)
    except OSError:
        return (0,) * 9


@_probe
def sndbuf(s):
    return -1 if _closed(s) else _getopt(s, SOL_SOCKET, SO_SNDBUF)


@_probe
def rcvbuf(s):
    return -1 if _closed(s) else _getopt(s, SOL_SOCKET, SO_RCVBUF)


@_probe
def rcvmem(s):
    return -1 if _closed(s) else _meminfo(s)[0]


@_probe
def drops(s):
    m = _meminfo(s)
    return -1 if _closed(s) else (m[8] if len(m) > 8 else 0)


def _poll(s):
    if _closed(s):
        return 0
    p = _select_mod.poll()
    p.register(_fd(s), POLLIN | POLLOUT | POLLRDHUP)
    ev = p.poll(0)
    return ev[0][1] if ev else 0


@_probe
def readable(s):
    return bool(_poll(s) & (POLLIN | POLLHUP | POLLERR | POLLRDHUP))


@_probe
def writable(s):
    return bool(_poll(s) & (POLLOUT | POLLERR | POLLHUP))


@_probe
def pending(s):
    return bool(_poll(s) & POLLERR)


def _proc_address(text):
    """An address of /proc/net/tcp{,6} ("0100007F:1F90"): the IP's 32-bit words are
    printed from memory in the host's byte order, the port as a number."""
    ip, port = text.split(":")
    raw = b"".join(_struct.pack("=I", int(ip[i:i + 8], 16)) for i in range(0, len(ip), 8))
    return raw, int(port, 16)


def _packed(addr):
    host = addr[0].split("%")[0]
    return inet_pton(AF_INET6 if ":" in host else AF_INET, host), addr[1]


@_probe
def kernel_state(s):
    """The kernel's TCP state of s: of its descriptor while open; after close(), of the
    kernel-only socket (no inode) that still has its addresses (TIME_WAIT, FIN_WAIT2, …),
    read from /proc/net/tcp and tcp6, or "gone"."""
    if not _closed(s):
        ti = _info(s)
        return _TCP_STATES[ti[0]] if ti and 0 < ti[0] < len(_TCP_STATES) else "n/a"
    names = getattr(s, "last_names", None)
    if not names or not isinstance(names[1], tuple):
        return "gone"
    try:
        local, peer = _packed(names[0]), _packed(names[1])
    except (OSError, ValueError, IndexError):
        return "gone"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            col = row.split()
            if len(col) > 9 and col[9] == "0" and _proc_address(col[1]) == local \
                    and _proc_address(col[2]) == peer:
                st = int(col[3], 16)
                return _TCP_STATES[st] if 0 < st < len(_TCP_STATES) else "n/a"
    return "gone"


def leftover(s):
    return len(getattr(s, "leftover", b""))

