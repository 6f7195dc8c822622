// JSONL export/import: exact round trip of every kind and field, byte-identical
// re-export, and clear errors (with line numbers) on malformed files.
#include "jsonltest.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

class TstJsonl : public QObject {
    Q_OBJECT
private slots:
    void roundTripKind_data() {
        QTest::addColumn<int>("kind");
        for (int k = 0; k < int(EventKind::Count_); ++k)
            QTest::newRow(eventKindName(EventKind(k))) << k;
    }
    void roundTripKind() {
        QFETCH(int, kind);
        Trace a;
        int declared = declareSockets(a, 4);
        for (int salt = 0; salt < 7; ++salt)
            a.append(makeFull(a, EventKind(kind), salt, &declared));
        Event bare; // header defaults: no actor/line/sock, empty payload
        bare.kind = EventKind(kind);
        if (bare.kind == EventKind::SocketNew)
            bare.sock = declared++;
        a.append(bare);
        const QByteArray first = exportTrace(a);
        Trace b;
        JsonlError err;
        QVERIFY2(importTrace(first, b, &err), qPrintable(err.message));
        compareTraces(a, b);
        QCOMPARE(exportTrace(b), first);
        // Every line is standard JSON, readable by any parser.
        const QList<QByteArray> lines = first.split('\n');
        // header + sockets + events + trailer + "" after the last newline
        QCOMPARE(lines.size(), 1 + 4 + 8 + 2);
        QCOMPARE(lines.at(13), QByteArray("{\"socketlab_trace_end\":1,\"events\":12}"));
        for (const QByteArray &line : lines.mid(5, 8)) {
            QJsonParseError pe;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &pe);
            QVERIFY2(doc.isObject(), qPrintable(pe.errorString()));
            QCOMPARE(doc.object().value(u"kind").toString(),
                     QString::fromLatin1(eventKindName(EventKind(kind))));
        }
    }

    void lineFormat() {
        Trace t;
        Event e;
        e.tNs = 1500;
        e.kind = EventKind::CallEnd;
        e.actor = 0;
        e.line = 12;
        e.sock = 3;
        e.call.call = 15; // send
        e.call.err = EAGAIN;
        e.call.ret = -1;
        e.call.args = t.intern(QStringLiteral("b\"x\" * 10"));
        e.call.preview = t.addPreview("hi", 2);
        t.append(e);
        Event n; // a note with no actor, line or socket
        n.kind = EventKind::Note;
        n.text.a = t.intern(QStringLiteral("연결"));
        t.append(n);
        const QList<QByteArray> lines =
            exportTrace(t, {{QStringLiteral("title"), QStringLiteral("부분 전송")},
                            {QStringLiteral("version"), QStringLiteral("0.1.0")},
                            {QStringLiteral("saved_at"), QStringLiteral("now")}})
                .split('\n');
        // Version 2: what the run was at the top level, other keys under "meta".
        QVERIFY2(lines.at(0).startsWith("{\"socketlab_trace\":2,\"lab_version\":\"0.1.0\","
                                        "\"kernel\":\"Linux "),
                 lines.at(0).constData());
        QVERIFY(lines.at(0).endsWith(",\"lesson\":null,\"title\":\"부분 전송\",\"source\":null,"
                                     "\"meta\":{\"saved_at\":\"now\"}}"));
        // Names, not numbers; no errname beside the errno, no pad_hex.
        QCOMPARE(
            lines.at(1),
            QByteArray("{\"t_ns\":1500,\"kind\":\"call_end\",\"actor\":0,\"line\":12,"
                       "\"sock\":3,\"call\":\"send\",\"err\":\"EAGAIN\",\"args\":\"b\\\"x\\\" * "
                       "10\",\"ret\":-1,\"asked\":0,\"moved\":0,\"dur_ns\":0,\"flags\":\"\","
                       "\"preview\":\"hi\"}"));
        QCOMPARE(lines.at(2), QByteArray("{\"t_ns\":0,\"kind\":\"note\",\"text\":\"연결\"}"));
    }

    // Each named field of version 2, as a person reading the file sees it.
    void namesNotNumbers() {
        Trace t;
        declareSockets(t, 1);
        Event s;
        s.kind = EventKind::Sample;
        s.sock = 0;
        s.sample = {1, 3, 0, 1, 5, 212992, 131072, 0, 0, 10, -1, -1, 65483, 768, 0};
        t.append(s);
        Event c;
        c.kind = EventKind::StateChange;
        c.sock = 0;
        c.state.from = 2, c.state.to = 1;
        t.append(c);
        Event a;
        a.kind = EventKind::ActorStatus;
        a.actor = 1;
        a.status.status = std::uint8_t(ActorState::Blocked);
        a.status.call = 12;
        a.status.sysno = 43;
        t.append(a);
        Event e;
        e.kind = EventKind::Expect;
        e.expect.passed = 1;
        t.append(e);
        const QList<QByteArray> lines = exportTrace(t).split('\n');
        QCOMPARE(lines.at(1), QByteArray("{\"t_ns\":0,\"kind\":\"socket_new\",\"sock\":0,\"fd\":3,"
                                         "\"domain\":0,\"type\":0,\"peer_sock\":-1,"
                                         "\"kernel_only\":false}"));
        QVERIFY2(
            lines.at(2).contains("\"state\":\"ESTABLISHED\",\"readiness\":\"readable|writable\","
                                 "\"listener\":false,\"nonblocking\":true,\"fd\":5"),
            lines.at(2).constData());
        QVERIFY(lines.at(3).contains("\"from\":\"SYN_SENT\",\"to\":\"ESTABLISHED\""));
        QVERIFY(lines.at(4).contains("\"status\":\"blocked\",\"call\":\"accept\",\"sysno\":43"));
        QVERIFY(lines.at(5).contains("\"passed\":true"));
        // Numbers a person typed are accepted too, as are names for any of them.
        Trace back;
        JsonlError err;
        QByteArray text = exportTrace(t);
        text.replace("\"call\":\"accept\"", "\"call\":12");
        QVERIFY2(importTrace(text, back, &err), qPrintable(err.message));
        compareTraces(t, back);
        text.replace("\"to\":\"ESTABLISHED\"", "\"to\":\"ESTABLISHED_NOT\"");
        Trace bad;
        QVERIFY(!importTrace(text, bad, &err));
        QVERIFY2(err.message.contains(QLatin1String("\"to\" unknown name")),
                 qPrintable(err.message));
    }

    // Traces written before version 2 (numbers, short keys, pad_hex, errname) still read:
    // the fixtures are real traces of lessons 1 and 9 in version 1. Their events rewritten
    // in version 2 read back equal.
    void readsVersion1_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("lesson 1") << QStringLiteral("v1_lesson01.jsonl");
        QTest::newRow("lesson 9") << QStringLiteral("v1_lesson09.jsonl");
    }
    void readsVersion1() {
        QFETCH(QString, file);
        QFile f(QStringLiteral(SL_TRACE_FIXTURES "/") + file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray v1 = f.readAll();
        QVERIFY(v1.startsWith("{\"socketlab_trace\":1,"));
        Trace a;
        JsonlError err;
        QMap<QString, QString> meta;
        QVERIFY2(importTrace(v1, a, &err, &meta), qPrintable(err.message));
        QVERIFY(a.size() > 100);
        QCOMPARE(meta.value(QStringLiteral("version")), QStringLiteral("0.1.0"));
        const QByteArray v2 = exportTrace(a, meta);
        QVERIFY(v2.startsWith("{\"socketlab_trace\":2,\"lab_version\":\"0.1.0\","));
        QVERIFY(v2.contains("\"call\":\"connect\""));
        QVERIFY(!v2.contains("\"k\":"));
        Trace b;
        QVERIFY2(importTrace(v2, b, &err), qPrintable(err.message));
        compareTraces(a, b);
    }

    void metaRoundTrip() {
        Trace t;
        const QMap<QString, QString> meta{{QStringLiteral("title"), Nasty[1]},
                                          {QStringLiteral("lab_version"), QStringLiteral("0.1")},
                                          {QStringLiteral("source"), Nasty[2]},
                                          {QStringLiteral("제목"), Nasty[2]}};
        const QByteArray bytes = exportTrace(t, meta);
        Trace u;
        QMap<QString, QString> back;
        QVERIFY(importTrace(bytes, u, nullptr, &back));
        for (auto it = meta.cbegin(); it != meta.cend(); ++it)
            QCOMPARE(back.value(it.key()), it.value());
        // The kernel is recorded; the window's version-1 names come back too.
        QVERIFY(back.value(QStringLiteral("kernel")).startsWith(QStringLiteral("Linux ")));
        QCOMPARE(back.value(QStringLiteral("lesson_title")), Nasty[1]);
        QCOMPARE(back.value(QStringLiteral("version")), QStringLiteral("0.1"));
        QVERIFY(!back.contains(QStringLiteral("lesson"))); // null: not known
        QCOMPARE(u.size(), std::size_t(0));
        // Written again, the header is the same (aliases fold into the same keys).
        QCOMPARE(exportTrace(u, back), bytes);
    }

    void previews_data() {
        QTest::addColumn<QByteArray>("bytes");
        QByteArray all;
        for (int i = 0; i < 48; ++i)
            all.append(char(i * 5 + 3));
        QTest::newRow("binary") << all;
        QTest::newRow("text") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        QTest::newRow("hangul cut mid-char")
            << (QByteArray("a") + QString(QStringLiteral("가")).repeated(20).toUtf8());
        QTest::newRow("nul") << QByteArray("\0\0\0", 3);
        QTest::newRow("invalid utf8") << QByteArray("\xc3\x28 \xed\xa0\x80");
    }
    void previews() {
        QFETCH(QByteArray, bytes);
        Trace a;
        Event e;
        e.kind = EventKind::CallEnd;
        e.call.preview = a.addPreview(bytes.constData(), std::size_t(bytes.size()));
        QVERIFY(e.call.preview != 0);
        a.append(e);
        const QByteArray out = exportTrace(a);
        Trace b;
        QVERIFY(importTrace(out, b));
        QCOMPARE(b.preview(b.event(0).call.preview), bytes.left(int(Trace::PreviewMax)));
        QCOMPARE(exportTrace(b), out);
    }

    void previewsSurviveSmallerCap() {
        Trace a;
        Event e;
        e.kind = EventKind::CallEnd;
        e.call.preview = a.addPreview("0123456789", 10);
        a.append(e);
        a.append(e);
        Trace b;
        b.setPreviewBytesCap(5);
        QVERIFY(importTrace(exportTrace(a), b));
        QCOMPARE(b.preview(b.event(1).call.preview), QByteArray("0123456789"));
        QCOMPARE(b.previewBytesCap(), std::size_t(5)); // restored after the import
    }

    // Version 2 writes no internal field: bytes no field owns are not in the file. A
    // version-1 file's pad_hex is still read.
    void paddingNotWritten() {
        Trace a;
        Event e;
        e.kind = EventKind::StepBegin;
        e.raw[47] = 0xab;
        a.append(e);
        QVERIFY(!exportTrace(a).contains("pad_hex"));
        QByteArray hex(96, '0');
        hex[94] = 'a', hex[95] = 'b';
        Trace b;
        JsonlError err;
        QVERIFY2(importTrace("{\"socketlab_trace\":1}\n{\"t\":0,\"k\":\"step_begin\","
                             "\"pad_hex\":\"" +
                                 hex + "\"}\n{\"socketlab_trace_end\":1,\"events\":1}\n",
                             b, &err),
                 qPrintable(err.message));
        const Event ea = a.event(0), eb = b.event(0);
        QCOMPARE(std::memcmp(&ea, &eb, sizeof(Event)), 0);
    }

    void largeMixedTrace() {
        Trace a;
        const std::size_t n = 3 * Trace::ChunkSize + 11;
        int declared = 0;
        for (std::size_t i = 0; i < n; ++i)
            a.append(
                makeFull(a, EventKind(i % std::size_t(EventKind::Count_)), int(i % 31), &declared));
        const QByteArray out = exportTrace(a);
        Trace b;
        QVERIFY(importTrace(out, b));
        compareTraces(a, b);
        QCOMPARE(exportTrace(b), out);
        QCOMPARE(b.stringCount(), a.stringCount());
    }

    void malformed_data() {
        refusedColumns();
        const QByteArray &h = HeaderLine;
        const QByteArray &ok = NoteLine;
        const auto row = refusedRow;
        row("empty file", "", 1, "missing header");
        row("no header", ok + ok, 1, "missing header");
        row("header not json", "{socketlab_trace:1}\n", 1, "missing header");
        row("wrong version", "{\"socketlab_trace\":3}\n" + ok, 1, "version 3");
        row("meta not object", "{\"socketlab_trace\":1,\"meta\":[1]}\n", 1, "must be an object");
        row("meta value type", "{\"socketlab_trace\":1,\"meta\":{\"a\":1}}\n", 1,
            "must be a string");
        row("bad json", h + ok + "{\"t\":1,\"k\":\"note\",}\n", 3, "expected a quoted key");
        row("not an object", h + "[1,2]\n", 2, "expected '{'");
        row("unknown kind", h + ok + ok + "{\"t\":1,\"k\":\"call_ended\"}\n", 4,
            "unknown event kind");
        row("missing kind", h + "{\"t\":1}\n", 2, "missing event kind");
        row("kind not string", h + "{\"t\":1,\"k\":5}\n", 2, "missing event kind");
        row("missing t", h + "{\"k\":\"note\"}\n", 2, "missing field \"t\"");
        row("t is string", h + "{\"t\":\"1\",\"k\":\"note\"}\n", 2, "\"t\" must be an integer");
        row("ret is float", h + "{\"t\":1,\"k\":\"call_end\",\"call\":1,\"err\":0,\"ret\":1.5}\n",
            2, "\"ret\" must be an integer, found a non-integer number");
        row("float", h + "{\"t\":1.5,\"k\":\"note\"}\n", 2, "non-integer");
        row("int64 overflow", h + "{\"t\":99999999999999999999,\"k\":\"note\"}\n", 2,
            "non-integer");
        row("actor range", h + "{\"t\":1,\"k\":\"note\",\"a\":256}\n", 2, "\"a\" out of range");
        row("err range", h + "{\"t\":1,\"k\":\"call_end\",\"call\":1,\"err\":40000}\n", 2,
            "\"err\" out of range");
        row("string for int", h + "{\"t\":1,\"k\":\"note\",\"text\":5}\n", 2, "must be a string");
        row("truncated", h + ok + "{\"t\":1,\"k\":\"no", 3, "truncated");
        row("truncated value", h + "{\"t\":1,\"k\":", 2, "truncated");
        row("bad escape", h + "{\"t\":1,\"k\":\"note\",\"text\":\"a\\qb\"}\n", 2, "unknown escape");
        row("bad unicode", h + "{\"t\":1,\"k\":\"note\",\"text\":\"\\u12g4\"}\n", 2, "hex digit");
        row("bad base64",
            h + "{\"t\":1,\"k\":\"call_end\",\"call\":1,\"err\":0,\"ret\":0,"
                "\"asked\":0,\"moved\":0,\"dur_ns\":0,\"flags\":0,"
                "\"preview_b64\":\"!!!\"}\n",
            2, "base64");
        row("nested", h + "{\"t\":1,\"k\":\"note\",\"x\":{}}\n", 2, "nested");
        row("trailing text", h + "{\"t\":1,\"k\":\"note\"} x\n", 2, "after the object");
        row("bad pad", h + "{\"t\":1,\"k\":\"note\",\"pad_hex\":\"abc\"}\n", 2, "hex digits");
        row("blank lines counted", h + "\n\n{\"t\":true,\"k\":\"note\"}\n", 4, "true/false/null");
        row("garbage", h + "\x01\xff\xfe garbage\n", 2, "expected '{'");
    }
    void malformed() {
        JsonlError err;
        checkRefusedRow(&err);
    }

    void optionalFieldsMayBeAbsent() {
        Trace t;
        QVERIFY(
            importTrace("{\"socketlab_trace\":1}\r\n{\"t\":5,\"k\":\"socket_close\",\"s\":2}\r\n"
                        "{\"t\":6,\"k\":\"note\",\"text\":\"hi\",\"future_key\":[1]}\n",
                        t) == false);
        // Unknown keys are ignored when their value is a scalar.
        Trace u;
        JsonlError err;
        QVERIFY2(importTrace("{\"socketlab_trace\":1}\r\n"
                             "{\"t\":4,\"k\":\"socket_new\",\"s\":0,\"fd\":3,\"domain\":2,"
                             "\"type\":1,\"peer_sock\":-1,\"kernel_only\":0}\n"
                             "{\"t\":5,\"k\":\"socket_close\",\"s\":0}\r\n"
                             "{\"t\":6,\"k\":\"note\",\"text\":\"hi\",\"future\":true}\n"
                             "{\"socketlab_trace_end\":1,\"events\":3}",
                             u, &err),
                 qPrintable(err.message));
        QCOMPARE(u.size(), std::size_t(3));
        QCOMPARE(u.event(1).sock, 0);
        QCOMPARE(u.event(1).actor, NoActor);
        QCOMPARE(u.text(u.event(2).text.a), QStringLiteral("hi"));
    }

    // peer_wnd, rcv_mem and drops came later: a sample written before them reads as "n/a"
    // (-1), never as a measured 0; written now, they round-trip and are checked.
    void sampleFieldsAddedLater() {
        const QByteArray head = "{\"socketlab_trace\":1}\n"
                                "{\"t\":1,\"k\":\"socket_new\",\"s\":0,\"fd\":3,\"domain\":2,"
                                "\"type\":2,\"peer_sock\":-1,\"kernel_only\":0}\n";
        const QByteArray old = "{\"t\":2,\"k\":\"sample\",\"s\":0,\"state\":0,\"readiness\":3,"
                               "\"listener\":0,\"nonblocking\":0,\"fd\":3,\"sndbuf\":212992,"
                               "\"rcvbuf\":8192,\"send_q\":0,\"unsent\":-1,\"recv_q\":520,"
                               "\"accept_q\":-1,\"backlog\":-1";
        Trace t;
        JsonlError err;
        QVERIFY2(importTrace(head + old + "}\n{\"socketlab_trace_end\":1,\"events\":2}\n", t, &err),
                 qPrintable(err.message));
        const SampleData &x = t.event(1).sample;
        QCOMPARE(x.recvQ, 520);
        QCOMPARE(x.peerWnd, -1);
        QCOMPARE(x.rcvMem, -1);
        QCOMPARE(x.drops, -1);
        // Written now: always present, even when 0.
        const QByteArray now = exportTrace(t);
        QVERIFY(now.contains("\"peer_wnd\":-1,\"rcv_mem\":-1,\"drops\":-1"));
        Trace u;
        QVERIFY2(importTrace(head + old +
                                 ",\"peer_wnd\":0,\"rcv_mem\":7680,\"drops\":34}\n"
                                 "{\"socketlab_trace_end\":1,\"events\":2}\n",
                             u, &err),
                 qPrintable(err.message));
        QCOMPARE(u.event(1).sample.peerWnd, 0);
        QCOMPARE(u.event(1).sample.rcvMem, 7680);
        QCOMPARE(u.event(1).sample.drops, 34);
        QVERIFY(exportTrace(u).contains("\"peer_wnd\":0,\"rcv_mem\":7680,\"drops\":34"));
        // The checker refuses what no kernel reports.
        for (const char *bad : {",\"drops\":-2}", ",\"rcv_mem\":-5}", ",\"peer_wnd\":-3}"}) {
            Trace v;
            QVERIFY(!importTrace(head + old + bad + "\n", v, &err));
            QCOMPARE(err.line, 3);
            QVERIFY2(err.message.contains(QLatin1String(QByteArray(bad).mid(2).split('"').at(0))),
                     qPrintable(err.message));
        }
    }

    // Truncations and random corruptions of a real export: never a crash, and every
    // failure names a line inside the file.
    void fuzzish() {
        Trace a;
        int declared = declareSockets(a, 2);
        for (int k = 0; k < int(EventKind::Count_); ++k)
            a.append(makeFull(a, EventKind(k), k, &declared));
        const QByteArray good = exportTrace(a);
        const int lineCount = int(good.count('\n'));
        auto check = [&](const QByteArray &bytes) {
            Trace t;
            JsonlError err;
            if (!importTrace(bytes, t, &err)) {
                QVERIFY(err.line >= 1 && err.line <= lineCount + 1);
                QVERIFY(!err.message.isEmpty());
            }
        };
        for (int cut = 0; cut < good.size(); cut += 3) {
            check(good.left(cut));
            if (QTest::currentTestFailed())
                return;
        }
        QRandomGenerator rng(1234);
        for (int round = 0; round < 1500; ++round) {
            QByteArray bytes = good;
            for (int m = 0; m < 1 + round % 4; ++m)
                bytes[rng.bounded(int(bytes.size()))] = char(rng.bounded(256));
            check(bytes);
            if (QTest::currentTestFailed())
                return;
        }
        for (int round = 0; round < 200; ++round) {
            QByteArray junk(rng.bounded(300), Qt::Uninitialized);
            for (char &c : junk)
                c = char(rng.bounded(256));
            check("{\"socketlab_trace\":1}\n" + junk);
        }
    }

    // Issue 12, point 9: a file without its trailer (or whose trailer counts other
    // events) is an incomplete trace; every event read is kept for a caller to show.
};

QTEST_GUILESS_MAIN(TstJsonl)
#include "tst_jsonl.moc"
