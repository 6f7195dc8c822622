// The bindings against CPython (issue 9): struct, htons, makefile(), select.poll(),
// select.epoll(), selectors, AF_UNIX paths and socket options. Each row is a .lab
// snippet and the equivalent Python program, both run here on real sockets (the
// harness of tst_cpython.h: python3 gives the reference at test time). Then what only
// the lab shows: the trace of a buffered file (when bytes really leave), poll/epoll as
// SelectIn/SelectOut for the select() panel, the AF_UNIX policy and clean-up, and the
// parser's diagnostics for wrong uses of the new calls.
#include "tst_cpython_bind.h"

#include <QFile>
#include <QtTest>
#include <unistd.h>

using namespace labtest;
using cpythontest::Connected;
using cpythontest::PyConnected;
using cpythontest::runLab;
using cpythontest::runPython;
using cpythontest::withPrologue;
using sl::script::CallId;

namespace {

// Paths and abstract names unique to this process, the same length for the lab and
// Python (a row may print a length, never the name).
QString uniq(const char *side) {
    return QStringLiteral("sl-%1-%2").arg(QLatin1String(side)).arg(::getpid());
}

QString placeholders(QString text, const char *side) {
    text.replace(QLatin1String("@PATH@"), QStringLiteral("/tmp/") + uniq(side) + u".sock");
    text.replace(QLatin1String("@ABSTRACT@"), uniq(side));
    return text;
}

} // namespace

