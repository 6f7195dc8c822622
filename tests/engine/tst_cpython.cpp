// The lab against CPython (issue 9, "Python-faithful"): each row is a .lab snippet and
// the equivalent Python program. Both run here, on real loopback sockets: the lab's
// `say` lines must read exactly what the Python program prints. The reference is not
// written down but obtained at test time from python3 on this machine and kernel, so
// a row checks the lab against what a learner would see when running real Python.
//
// Rows print nothing that differs from run to run (no port numbers, no timings).
#include "tst_cpython.h"

#include "cpython_run.h"

#include <QtTest>
#include <fcntl.h>
#include <sys/syscall.h>

using namespace labtest;
using cpythontest::Connected;
using cpythontest::runLab;
using cpythontest::runPython;
using cpythontest::withPrologue;
using sl::script::CallId;

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
    // The trace marks the calls of a timeout socket, so a reader of the trace alone names
    // a call that ran out of time TimeoutError, as CPython does.
    bool marked = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Event &e = t.event(i);
        if (e.kind == EventKind::CallEnd && e.call.call == std::uint16_t(sl::script::CallId::Recv))
            marked = (e.call.flags & sl::trace::CallTimeout) != 0;
    }
    QVERIFY(marked);
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
