// What only the lab shows about the bindings: a buffered file's send()/recv() in the
// trace, poll/epoll/selectors recorded as select() is (SelectIn/SelectOut), the AF_UNIX
// path policy and clean-up at reset, and the parser's diagnostics for wrong uses.
#include "tst_cpython_bind.h"

#include <QFile>
#include <QtTest>
#include <unistd.h>

using namespace labtest;
using cpythontest::Connected;
using cpythontest::runLab;
using cpythontest::withPrologue;
using sl::script::CallId;

// write() into the buffer sends nothing; flush() does; readline() asks recv() for 8192.
void TestCPythonBind::makefileSendsOnFlush() {
    const QString script = withPrologue(Connected, R"(client: f = c.makefile("rwb")
client: f.write(b"hello\n")
client: f.write(b"world\n")
client: f.flush()
server: g = conn.makefile("rb")
server: line = g.readline()
client: big = f.write(b"x" * 9000)
say "{line} {big}"
)");
    Lab lab;
    QString problems;
    const QString said = runLab(lab, script, &problems);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    QVERIFY(said.endsWith(QLatin1String("b'hello\\n' 9000")));
    const auto &t = lab.trace();
    const int flushLine = lineOf(script, QStringLiteral("client: f.flush()"));
    const int bigLine = lineOf(script, QStringLiteral("client: big = f.write(b\"x\" * 9000)"));
    // Two writes, no send() until the flush: one send of both lines (12 bytes).
    const auto sends = callEnds(t, CallId::Send);
    QCOMPARE(int(sends.size()), 2);
    QCOMPARE(int(sends[0].line), flushLine);
    QCOMPARE(sends[0].call.ret, 12);
    // 9000 bytes do not fit an 8192-byte buffer: the write sends them at once.
    QCOMPARE(int(sends[1].line), bigLine);
    QCOMPARE(sends[1].call.ret, 9000);
    const auto writes = callEnds(t, CallId::FileWrite);
    QCOMPARE(int(writes.size()), 3);
    QCOMPARE(writes[0].call.moved, 0); // buffered: nothing left
    QCOMPARE(writes[2].call.moved, 9000);
    // readline() asked recv() for a whole buffer.
    const auto recvs = callEnds(t, CallId::Recv);
    QCOMPARE(int(recvs.size()), 1);
    QCOMPARE(recvs[0].call.asked, 8192);
    QCOMPARE(recvs[0].call.ret, 12);
}

