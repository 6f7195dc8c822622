// The interpreter: Python values and operators, kernel errors raised by name, script
// errors, the lab's policies (1 GiB cap, loopback only, select() below FD_SETSIZE).
#include "tst_interpreter.h"

#include "engine/addresspolicy.h"
#include "lessons/lessoncatalog.h"
#include "view/termtext.h"

#include <QSysInfo>
#include <QTest>
#include <cerrno>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>

using namespace labtest;
using interptest::Pair;
using sl::engine::StepOutcome;
using sl::engine::Value;
using sl::script::CallId;

void TestInterpreter::values_data() {
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("repr"); // as Python prints it
    auto row = [](const char *expr, const char *repr) {
        QTest::newRow(expr) << src(expr) << src(repr);
    };
    row("b\"ab\" * 3", "b'ababab'");
    row("3 * b\"ab\"", "b'ababab'");
    row("b\"ab\" * 0", "b''");
    row("b\"ab\" + b\"cd\"", "b'abcd'");
    row("b\"hello\"[1:3]", "b'el'");
    row("b\"hello\"[-3:]", "b'llo'");
    row("b\"hello\"[:-1]", "b'hell'");
    row("b\"hello\"[1]", "101");
    row("b\"\\x00\\xff\\r\\n\"", "b'\\x00\\xff\\r\\n'");
    row("len(b\"x\" * 1000)", "1000");
    row("len(\"abc\")", "3");
    row("b\"ll\" in b\"hello\"", "True");
    row("b\"z\" in b\"hello\"", "False");
    row("3 in [1, 2, 3]", "True");
    row("\"b\" in \"abc\"", "True");
    row("7 // 2", "3");
    row("-7 // 2", "-4");
    row("7 % 3", "1");
    row("-7 % 3", "2");
    row("7 / 2", "3.5");
    row("1_000_000 + 0x10", "1000016");
    row("\"%05d\" % 42", "'00042'");
    row("(1, \"a\", b\"b\")", "(1, 'a', b'b')");
    row("[1, 2] == [1, 2]", "True");
    row("not 0", "True");
    row("0 or 5", "5");
    row("1 and 0", "0");
    row("min(3, 1, 2)", "1");
    row("max(3, 1, 2)", "3");
    row("abs(-5)", "5");
    row("int(\"42\") + 1", "43");
    row("str(42)", "'42'");
    row("None", "None");
}

void TestInterpreter::values() {
    QFETCH(QString, expr);
    QFETCH(QString, repr);
    Lab lab;
    const auto reports = run(lab, QStringLiteral("a: v = ") + expr + QStringLiteral("\n"));
    QCOMPARE(reports.size(), std::size_t(1));
    QVERIFY2(reports[0].outcome.ok, qPrintable(reports[0].outcome.message));
    QCOMPARE(reports[0].outcome.value.repr(), repr);
}

void TestInterpreter::tupleUnpackingAndLoops() {
    const QString script = src(R"(a: p, q = (1, b"x")
a: (q, p)
a: total = 0
a: for i in range(5):
    total += i
a: total
a: n = 0
a: while True:
    n += 1
    if n == 3:
        break
a: n
a: for c in b"AB":
    total += c
a: final = total
)");
    Lab lab;
    const auto reports = run(lab, script);
    QCOMPARE(report(reports, script, QStringLiteral("a: (q, p)"))->outcome.value.repr(),
             QStringLiteral("(b'x', 1)"));
    QCOMPARE(report(reports, script, QStringLiteral("a: total"))->outcome.value.i, 10);
    QCOMPARE(report(reports, script, QStringLiteral("final ="))->outcome.value.i, 10 + 65 + 66);
    QCOMPARE(report(reports, script, QStringLiteral("a: n"))->outcome.value.i, 3);
    QCOMPARE(lab.scriptErrors(), 0);
}

void TestInterpreter::scriptErrors_data() {
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("exception");
    QTest::addColumn<QString>("inMessage");
    // Assigned only in a branch that is not taken: undefined when the step runs.
    QTest::newRow("NameError") << src("a: if False:\n    ghost = 1\na: x = ghost + 1\n")
                               << src("NameError") << src("ghost");
    QTest::newRow("TypeError") << src("a: x = b\"a\" + 1\n") << src("TypeError") << src("bytes");
    QTest::newRow("ZeroDivisionError")
        << src("a: x = 1 // 0\n") << src("ZeroDivisionError") << src("zero");
    QTest::newRow("unpack") << src("a: p, q = (1, 2, 3)\n") << src("ValueError") << src("unpack");
    // n is only known at run time, so the parser cannot refuse it.
    QTest::newRow("cap 2e9") << src("a: n = 2_000_000_000\na: big = b\"x\" * n\n")
                             << src("LabLimitError") << src("1 GiB");
    QTest::newRow("cap 1GiB+1") << src("a: n = 1024 * 1024 * 1024 + 1\na: big = b\"x\" * n\n")
                                << src("LabLimitError") << src("1 GiB");
    // 4 * 4e18 does not fit 64 bits: the cap must hold, not the overflow decide.
    QTest::newRow("cap overflow")
        << src("a: n = 4_000_000_000_000_000_000\na: big = b\"abcd\" * n\n") << src("LabLimitError")
        << src("1 GiB");
    QTest::newRow("cap recv")
        << src("a: s = socket(AF_INET, SOCK_STREAM)\na: n = 2_000_000_000\na: s.recv(n)\n")
        << src("LabLimitError") << src("1 GiB");
}

