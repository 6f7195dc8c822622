// Rows of the CPython comparison for the Python statements (issue 9): try/except with
// the exception objects CPython makes (str(e), e.errno, e.args), the exception
// hierarchy, `with` closing its socket, finally's order, and the HOWTO's MySocket
// over pinned 4,096-byte buffers (mysend blocks on partial sends until the peer reads).
#include "tst_cpython.h"

#include <QTest>

using namespace labtest;
using cpythontest::Connected;
using cpythontest::PyConnected;
using cpythontest::withPrologue;

namespace cpythontest {

void addStatementRows() {
    // The interpreter's fast paths (engine/fastpaths.cpp) against CPython: range() with
    // a step, break/continue in it, the loop name after it, int conditions, `not name`
    // of bytes and str, `+=`/`-=` of ints and len(), and the shapes that must still take
    // the general path (a float, a list, a tuple target).
    QTest::newRow("loop shapes: range, int conditions, not name, += len()") << src(R"(client: n = 0
client: for i in range(10, 0, -3):
    n += i
client: t = 0
client: for j in range(5):
    if j == 3:
        continue
    if j == 4:
        break
    t += j
client: w = 0
client: while w < 10:
    w += 3
client: data = b"abc"
client: k = 0
client: while k <= 100:
    if not data:
        break
    k += len(data)
    data = data[1:]
client: f = 0.5
client: f += 1
client: m = 0
client: for q in range(0):
    m = 1
client: e = ""
client: if not e:
    e = "empty"
client: u = [1, 2]
client: u += [3]
client: x, y = 0, 0
client: for p in range(2, 8, 2):
    x -= p
    y += len(data)
client: for a, b in [(1, 2)]:
    x += a != b
say "{n} {i} {t} {j} {w} {k} {f} {m} {e} {u} {x} {y} {data}"
)") << src(R"(n = 0
for i in range(10, 0, -3):
    n += i
t = 0
for j in range(5):
    if j == 3:
        continue
    if j == 4:
        break
    t += j
w = 0
while w < 10:
    w += 3
data = b"abc"
k = 0
while k <= 100:
    if not data:
        break
    k += len(data)
    data = data[1:]
f = 0.5
f += 1
m = 0
for q in range(0):
    m = 1
e = ""
if not e:
    e = "empty"
u = [1, 2]
u += [3]
x, y = 0, 0
for p in range(2, 8, 2):
    x -= p
    y += len(data)
for a, b in [(1, 2)]:
    x += a != b
print(f"{n} {i} {t} {j} {w} {k} {f} {m} {e} {u} {x} {y} {data}")
)") << QStringList{};

    // The socket call fast paths (fastpaths.cpp: socketIo, execSocketIo): send() of a
    // bytes name and of a literal, its count bound to a name, `data = conn.recv(n)` onto
    // a name first None and then bytes while a list keeps the earlier results, recv()
    // of 0 (with bytes queued, and on an empty queue: CPython answers recv(0) with b''
    // and makes no system call, where Linux's recv(fd, buf, 0) blocks; the timeout makes
    // a lab that called recv() print TimeoutError instead of hanging) and of an int
    // name, and the shapes that must raise as the general path does (a negative count,
    // a str to send, a closed socket).
    QTest::newRow("socket call shapes: send(buf), data = recv(n), errors")
        << withPrologue(Connected, R"(client: buf = b"abcdef"
client: for i in range(3):
    c.send(buf)
client: sent = c.send(b"xyz")
client: c.send(b"")
server: data = None
server: keep = []
server: total = 0
server: while total < 20:
    data = conn.recv(4)
    if not data:
        break
    keep.append(data)
    total += len(data)
server: none = conn.recv(0)
server: both = conn.recv(0) + b"!"
server: k = 1
server: last = conn.recv(k)
server: conn.settimeout(2)
server: try:
    empty = conn.recv(0)
except TimeoutError:
    empty = "TimeoutError"
server: try:
    conn.recv(-1)
except ValueError as e:
    neg = str(e)
client: try:
    c.send("text")
except TypeError:
    bad = "TypeError"
client: d = socket(AF_INET, SOCK_STREAM)
client: d.close()
client: try:
    d.send(b"x")
except OSError as e:
    closed = e.errno
say "{sent} {total} {data} {keep} {last} {empty} {none} {both} {neg} {bad} {closed}"
)") << withPrologue(PyConnected, R"(buf = b"abcdef"
for i in range(3):
    c.send(buf)
sent = c.send(b"xyz")
c.send(b"")
data = None
keep = []
total = 0
while total < 20:
    data = conn.recv(4)
    if not data:
        break
    keep.append(data)
    total += len(data)
none = conn.recv(0)
both = conn.recv(0) + b"!"
k = 1
last = conn.recv(k)
conn.settimeout(2)
try:
    empty = conn.recv(0)
except TimeoutError:
    empty = "TimeoutError"
try:
    conn.recv(-1)
except ValueError as e:
    neg = str(e)
try:
    c.send("text")
except TypeError:
    bad = "TypeError"
d = socket(AF_INET, SOCK_STREAM)
d.close()
try:
    d.send(b"x")
except OSError as e:
    closed = e.errno
print(f"{sent} {total} {data} {keep} {last} {empty} {none} {both} {neg} {bad} {closed}")
)") << QStringList{};

    QTest::newRow("try/except OSError as e: str(e), errno, args after EAGAIN")
        << withPrologue(Connected, R"(client: c.setblocking(False)
client: try:
    c.recv(10)
except OSError as e:
    text = str(e)
    no = e.errno
    args = e.args
    err = e
say "{text}|{no}|{args}|{err.strerror}"
)") << withPrologue(PyConnected, R"(c.setblocking(False)
try:
    c.recv(10)
except OSError as e:
    print(f"{str(e)}|{e.errno}|{e.args}|{e.strerror}")
)") << QStringList{};

    // `del name` (issue 10, lesson 13): the last reference closes the socket, one held
    // elsewhere (a list) keeps it open until that goes too; del of an unbound name fails.
    QTest::newRow("del name: the last reference closes the socket")
        << withPrologue(Connected, R"(server: keep = [conn]
server: del conn
client: c.setblocking(False)
client: try:
    c.recv(10)
    first = "data"
except BlockingIOError:
    first = "open"
server: del keep
client: c.setblocking(True)
client: second = c.recv(10)
server: z = 1
server: del z
server: try:
    del z
except NameError as e:
    third = str(e)
say "{first} {second} {third}"
)") << withPrologue(PyConnected, R"(keep = [conn]
del conn
c.setblocking(False)
try:
    c.recv(10)
    first = "data"
except BlockingIOError:
    first = "open"
del keep
c.setblocking(True)
second = c.recv(10)
z = 1
del z
try:
    del z
except NameError as e:
    third = str(e)
print(first, second, third)
)") << QStringList{};

    QTest::newRow("except ConnectionError catches ConnectionRefusedError") << src(R"(import socket
client: p = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client: p.bind(("127.0.0.1", 0))
client: addr = p.getsockname()
client: p.close()
client: c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client: try:
    c.connect(addr)
except BlockingIOError:
    what = "wrong"
except ConnectionError as e:
    what = str(e)
    no = e.errno
say "{what} {no}"
)") << src(R"(import socket
p = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
p.bind(("127.0.0.1", 0))
addr = p.getsockname()
p.close()
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    c.connect(addr)
except BlockingIOError:
    what = "wrong"
except ConnectionError as e:
    what = str(e)
    no = e.errno
print(what, no)
)") << QStringList{};

    QTest::newRow("with socket.socket() as s: closed at the end") << src(R"(import socket
client: with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind(("127.0.0.1", 0))
    inside = s.fileno() >= 0
say "{inside} {s.fileno()}"
)") << src(R"(import socket
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind(("127.0.0.1", 0))
    inside = s.fileno() >= 0
print(inside, s.fileno())
)") << QStringList{};

    QTest::newRow("try/except/else/finally order, raise and bare raise")
        << src(R"(class ProtocolError(Exception):
    pass
def parse(n):
    if n > 2:
        raise ProtocolError("too long")
    return n
client: log = []
client: for n in [1, 5]:
    try:
        try:
            v = parse(n)
        except ProtocolError as e:
            log = log + ["caught " + str(e)]
            raise
        else:
            log = log + ["ok " + str(v)]
        finally:
            log = log + ["finally"]
    except Exception as e:
        log = log + [str(len(e.args)) + " " + e.args[0]]
say "{log}"
)") << src(R"(class ProtocolError(Exception):
    pass
def parse(n):
    if n > 2:
        raise ProtocolError("too long")
    return n
log = []
for n in [1, 5]:
    try:
        try:
            v = parse(n)
        except ProtocolError as e:
            log = log + ["caught " + str(e)]
            raise
        else:
            log = log + ["ok " + str(v)]
        finally:
            log = log + ["finally"]
    except Exception as e:
        log = log + [str(len(e.args)) + " " + e.args[0]]
print(log)
)") << QStringList{};

    // MySocket's methods as the HOWTO writes them (chunks joined by the caller until
    // list.append/bytes.join land); 100,000 bytes through 4,096-byte buffers: send()
    // takes part of the message each time, mysend loops, myreceive reads 2,048 at most.
    const char *mysocket = R"(import socket
MSGLEN = 100000
class MySocket:
    def __init__(self, sock=None):
        if sock is None:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        else:
            self.sock = sock
    def connect(self, host, port):
        self.sock.connect((host, port))
    def mysend(self, msg):
        totalsent = 0
        while totalsent < MSGLEN:
            sent = self.sock.send(msg[totalsent:])
            if sent == 0:
                raise RuntimeError("socket connection broken")
            totalsent = totalsent + sent
    def myreceive(self):
        chunks = []
        bytes_recd = 0
        while bytes_recd < MSGLEN:
            chunk = self.sock.recv(min(MSGLEN - bytes_recd, 2048))
            if chunk == b'':
                raise RuntimeError("socket connection broken")
            chunks = chunks + [chunk]
            bytes_recd = bytes_recd + len(chunk)
        return chunks
)";
    QTest::newRow("HOWTO MySocket: mysend/myreceive over pinned 4096-byte buffers")
        << src(mysocket) + src(R"(server: srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server: srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(1)
client: m = MySocket()
client: m.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
client: host, port = srv.getsockname()
client: m.connect(host, port)
server: conn, addr = srv.accept()
server: r = MySocket(conn)
client: msg = b"0123456789" * 10000
client: m.mysend(msg)
server: chunks = r.myreceive()
wait until not blocked(client) within 10
server: data = b""
server: for k in chunks:
    data = data + k
say "{len(data)} {data == msg} {len(chunks) >= 49}"
)") << src(mysocket) + src(R"(import threading
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
m = MySocket()
m.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
host, port = srv.getsockname()
m.connect(host, port)
conn, addr = srv.accept()
r = MySocket(conn)
msg = b"0123456789" * 10000
t = threading.Thread(target=m.mysend, args=(msg,))
t.start()
chunks = r.myreceive()
t.join()
data = b"".join(chunks)
print(len(data), data == msg, len(chunks) >= 49)
)") << QStringList{};
}

} // namespace cpythontest
