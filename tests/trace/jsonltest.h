// Shared by the JSONL tests: traces with every kind and field at the edges of what the
// reader accepts, export/import through buffers, exact comparison, and a generator
// device for inputs too large to hold.
#pragma once

#include "trace/jsonl.h"

#include <QBuffer>
#include <QTest>
#include <cstring>

using namespace sl::trace;

// Named (not anonymous): each test uses only some of these.
namespace jsonltest {

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

// The columns of a table of inputs the reader refuses, and its rows: the input, the
// 1-based line the error names, and a part of its message.
inline const QByteArray HeaderLine = "{\"socketlab_trace\":1,\"meta\":{}}\n";
inline const QByteArray NoteLine = "{\"t\":1,\"k\":\"note\",\"text\":\"x\"}\n";
inline void refusedColumns() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
}
inline void refusedRow(const char *name, const QByteArray &t, int line, const char *msg) {
    QTest::newRow(name) << t << line << QString::fromUtf8(msg);
}
// One row of such a table: the reader refuses the input, naming its line and the
// reason; the error is left in *err for the caller's own checks.
inline void checkRefusedRow(JsonlError *err) {
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(QString, message);
    Trace t;
    QVERIFY(!importTrace(text, t, err));
    QCOMPARE(err->line, line);
    QVERIFY2(err->message.contains(message), qPrintable(err->message));
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
        e.sample = {12, 31, 1, 1, MaxFd, 212992, -1, 3, 4, 5, 6, 2147483647, 0, 5760, 38};
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

} // namespace jsonltest

using namespace jsonltest;
