// JSONL export/import: exact round trip of every kind and field, byte-identical
// re-export, and clear errors (with line numbers) on malformed files.
#include "trace/jsonl.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>
#include <algorithm>
#include <cstring>

using namespace sl::trace;

namespace {

const QString Nasty[] = {
    QStringLiteral("b\"x\" * 10"),
    QStringLiteral("back\\slash\nnew line\r\ttab"),
    QStringLiteral("연결을 기다립니다"),
    QString::fromUtf8("ctl\x01\x1f\x7f end"),
    QString::fromUtf8("emoji \xF0\x9F\x98\x80 and \xE2\x80\xA8 separator"),
    QString(QChar(0xD800)) + QStringLiteral("lone surrogate"),
    QString(QChar(0)) + QStringLiteral("nul first"),
};

// Offsets (into Event::raw) of the StrRefs of a kind, and of its preview; written here
// from event.h, independently of the exporter's own table.
struct RefSlots {
    std::vector<std::size_t> strings;
    int preview = -1;
};
RefSlots refSlots(EventKind k) {
    switch (k) {
    case EventKind::ActorNew:
    case EventKind::Say:
    case EventKind::Note:
        return {{offsetof(TextData, a), offsetof(TextData, b)}};
    case EventKind::ActorStatus:
    case EventKind::StepBegin:
    case EventKind::StepEnd:
        return {{offsetof(StatusData, wchan)}};
    case EventKind::SocketNew:
    case EventKind::SocketInfo:
    case EventKind::SocketClose:
        return {
            {offsetof(SocketData, name), offsetof(SocketData, local), offsetof(SocketData, peer)}};
    case EventKind::CallBegin:
    case EventKind::CallEnd:
        return {{offsetof(CallData, args)}, int(offsetof(CallData, preview))};
    case EventKind::SelectIn:
    case EventKind::SelectOut:
        return {{0, 4, 8}};
    case EventKind::Expect:
        return {{offsetof(ExpectData, text), offsetof(ExpectData, detail)}};
    default:
        return {};
    }
}

StrRef refAt(const Event &e, std::size_t off) {
    StrRef r;
    std::memcpy(&r, e.raw + off, sizeof r);
    return r;
}

// Fields equal after resolving strings and previews; every other byte equal.
void compareEvent(const Trace &ta, const Event &a, const Trace &tb, const Event &b, qsizetype i) {
    const QByteArray where = QByteArray("event ") + QByteArray::number(i);
    QVERIFY2(std::memcmp(&a, &b, 16) == 0, where.constData()); // header: t, kind, a, l, s
    Event ca = a, cb = b;
    const RefSlots rs = refSlots(a.kind);
    for (std::size_t off : rs.strings) {
        QCOMPARE(tb.text(refAt(b, off)), ta.text(refAt(a, off)));
        std::memset(ca.raw + off, 0, 4);
        std::memset(cb.raw + off, 0, 4);
    }
    if (rs.preview >= 0) {
        QCOMPARE(tb.preview(refAt(b, rs.preview)), ta.preview(refAt(a, rs.preview)));
        QCOMPARE(refAt(b, rs.preview) == 0, refAt(a, rs.preview) == 0);
        std::memset(ca.raw + rs.preview, 0, 4);
        std::memset(cb.raw + rs.preview, 0, 4);
    }
    QVERIFY2(std::memcmp(ca.raw, cb.raw, 48) == 0, where.constData());
}

void compareTraces(const Trace &a, const Trace &b) {
    QCOMPARE(b.size(), a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        compareEvent(a, a.event(i), b, b.event(i), qsizetype(i));
        if (QTest::currentTestFailed())
            return;
    }
}

QByteArray exportTrace(const Trace &t, const QMap<QString, QString> &meta = {}) {
    QBuffer buf;
    buf.open(QIODevice::WriteOnly);
    if (!writeJsonl(t, buf, meta))
        return QByteArray("export failed");
    return buf.data();
}

bool importTrace(const QByteArray &bytes, Trace &t, JsonlError *err = nullptr,
                 QMap<QString, QString> *meta = nullptr) {
    QBuffer buf;
    buf.setData(bytes);
    buf.open(QIODevice::ReadOnly);
    return readJsonl(buf, t, meta, err);
}

// Declares sockets 0..n-1 (a reader accepts only ids some socket_new declared).
int declareSockets(Trace &t, int n) {
    for (int i = 0; i < n; ++i) {
        Event e;
        e.kind = EventKind::SocketNew;
        e.sock = i;
        e.socket.fd = 3 + i;
        e.socket.peerSock = -1;
        t.append(e);
    }
    return n;
}

// Every field of every payload member that the kind uses, set to distinctive values at
// the edges of what a reader accepts. *declared: the sockets declared so far.
Event makeFull(Trace &t, EventKind k, int salt, int *declared) {
    Event e;
    e.tNs = 1'234'567'890'123LL + salt;
    e.kind = k;
    e.actor = std::uint8_t(salt % MaxActors);
    e.line = std::uint16_t(4242 + salt);
    e.sock = *declared > 0 ? salt % *declared : -1;
    auto s = [&](int n) { return t.intern(Nasty[(n + salt) % std::size(Nasty)]); };
    switch (k) {
    case EventKind::ActorNew:
    case EventKind::Say:
    case EventKind::Note:
        e.text.a = s(0), e.text.b = s(2);
        break;
    case EventKind::ActorStatus:
    case EventKind::StepBegin:
    case EventKind::StepEnd:
        e.status.status = std::uint8_t(ActorState::Blocked);
        e.status.call = MaxCallId;
        e.status.sysno = salt % 2 ? -1 : 45;
        e.status.wchan = t.intern(QStringLiteral("inet_csk_accept"));
        break;
    case EventKind::SocketNew:
    case EventKind::SocketInfo:
    case EventKind::SocketClose:
        if (k == EventKind::SocketNew)
            e.sock = (*declared)++;
        e.socket = {-1, 10, 2 | 0x80000, s(0), s(1), s(2), *declared - 1, 1, {}};
        break;
    case EventKind::CallBegin:
    case EventKind::CallEnd: {
        const char bin[] = "\x00\xff\x80\n\"\\binary\x01";
        e.call = {513, 4095, s(0), INT64_MIN, INT64_MAX, -1, 987654321, 0, 15, {}};
        e.call.preview = t.addPreview(bin, sizeof bin);
        break;
    }
    case EventKind::Sample:
        e.sample = {12, 31, 1, 1, MaxFd, 212992, -1, 3, 4, 5, 6, 2147483647, {}};
        break;
    case EventKind::StateChange:
        e.state.from = 10, e.state.to = 12;
        break;
    case EventKind::SelectIn:
    case EventKind::SelectOut:
        e.select.sets[0] = *declared > 1 ? t.intern(QStringLiteral("0,1")) : 0;
        e.select.sets[1] = 0;
        e.select.sets[2] = *declared > 0 ? t.intern(QString::number(*declared - 1)) : 0;
        e.select.nfds = 1024, e.select.timeoutNs = -1;
        break;
    case EventKind::Expect:
        e.expect.passed = 1, e.expect.text = s(1), e.expect.detail = s(3);
        break;
    default:
        break;
    }
    return e;
}

// A device that yields `size` bytes of `fill` (endless when size < 0), counting reads.
class Generator : public QIODevice {
public:
    Generator(QByteArray head, char fill, qint64 size)
        : m_head(std::move(head))
        , m_fill(fill)
        , m_size(size) {
        open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return m_size < 0; }
    qint64 size() const override { return m_size < 0 ? 0 : m_size; }
    qint64 produced = 0;

protected:
    qint64 readData(char *data, qint64 max) override {
        qint64 n = max;
        if (m_size >= 0)
            n = std::min(n, m_size - produced);
        for (qint64 i = 0; i < n; ++i)
            data[i] = produced + i < m_head.size() ? m_head[produced + i] : m_fill;
        produced += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_head;
    char m_fill;
    qint64 m_size;
};

} // namespace

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
            QCOMPARE(doc.object().value(u"k").toString(),
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
        e.call.call = 7;
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
            exportTrace(t, {{QStringLiteral("title"), QStringLiteral("부분 전송")}}).split('\n');
        QCOMPARE(lines.at(0),
                 QByteArray("{\"socketlab_trace\":1,\"meta\":{\"title\":\"부분 전송\"}}"));
        QVERIFY(lines.at(1).startsWith("{\"t\":1500,\"k\":\"call_end\",\"a\":0,\"l\":12,\"s\":3,"));
        QVERIFY(lines.at(1).contains("\"err\":11,\"errname\":\"EAGAIN\""));
        QVERIFY(lines.at(1).contains("\"args\":\"b\\\"x\\\" * 10\""));
        QVERIFY(lines.at(1).contains("\"preview\":\"hi\""));
        QCOMPARE(lines.at(2), QByteArray("{\"t\":0,\"k\":\"note\",\"text\":\"연결\"}"));
    }

