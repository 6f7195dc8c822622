// The HOWTO's patterns as helpers: each one is a visible sequence of real send()/recv()
// calls in the trace, and no byte of the stream is lost between helpers.
#include "tst_interpreter.h"

#include <QTest>

using namespace labtest;
using interptest::Pair;
using sl::script::CallId;

void TestInterpreter::sendallAndRecvExactly() {
    const QString script = src(Pair) + src(R"(client: s.sendall(b"x" * 200_000 + b"tail")
server: data = conn.recv_exactly(200_000)
wait until not blocked(client) within 10
server: len(data)
server: rest = conn.recv(100)
)");
    Lab lab;
    const auto reports = run(lab, script);
    const StepReport *sendall = report(reports, script, QStringLiteral("s.sendall("));
    QCOMPARE(sendall->status, StepStatus::Blocked); // nobody reads yet, 4 KiB buffers
    QCOMPARE(sendall->blockedIn, QStringLiteral("send"));
    QVERIFY2(report(reports, script, QStringLiteral("wait until"))->expectPassed,
             describe(reports).constData());
    QCOMPARE(report(reports, script, QStringLiteral("len(data)"))->outcome.value.i, 200000);
    QCOMPARE(report(reports, script, QStringLiteral("rest = "))->outcome.value.b,
             QByteArray("tail"));

    const sl::trace::Trace &t = lab.trace();
    // sendall: one helper call with the real send()s inside it (a blocking send()
    // usually takes everything in one call), all of it moved.
    const auto helper = callEnds(t, CallId::Sendall, sendall->line);
    QCOMPARE(helper.size(), std::size_t(1));
    QVERIFY(helper[0].call.flags & sl::trace::CallHelper);
    QCOMPARE(helper[0].call.moved, 200004);
    QCOMPARE(helper[0].call.err, 0);
    const auto sends = callEnds(t, CallId::Send, sendall->line);
    QVERIFY(!sends.empty());
    std::int64_t sent = 0;
    for (const Event &e : sends)
        sent += e.call.moved;
    QCOMPARE(sent, 200004);
    // Nested: every send() of that line lies between the helper's begin and end.
    std::int64_t begin = -1, end = -1;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Event &e = t.event(i);
        if (e.line == sendall->line && e.call.call == std::uint16_t(CallId::Sendall))
            (e.kind == EventKind::CallBegin ? begin : end) = e.tNs;
    }
    for (const Event &e : sends)
        QVERIFY(e.tNs >= begin && e.tNs <= end);

    // recv_exactly: recv()s of at most 2,048 bytes until exactly 200,000 are in.
    const int rxLine = lineOf(script, QStringLiteral("recv_exactly"));
    const auto recvs = callEnds(t, CallId::Recv, rxLine);
    QVERIFY(recvs.size() >= 200000 / 2048);
    std::int64_t got = 0;
    for (const Event &e : recvs) {
        QVERIFY(e.call.asked <= 2048 && e.call.asked > 0);
        got += e.call.moved;
    }
    QCOMPARE(got, 200000);
    const auto rx = callEnds(t, CallId::RecvExactly, rxLine);
    QCOMPARE(rx.size(), std::size_t(1));
    QCOMPARE(rx[0].call.ret, 200000);
}

void TestInterpreter::recvUntilKeepsLeftover() {
    const QString script = src(Pair) + src(R"(client: s.sendall(b"first\nsecond\nthird")
wait until recvq(conn) == 18 within 5
server: line1 = conn.recv_until(b"\n")
server: left1 = leftover(conn)
server: line2 = conn.recv_until(b"\n")
server: left2 = leftover(conn)
server: rest = conn.recv_exactly(5)
server: left3 = leftover(conn)
)");
    Lab lab;
    const auto reports = run(lab, script);
    auto value = [&](const char *text) {
        return report(reports, script, src(text))->outcome.value;
    };
    QVERIFY(report(reports, script, QStringLiteral("wait until"))->expectPassed);
    QCOMPARE(value("line1 =").b, QByteArray("first"));
    QCOMPARE(value("left1 =").i, 12); // "second\nthird", read past the delimiter
    QCOMPARE(value("line2 =").b, QByteArray("second"));
    QCOMPARE(value("left2 =").i, 5);
    QCOMPARE(value("rest =").b, QByteArray("third"));
    QCOMPARE(value("left3 =").i, 0);
    // The first read went to the kernel; the next two were served from the leftover.
    const sl::trace::Trace &t = lab.trace();
    QCOMPARE(callEnds(t, CallId::Recv, lineOf(script, QStringLiteral("line1 ="))).size(),
             std::size_t(1));
    QCOMPARE(callEnds(t, CallId::Recv, lineOf(script, QStringLiteral("line2 ="))).size(),
             std::size_t(0));
    QCOMPARE(callEnds(t, CallId::Recv, lineOf(script, QStringLiteral("rest ="))).size(),
             std::size_t(0));
}