void TestInterpreter::scriptErrors() {
    QFETCH(QString, script);
    QFETCH(QString, exception);
    QFETCH(QString, inMessage);
    Lab lab;
    const auto reports = run(lab, script);
    QVERIFY(!reports.empty());
    const StepReport &last = reports.back();
    QCOMPARE(last.status, StepStatus::Done);
    QVERIFY(!last.outcome.ok);
    QCOMPARE(last.outcome.exception, exception);
    QVERIFY2(last.outcome.message.contains(inMessage), qPrintable(last.outcome.message));
    QVERIFY(last.outcome.scriptError);
    QCOMPARE(last.outcome.err, 0);
    QCOMPARE(lab.scriptErrors(), 1);
}

void TestInterpreter::connectRefused() {
    const QString script = src(R"(a: closed = socket(AF_INET, SOCK_STREAM)
a: closed.bind(("127.0.0.1", 0))
a: s = socket(AF_INET, SOCK_STREAM)
a: s.connect(closed.getsockname())
a: (error, exception)
)");
    Lab lab;
    const auto reports = run(lab, script);
    const StepReport *c = report(reports, script, QStringLiteral("s.connect("));
    QVERIFY(!c->outcome.ok);
    QCOMPARE(c->outcome.err, ECONNREFUSED);
    QCOMPARE(c->outcome.exception, QStringLiteral("ConnectionRefusedError"));
    QVERIFY(!c->outcome.scriptError); // a result of the kernel, not a mistake
    QVERIFY2(c->outcome.message.contains(QStringLiteral("ECONNREFUSED")),
             qPrintable(c->outcome.message));
    const Value &names = reports.back().outcome.value;
    QCOMPARE(names.seq().size(), std::size_t(2));
    QCOMPARE(names.seq()[0].i, ECONNREFUSED);
    QCOMPARE(names.seq()[1].s, QStringLiteral("ConnectionRefusedError"));
    const auto ends = callEnds(lab.trace(), CallId::Connect, c->line);
    QCOMPARE(ends.size(), std::size_t(1));
    QCOMPARE(ends[0].call.err, ECONNREFUSED);
    QCOMPARE(ends[0].call.ret, -1);
    QCOMPARE(lab.scriptErrors(), 0);
}

void TestInterpreter::sendAfterPeerClosed() {
    const QString script = src(Pair) + src(R"(server: conn.close()
client: data = s.recv(10)
client: n = s.send(b"hello")
wait 0.2
client: s.send(b"again")
client: (error, exception)
)");
    Lab lab;
    const auto reports = run(lab, script);
    const StepReport *eof = report(reports, script, QStringLiteral("data = s.recv"));
    QVERIFY(eof->outcome.ok);
    QCOMPARE(eof->outcome.value.repr(), QStringLiteral("b''"));
    // The first send after the FIN succeeds (the peer answers it with RST) ...
    const StepReport *first = report(reports, script, QStringLiteral("n = s.send"));
    QVERIFY2(first->outcome.ok, qPrintable(first->outcome.message));
    QCOMPARE(first->outcome.value.i, 5);
    // ... the second one fails with EPIPE.
    const StepReport *second = report(reports, script, QStringLiteral("s.send(b\"again\")"));
    QVERIFY(!second->outcome.ok);
    QCOMPARE(second->outcome.err, EPIPE);
    QCOMPARE(second->outcome.exception, QStringLiteral("BrokenPipeError"));
    QCOMPARE(reports.back().outcome.value.seq()[0].i, EPIPE);
    QCOMPARE(reports.back().outcome.value.seq()[1].s, QStringLiteral("BrokenPipeError"));
    const auto ends = callEnds(lab.trace(), CallId::Send, second->line);
    QCOMPARE(ends.size(), std::size_t(1));
    QCOMPARE(ends[0].call.err, EPIPE);
}