    void metaRoundTrip() {
        Trace t;
        const QMap<QString, QString> meta{{QStringLiteral("title"), Nasty[1]},
                                          {QStringLiteral("lab_version"), QStringLiteral("0.1")},
                                          {QStringLiteral("제목"), Nasty[2]}};
        const QByteArray bytes = exportTrace(t, meta);
        Trace u;
        QMap<QString, QString> back;
        QVERIFY(importTrace(bytes, u, nullptr, &back));
        QCOMPARE(back, meta);
        QCOMPARE(u.size(), std::size_t(0));
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

    void nonzeroPaddingKept() {
        Trace a;
        Event e;
        e.kind = EventKind::StepBegin;
        e.raw[47] = 0xab;
        e.raw[20] = 0x01;
        a.append(e);
        const QByteArray out = exportTrace(a);
        QVERIFY(out.contains("pad_hex"));
        Trace b;
        QVERIFY(importTrace(out, b));
        QCOMPARE(std::memcmp(&a.event(0), &b.event(0), sizeof(Event)), 0);
        QCOMPARE(exportTrace(b), out);
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
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        const QByteArray h = "{\"socketlab_trace\":1,\"meta\":{}}\n";
        const QByteArray ok = "{\"t\":1,\"k\":\"note\",\"text\":\"x\"}\n";
        auto row = [](const char *name, const QByteArray &t, int line, const char *msg) {
            QTest::newRow(name) << t << line << QString::fromUtf8(msg);
        };
        row("empty file", "", 1, "missing header");
        row("no header", ok + ok, 1, "missing header");
        row("header not json", "{socketlab_trace:1}\n", 1, "missing header");
        row("wrong version", "{\"socketlab_trace\":2}\n" + ok, 1, "version 2");
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
        // Values a view could trust too far (issue 12, point 6).
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
    void malformed() {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(QString, message);
        Trace t;
        JsonlError err;
        QVERIFY(!importTrace(text, t, &err));
        QCOMPARE(err.line, line);
        QVERIFY2(err.message.contains(message), qPrintable(err.message));
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

QTEST_GUILESS_MAIN(TstJsonl)
#include "tst_jsonl.moc"