// poll(), epoll.poll() and selector.select() leave the SelectIn/SelectOut pair the
// select() panel reads, with the sockets asked for and those that came back.
void TestCPythonBind::pollIsRecordedLikeSelect() {
    const QString script = withPrologue(Connected, R"(server: conn.send(b"x")
client: p = select.poll()
client: p.register(c, select.POLLIN)
client: ev = p.poll(2000)
client: ep = select.epoll()
client: ep.register(c, select.EPOLLIN + select.EPOLLOUT)
client: ev2 = ep.poll(2)
client: sel = selectors.DefaultSelector()
client: k = sel.register(c, selectors.EVENT_WRITE)
client: ev3 = sel.select(2)
)");
    Lab lab;
    QString problems;
    runLab(lab, script, &problems);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    const auto &t = lab.trace();
    const QString c = QString::number(sockId(t, QStringLiteral("c")));
    const auto ins = events(t, EventKind::SelectIn);
    const auto outs = events(t, EventKind::SelectOut);
    QCOMPARE(int(ins.size()), 3);
    QCOMPARE(int(outs.size()), 3);
    QCOMPARE(t.text(ins[0].select.sets[0]), c); // poll: read set
    QCOMPARE(t.text(outs[0].select.sets[0]), c);
    QCOMPARE(ins[0].select.timeoutNs, 2'000'000'000);
    QCOMPARE(t.text(ins[1].select.sets[1]), c); // epoll: read and write sets
    QCOMPARE(t.text(outs[1].select.sets[0]), c);
    QCOMPARE(t.text(outs[1].select.sets[1]), c);
    QCOMPARE(t.text(ins[2].select.sets[0]), QString()); // selector: write only
    QCOMPARE(t.text(outs[2].select.sets[1]), c);
    QCOMPARE(int(callEnds(t, CallId::PollWait).size()), 1);
    QCOMPARE(int(callEnds(t, CallId::EpollWait).size()), 1);
    QCOMPARE(int(callEnds(t, CallId::SelectorSelect).size()), 1);
    QCOMPARE(int(callEnds(t, CallId::Register).size()), 2); // epoll_ctl: not poll's
}

void TestCPythonBind::unixPathPolicyAndCleanup() {
    const QString path = QStringLiteral("/tmp/sl-clean-%1.sock").arg(::getpid());
    {
        Lab lab;
        QString problems;
        const QString said = runLab(lab,
                                    QString(QStringLiteral("server: s = socket(AF_UNIX)\n"
                                                           "server: s.bind(\"") +
                                            path + QStringLiteral(R"(")
say "{exception}"
server: t = socket(AF_UNIX)
server: t.bind("/run/sl-not-here.sock")
say "{exception}"
server: t.connect("relative.sock")
say "{exception}"
server: t.connect("/tmp/../run/x.sock")
say "{exception}"
)")),
                                    &problems);
        QVERIFY2(problems.isEmpty(), qPrintable(problems));
        QCOMPARE(said, QStringLiteral("None\nLabPolicyError\nLabPolicyError\nLabPolicyError"));
        QVERIFY(QFile::exists(path));
        lab.reset();
        QVERIFY(!QFile::exists(path)); // reset removes the socket file
    }
}

void TestCPythonBind::diagnostics_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("message");
    const auto row = [](const char *name, const char *source, const char *message) {
        QTest::newRow(name) << QString::fromUtf8(source) << QString::fromUtf8(message);
    };
    row("select.poll() takes no argument", "client: p = select.poll(1)\n",
        "poll() takes no arguments (1 given)");
    row("select.epoll() at most 2", "client: p = select.epoll(1, 2, 3)\n",
        "epoll() takes at most 2 arguments (3 given)");
    row("DefaultSelector() no argument", "client: s = selectors.DefaultSelector(1)\n",
        "DefaultSelector() takes no arguments (1 given)");
    row("unknown select member", "client: p = select.nopoll()\n", "unknown name 'select.nopoll'");
    row("unknown selectors constant", "client: x = selectors.EVENT_BOTH\n",
        "unknown name 'selectors.EVENT_BOTH'");
    row("struct.pack needs a format", "client: x = struct.pack()\n",
        "pack() takes at least 1 argument (0 given)");
    row("struct.unpack needs 2", "client: x = struct.unpack(\"!I\")\n",
        "unpack() takes 2 arguments (1 given)");
    row("struct.calcsize needs 1", "client: x = struct.calcsize()\n",
        "calcsize() takes 1 argument (0 given)");
    row("unknown struct member", "client: x = struct.packs(\"!I\", 1)\n",
        "unknown name 'struct.packs'");
    row("htons needs 1", "client: x = socket.htons()\n", "htons() takes 1 argument (0 given)");
    row("ntohl takes 1", "client: x = socket.ntohl(1, 2)\n", "ntohl() takes 1 argument (2 given)");
    row("register needs the socket", "client: k = sel.register()\n",
        "register() takes at least 1 argument (0 given)");
    row("register at most 3", "client: k = sel.register(s, 1, 2, 3)\n",
        "register() takes at most 3 arguments (4 given)");
    row("unregister takes 1", "client: sel.unregister()\n",
        "unregister() takes 1 argument (0 given)");
    row("modify needs 2", "client: p.modify(s)\n", "modify() takes at least 2 arguments (1 given)");
    row("poll at most 2", "client: ev = p.poll(1, 2, 3)\n",
        "poll() takes at most 2 arguments (3 given)");
    row("select method at most 1", "client: ev = sel.select(1, 2)\n",
        "select() takes at most 1 argument (2 given)");
    row("makefile at most 2", "client: f = s.makefile(\"rb\", 0, 1)\n",
        "makefile() takes at most 2 arguments (3 given)");
    row("readline at most 1", "client: l = f.readline(1, 2)\n",
        "readline() takes at most 1 argument (2 given)");
    row("flush takes none", "client: f.flush(1)\n", "flush() takes no arguments (1 given)");
    row("get_key takes 1", "client: k = sel.get_key()\n", "get_key() takes 1 argument (0 given)");
    row("getsockopt at most 3", "client: v = s.getsockopt(1, 2, 3, 4)\n",
        "getsockopt() takes at most 3 arguments (4 given)");
    row("makefile is a method", "client: f = makefile(\"rb\")\n",
        "'makefile' is a method, not a function");
    row("pack is a function", "client: x = s.pack(\"!I\", 1)\n",
        "'pack' is a function, not a method");
}

// Each malformed use is refused before anything runs, with file:line:col and a hint.
void TestCPythonBind::diagnostics() {
    QFETCH(QString, source);
    QFETCH(QString, message);
    Lab lab;
    QString why;
    QVERIFY(!load(lab, source, &why));
    QVERIFY2(why.contains(message), qPrintable(why));
}