void TestInterpreter::recvAfterReset() {
    const QString script = src(Pair) + src(R"(server: conn.setsockopt(SOL_SOCKET, SO_LINGER, (1, 0))
server: conn.close()
client: s.recv(10)
client: exception
)");
    Lab lab;
    const auto reports = run(lab, script);
    const StepReport *r = report(reports, script, QStringLiteral("client: s.recv"));
    QVERIFY(!r->outcome.ok);
    QCOMPARE(r->outcome.err, ECONNRESET);
    QCOMPARE(r->outcome.exception, QStringLiteral("ConnectionResetError"));
    QCOMPARE(reports.back().outcome.value.s, QStringLiteral("ConnectionResetError"));
    const auto ends = callEnds(lab.trace(), CallId::Recv, r->line);
    QCOMPARE(ends.size(), std::size_t(1));
    QCOMPARE(ends[0].call.err, ECONNRESET);
}

void TestInterpreter::bindPolicy_data() {
    QTest::addColumn<QString>("step");
    QTest::addColumn<bool>("allowLan");
    QTest::addColumn<QString>("exception"); // "" = the call succeeds
    const QString bindAny = src("a: s.bind((\"0.0.0.0\", 0))\n");
    const QString bindEmpty = src("a: s.bind((\"\", 0))\n");
    QTest::newRow("0.0.0.0") << bindAny << false << src("LabPolicyError");
    QTest::newRow("''") << bindEmpty << false << src("LabPolicyError");
    QTest::newRow("connect 10.x") << src("a: s.connect((\"10.1.2.3\", 80))\n") << false
                                  << src("LabPolicyError");
    QTest::newRow("127.0.0.1") << src("a: s.bind((\"127.0.0.1\", 0))\n") << false << QString();
    QTest::newRow("localhost") << src("a: s.bind((\"localhost\", 0))\n") << false << QString();
    // This machine's own name: allowed when it resolves to loopback (/etc/hosts maps it
    // to 127.0.0.1 or, on Debian, 127.0.1.1), refused when it leads to a LAN address.
    const auto self = sl::sys::SockAddr::resolve(AF_INET, QSysInfo::machineHostName(), 0);
    QTest::newRow("gethostname()")
        << src("a: s.bind((socket.gethostname(), 0))\n") << false
        << (self && !self->isLoopback() ? src("LabPolicyError") : QString());
    QTest::newRow("0.0.0.0 allowLan") << bindAny << true << QString();
    QTest::newRow("'' allowLan") << bindEmpty << true << QString();
}

void TestInterpreter::bindPolicy() {
    QFETCH(QString, step);
    QFETCH(bool, allowLan);
    QFETCH(QString, exception);
    Lab lab;
    auto o = lab.options();
    o.allowLan = allowLan;
    lab.setOptions(o);
    const auto reports = run(lab, src("a: s = socket(AF_INET, SOCK_STREAM)\n") + step);
    QCOMPARE(reports.size(), std::size_t(2));
    const StepOutcome &out = reports[1].outcome;
    QCOMPARE(out.ok, exception.isEmpty());
    QCOMPARE(out.exception, exception);
    if (!out.ok) {
        QVERIFY(!out.scriptError);
        QVERIFY2(out.message.contains(QStringLiteral("--allow-lan")), qPrintable(out.message));
        // Refused before any system call: no CallBegin for it.
        QVERIFY(events(lab.trace(), EventKind::CallBegin, -2, reports[1].line).empty());
    }
}

// The policy function itself, for the addresses this machine's name does not resolve to
// here: a name that leads to a LAN address is refused with both the name and the address
// in the message; one that leads to 127.0.1.1 (Debian's /etc/hosts) is allowed.
void TestInterpreter::policyJudgesTheResolvedAddress() {
    using sl::engine::addressRefusal;
    using sl::sys::SockAddr;
    const auto lan = SockAddr::resolve(AF_INET, QStringLiteral("192.0.2.7"), 0);
    QVERIFY(lan);
    const QString why = addressRefusal(QStringLiteral("myhost"), *lan, "bind", false);
    QVERIFY2(why.startsWith(QLatin1String("bind() to 'myhost' (which resolves to 192.0.2.7) "
                                          "refused:")),
             qPrintable(why));
    QVERIFY(why.contains(QLatin1String("--allow-lan")));
    QVERIFY(addressRefusal(QStringLiteral("myhost"), *lan, "bind", true).isEmpty());
    // Korean: the host and the address stay, the words are translated.
    const QString ko = sl::ui::termMessage(QStringLiteral("ko"), why);
    QVERIFY2(ko.startsWith(QStringLiteral("'myhost'(해석된 주소 192.0.2.7)(으)로의 bind() 거부")),
             qPrintable(ko));
    // A numeric address is named once.
    QVERIFY(addressRefusal(QStringLiteral("192.0.2.7"), *lan, "connect", false)
                .startsWith(QLatin1String("connect() to '192.0.2.7' refused:")));

    const auto debian = SockAddr::resolve(AF_INET, QStringLiteral("127.0.1.1"), 0);
    QVERIFY(debian);
    QVERIFY(addressRefusal(QStringLiteral("debian-box"), *debian, "bind", false).isEmpty());
    const auto v6 = SockAddr::resolve(AF_INET6, QStringLiteral("::1"), 0);
    QVERIFY(v6);
    QVERIFY(addressRefusal(QStringLiteral("ip6-localhost"), *v6, "bind", false).isEmpty());

    const auto any = SockAddr::resolve(AF_INET, QString(), 0);
    QVERIFY(any);
    QVERIFY(
        addressRefusal(QString(), *any, "bind", false)
            .startsWith(QLatin1String("bind() to '' (every address of this machine) refused:")));
    const auto any6 = SockAddr::resolve(AF_INET6, QStringLiteral("::"), 0);
    QVERIFY(any6);
    QVERIFY(!addressRefusal(QStringLiteral("::"), *any6, "bind", false).isEmpty());
}

