// JSONL limits (issue 12, points 6, 8 and 9): values a view could trust too far are
// refused with "line N: …", the trailer tells a complete file from one cut short (whose
// events are still kept), an over-long line is refused without being read whole, and
// reading reports progress and can be cancelled.
#include "jsonltest.h"

#include <algorithm>

class TstJsonlLimits : public QObject {
    Q_OBJECT
private slots:
    void rejected_data() {
        refusedColumns();
        const QByteArray &h = HeaderLine;
        const QByteArray &ok = NoteLine;
        const auto row = refusedRow;
        const QByteArray sock0 = "{\"t\":1,\"k\":\"socket_new\",\"s\":0,\"fd\":3,\"domain\":2,"
                                 "\"type\":1,\"peer_sock\":-1,\"kernel_only\":0}\n";
        const QByteArray call = "{\"t\":2,\"k\":\"call_end\",\"call\":1,\"err\":0,\"ret\":0,"
                                "\"asked\":0,\"moved\":0,\"dur_ns\":0,\"flags\":0";
        row("huge socket id", h + sock0 + "{\"t\":1,\"k\":\"note\",\"s\":2147483647}\n", 3,
            "names socket 2147483647, which no earlier socket_new line declares");
        row("socket 1e8", h + "{\"t\":1,\"k\":\"note\",\"s\":100000000}\n", 2,
            "names socket 100000000");
        row("socket as float", h + "{\"t\":1,\"k\":\"note\",\"s\":1e8}\n", 2, "must be an integer");
        row("socket_new skips",
            h + sock0 +
                "{\"t\":1,\"k\":\"socket_new\",\"s\":5,\"fd\":3,"
                "\"domain\":2,\"type\":1,\"peer_sock\":-1,"
                "\"kernel_only\":0}\n",
            3, "must be the next socket id, 1");
        row("peer_sock undeclared",
            h + "{\"t\":1,\"k\":\"socket_new\",\"s\":0,\"fd\":3,\"domain\":2,\"type\":1,"
                "\"peer_sock\":7,\"kernel_only\":0}\n",
            2, "\"peer_sock\" names socket 7");
        row("actor 64", h + "{\"t\":1,\"k\":\"note\",\"a\":64}\n", 2, "\"a\" out of range");
        row("negative t", h + "{\"t\":-1,\"k\":\"note\"}\n", 2, "\"t\" out of range");
        row("negative count", h + call + ",\"asked\":-5}\n", 2, "\"asked\" out of range");
        row("negative errno", h + call + ",\"err\":-3}\n", 2, "\"err\" out of range");
        row("call id", h + call + ",\"call\":5000}\n", 2, "\"call\" out of range");
        row("flags", h + call + ",\"flags\":200}\n", 2, "\"flags\" out of range");
        row("tcp state", h + "{\"t\":1,\"k\":\"state_change\",\"from\":1,\"to\":13}\n", 2,
            "\"to\" out of range");
        row("actor state",
            h + "{\"t\":1,\"k\":\"actor_status\",\"status\":7,\"call\":0,\"sysno\":-1}\n", 2,
            "\"status\" out of range");
        row("fd range",
            h + "{\"t\":1,\"k\":\"socket_new\",\"s\":0,\"fd\":-7,\"domain\":2,\"type\":1,"
                "\"peer_sock\":-1,\"kernel_only\":0}\n",
            2, "\"fd\" out of range");
        row("select id",
            h + sock0 +
                "{\"t\":1,\"k\":\"select_in\",\"read\":\"0,9\",\"nfds\":4,"
                "\"timeout_ns\":-1}\n",
            3, "\"read\" names socket 9");
        row("select text",
            h + sock0 +
                "{\"t\":1,\"k\":\"select_in\",\"read\":\"0, x\",\"nfds\":4,"
                "\"timeout_ns\":-1}\n",
            3, "must list socket ids");
        row("preview too long", h + call + ",\"preview\":\"" + QByteArray(49, 'p') + "\"}\n", 2,
            "preview of 49 bytes");
        row("string too long",
            h + "{\"t\":1,\"k\":\"note\",\"text\":\"" + QByteArray(MaxStringChars + 1, 'x') +
                "\"}\n",
            2, "longer than the limit of 32768 characters");
        row("text after trailer", h + ok + "{\"socketlab_trace_end\":1,\"events\":1}\n" + ok, 4,
            "text after the end line");
        row("trailer version", h + "{\"socketlab_trace_end\":2,\"events\":0}\n", 2,
            "\"socketlab_trace_end\" out of range");
        row("trailer negative", h + "{\"socketlab_trace_end\":1,\"events\":-1}\n", 2,
            "\"events\" out of range");
    }
    void rejected() {
        JsonlError err;
        checkRefusedRow(&err);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(!err.incomplete);
    }

