// Compact records (trace/compact.h): every event comes back from event(i) byte for byte
// as it was appended, whether it was packed into a 44-byte record or kept whole in the
// overflow store; a lesson's events take the compact path.
#include "trace/compact.h"
#include "trace/jsonl.h"
#include "trace/trace.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QTest>
#include <atomic>
#include <climits>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

using namespace sl::trace;

namespace {

constexpr int KindCount = int(EventKind::Count_);

bool sameBytes(const Event &a, const Event &b) {
    return std::memcmp(&a, &b, sizeof(Event)) == 0;
}

QString hexOf(const Event &e) {
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(&e), sizeof e).toHex());
}

// Appends e and checks that it comes back identical; returns whether it overflowed.
bool roundTrip(Trace &t, const Event &e, bool *ok) {
    const std::size_t before = t.overflowCount();
    const std::size_t i = t.append(e);
    const Event back = t.event(i);
    *ok = sameBytes(back, e);
    if (!*ok)
        qWarning("kind %d: appended %s, got back %s", int(e.kind), qPrintable(hexOf(e)),
                 qPrintable(hexOf(back)));
    return t.overflowCount() != before;
}

// Values a lab run writes: small counts, -1 sentinels, errno, seconds-long calls.
Event typicalEvent(std::mt19937_64 &rng, EventKind kind) {
    auto pick = [&](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    Event e;
    e.tNs = pick(0, std::int64_t(3600) * 1'000'000'000);
    e.kind = kind;
    e.actor = std::uint8_t(pick(0, 1) ? pick(0, 63) : NoActor);
    e.line = std::uint16_t(pick(0, 65535));
    e.sock = std::int32_t(pick(-1, 200));
    switch (kind) {
    case EventKind::CallBegin:
    case EventKind::CallEnd:
        e.call.call = std::uint16_t(pick(0, 120));
        e.call.err = std::int16_t(pick(0, 1) ? 0 : pick(1, 133));
        e.call.args = StrRef(pick(0, 100000));
        e.call.ret = pick(-1, 2'000'000);
        e.call.asked = pick(-1, 10'000'000);
        e.call.moved = pick(-1, 10'000'000);
        e.call.durNs = pick(0, std::int64_t(600) * 1'000'000'000); // up to 10 minutes
        e.call.preview = StrRef(pick(0, 5000));
        e.call.flags = std::uint8_t(pick(0, 31));
        break;
    case EventKind::Sample: {
        e.sample.state = std::uint8_t(pick(0, 12));
        e.sample.readiness = std::uint8_t(pick(0, 31));
        e.sample.listener = std::uint8_t(pick(0, 1));
        e.sample.nonBlocking = std::uint8_t(pick(0, 1));
        e.sample.fd = std::int32_t(pick(-1, 4000));
        std::int32_t *figures[] = {&e.sample.sndbuf,  &e.sample.rcvbuf,  &e.sample.sendQ,
                                   &e.sample.unsent,  &e.sample.recvQ,   &e.sample.acceptQ,
                                   &e.sample.backlog, &e.sample.peerWnd, &e.sample.rcvMem,
                                   &e.sample.drops};
        // A real sample: buffers and the peer's window up to a few MiB, queues and
        // memory under 64 KiB, accept queue, backlog and drops small; any may be -1.
        for (int f = 0; f < 10; ++f) {
            const std::int64_t roll = pick(0, 3);
            const std::int64_t most = f < 2 || f == 7              ? 6 << 20
                                      : f == 5 || f == 6 || f == 9 ? 255
                                                                   : 65535;
            *figures[f] = std::int32_t(roll == 0 ? -1 : roll == 1 ? pick(0, 255) : pick(0, most));
        }
        break;
    }
    case EventKind::StateChange:
        e.state.from = std::uint8_t(pick(0, 12));
        e.state.to = std::uint8_t(pick(0, 12));
        break;
    case EventKind::SocketNew:
    case EventKind::SocketInfo:
    case EventKind::SocketClose:
        e.socket.fd = std::int32_t(pick(-1, 70000));
        e.socket.domain = std::int32_t(pick(0, 1) ? 2 : 10);
        e.socket.type = std::int32_t(pick(1, 2) | (pick(0, 1) ? 0x800 : 0));
        e.socket.name = StrRef(pick(0, 1000));
        e.socket.local = StrRef(pick(0, 1000));
        e.socket.peer = StrRef(pick(0, 1000));
        e.socket.peerSock = std::int32_t(pick(-1, 100));
        e.socket.kernelOnly = std::uint8_t(pick(0, 1));
        break;
    case EventKind::SelectIn:
    case EventKind::SelectOut:
        for (StrRef &s : e.select.sets)
            s = StrRef(pick(0, 1000));
        e.select.nfds = std::int32_t(pick(0, 1024));
        e.select.timeoutNs = pick(-1, INT64_MAX);
        break;
    case EventKind::Expect:
        e.expect.passed = std::uint8_t(pick(0, 1));
        e.expect.text = StrRef(pick(0, 1000));
        e.expect.detail = StrRef(pick(0, 1000));
        break;
    case EventKind::ActorStatus:
    case EventKind::StepEnd:
        e.status.status = std::uint8_t(pick(0, 3));
        e.status.call = std::uint16_t(pick(0, 120));
        e.status.sysno = std::int32_t(pick(-1, 450));
        e.status.wchan = StrRef(pick(0, 1000));
        break;
    default: // ActorNew, Say, StepBegin, Note
        e.text.a = StrRef(pick(0, 100000));
        e.text.b = StrRef(pick(0, 100000));
        break;
    }
    return e;
}

// Edge values, each of which must survive (most of them through the overflow store).
std::vector<Event> edgeEvents(EventKind kind) {
    std::vector<Event> out;
    auto add = [&](auto &&fill) {
        Event e;
        e.kind = kind;
        e.tNs = INT64_MIN;
        e.actor = 0xff;
        e.line = 65535;
        e.sock = INT32_MIN;
        fill(e);
        out.push_back(e);
        e.tNs = INT64_MAX;
        e.sock = -1;
        e.actor = 0;
        e.line = 0;
        out.push_back(e);
    };
    add([](Event &) {});
    add([](Event &e) { std::memset(e.raw, 0xff, sizeof e.raw); });
    add([](Event &e) { e.raw[47] = 1; }); // a padding byte (or drops) from hostile JSONL
    add([](Event &e) { std::memset(e.raw, 0x80, sizeof e.raw); });
    if (kind == EventKind::CallBegin || kind == EventKind::CallEnd) {
        for (std::int64_t v : {INT64_MIN, INT64_MAX, std::int64_t(-1), std::int64_t(INT32_MAX) + 1,
                               std::int64_t(INT32_MIN) - 1}) {
            add([v](Event &e) { e.call.ret = v; });
            add([v](Event &e) { e.call.asked = v; });
            add([v](Event &e) { e.call.moved = v; });
            add([v](Event &e) { e.call.durNs = v; });
        }
        add([](Event &e) { e.call.durNs = std::int64_t(600) * 1'000'000'000; }); // 10 min
        add([](Event &e) { e.call.durNs = std::int64_t(300) * 1'000'000'000; }); // 5 min
        add([](Event &e) { e.call.durNs = std::int64_t(1) << 40; });             // 18.3 min
        add([](Event &e) { e.call.err = 133; });
        add([](Event &e) { e.call.err = -1; });
        add([](Event &e) { e.call.err = 4095; });
        add([](Event &e) { e.call.call = 0xffff; });
        add([](Event &e) { e.call.flags = 0xff; });
        add([](Event &e) { e.call.pad[1] = 7; });
        add([](Event &e) { e.call.args = e.call.preview = 0xffffffffu; });
    }
    if (kind == EventKind::Sample) {
        add([](Event &e) { e.sample.fd = 70000; });
        add([](Event &e) { e.sample.fd = -1; });
        add([](Event &e) { e.sample.state = 200; });
        add([](Event &e) { e.sample.listener = 2; });
        add([](Event &e) {
            std::memset(&e.sample.sndbuf, 0xff, 40); // every figure -1
        });
        add([](Event &e) { e.sample.rcvbuf = (1 << 24) - 1; });
        add([](Event &e) { e.sample.rcvbuf = 1 << 24; });
        add([](Event &e) { e.sample.recvQ = INT32_MAX; });
        add([](Event &e) { e.sample.recvQ = -2; });
        add([](Event &e) { // ten three-byte figures: more than 22 bytes
            for (std::int32_t *f = &e.sample.sndbuf; f <= &e.sample.drops; ++f)
                *f = 0x123456;
        });
    }
    if (kind == EventKind::SocketNew || kind == EventKind::SocketInfo ||
        kind == EventKind::SocketClose) {
        add([](Event &e) { e.socket.domain = 300; });
        add([](Event &e) { e.socket.fd = 70000; });
        add([](Event &e) { e.socket.type = INT32_MIN; });
        add([](Event &e) { e.socket.pad[18] = 1; });
    }
    if (kind == EventKind::SelectIn || kind == EventKind::SelectOut) {
        add([](Event &e) { e.select.timeoutNs = INT64_MIN; });
        add([](Event &e) { e.select.pad[23] = 9; });
    }
    return out;
}

// Thread th's i-th event for the concurrency test: mostly compact, every 7th an
// overflow (an int64 extreme), recognisable from its tNs.
Event threadEvent(int th, std::uint32_t i) {
    Event e;
    e.tNs = std::int64_t(th) << 32 | i;
    e.actor = std::uint8_t(th);
    e.line = std::uint16_t(i);
    e.sock = std::int32_t(i % 50);
    if (i % 3 == 0) {
        e.kind = EventKind::Sample;
        e.sample.fd = std::int32_t(i % 1000);
        e.sample.sndbuf = std::int32_t(i * 7 % (1 << 23));
        e.sample.rcvbuf = -1;
        e.sample.sendQ = std::int32_t(i % 4096);
        e.sample.unsent = e.sample.recvQ = e.sample.acceptQ = e.sample.backlog = -1;
        e.sample.peerWnd = e.sample.rcvMem = e.sample.drops = -1;
    } else {
        e.kind = EventKind::CallEnd;
        e.call.call = std::uint16_t(i % 100);
        e.call.ret = i % 7 == 0 ? INT64_MIN + i : std::int64_t(i);
        e.call.durNs = std::int64_t(i) * 1000;
    }
    return e;
}

} // namespace

class TstTraceCompact : public QObject {
    Q_OBJECT
private slots:
    void everyKindRoundTripsTypicalValuesCompact() {
        Trace t;
        std::mt19937_64 rng(20261203);
        bool allOk = true;
        for (int k = 0; k < KindCount; ++k) {
            for (int n = 0; n < 2000; ++n) {
                bool ok = false;
                const bool overflowed = roundTrip(t, typicalEvent(rng, EventKind(k)), &ok);
                allOk = allOk && ok;
                if (overflowed)
                    QFAIL(qPrintable(QStringLiteral("a typical %1 event overflowed")
                                         .arg(QLatin1String(eventKindName(EventKind(k))))));
            }
        }
        QVERIFY(allOk);
        QCOMPARE(t.overflowCount(), std::size_t(0));
        // Read again, all of them, after the fact.
        std::mt19937_64 again(20261203);
        for (std::size_t i = 0; i < t.size(); ++i)
            if (!sameBytes(t.event(i), typicalEvent(again, EventKind(int(i / 2000)))))
                QFAIL(qPrintable(QStringLiteral("event %1 changed").arg(i)));
    }

    void randomBytesRoundTrip() {
        // Any payload bytes at all (padding included), any kind byte: lossless, through
        // the overflow store where needed.
        Trace t;
        std::mt19937_64 rng(7);
        std::vector<Event> sent;
        for (int n = 0; n < 20000; ++n) {
            Event e;
            unsigned char bytes[sizeof(Event)];
            for (unsigned char &b : bytes)
                b = static_cast<unsigned char>(rng());
            std::memcpy(static_cast<void *>(&e), bytes, sizeof e);
            if (n % 4) // mostly real kinds, a quarter any byte (0xff included)
                e.kind = EventKind(n % KindCount);
            sent.push_back(e);
            t.append(e);
        }
        QVERIFY(t.overflowCount() > 0);
        for (std::size_t i = 0; i < sent.size(); ++i)
            if (!sameBytes(t.event(i), sent[i]))
                QFAIL(qPrintable(QStringLiteral("event %1: %2 came back as %3")
                                     .arg(i)
                                     .arg(hexOf(sent[i]), hexOf(t.event(i)))));
    }

    void edgeValuesRoundTrip() {
        Trace t;
        std::size_t count = 0;
        for (int k = 0; k <= KindCount; ++k) { // Count_ itself: a kind no codec knows
            for (const Event &e : edgeEvents(EventKind(k))) {
                bool ok = false;
                roundTrip(t, e, &ok);
                QVERIFY2(ok, qPrintable(QStringLiteral("kind %1").arg(k)));
                ++count;
            }
        }
        QCOMPARE(t.size(), count);
        QVERIFY(t.overflowCount() > 0);
        QVERIFY(t.overflowCount() < count); // zeros and small extremes stay compact
    }

    void valuesThatStayCompact() {
        // The limits of the compact record, each kept without the overflow store.
        Trace t;
        Event call;
        call.kind = EventKind::CallEnd;
        call.tNs = INT64_MAX;
        call.sock = INT32_MIN;
        call.line = 65535;
        call.actor = 0xff;
        call.call.err = 133;
        call.call.durNs = std::int64_t(600) * 1'000'000'000;
        call.call.ret = INT32_MIN;
        call.call.asked = INT32_MAX;
        call.call.moved = -1;
        call.call.flags = 31;
        call.call.call = 1023;
        Event sample;
        sample.kind = EventKind::Sample;
        sample.sample.fd = -1;
        sample.sample.state = 12;
        sample.sample.readiness = 31;
        sample.sample.sndbuf = sample.sample.rcvbuf = (1 << 24) - 1;
        sample.sample.sendQ = sample.sample.unsent = sample.sample.recvQ = 0;
        sample.sample.acceptQ = sample.sample.backlog = -1;
        sample.sample.peerWnd = 65535;
        sample.sample.rcvMem = 4096;
        sample.sample.drops = 0;
        for (const Event &e : {call, sample}) {
            bool ok = false;
            QVERIFY(!roundTrip(t, e, &ok));
            QVERIFY(ok);
        }
        call.call.err = -1; // not an errno: overflow, still exact
        bool ok = false;
        QVERIFY(roundTrip(t, call, &ok));
        QVERIFY(ok);
        QCOMPARE(t.overflowCount(), std::size_t(1));
    }

    void lessonTracesStayCompact() {
        // Real runs of lessons 1 and 9 (the reader's v1 fixtures): not one overflow.
        // SL_COMPACT_TRACES=dir also reports every *.jsonl in dir (measuring only).
        QStringList files;
        for (const char *name : {"v1_lesson01.jsonl", "v1_lesson09.jsonl"})
            files << QStringLiteral(SL_TRACE_FIXTURES "/") + QLatin1String(name);
        const QByteArray extra = qgetenv("SL_COMPACT_TRACES");
        QStringList measured;
        if (!extra.isEmpty()) {
            const QDir dir(QString::fromLocal8Bit(extra));
            for (const QString &f : dir.entryList({QStringLiteral("*.jsonl")}, QDir::Files))
                measured << dir.filePath(f);
        }
        std::size_t events = 0, overflow = 0;
        for (const QString &path : files + measured) {
            QFile f(path);
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
            Trace t;
            JsonlError err;
            const bool read = readJsonl(f, t, nullptr, &err);
            QVERIFY2(read || err.incomplete, qPrintable(path + QStringLiteral(": ") + err.message));
            qInfo("%s: %zu events, %zu overflow, %.1f bytes/event",
                  qPrintable(QFileInfo(path).fileName()), t.size(), t.overflowCount(),
                  double(t.memoryBytes()) / double(t.size()));
            for (std::size_t i = 0; i < t.size(); ++i) { // which events did not fit
                compact::Packed p;
                const Event e = t.event(i);
                if (!compact::encode(e, p))
                    qInfo("  overflow: event %zu, %s %s", i, eventKindName(e.kind),
                          qPrintable(hexOf(e)));
            }
            events += t.size();
            overflow += t.overflowCount();
            if (files.contains(path)) {
                QVERIFY(t.size() > 100);
                QCOMPARE(t.overflowCount(), std::size_t(0));
            }
        }
        qInfo("all: %zu events, %zu overflow", events, overflow);
    }

    void concurrentMixedAppends() {
        // Four appenders, a third of whose events overflow, and a reader checking each
        // event as soon as size() publishes it.
        Trace t;
        constexpr int Threads = 4;
        constexpr std::uint32_t PerThread = 30000;
        std::atomic<bool> done{false};
        std::atomic<std::size_t> bad{0};
        std::size_t checked = 0;
        std::thread reader([&] {
            std::size_t seen = 0;
            while (!done.load() || seen < t.size()) {
                const std::size_t size = t.size();
                for (; seen < size; ++seen) {
                    const Event e = t.event(seen);
                    const int th = int(e.tNs >> 32);
                    if (th < 0 || th >= Threads ||
                        !sameBytes(e, threadEvent(th, std::uint32_t(e.tNs))))
                        bad.fetch_add(1);
                }
            }
            checked = seen;
        });
        std::vector<std::thread> appenders;
        for (int th = 0; th < Threads; ++th)
            appenders.emplace_back([&t, th] {
                for (std::uint32_t i = 0; i < PerThread; ++i)
                    t.append(threadEvent(th, i));
            });
        for (auto &a : appenders)
            a.join();
        done = true;
        reader.join();
        QCOMPARE(bad.load(), std::size_t(0));
        QCOMPARE(checked, std::size_t(Threads) * PerThread);
        QVERIFY(t.overflowCount() > 0);
        // Each thread's events in its own order, none lost.
        std::uint32_t next[Threads] = {};
        for (std::size_t i = 0; i < t.size(); ++i) {
            const Event e = t.event(i);
            const int th = int(e.tNs >> 32);
            QCOMPARE(std::uint32_t(e.tNs), next[th]);
            ++next[th];
        }
    }

    void callFastPathMatchesGeneralCheck() {
        // encode() packs CallBegin/CallEnd with a spelt-out fit test (encodeCallFast);
        // it must accept exactly the events the general check (pack, decode, compare)
        // accepts, and write the same record. Fields at and around each limit, mixed.
        std::mt19937_64 rng(13);
        const std::int64_t wide[] = {0,
                                     1,
                                     -1,
                                     INT32_MAX,
                                     INT32_MIN,
                                     INT32_MAX + std::int64_t(1),
                                     INT32_MIN - std::int64_t(1),
                                     INT64_MAX,
                                     INT64_MIN,
                                     std::int64_t(1) << 40,
                                     (std::int64_t(1) << 40) - 1,
                                     4096};
        const int narrow[] = {0, 1, -1, 31, 32, 511, 512, 1023, 1024, 0x7fff, -0x8000, 0xff};
        auto wideAt = [&] { return wide[rng() % std::size(wide)]; };
        auto narrowAt = [&] { return narrow[rng() % std::size(narrow)]; };
        int accepted = 0, refused = 0;
        for (int n = 0; n < 200000; ++n) {
            Event e;
            e.kind = n % 2 ? EventKind::CallEnd : EventKind::CallBegin;
            e.call.call = std::uint16_t(narrowAt());
            e.call.err = std::int16_t(narrowAt());
            e.call.args = std::uint32_t(rng());
            e.call.ret = wideAt();
            e.call.asked = wideAt();
            e.call.moved = wideAt();
            e.call.durNs = wideAt();
            e.call.preview = std::uint32_t(rng());
            e.call.flags = std::uint8_t(narrowAt());
            if (n % 7 == 0)
                e.call.pad[n % 3] = std::uint8_t(rng() | 1);
            if (n % 5 == 0) { // some entirely in range
                e.call.call &= 0x3ff;
                e.call.err = std::int16_t(e.call.err & 0x1ff);
                e.call.ret = std::int32_t(e.call.ret);
                e.call.asked = std::int32_t(e.call.asked);
                e.call.moved = std::int32_t(e.call.moved);
                e.call.durNs &= (std::int64_t(1) << 40) - 1;
                e.call.flags &= 0x1f;
                e.call.pad[0] = e.call.pad[1] = e.call.pad[2] = 0;
            }
            compact::Packed general{};
            compact::detail::encodeCall(e.call, general);
            const compact::Words w = compact::decodeWords(e.kind, general);
            const bool generalFits = std::memcmp(w.data(), e.raw, sizeof e.raw) == 0;
            compact::Packed fast{};
            const bool fastFits = compact::encode(e, fast);
            if (fastFits != generalFits)
                QFAIL(qPrintable(QStringLiteral("event %1: fast path says %2, general %3")
                                     .arg(hexOf(e))
                                     .arg(fastFits)
                                     .arg(generalFits)));
            if (fastFits && fast != general)
                QFAIL(qPrintable(QStringLiteral("event %1: records differ").arg(hexOf(e))));
            (fastFits ? accepted : refused) += 1;
        }
        QVERIFY(accepted > 10000);
        QVERIFY(refused > 10000);
    }

    void clearDropsOverflow() {
        Trace t;
        Event e;
        e.kind = EventKind::CallEnd;
        e.call.ret = INT64_MAX;
        t.append(e);
        QCOMPARE(t.overflowCount(), std::size_t(1));
        const std::size_t withOverflow = t.memoryBytes();
        t.clear();
        QCOMPARE(t.overflowCount(), std::size_t(0));
        QVERIFY(t.memoryBytes() < withOverflow);
        e.call.ret = INT64_MIN;
        t.append(e);
        QVERIFY(sameBytes(t.event(0), e));
    }
};

QTEST_GUILESS_MAIN(TstTraceCompact)
#include "tst_trace_compact.moc"
