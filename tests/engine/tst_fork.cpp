// os.fork() in the lab (issue 10): a real fork() of the test process. The child's calls
// reach the trace under its own actor with its real pid; its close() does not show the
// parent's socket closed; FIN goes only when the last descriptor closes; reset() kills
// and reaps a child blocked in recv() (no process, no zombie, no descriptor left); a
// child whose step ends without os._exit() is ended by the lab with status 0.
#include "labtest.h"

#include "sys/fd.h"
#include "trace/remotetrace.h"

#include <QDir>
#include <QFile>
#include <QTest>
#include <unistd.h>

using namespace labtest;
using sl::script::CallId;

namespace {

const char *const Served = R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
client: c = socket(AF_INET, SOCK_STREAM)
client: c.connect(srv.getsockname())
client: c.sendall(b"ann\n")
server: if True:
    conn, peer = srv.accept()
    pid = os.fork()
    if pid == 0:
        srv.close()
        req = conn.recv_until(b"\n")
        conn.sendall(b"hello " + req + b"\n")
        conn.close()
        os._exit(0)
)";

// The actor index whose ActorNew names "pid N (…)", or -1.
int actorOfPid(const sl::trace::Trace &t, qint64 pid) {
    for (const Event &e : events(t, EventKind::ActorNew))
        if (t.text(e.text.a).startsWith(QStringLiteral("pid %1 (").arg(pid)))
            return e.actor;
    return -1;
}

// The pid the parent's fork() returned (its CallEnd with ret > 0), -1 if none.
qint64 forkedPid(const sl::trace::Trace &t) {
    for (const Event &e : callEnds(t, CallId::Fork))
        if (e.call.ret > 0)
            return e.call.ret;
    return -1;
}

// "Z" for a zombie, "" when the process is gone, else its state letter.
QString procState(qint64 pid) {
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return QString();
    const QByteArray s = f.readAll();
    const int close = s.lastIndexOf(')');
    return close < 0 ? QStringLiteral("?") : QString::fromLatin1(s.mid(close + 2, 1));
}

} // namespace

class TestFork : public QObject {
    Q_OBJECT
private slots:
    void childCallsAreItsOwnActor();
    void childCloseLeavesParentSocketOpen();
    void finOnlyAfterLastDescriptor();
    void resetKillsAndReapsABlockedChild();
    void stepEndingWithoutExit();
    void exceptionInChildExitsOne();
    void refusals();
    void remoteRefsAreMapped();
};

void TestFork::childCallsAreItsOwnActor() {
    Lab lab;
    const QString s = src(Served) + src(R"(client: ans = c.recv_until(b"\n")
server: conn.close()
server: done, status = os.waitpid(pid, 0)
server: me = os.getpid()
expect ans == b"hello ann"
expect done == pid and status == 0 and pid != me and pid > 0
)");
    const auto reports = run(lab, s);
    QVERIFY2(lab.failedExpectations() == 0 && lab.scriptErrors() == 0, describe(reports));
    const sl::trace::Trace &t = lab.trace();
    const qint64 pid = forkedPid(t);
    QVERIFY(pid > 0 && pid != ::getpid());
    const int child = actorOfPid(t, pid);
    // Right after the script's two actors: no empty lane in between.
    QCOMPARE(child, 2);
    QVERIFY(t.text(events(t, EventKind::ActorNew).back().text.a).endsWith(u" (server)"));
    // The child's own fork() returned 0, and its recv_until/sendall/close/_exit are its.
    bool childFork = false, childRecv = false, childSend = false, childClose = false,
         childExit = false;
    for (const Event &e : events(t, EventKind::CallEnd)) {
        if (e.actor != child)
            continue;
        const auto id = CallId(e.call.call);
        childFork |= id == CallId::Fork && e.call.ret == 0;
        childRecv |= id == CallId::Recv && e.call.ret > 0;
        childSend |= id == CallId::Send && e.call.ret > 0;
        childClose |= id == CallId::Close;
        childExit |= id == CallId::Exit && e.call.ret == 0;
    }
    QVERIFY2(childFork && childRecv && childSend && childClose && childExit,
             qPrintable(QStringLiteral("%1 %2 %3 %4 %5")
                            .arg(childFork)
                            .arg(childRecv)
                            .arg(childSend)
                            .arg(childClose)
                            .arg(childExit)));
    // The child's args strings (interned after the fork) were mapped: readable here.
    bool argsSeen = false;
    for (const Event &e : events(t, EventKind::CallBegin))
        if (e.actor == child && CallId(e.call.call) == CallId::Exit)
            argsSeen = t.text(e.call.args) == QStringLiteral("0");
    QVERIFY(argsSeen);
    // The exit note (a zombie until waitpid) came from the parent's reader.
    bool noted = false;
    for (const Event &e : events(t, EventKind::Note))
        noted |= t.text(e.text.a).contains(QStringLiteral("pid %1 exited with status 0").arg(pid));
    QVERIFY(noted);
    QCOMPARE(procState(pid), QString()); // reaped by the script's waitpid
}

