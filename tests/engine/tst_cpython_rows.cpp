// The rows of the CPython comparison: each a .lab snippet and the equivalent Python
// program, whose output the lab's `say` lines must match (see tst_cpython.cpp).
#include "tst_cpython.h"

#include <QTest>

using namespace labtest;
using cpythontest::Connected;
using cpythontest::PyConnected;
using cpythontest::withPrologue;

void TestCPython::table_data() {
    QTest::addColumn<QString>("lab");
    QTest::addColumn<QString>("python");
    QTest::addColumn<QStringList>("allowed"); // script errors the row raises on purpose

    // 1. settimeout(): poll() up to t, TimeoutError with errno None; the modes.
    QTest::newRow("settimeout: recv times out, errno None")
        << withPrologue(Connected, R"(client: c.settimeout(0.3)
client: data = c.recv(10)
wait until not blocked(client) within 5
say "{exception_of(client)} {error_of(client)}"
say "{c.gettimeout()} {c.getblocking()}"
)") << withPrologue(PyConnected, R"(c.settimeout(0.3)
try:
    c.recv(10)
except OSError as e:
    print(type(e).__name__, e.errno)
print(c.gettimeout(), c.getblocking())
)") << QStringList{};
    QTest::newRow("settimeout/setblocking/gettimeout/getblocking")
        << src(R"(client: c = socket(AF_INET, SOCK_STREAM)
say "{c.gettimeout()} {c.getblocking()}"
client: c.settimeout(0.3)
say "{c.gettimeout()} {c.getblocking()}"
client: c.settimeout(0)
say "{c.gettimeout()} {c.getblocking()}"
client: c.settimeout(None)
say "{c.gettimeout()} {c.getblocking()}"
client: c.setblocking(False)
say "{c.gettimeout()} {c.getblocking()}"
client: c.setblocking(True)
say "{c.gettimeout()} {c.getblocking()}"
client: c.settimeout(2)
say "{c.gettimeout()} {c.getblocking()}"
client: c.setblocking(True)
say "{c.gettimeout()} {c.getblocking()}"
client: c.settimeout(2)
client: c.setblocking(False)
say "{c.gettimeout()} {c.getblocking()}"
client: c.settimeout(-1)
say "{exception}"
)") << src(R"(c = socket(AF_INET, SOCK_STREAM)
print(c.gettimeout(), c.getblocking())
c.settimeout(0.3)
print(c.gettimeout(), c.getblocking())
c.settimeout(0)
print(c.gettimeout(), c.getblocking())
c.settimeout(None)
print(c.gettimeout(), c.getblocking())
c.setblocking(False)
print(c.gettimeout(), c.getblocking())
c.setblocking(True)
print(c.gettimeout(), c.getblocking())
c.settimeout(2)
print(c.gettimeout(), c.getblocking())
c.setblocking(True)
print(c.gettimeout(), c.getblocking())
c.settimeout(2)
c.setblocking(False)
print(c.gettimeout(), c.getblocking())
try:
    c.settimeout(-1)
except ValueError as e:
    print(type(e).__name__)
)") << QStringList{QStringLiteral("ValueError")};
    QTest::newRow("settimeout: connect_ex into a full backlog returns 11")
        << src(R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(0)
server: addr = srv.getsockname()
client: c1 = socket(AF_INET, SOCK_STREAM)
client: r1 = c1.connect_ex(addr)
late: c2 = socket(AF_INET, SOCK_STREAM)
late: c2.settimeout(0.3)
late: r2 = c2.connect_ex(addr)
wait until not blocked(late) within 5
say "{r1} {r2}"
later: c3 = socket(AF_INET, SOCK_STREAM)
later: c3.settimeout(0.3)
later: c3.connect(addr)
wait until not blocked(later) within 5
say "{exception_of(later)} {error_of(later)}"
)") << src(R"(srv = socket(AF_INET, SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen(0)
addr = srv.getsockname()
c1 = socket(AF_INET, SOCK_STREAM)
r1 = c1.connect_ex(addr)
c2 = socket(AF_INET, SOCK_STREAM)
c2.settimeout(0.3)
r2 = c2.connect_ex(addr)
print(r1, r2)
c3 = socket(AF_INET, SOCK_STREAM)
c3.settimeout(0.3)
try:
    c3.connect(addr)
except OSError as e:
    print(type(e).__name__, e.errno)
)") << QStringList{};
    QTest::newRow("settimeout: a first send on a pinned connection is partial, at once")
        << src(R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
client: s = socket(AF_INET, SOCK_STREAM)
client: s.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096)
client: s.connect(srv.getsockname())
server: conn, addr = srv.accept()
client: s.settimeout(0.5)
client: n = s.send(b"x" * 1_000_000)
say "{n > 0 and n < 1_000_000}"
client: while True:
    n = s.send(b"x" * 1_000_000)
wait until not blocked(client) within 10
say "{exception_of(client)} {error_of(client)}"
client: s.sendall(b"x" * 100000)
wait until not blocked(client) within 10
say "{exception_of(client)} {error_of(client)}"
)") << src(R"(srv = socket(AF_INET, SOCK_STREAM)
srv.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)
srv.bind(("127.0.0.1", 0))
srv.listen(5)
s = socket(AF_INET, SOCK_STREAM)
s.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096)
s.connect(srv.getsockname())
conn, addr = srv.accept()
s.settimeout(0.5)
n = s.send(b"x" * 1_000_000)
print(n > 0 and n < 1_000_000)
try:
    while True:
        n = s.send(b"x" * 1_000_000)
except OSError as e:
    print(type(e).__name__, e.errno)
try:
    s.sendall(b"x" * 100000)