    void incomplete_data() {
        QTest::addColumn<int>("cut");  // how the good export is damaged
        QTest::addColumn<int>("kept"); // events still read
        QTest::newRow("no trailer") << 0 << 3;
        QTest::newRow("cut mid-line") << 1 << 2;
        QTest::newRow("count mismatch") << 2 << 3;
    }
    void incomplete() {
        QFETCH(int, cut);
        QFETCH(int, kept);
        Trace a;
        int declared = declareSockets(a, 1);
        a.append(makeFull(a, EventKind::CallEnd, 1, &declared));
        a.append(makeFull(a, EventKind::Say, 2, &declared));
        QByteArray bytes = exportTrace(a);
        const qsizetype trailer = bytes.lastIndexOf("{\"socketlab_trace_end\"");
        if (cut == 0)
            bytes.truncate(trailer);
        else if (cut == 1)
            bytes.truncate(trailer - 20); // a writer killed in the middle of the last event
        else
            bytes.replace("\"events\":3", "\"events\":800511");
        Trace b;
        JsonlError err;
        QVERIFY(!importTrace(bytes, b, &err));
        QVERIFY2(err.incomplete, qPrintable(err.message));
        QVERIFY2(err.message.contains(QStringLiteral("incomplete trace")), qPrintable(err.message));
        QVERIFY(err.line >= 1);
        QCOMPARE(b.size(), std::size_t(kept));
        QCOMPARE(b.text(b.event(1).call.args), a.text(a.event(1).call.args));
    }

    void interruptedTrailer() {
        Trace a;
        int declared = declareSockets(a, 1);
        a.append(makeFull(a, EventKind::CallBegin, 1, &declared));
        QBuffer buf;
        buf.open(QIODevice::WriteOnly);
        QVERIFY(writeJsonl(a, buf, {}, JsonlWriteOptions{true}));
        const QByteArray bytes = buf.data();
        QVERIFY(bytes.endsWith("{\"socketlab_trace_end\":1,\"events\":2,\"interrupted\":true}\n"));
        QBuffer in;
        in.setData(bytes);
        in.open(QIODevice::ReadOnly);
        Trace b;
        bool interrupted = false;
        JsonlReadOptions opts;
        opts.interrupted = &interrupted;
        JsonlError err;
        QVERIFY2(readJsonl(in, b, nullptr, &err, opts), qPrintable(err.message));
        QVERIFY(interrupted);
        QCOMPARE(b.size(), std::size_t(2));
        // And a complete one says it was not.
        Trace c;
        QVERIFY(importTrace(exportTrace(a), c));
    }

    // The streaming writer (the CLI's --trace) writes what writeJsonl writes.
    void streamingWriter() {
        Trace a;
        QBuffer buf;
        buf.open(QIODevice::WriteOnly);
        JsonlWriter w(a, buf);
        QVERIFY(w.writeHeader({{QStringLiteral("lesson"), QStringLiteral("x")}}));
        int declared = declareSockets(a, 2);
        QVERIFY(w.writeNew());
        QCOMPARE(w.written(), std::size_t(2));
        for (int k = 0; k < int(EventKind::Count_); ++k)
            a.append(makeFull(a, EventKind(k), k, &declared));
        QVERIFY(w.writeNew());
        QVERIFY(w.writeNew()); // nothing new: nothing written
        QVERIFY(w.finish());
        QVERIFY(!w.writeNew()); // nothing after the trailer
        QCOMPARE(buf.data(), exportTrace(a, {{QStringLiteral("lesson"), QStringLiteral("x")}}));
    }

