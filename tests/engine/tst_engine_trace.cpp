// The trace of a real lesson run survives JSON Lines: export, import into a new Trace,
// export again gives the same bytes, every event is rebuilt, and the EAGAIN the lesson
// hits is recorded as errno 11 on its send() calls.
#include "labtest.h"

#include "engine/runner.h"
#include "lessons/lessoncatalog.h"
#include "trace/jsonl.h"

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cerrno>

using namespace labtest;
using sl::script::CallId;

namespace {

QByteArray exportTrace(const sl::trace::Trace &t, const QMap<QString, QString> &meta) {
    QBuffer b;
    b.open(QIODevice::WriteOnly);
    if (!sl::trace::writeJsonl(t, b, meta))
        return {};
    return b.data();
}

} // namespace

class TestEngineTrace : public QObject {
    Q_OBJECT
private slots:
    void runnerTraceRoundTrip();
    void labTraceRoundTripEventByEvent();
    void bothEndsNameEachOther();
};

// A client that connects before the server accepts has no lab peer yet; once accept()
// makes the server's socket, the trace names each end as the other's peer (the stage
// pairs them and the queue fill reads the peer's window from it).
void TestEngineTrace::bothEndsNameEachOther() {
    Lab lab;
    run(lab, src(R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
client: c = socket(AF_INET, SOCK_STREAM)
client: c.connect(srv.getsockname())
server: conn, addr = srv.accept()
)"));
    const auto &t = lab.trace();
    const int c = sockId(t, QStringLiteral("c")), conn = sockId(t, QStringLiteral("conn"));
    QVERIFY(c >= 0 && conn >= 0);
    const auto ci = events(t, EventKind::SocketInfo, c);
    const auto ki = events(t, EventKind::SocketInfo, conn);
    QVERIFY(!ci.empty() && !ki.empty());
    QCOMPARE(ci.back().socket.peerSock, conn);
    QCOMPARE(ki.back().socket.peerSock, c);
}

void TestEngineTrace::runnerTraceRoundTrip() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    const auto lesson = sl::lessons::findLesson(QStringLiteral("5"), &error);
    QVERIFY2(lesson, qPrintable(error));
    sl::engine::RunOptions opts;
    opts.quiet = true;
    opts.tracePath = dir.filePath(QStringLiteral("05.jsonl"));
    QString outText, errText;
    QTextStream out(&outText), err(&errText);
    const sl::engine::RunResult res = sl::engine::runLesson(*lesson, opts, out, err);
    QVERIFY2(res.passed, qPrintable(res.failure + errText));
    QCOMPARE(res.failedExpectations, 0);
    QCOMPARE(res.scriptErrors, 0);

    QFile f(opts.tracePath);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray written = f.readAll();
    QVERIFY(written.size() > 1000);
    // The runner's file: the header line (format 2, the lab's version and the kernel's),
    // then events; the errno by its name (resources/doc/trace-format.md).
    QVERIFY(written.startsWith("{"));
    const QByteArray header = written.left(written.indexOf('\n'));
    QVERIFY(header.contains("\"socketlab_trace\":2"));
    QVERIFY(header.contains("\"lab_version\":\"0.1.0\",\"kernel\":\"Linux "));
    bool eagainLine = false;
    for (const QByteArray &l : written.split('\n'))
        if (l.contains("\"kind\":\"call_end\"") && l.contains("\"err\":\"EAGAIN\"") &&
            l.contains("\"call\":\"send\""))
            eagainLine = true;
    QVERIFY(eagainLine);

    QBuffer in;
    in.setData(written);
    in.open(QIODevice::ReadOnly);
    sl::trace::Trace imported;
    QMap<QString, QString> meta;
    sl::trace::JsonlError jerr;
    QVERIFY2(sl::trace::readJsonl(in, imported, &meta, &jerr), qPrintable(jerr.message));
    QCOMPARE(meta.value(QStringLiteral("lesson")), QStringLiteral("05-partial-send"));
    QCOMPARE(meta.value(QStringLiteral("source")), lesson->source); // loops read as source
    QCOMPARE(exportTrace(imported, meta), written);
}