except OSError as e:
    print(type(e).__name__, e.errno)
)") << QStringList{};

    // 2. listen(): a negative backlog is 0; no argument is min(SOMAXCONN, 128).
    QTest::newRow("listen(-5) and listen()") << src(R"(server: a = socket(AF_INET, SOCK_STREAM)
server: a.bind(("127.0.0.1", 0))
server: a.listen(-5)
server: b = socket(AF_INET, SOCK_STREAM)
server: b.bind(("127.0.0.1", 0))
server: b.listen()
say "{backlog(a)} {backlog(b)}"
)") << src(R"(a = socket(AF_INET, SOCK_STREAM)
a.bind(("127.0.0.1", 0))
a.listen(-5)
b = socket(AF_INET, SOCK_STREAM)
b.bind(("127.0.0.1", 0))
b.listen()
print(backlog(a), backlog(b))
)") << QStringList{};

    // 3. A call on a closed socket: OSError [Errno 9].
    QTest::newRow("a call on a closed socket") << src(R"(client: z = socket(AF_INET, SOCK_STREAM)
client: z.close()
client: z.send(b"x")
say "{exception} {error}"
client: z.getsockname()
say "{exception} {error}"
client: z.listen(1)
say "{exception} {error}"
say "{z.fileno()}"
client: z.close()
say "{exception}"
)") << src(R"(z = socket(AF_INET, SOCK_STREAM)
z.close()
for f in (lambda: z.send(b"x"), z.getsockname, lambda: z.listen(1)):
    try:
        f()
    except OSError as e:
        print(type(e).__name__, e.errno)
print(z.fileno())
z.close()
print(None)
)") << QStringList{};

    // 4. error / exception / result are the last actor step's, after expect lines too.
    QTest::newRow("error and exception after expect lines") << src(R"(client: s, t = socketpair()
client: s.setblocking(False)
client: s.recv(10)
expect error == EAGAIN
expect exception == "BlockingIOError"
say "{exception} {error} {result}"
expect error == EAGAIN
say "{exception} {error}"
client: n = t.send(b"abc")
expect n == 3
say "{exception} {error} {result}"
)") << src(R"(s, t = socketpair()
s.setblocking(False)
try:
    s.recv(10)
except OSError as e:
    print(type(e).__name__, e.errno, None)
    print(type(e).__name__, e.errno)
n = t.send(b"abc")
print(None, 0, n)
)") << QStringList{};

    // 5. Return values are Python's.
    QTest::newRow("return values") << withPrologue(Connected, R"(client: name = c.getsockname()
client: peer = c.getpeername()
server: sname = srv.getsockname()
say "{name[0]} {len(name)} {name == (name[0], name[1])} {addr == name} {peer == sname}"
client: r = c.sendall(b"ab")
client: z = c.send(b"")
server: d = conn.recv(10)
say "{r} {z} {d} {len(d)}"
client: u1 = socket(AF_INET, SOCK_DGRAM)
client: u1.bind(("127.0.0.1", 0))
client: u2 = socket(AF_INET, SOCK_DGRAM)
client: k = u2.sendto(b"hi", u1.getsockname())
client: u2name = u2.getsockname()
client: got = u1.recvfrom(10)
say "{k} {got[0]} {len(got)} {got == (got[0], got[1])} {got[1] == u2name}"
)") << withPrologue(PyConnected, R"(name = c.getsockname()
peer = c.getpeername()
sname = srv.getsockname()
print(name[0], len(name), name == (name[0], name[1]), addr == name, peer == sname)
r = c.sendall(b"ab")
z = c.send(b"")
d = conn.recv(10)
print(r, z, d, len(d))
u1 = socket(AF_INET, SOCK_DGRAM)
u1.bind(("127.0.0.1", 0))
u2 = socket(AF_INET, SOCK_DGRAM)
k = u2.sendto(b"hi", u1.getsockname())
u2name = u2.getsockname()
got = u1.recvfrom(10)
print(k, got[0], len(got), got == (got[0], got[1]), got[1] == u2name)
)") << QStringList{};

    // 6. An error inside a loop raises; the step ends with it, the lab goes on.
    QTest::newRow("an error inside a loop raises") << src(R"(client: s, t = socketpair()
client: s.setblocking(False)
client: total = 0
client: while True:
    n = s.send(b"x" * 100000)
    total += n
say "{exception} {error} {total > 0}"
client: for i in range(3):
    if i == 1:
        s.recv(10)
say "{exception} {i}"
client: after = 1
say "{after}"
)") << src(R"(s, t = socketpair()
s.setblocking(False)
total = 0
try:
    while True:
        n = s.send(b"x" * 100000)
        total += n
except OSError as e:
    print(type(e).__name__, e.errno, total > 0)
try:
    for i in range(3):
        if i == 1:
            s.recv(10)
except OSError as e:
    print(type(e).__name__, i)
after = 1
print(after)
)") << QStringList{};
    // `+=` on what `+` joins: a list grows, bytes and str join, a tuple makes a new tuple.
    QTest::newRow("+= on list, bytes, str, tuple") << src(R"(client: ks = []
client: for i in range(3):
    ks += [i]
client: b = b"ab"
client: b += b"c"
client: t = (1,)
client: t += (2,)
client: w = "x"
client: w += "y"
say "{ks} {b} {t} {w}"
)") << src(R"(ks = []
for i in range(3):
    ks += [i]
b = b"ab"
b += b"c"
t = (1,)
t += (2,)
w = "x"
w += "y"
print(f"{ks} {b} {t} {w}")
)") << QStringList{};

    cpythontest::addStatementRows(); // issue 9: def, class, try, with (tst_cpython_stmt.cpp)
}