void TestInterpreter::lengthPrefixedMessages() {
    const QString script = src(Pair) + src(R"(client: s.send_msg(b"hello")
wait until recvq(conn) == 10 within 5
server: raw = conn.recv(100)
client: s.send_msg(b"abc")
client: s.send_msg(b"")
client: s.send_msg(b"z" * 100_000)
server: m1 = conn.recv_msg()
server: m2 = conn.recv_msg()
)");
    Lab lab;
    const auto reports = run(lab, script);
    QCOMPARE(report(reports, script, QStringLiteral("raw ="))->outcome.value.b,
             QByteArray("00005hello"));
    QCOMPARE(report(reports, script, QStringLiteral("m1 ="))->outcome.value.b, QByteArray("abc"));
    QCOMPARE(report(reports, script, QStringLiteral("m2 ="))->outcome.value.b, QByteArray());
    const StepReport *tooBig = report(reports, script, QStringLiteral("100_000"));
    QVERIFY(!tooBig->outcome.ok);
    QCOMPARE(tooBig->outcome.exception, QStringLiteral("ValueError"));
    QVERIFY(callEnds(lab.trace(), CallId::Send, tooBig->line).empty());
}

// `error` and `exception` are the previous step's; a blocked step that fails later, in
// the background, is read with error_of(actor) / exception_of(actor).
void TestInterpreter::outcomeOfABackgroundStep() {
    const QString script = src(Pair) + src(R"(client: s.settimeout(0.3)
client: data = s.recv(10)
expect blocked(client)
expect exception_of(client) is None
expect error_of(client) == 0
wait until exception_of(client) == "TimeoutError" within 5
expect error_of(client) is None
expect error == 0
expect exception_of(server) is None
client: s.settimeout(None)
expect exception_of(client) is None
expect error_of(client) == 0
server: lone = socket(AF_INET, SOCK_STREAM)
server: lone.recv(1)
expect exception_of(server) == "OSError"
expect error_of(server) == ENOTCONN
expect error_of(s)
)");
    Lab lab;
    const auto reports = run(lab, script);
    for (const char *line :
         {"expect exception_of(client) is None", "expect error_of(client) == 0",
          "wait until exception_of", "expect error_of(client) is None", "expect error == 0",
          "expect exception_of(server) is None", "expect exception_of(server) == \"OSError\"",
          "expect error_of(server) == ENOTCONN"})
        QVERIFY2(report(reports, script, QString::fromLatin1(line))->expectPassed,
                 qPrintable(QString::fromLatin1(line) + QLatin1Char('\n') +
                            QString::fromUtf8(describe(reports))));
    // The step after the timeout succeeded: the client's outcome is clean again (the
    // second `expect exception_of(client) is None` is the one after settimeout(None)).
    int cleanAgain = 0;
    for (const StepReport &r : reports)
        if (r.line > report(reports, script, QStringLiteral("s.settimeout(None)"))->line &&
            r.line < report(reports, script, QStringLiteral("server: lone = "))->line)
            cleanAgain += r.expectPassed ? 1 : 0;
    QCOMPARE(cleanAgain, 2);
    // A socket is not an actor: a TypeError with the reason, as for blocked().
    const StepReport *wrong = report(reports, script, QStringLiteral("expect error_of(s)"));
    QVERIFY(!wrong->expectPassed);
    QVERIFY2(
        wrong->expectDetail.contains(QStringLiteral("TypeError: error_of() takes an actor name")),
        qPrintable(wrong->expectDetail));
    // The errno is named in what an expectation found, as for `error`; a timeout has
    // none (CPython's TimeoutError('timed out').errno is None).
    QCOMPARE(
        report(reports, script, QStringLiteral("expect error_of(client) is None"))->expectDetail,
        QStringLiteral("error_of(client) is None (the exception has no errno)"));
    QCOMPARE(report(reports, script, QStringLiteral("expect error_of(server) == ENOTCONN"))
                 ->expectDetail,
             QStringLiteral("error_of(server) is ENOTCONN (OSError)"));
}