void TestEngineTrace::labTraceRoundTripEventByEvent() {
    const auto lesson = sl::lessons::findLesson(QStringLiteral("05-partial-send"));
    QVERIFY(lesson);
    Lab lab;
    QVERIFY(load(lab, lesson->source));
    const auto reports = runAll(lab);
    QVERIFY(lab.atEnd());
    QVERIFY(lab.settle(5000));
    QCOMPARE(lab.failedExpectations(), 0);
    QCOMPARE(lab.scriptErrors(), 0);
    const sl::trace::Trace &t = lab.trace();

    // The lesson's fill loop ends on EAGAIN: its send() CallEnd carries errno 11.
    const int loopBody =
        lineOf(lesson->source, QStringLiteral("    n = s.send(b\"x\" * 1_000_000)"));
    QVERIFY(loopBody > 0);
    const auto sends = callEnds(t, CallId::Send, loopBody);
    QVERIFY(!sends.empty());
    QCOMPARE(sends.back().call.err, EAGAIN);
    QCOMPARE(sends.back().call.ret, -1);
    QVERIFY(sends.back().call.flags & sl::trace::CallNonBlocking);
    for (std::size_t i = 0; i + 1 < sends.size(); ++i)
        QCOMPARE(sends[i].call.err, 0);
    // The block (the while loop) itself ended with the same errno.
    const auto block = callEnds(t, CallId::Block, loopBody - 1);
    QCOMPARE(block.size(), std::size_t(1));
    QCOMPARE(block[0].call.err, EAGAIN);

    const QMap<QString, QString> meta{{QStringLiteral("lesson"), lesson->id}};
    const QByteArray first = exportTrace(t, meta);
    QVERIFY(!first.isEmpty());
    QBuffer in;
    in.setData(first);
    in.open(QIODevice::ReadOnly);
    sl::trace::Trace copy;
    QVERIFY(sl::trace::readJsonl(in, copy));
    QCOMPARE(exportTrace(copy, meta), first);

    // Every event is rebuilt, strings and previews included.
    QCOMPARE(copy.size(), t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Event &a = t.event(i), &b = copy.event(i);
        QCOMPARE(b.kind, a.kind);
        QCOMPARE(b.tNs, a.tNs);
        QCOMPARE(b.actor, a.actor);
        QCOMPARE(b.line, a.line);
        QCOMPARE(b.sock, a.sock);
        if (a.kind == EventKind::CallEnd || a.kind == EventKind::CallBegin) {
            QCOMPARE(b.call.call, a.call.call);
            QCOMPARE(b.call.err, a.call.err);
            QCOMPARE(b.call.ret, a.call.ret);
            QCOMPARE(b.call.asked, a.call.asked);
            QCOMPARE(b.call.moved, a.call.moved);
            QCOMPARE(b.call.durNs, a.call.durNs);
            QCOMPARE(b.call.flags, a.call.flags);
            QCOMPARE(copy.text(b.call.args), t.text(a.call.args));
            QCOMPARE(copy.preview(b.call.preview), t.preview(a.call.preview));
        } else if (a.kind == EventKind::Sample) {
            QCOMPARE(b.sample.state, a.sample.state);
            QCOMPARE(b.sample.readiness, a.sample.readiness);
            QCOMPARE(b.sample.sendQ, a.sample.sendQ);
            QCOMPARE(b.sample.recvQ, a.sample.recvQ);
            QCOMPARE(b.sample.sndbuf, a.sample.sndbuf);
        } else if (a.kind == EventKind::Say) {
            QCOMPARE(copy.text(b.text.a), t.text(a.text.a));
            QCOMPARE(copy.text(b.text.b), t.text(a.text.b));
        }
    }
}

QTEST_GUILESS_MAIN(TestEngineTrace)
#include "tst_engine_trace.moc"
