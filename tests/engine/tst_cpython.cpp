// The lab against CPython (issue 9, "Python-faithful"): each row is a .lab snippet and
// the equivalent Python program. Both run here, on real loopback sockets: the lab's
// `say` lines must read exactly what the Python program prints. The reference is not
// written down but obtained at test time from python3 on this machine and kernel, so
// a row checks the lab against what a learner would see when running real Python.
//
// Rows print nothing that differs from run to run (no port numbers, no timings).
#include "labtest.h"

#include <QProcess>
#include <QStandardPaths>
#include <QtTest>
#include <fcntl.h>
#include <sys/syscall.h>

using namespace labtest;
using sl::script::CallId;

namespace {

// Common to every Python program: the short names the lab uses (AF_INET, socket, …),
// and backlog(s) read as the lab's probe reads it (the listener's Send-Q in ss).
const char *const PyPrologue = R"(from socket import *
import shutil, subprocess, sys
def backlog(s):
    if not shutil.which("ss"):
        print("SKIP: no ss to read the backlog"); sys.exit(0)
    port = s.getsockname()[1]
    out = subprocess.run(["ss", "-ltnH", "sport = :%d" % port], capture_output=True, text=True)
    return int(out.stdout.split()[2])
)";

QString runPython(const QString &program, QString *error) {
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty()) {
        *error = QStringLiteral("no python3");
        return {};
    }
    QProcess p;
    p.start(python, {QStringLiteral("-c"), QString::fromUtf8(PyPrologue) + program});
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = QStringLiteral("python3 failed: ") + QString::fromUtf8(p.readAllStandardError());
        return {};
    }
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

// What the lab said, one `say` a line; the failed expectations and script errors too.
// A script error (TypeError, ValueError, …) is a problem unless its class is in allowed:
// a row may show that the lab raises what Python raises for a wrong argument.
QString runLab(Lab &lab, const QString &script, QString *problems,
               const QStringList &allowed = {}) {
    const auto reports = run(lab, script);
    QStringList said;
    for (const StepReport &r : reports) {
        if (r.kind == sl::script::StmtKind::Say)
            said << r.say[0];
        if (!r.expectPassed)
            *problems += QStringLiteral("line %1: %2\n").arg(r.line).arg(r.expectDetail);
        if (!r.outcome.ok && r.outcome.scriptError && !allowed.contains(r.outcome.exception))
            *problems += QStringLiteral("line %1: %2: %3\n")
                             .arg(r.line)
                             .arg(r.outcome.exception, r.outcome.message);
    }
    return said.join(QLatin1Char('\n'));
}

const char *const Connected = R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
client: c = socket(AF_INET, SOCK_STREAM)
client: c.connect(srv.getsockname())
server: conn, addr = srv.accept()
)";
const char *const PyConnected = R"(srv = socket(AF_INET, SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen(5)
c = socket(AF_INET, SOCK_STREAM)
c.connect(srv.getsockname())
conn, addr = srv.accept()
)";

// A row's program after the lines it shares with other rows (a QString, not a
// QStringBuilder: QTest's data columns store exactly the declared type).
QString withPrologue(const char *prologue, const char *program) {
    return QString::fromUtf8(prologue) + QString::fromUtf8(program);
}

} // namespace

class TestCPython : public QObject {
    Q_OBJECT
private slots:
    void table_data();
    void table();
    void timeoutWaitsInPoll();
    void closedSocketCallIsTraced();
};

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
    QTest::newRow("listen(-5) and listen()")
        << src(R"(server: a = socket(AF_INET, SOCK_STREAM)
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
    QTest::newRow("a call on a closed socket")
        << src(R"(client: z = socket(AF_INET, SOCK_STREAM)
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
    QTest::newRow("error and exception after expect lines")
        << src(R"(client: s, t = socketpair()
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
    QTest::newRow("return values")
        << withPrologue(Connected, R"(client: name = c.getsockname()
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
    QTest::newRow("an error inside a loop raises")
        << src(R"(client: s, t = socketpair()
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
}

void TestCPython::table() {
    QFETCH(QString, lab);
    QFETCH(QString, python);
    QFETCH(QStringList, allowed);
    QString error;
    const QString expected = runPython(python, &error);
    if (!error.isEmpty())
        QSKIP(qPrintable(error));
    if (expected.startsWith(QLatin1String("SKIP:")))
        QSKIP(qPrintable(expected));
    Lab l;
    QString problems;
    const QString said = runLab(l, lab, &problems, allowed);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    QCOMPARE(said, expected);
}

// The stage still shows an actor whose call waits for its timeout as blocked: the
// thread sleeps in poll(), inside the call (not in SO_RCVTIMEO's recvfrom any more).
void TestCPython::timeoutWaitsInPoll() {
    const QString script = withPrologue(Connected, R"(client: c.settimeout(3)
say "{c.fileno()}"
client: data = c.recv(10)
expect blocked(client)
server: conn.send(b"hi")
wait until not blocked(client) within 5
say "{data}"
)");
    Lab lab;
    QString problems;
    const QString said = runLab(lab, script, &problems);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    const QStringList lines = said.split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[1], QStringLiteral("b'hi'"));
    // As CPython: the descriptor of a socket with a timeout is O_NONBLOCK. (The lab's
    // descriptors live in this process: the number is the lab's own.)
    const int flags = ::fcntl(lines[0].toInt(), F_GETFL);
    QVERIFY(flags >= 0);
    QVERIFY(flags & O_NONBLOCK);
    // The actor was found blocked in recv, its thread asleep in poll()/ppoll().
    bool inPoll = false;
    const auto &t = lab.trace();
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Event &e = t.event(i);
        if (e.kind == EventKind::ActorStatus &&
            e.status.status == std::uint8_t(sl::trace::ActorState::Blocked))
            inPoll = inPoll || e.status.sysno == SYS_poll || e.status.sysno == SYS_ppoll;
    }
    QVERIFY(inPoll);
}

// A call on a closed socket is a failed call in the trace, with EBADF, like the
// terminal shows it: `error`, error_of(), the sequence view and a replay see it.
void TestCPython::closedSocketCallIsTraced() {
    const QString script = src(R"(client: z = socket(AF_INET, SOCK_STREAM)
client: z.close()
client: z.send(b"x")
expect error == EBADF
expect error_of(client) == EBADF
expect exception_of(client) == "OSError"
)");
    Lab lab;
    QString problems;
    runLab(lab, script, &problems);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    const auto ends = callEnds(lab.trace(), CallId::Send, lineOf(script, QStringLiteral("z.send")));
    QCOMPARE(ends.size(), std::size_t(1));
    QCOMPARE(int(ends[0].call.err), EBADF);
    QCOMPARE(ends[0].call.ret, std::int64_t(-1));
    QCOMPARE(ends[0].sock, sockId(lab.trace(), QStringLiteral("z")));
}

QTEST_GUILESS_MAIN(TestCPython)
#include "tst_cpython.moc"