void TestFork::childCloseLeavesParentSocketOpen() {
    Lab lab;
    const QString s = src(Served) + src(R"(client: ans = c.recv_until(b"\n")
server: done, status = os.waitpid(pid, 0)
expect state(conn) == "ESTABLISHED"
)");
    const auto reports = run(lab, s);
    QVERIFY2(lab.failedExpectations() == 0 && lab.scriptErrors() == 0, describe(reports));
    const int conn = sockId(lab.trace(), QStringLiteral("conn"));
    QVERIFY(conn >= 0);
    // The child closed its descriptor (a Close call on its lane), but the socket lives on
    // in the parent: no SocketClose for conn.
    QVERIFY(events(lab.trace(), EventKind::SocketClose, conn).empty());
    QVERIFY(!callEnds(lab.trace(), CallId::Close).empty());
}

void TestFork::finOnlyAfterLastDescriptor() {
    Lab lab;
    const QString s = src(Served) + src(R"(client: ans = c.recv_until(b"\n")
server: done, status = os.waitpid(pid, 0)
client: tail = c.recv(100)
expect blocked(client)
server: conn.close()
wait until not blocked(client) within 3
expect tail == b""
)");
    const auto reports = run(lab, s);
    QVERIFY2(lab.failedExpectations() == 0 && lab.scriptErrors() == 0, describe(reports));
}

void TestFork::resetKillsAndReapsABlockedChild() {
    const int fdsBefore = sl::sys::openFdCount();
    qint64 pid = -1;
    {
        Lab lab;
        const QString s = src(R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
client: c = socket(AF_INET, SOCK_STREAM)
client: c.connect(srv.getsockname())
server: if True:
    conn, peer = srv.accept()
    pid = os.fork()
    if pid == 0:
        data = conn.recv(100)
        os._exit(0)
server: done, status = os.waitpid(pid, 0)
)");
        QString why;
        QVERIFY2(load(lab, s, &why), qPrintable(why));
        for (int i = 0; i < 6; ++i)
            QVERIFY(lab.stepAndWait());
        pid = forkedPid(lab.trace());
        QVERIFY(pid > 0);
        // The child is alive (asleep in recv), and the parent is blocked in waitpid.
        const auto last = lab.stepAndWait();
        QVERIFY(last);
        QCOMPARE(int(last->status), int(StepStatus::Blocked));
        QCOMPARE(procState(pid), QStringLiteral("S"));
        QElapsedTimer clock;
        clock.start();
        lab.reset();
        QVERIFY(clock.elapsed() < 3000);
        QCOMPARE(procState(pid), QString()); // killed and reaped: no zombie
        QVERIFY(lab.trace().size() > 0);     // the new run's actors
        // A second run after the reset works the same way.
        for (int i = 0; i < 6; ++i)
            QVERIFY(lab.stepAndWait());
        const qint64 pid2 = forkedPid(lab.trace());
        QVERIFY(pid2 > 0 && pid2 != pid);
        QCOMPARE(actorOfPid(lab.trace(), pid2), 2);
        pid = pid2;
    } // ~Lab: the same for the second child
    QCOMPARE(procState(pid), QString());
    QCOMPARE(sl::sys::openFdCount(), fdsBefore);
}