// Lesson 2 on a machine whose name resolves off loopback (as nss-myhostname or DNS may
// give it a LAN address): the bind is refused, the lesson's `except LabPolicyError`
// takes it, and every expectation still holds. Here the name is replaced by an address
// of TEST-NET-1 (192.0.2.0/24, never routed).
void TestInterpreter::lessonTwoOffLoopback() {
    const auto lesson = sl::lessons::findLesson(QStringLiteral("2"));
    QVERIFY(lesson);
    QString source = lesson->source;
    const QString line = QStringLiteral("server: host = socket.gethostname()");
    QVERIFY(source.contains(line));
    source.replace(line, QStringLiteral("server: host = \"192.0.2.7\""));
    source += QStringLiteral("server: seen = (bound, note)\n");
    Lab lab;
    const auto reports = run(lab, source);
    QVERIFY(!reports.empty());
    for (const StepReport &r : reports)
        QVERIFY2(r.expectPassed, qPrintable(QStringLiteral("line %1").arg(r.line)));
    const StepReport *tryStep = report(reports, source, src("server: try:"));
    QVERIFY(tryStep && tryStep->outcome.ok);
    const StepReport *seen = report(reports, source, src("server: seen ="));
    QVERIFY(seen && seen->outcome.ok);
    const auto &pair = seen->outcome.value.seq();
    QCOMPARE(pair.size(), std::size_t(2));
    QCOMPARE(pair[0].truthy(), false); // not bound
    QVERIFY2(pair[1].s.contains(QLatin1String("bind() to '192.0.2.7' refused")),
             qPrintable(pair[1].s));
}

void TestInterpreter::selectRefusesFdAboveSetsize() {
    rlimit old{};
    QCOMPARE(getrlimit(RLIMIT_NOFILE, &old), 0);
    if (old.rlim_max != RLIM_INFINITY && old.rlim_max < FD_SETSIZE + 64)
        QSKIP("RLIMIT_NOFILE hard limit too low to open descriptors above FD_SETSIZE");
    rlimit raised = old;
    raised.rlim_cur = std::max<rlim_t>(old.rlim_cur, FD_SETSIZE + 64);
    QCOMPARE(setrlimit(RLIMIT_NOFILE, &raised), 0);
    // Take every descriptor number below FD_SETSIZE + 8, so the lab's socket gets a
    // larger one.
    std::vector<int> fillers;
    for (;;) {
        const int fd = ::fcntl(0, F_DUPFD, 0);
        if (fd < 0)
            break;
        fillers.push_back(fd);
        if (fd >= FD_SETSIZE + 8)
            break;
    }
    const QString script = src(R"(a: s = socket(AF_INET, SOCK_STREAM)
a: s.fileno()
a: select([s], [], [], 0)
)");
    std::vector<StepReport> reports;
    {
        Lab lab;
        reports = run(lab, script);
    }
    for (int fd : fillers)
        ::close(fd);
    setrlimit(RLIMIT_NOFILE, &old);
    QCOMPARE(reports.size(), std::size_t(3));
    QVERIFY(reports[1].outcome.value.i >= FD_SETSIZE);
    const StepOutcome &out = reports[2].outcome;
    QVERIFY(!out.ok);
    QCOMPARE(out.exception, QStringLiteral("ValueError"));
    // CPython's words exactly (python3: select.select([s], [], []) with s.fileno() >= 1024).
    QCOMPARE(out.message, QStringLiteral("filedescriptor out of range in select()"));
}

void TestInterpreter::selectOnNothingIsASleep() {
    Lab lab;
    const auto reports = run(lab, src("a: r = select([], [], [], 0.05)\n"));
    QCOMPARE(reports.size(), std::size_t(1));
    QVERIFY(reports[0].outcome.ok);
    QCOMPARE(reports[0].outcome.value.repr(), QStringLiteral("([], [], [])"));
}

QTEST_GUILESS_MAIN(TestInterpreter)