void TestCPythonBind::table_data() {
    QTest::addColumn<QString>("lab");
    QTest::addColumn<QString>("python");
    QTest::addColumn<QStringList>("allowed");

    QTest::newRow("struct: length-prefixed framing round trip")
        << withPrologue(Connected, R"(client: msg = b"hello"
client: c.sendall(struct.pack("!I", len(msg)) + msg)
server: hdr = conn.recv(4)
server: n = struct.unpack("!I", hdr)[0]
server: body = conn.recv(n)
say "{hdr} {n} {body}"
client: a = struct.calcsize("!IH")
client: b = struct.pack("<H", 258)
client: d = struct.pack(">q", -2)
client: t = struct.unpack("!bhB", b"\xff\xff\xfe\x07")
client: z = struct.calcsize("BI")
client: y = struct.pack("!3s2xB", b"abcdef", 9)
say "{a} {b} {d} {t} {z} {y}"
say "{socket.htons(1)} {socket.ntohs(256)} {socket.htonl(1)} {socket.ntohl(16777216)}"
)")
        << QString(QStringLiteral("import struct\n") + QString::fromUtf8(PyConnected) +
                   QStringLiteral(R"(msg = b"hello"
c.sendall(struct.pack("!I", len(msg)) + msg)
hdr = conn.recv(4)
n = struct.unpack("!I", hdr)[0]
body = conn.recv(n)
print(hdr, n, body)
print(struct.calcsize("!IH"), struct.pack("<H", 258), struct.pack(">q", -2),
      struct.unpack("!bhB", b"\xff\xff\xfe\x07"), struct.calcsize("BI"),
      struct.pack("!3s2xB", b"abcdef", 9))
import socket
print(socket.htons(1), socket.ntohs(256), socket.htonl(1), socket.ntohl(16777216))
)")) << QStringList{};

    QTest::newRow("struct and htons: the errors CPython raises")
        << src(R"(client: x = struct.pack("!H", 70000)
say "{exception}"
client: x = struct.pack("!I", -1)
say "{exception}"
client: x = struct.pack("!I")
say "{exception}"
client: x = struct.unpack("!I", b"abc")
say "{exception}"
client: x = struct.pack("!Z", 1)
say "{exception}"
client: x = struct.unpack("!I", "abcd")
say "{exception}"
client: x = socket.htons(70000)
say "{exception}"
client: x = socket.htonl(-1)
say "{exception}"
)") << src(R"(import struct, socket
for f in [lambda: struct.pack("!H", 70000), lambda: struct.pack("!I", -1),
          lambda: struct.pack("!I"), lambda: struct.unpack("!I", b"abc"),
          lambda: struct.pack("!Z", 1), lambda: struct.unpack("!I", "abcd"),
          lambda: socket.htons(70000), lambda: socket.htonl(-1)]:
    try:
        f()
    except struct.error:
        print("struct.error")
    except Exception as e:
        print(type(e).__name__)
)")
        << QStringList{QStringLiteral("struct.error"), QStringLiteral("TypeError"),
                       QStringLiteral("OverflowError")};

    // The resolver (issue 10): this machine's answers, whatever /etc/hosts says here.
    QTest::newRow("gethostname and gethostbyname, and gaierror")
        << src(R"(client: h = socket.gethostname()
client: ip = socket.gethostbyname(h)
client: lo = gethostbyname("localhost")
client: anyaddr = socket.gethostbyname("")
client: short = socket.gethostbyname("127.1")
say "{h} {ip} {lo} {anyaddr} {short}"
client: try:
    socket.gethostbyname("nonexistent.invalid")
except OSError as e:
    msg = f"{e.errno} {e}"
say "{msg}"
client: x = socket.gethostbyname(5)
say "{exception}"
)") << src(R"(import socket
h = socket.gethostname()
print(h, socket.gethostbyname(h), socket.gethostbyname("localhost"),
      socket.gethostbyname(""), socket.gethostbyname("127.1"))
try:
    socket.gethostbyname("nonexistent.invalid")
except OSError as e:
    print(f"{e.errno} {e}")
try:
    socket.gethostbyname(5)
except Exception as e:
    print(type(e).__name__)
)") << QStringList{QStringLiteral("TypeError")};

    QTest::newRow("makefile: write is buffered until flush, readline reads lines")
        << withPrologue(Connected, R"(client: f = c.makefile("rwb")
client: n = f.write(b"hello\n")
server: conn.setblocking(False)
server: early = conn.recv(100)
say "{n} {exception}"
client: f.flush()
server: conn.setblocking(True)
server: g = conn.makefile("rb")
server: l1 = g.readline()
client: f.write(b"two\nthree\npart")
client: f.flush()
server: l2 = g.readline()
server: l3 = g.readline()
server: rest = g.read(2)
say "{l1} {l2} {l3} {rest}"
client: f.close()
client: c.close()
server: l4 = g.readline()
server: l5 = g.readline()
say "{l4} {l5}"
)") << withPrologue(PyConnected, R"(f = c.makefile("rwb")
n = f.write(b"hello\n")
conn.setblocking(False)
try:
    conn.recv(100)
except OSError as e:
    print(n, type(e).__name__)
f.flush()
conn.setblocking(True)
g = conn.makefile("rb")
l1 = g.readline()
f.write(b"two\nthree\npart")
f.flush()
print(l1, g.readline(), g.readline(), g.read(2))
f.close()
c.close()
print(g.readline(), g.readline())
)") << QStringList{};

    QTest::newRow("select.poll: register, poll, modify, unregister")
        << withPrologue(Connected, R"(client: p = select.poll()
client: p.register(c, select.POLLIN)
client: ev = p.poll(0)
say "{ev}"
server: conn.send(b"x")
client: ev = p.poll(2000)
say "{len(ev)} {ev[0][0] == c.fileno()} {ev[0][1]}"
client: p.modify(c, select.POLLIN + select.POLLOUT)
client: ev = p.poll(2000)
say "{ev[0][1]}"
client: p.unregister(c)
client: p.unregister(c)
say "{exception}"
client: p.modify(c, POLLIN)
say "{exception} {error}"
)") << withPrologue(PyConnected, R"(import select
p = select.poll()
p.register(c, select.POLLIN)
print(p.poll(0))
conn.send(b"x")
ev = p.poll(2000)
print(len(ev), ev[0][0] == c.fileno(), ev[0][1])
p.modify(c, select.POLLIN | select.POLLOUT)
print(p.poll(2000)[0][1])
p.unregister(c)
try:
    p.unregister(c)
except KeyError as e:
    print(type(e).__name__)
try:
    p.modify(c, select.POLLIN)
except OSError as e:
    print(type(e).__name__, e.errno)
)") << QStringList{QStringLiteral("KeyError")};

    QTest::newRow("select.epoll: register, poll, modify, errors, close")
        << withPrologue(Connected, R"(client: ep = select.epoll()
client: ep.register(c.fileno(), select.EPOLLIN)
client: ev = ep.poll(0)
say "{ev}"
server: conn.send(b"x")
client: ev = ep.poll(2)
say "{len(ev)} {ev[0][0] == c.fileno()} {ev[0][1]}"
client: ep.modify(c, select.EPOLLOUT)
client: ev = ep.poll(2)
say "{ev[0][1]}"
client: ep.register(c, select.EPOLLIN)
say "{exception} {error}"
client: ep.unregister(c)
client: ep.unregister(c)
say "{exception} {error}"
client: ep.close()
)") << withPrologue(PyConnected, R"(import select
ep = select.epoll()
ep.register(c.fileno(), select.EPOLLIN)
print(ep.poll(0))
conn.send(b"x")
ev = ep.poll(2)
print(len(ev), ev[0][0] == c.fileno(), ev[0][1])
ep.modify(c, select.EPOLLOUT)
print(ep.poll(2)[0][1])
for f in [lambda: ep.register(c, select.EPOLLIN), lambda: (ep.unregister(c), ep.unregister(c))]:
    try:
        f()
    except OSError as e:
        print(type(e).__name__, e.errno)
ep.close()
)") << QStringList{};

    QTest::newRow("selectors.DefaultSelector: register, select, keys, unregister")
        << withPrologue(Connected, R"(server: sel = selectors.DefaultSelector()
server: key = sel.register(conn, selectors.EVENT_READ, "echo")
say "{key.fd == conn.fileno()} {key.events} {key.data} {key.fileobj == conn}"
server: ev = sel.select(0)
say "{ev}"
client: c.send(b"hi")
server: ev = sel.select(2)
say "{len(ev)} {ev[0][1]} {ev[0][0].data} {ev[0][0].fileobj == conn}"
server: k = sel.modify(conn, selectors.EVENT_READ | selectors.EVENT_WRITE, "both")
server: ev = sel.select(2)
say "{ev[0][1]} {ev[0][0][3]} {key[0] == key.fileobj}"
server: x = key.nosuch
say "{exception}"
server: sel.register(conn, selectors.EVENT_READ)
say "{exception}"
server: sel.register(c, 4)
say "{exception}"
server: k = sel.unregister(conn)
server: ev = sel.select(0)
say "{ev} {k[3]}"
server: sel.unregister(conn)
say "{exception}"
server: sel.close()
)") << withPrologue(PyConnected, R"(import selectors
sel = selectors.DefaultSelector()
key = sel.register(conn, selectors.EVENT_READ, "echo")
print(key.fd == conn.fileno(), key.events, key.data, key.fileobj == conn)
print(sel.select(0))
c.send(b"hi")
ev = sel.select(2)
print(len(ev), ev[0][1], ev[0][0].data, ev[0][0].fileobj == conn)
sel.modify(conn, selectors.EVENT_READ | selectors.EVENT_WRITE, "both")
ev = sel.select(2)
print(ev[0][1], ev[0][0].data, key[0] == key.fileobj)
try:
    key.nosuch
except AttributeError as e:
    print(type(e).__name__)
for f in [lambda: sel.register(conn, selectors.EVENT_READ), lambda: sel.register(c, 4)]:
    try:
        f()
    except Exception as e:
        print(type(e).__name__)
k = sel.unregister(conn)
print(sel.select(0), k.data)
try:
    sel.unregister(conn)
except KeyError as e:
    print(type(e).__name__)
sel.close()
)")
        << QStringList{QStringLiteral("KeyError"), QStringLiteral("ValueError"),
                       QStringLiteral("AttributeError")};

    QTest::newRow("AF_UNIX: a path server, and an abstract name") << src(R"(server: path = "@PATH@"
server: srv = socket(AF_UNIX, SOCK_STREAM)
server: srv.bind(path)
server: srv.listen()
client: c = socket(AF_UNIX, SOCK_STREAM)
client: c.connect(path)
server: conn, addr = srv.accept()
server: n1 = srv.getsockname()
client: n2 = c.getpeername()
client: n3 = c.getsockname()
say "{addr == ''} {n1 == path} {n2 == path} {n3 == ''}"
client: c.sendall(b"over a file")
server: data = conn.recv(100)
say "{data}"
server: again = socket(AF_UNIX, SOCK_STREAM)
server: again.bind(path)
say "{exception} {error}"
server: a = socket(AF_UNIX, SOCK_STREAM)
server: a.bind("\0@ABSTRACT@")
server: name = a.getsockname()
say "{name[:1]} {len(name)}"
server: u = socket(AF_UNIX, SOCK_DGRAM)
server: u.bind(b"\0@ABSTRACT@-u")
server: v = socket(AF_UNIX, SOCK_DGRAM)
server: v.sendto(b"dgram", u.getsockname())
server: got = u.recvfrom(10)
say "{got}"
)") << src(R"(import os
path = "@PATH@"
srv = socket(AF_UNIX, SOCK_STREAM)
srv.bind(path)
srv.listen()
c = socket(AF_UNIX, SOCK_STREAM)
c.connect(path)
conn, addr = srv.accept()
print(addr == '', srv.getsockname() == path, c.getpeername() == path, c.getsockname() == '')
c.sendall(b"over a file")
print(conn.recv(100))
try:
    socket(AF_UNIX, SOCK_STREAM).bind(path)
except OSError as e:
    print(type(e).__name__, e.errno)
os.unlink(path)
a = socket(AF_UNIX, SOCK_STREAM)
a.bind("\0@ABSTRACT@")
name = a.getsockname()
print(name[:1], len(name))
u = socket(AF_UNIX, SOCK_DGRAM)
u.bind(b"\0@ABSTRACT@-u")
v = socket(AF_UNIX, SOCK_DGRAM)
v.sendto(b"dgram", u.getsockname())
print(u.recvfrom(10))
)") << QStringList{};

    QTest::newRow("socket options: getsockopt before and after setsockopt")
        << src(R"(client: s = socket(AF_INET, SOCK_STREAM)
client: o1 = s.getsockopt(SOL_SOCKET, SO_REUSEADDR)
client: o2 = s.getsockopt(SOL_SOCKET, SO_REUSEPORT)
client: o3 = s.getsockopt(SOL_SOCKET, SO_KEEPALIVE)
client: o4 = s.getsockopt(IPPROTO_TCP, TCP_KEEPIDLE)
client: o5 = s.getsockopt(IPPROTO_TCP, TCP_KEEPINTVL)
client: o6 = s.getsockopt(IPPROTO_TCP, TCP_KEEPCNT)
client: o7 = s.getsockopt(IPPROTO_TCP, TCP_NODELAY)
client: o8 = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT)
say "{o1} {o2} {o3} {o4} {o5} {o6} {o7} {o8}"
client: s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
client: s.setsockopt(SOL_SOCKET, SO_REUSEPORT, True)
client: s.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1)
client: s.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 30)
client: s.setsockopt(IPPROTO_TCP, TCP_KEEPINTVL, 5)
client: s.setsockopt(IPPROTO_TCP, TCP_KEEPCNT, 3)
client: s.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1)
client: s.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 10000)
client: o1 = s.getsockopt(SOL_SOCKET, SO_REUSEADDR)
client: o2 = s.getsockopt(SOL_SOCKET, SO_REUSEPORT)
client: o3 = s.getsockopt(SOL_SOCKET, SO_KEEPALIVE)
client: o4 = s.getsockopt(IPPROTO_TCP, TCP_KEEPIDLE)
client: o5 = s.getsockopt(IPPROTO_TCP, TCP_KEEPINTVL)
client: o6 = s.getsockopt(IPPROTO_TCP, TCP_KEEPCNT)
client: o7 = s.getsockopt(IPPROTO_TCP, TCP_NODELAY)
client: o8 = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT)
say "{o1} {o2} {o3} {o4} {o5} {o6} {o7} {o8}"
client: s.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 0)
say "{exception} {error}"
client: s.setsockopt(IPPROTO_TCP, TCP_KEEPCNT, 1.5)
say "{exception}"
client: s.setsockopt(SOL_SOCKET, SO_LINGER, struct.pack("ii", 1, 5))
client: lg = s.getsockopt(SOL_SOCKET, SO_LINGER, 8)
say "{struct.unpack('ii', lg)}"
)") << src(R"(import struct
s = socket(AF_INET, SOCK_STREAM)
opts = [(SOL_SOCKET, SO_REUSEADDR), (SOL_SOCKET, SO_REUSEPORT), (SOL_SOCKET, SO_KEEPALIVE),
        (IPPROTO_TCP, TCP_KEEPIDLE), (IPPROTO_TCP, TCP_KEEPINTVL), (IPPROTO_TCP, TCP_KEEPCNT),
        (IPPROTO_TCP, TCP_NODELAY), (IPPROTO_TCP, TCP_USER_TIMEOUT)]
print(*[s.getsockopt(l, o) for l, o in opts])
for (l, o), v in zip(opts, [1, True, 1, 30, 5, 3, 1, 10000]):
    s.setsockopt(l, o, v)
print(*[s.getsockopt(l, o) for l, o in opts])
try:
    s.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 0)
except OSError as e:
    print(type(e).__name__, e.errno)
try:
    s.setsockopt(IPPROTO_TCP, TCP_KEEPCNT, 1.5)
except TypeError as e:
    print(type(e).__name__)
s.setsockopt(SOL_SOCKET, SO_LINGER, struct.pack("ii", 1, 5))
print(struct.unpack('ii', s.getsockopt(SOL_SOCKET, SO_LINGER, 8)))
)") << QStringList{QStringLiteral("TypeError")};
}

void TestCPythonBind::table() {
    QFETCH(QString, lab);
    QFETCH(QString, python);
    QFETCH(QStringList, allowed);
    QString error;
    const QString expected = runPython(placeholders(python, "py"), &error);
    if (!error.isEmpty())
        QSKIP(qPrintable(error));
    Lab l;
    QString problems;
    const QString said = runLab(l, placeholders(lab, "lb"), &problems, allowed);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    QCOMPARE(said, expected);
}

QTEST_GUILESS_MAIN(TestCPythonBind)
#include "tst_cpython_bind.moc"