void TestFork::stepEndingWithoutExit() {
    Lab lab;
    const QString s = src(R"(server: if True:
    pid = os.fork()
    x = 1
server: done, status = os.waitpid(pid, 0)
expect status == 0 and done == pid
)");
    const auto reports = run(lab, s);
    QVERIFY2(lab.failedExpectations() == 0 && lab.scriptErrors() == 0, describe(reports));
    bool noted = false;
    for (const Event &e : events(lab.trace(), EventKind::Note))
        noted |= lab.trace().text(e.text.a).contains(QStringLiteral("without os._exit()"));
    QVERIFY(noted);
}

void TestFork::exceptionInChildExitsOne() {
    Lab lab;
    const QString s = src(R"(server: if True:
    pid = os.fork()
    if pid == 0:
        x = 1 // 0
server: done, status = os.waitpid(pid, 0)
expect status == 256
)");
    const auto reports = run(lab, s);
    QVERIFY2(lab.failedExpectations() == 0, describe(reports));
    bool noted = false;
    for (const Event &e : events(lab.trace(), EventKind::Note))
        noted |= lab.trace().text(e.text.a).contains(QStringLiteral("uncaught ZeroDivisionError"));
    QVERIFY(noted);
}

void TestFork::refusals() {
    Lab lab;
    const QString s = src(R"(server: os._exit(0)
server: os.waitpid(-1, 0)
server: os.waitpid(1, 0)
)");
    const auto reports = run(lab, s);
    QCOMPARE(reports.size(), std::size_t(3));
    QCOMPARE(reports[0].outcome.exception, QStringLiteral("LabPolicyError"));
    QCOMPARE(reports[1].outcome.exception, QStringLiteral("LabPolicyError"));
    QCOMPARE(reports[2].outcome.exception, QStringLiteral("ChildProcessError"));
}

void TestFork::remoteRefsAreMapped() {
    // The wire format alone: a child interns a string past the fork point and records
    // an event naming it; the parent's trace, which has grown meanwhile, gets its own ref.
    sl::trace::Trace parent;
    parent.intern(QStringLiteral("shared"));
    parent.lockForFork();
    const auto at = parent.forkPointLocked();
    parent.unlockAfterFork();
    parent.intern(QStringLiteral("parent-only")); // takes the ref the child will use
    int p[2];
    QVERIFY(::pipe(p) == 0);
    sl::trace::Trace child;
    child.intern(QStringLiteral("shared")); // the child's copy: same refs below `at`
    child.setRemote(p[1]);
    const auto ref = child.intern(QStringLiteral("child-only"));
    const auto prev = child.addPreview("abc", 3);
    Event e;
    e.kind = EventKind::CallEnd;
    e.actor = 0;
    e.call.args = ref;
    e.call.preview = prev;
    child.append(e);
    Event say;
    say.kind = EventKind::Say;
    say.text.a = 1; // "shared", below the fork point
    child.append(say);
    ::close(p[1]);
    sl::trace::RemoteReader reader(parent, p[0], at, 7);
    QCOMPARE(reader.run(), std::size_t(2));
    ::close(p[0]);
    QCOMPARE(parent.size(), std::size_t(2));
    QCOMPARE(parent.event(0).actor, std::uint8_t(7));
    QCOMPARE(parent.text(parent.event(0).call.args), QStringLiteral("child-only"));
    QCOMPARE(parent.preview(parent.event(0).call.preview), QByteArray("abc"));
    QCOMPARE(parent.text(parent.event(1).text.a), QStringLiteral("shared"));
}

QTEST_GUILESS_MAIN(TestFork)
#include "tst_fork.moc"