    // A string longer than the reader accepts is cut by the writer: the file reads back.
    void longStringsCut() {
        Trace a;
        Event e;
        e.kind = EventKind::Say;
        e.text.a = a.intern(QString(MaxStringChars + 1000, QLatin1Char('a')));
        e.text.b = a.intern(QString(MaxStringChars * 2, QChar(0xAC00)));
        a.append(e);
        const QByteArray out = exportTrace(
            a, {{QStringLiteral("source"), QString(MaxMetaChars + 5, QLatin1Char('s'))}});
        Trace b;
        JsonlError err;
        QMap<QString, QString> meta;
        QVERIFY2(importTrace(out, b, &err, &meta), qPrintable(err.message));
        QCOMPARE(b.text(b.event(0).text.a).size(), MaxStringChars);
        QVERIFY(b.text(b.event(0).text.a).endsWith(QChar(0x2026)));
        QCOMPARE(b.text(b.event(0).text.b).size(), MaxStringChars);
        QCOMPARE(meta.value(QStringLiteral("source")).size(), MaxMetaChars);
        QCOMPARE(exportTrace(b, meta), out);
    }

    // Issue 12, point 8: a line past the limit is refused after reading about the limit,
    // not the whole line (an endless one here); a long legal line reads fine.
    void longLineRefused_data() {
        QTest::addColumn<bool>("header");
        QTest::newRow("event line") << false;
        QTest::newRow("header line") << true;
    }
    void longLineRefused() {
        QFETCH(bool, header);
        const QByteArray head =
            header ? QByteArray("{\"socketlab_trace\":1,\"meta\":{\"x\":\"")
                   : QByteArray("{\"socketlab_trace\":1}\n{\"t\":1,\"k\":\"note\",\"text\":\"");
        Generator endless(head, 'x', -1);
        Trace t;
        JsonlError err;
        QVERIFY(!readJsonl(endless, t, nullptr, &err));
        QCOMPARE(err.line, header ? 1 : 2);
        QVERIFY2(err.message.contains(header ? QStringLiteral("16 MiB") : QStringLiteral("1 MiB")),
                 qPrintable(err.message));
        QVERIFY(!err.incomplete);
        const qint64 limit = header ? MaxHeaderBytes : MaxLineBytes;
        QVERIFY2(endless.produced <= limit + 2 * (1 << 20), QByteArray::number(endless.produced));
    }
    void longLegalLine() {
        Trace a;
        Event e;
        e.kind = EventKind::Note;
        e.text.a = a.intern(QString(MaxStringChars, QChar(0x1))); // escaped: 6 bytes each
        e.text.b = a.intern(QString(MaxStringChars, QChar(0x2)));
        a.append(e);
        const QByteArray out = exportTrace(a);
        QVERIFY(out.size() > 300'000);
        Trace b;
        JsonlError err;
        QVERIFY2(importTrace(out, b, &err), qPrintable(err.message));
        QCOMPARE(exportTrace(b), out);
    }

    void progressAndCancel() {
        Trace a;
        int declared = declareSockets(a, 3);
        for (int i = 0; i < 40'000; ++i)
            a.append(makeFull(a, EventKind(i % int(EventKind::Count_)), i, &declared));
        const QByteArray bytes = exportTrace(a);
        QVERIFY(bytes.size() > 3 * (1 << 20)); // several chunks
        QList<qint64> seen;
        JsonlReadOptions opts;
        opts.progress = [&](qint64 done, qint64 total) {
            if (total != bytes.size())
                return false;
            seen << done;
            return true;
        };
        QBuffer in;
        in.setData(bytes);
        in.open(QIODevice::ReadOnly);
        Trace b;
        JsonlError err;
        QVERIFY2(readJsonl(in, b, nullptr, &err, opts), qPrintable(err.message));
        QVERIFY(seen.size() >= 4);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(seen.last(), bytes.size());

        int calls = 0;
        opts.progress = [&](qint64, qint64) { return ++calls < 2; };
        in.seek(0);
        Trace c;
        JsonlError cerr;
        QVERIFY(!readJsonl(in, c, nullptr, &cerr, opts));
        QVERIFY(cerr.cancelled);
        QVERIFY(!cerr.incomplete);
        QCOMPARE(calls, 2); // not called again once cancelled
        QVERIFY(c.size() < a.size());
    }
};

QTEST_GUILESS_MAIN(TstJsonlLimits)
#include "tst_jsonl_limits.moc"
