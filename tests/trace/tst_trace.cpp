// Trace storage: chunked append, lock-free reads below size(), interning, preview cap.
#include "trace/trace.h"

#include <QTest>
#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

using namespace sl::trace;

namespace {
Event makeCall(std::int64_t t, std::uint8_t actor, std::int64_t ret) {
    Event e;
    e.tNs = t;
    e.kind = EventKind::CallEnd;
    e.actor = actor;
    e.call.ret = ret;
    e.call.asked = ret * 2;
    return e;
}
} // namespace

class TstTrace : public QObject {
    Q_OBJECT
private slots:
    void emptyTrace() {
        Trace t;
        QCOMPARE(t.size(), std::size_t(0));
        QCOMPARE(t.stringCount(), std::size_t(0));
        QCOMPARE(t.previewCount(), std::size_t(0));
        QCOMPARE(t.text(0), QString());
        QCOMPARE(t.text(12345), QString()); // out of range is "", not a crash
        QCOMPARE(t.preview(0), QByteArray());
    }

    void appendAcrossChunks() {
        Trace t;
        const std::size_t n = 3 * Trace::ChunkSize + 5;
        for (std::size_t i = 0; i < n; ++i)
            QCOMPARE(t.append(makeCall(std::int64_t(i) * 10, std::uint8_t(i % 7), i)), i);
        QCOMPARE(t.size(), n);
        for (std::size_t i = 0; i < n; ++i) {
            const Event &e = t.event(i);
            if (e.tNs != std::int64_t(i) * 10 || e.call.ret != std::int64_t(i) ||
                e.actor != i % 7 || e.call.asked != std::int64_t(i) * 2)
                QFAIL(qPrintable(QStringLiteral("event %1 is wrong").arg(i)));
        }
        // Chunk boundaries exactly.
        QCOMPARE(t.event(Trace::ChunkSize - 1).call.ret, std::int64_t(Trace::ChunkSize - 1));
        QCOMPARE(t.event(Trace::ChunkSize).call.ret, std::int64_t(Trace::ChunkSize));
        // 4 chunks of 44-byte records at least, none of them overflowed.
        QVERIFY(t.memoryBytes() >= 4 * Trace::ChunkSize * Trace::RecordBytes);
        QCOMPARE(t.overflowCount(), std::size_t(0));
    }

    void appendKeepsPaddingZero() {
        Trace t;
        Event e;
        e.kind = EventKind::StateChange;
        e.state.from = 1;
        e.state.to = 2;
        t.append(e);
        const Event &r = t.event(0);
        QCOMPARE(std::memcmp(&r, &e, sizeof e), 0);
        for (unsigned char b : r.state.pad)
            QCOMPARE(int(b), 0);
    }

    void internDedupes() {
        Trace t;
        QCOMPARE(t.intern(QString()), StrRef(0));
        QCOMPARE(t.intern(QStringLiteral("")), StrRef(0));
        const StrRef a = t.intern(QStringLiteral("b\"x\" * 10"));
        const StrRef b = t.intern(QStringLiteral("연결"));
        QVERIFY(a != 0);
        QVERIFY(b != 0);
        QVERIFY(a != b);
        QCOMPARE(t.intern(QStringLiteral("b\"x\" * 10")), a);
        QCOMPARE(t.intern(QStringLiteral("연결")), b);
        QCOMPARE(t.stringCount(), std::size_t(2));
        QCOMPARE(t.text(a), QStringLiteral("b\"x\" * 10"));
        QCOMPARE(t.text(b), QStringLiteral("연결"));
    }

    void previewTruncatesAndCaps() {
        Trace t;
        const QByteArray big(200, 'z');
        const StrRef r = t.addPreview(big.constData(), std::size_t(big.size()));
        QVERIFY(r != 0);
        QCOMPARE(t.preview(r), QByteArray(int(Trace::PreviewMax), 'z'));
        QCOMPARE(t.addPreview(nullptr, 5), StrRef(0));
        QCOMPARE(t.addPreview("abc", 0), StrRef(0));

        Trace capped;
        capped.setPreviewBytesCap(100);
        QCOMPARE(capped.previewBytesCap(), std::size_t(100));
        // 48 + 48 = 96 fits; another 48 would exceed 100.
        QVERIFY(capped.addPreview(big.constData(), 200) != 0);
        QVERIFY(capped.addPreview(big.constData(), 200) != 0);
        QCOMPARE(capped.addPreview(big.constData(), 200), StrRef(0));
        // A small one still fits in the remaining 4 bytes.
        const StrRef small = capped.addPreview("ab\0d", 4);
        QVERIFY(small != 0);
        QCOMPARE(capped.preview(small), QByteArray("ab\0d", 4));
        QCOMPARE(capped.addPreview("x", 1), StrRef(0));
        QCOMPARE(capped.previewCount(), std::size_t(3));
    }

    void clearResets() {
        Trace t;
        for (int i = 0; i < 10000; ++i)
            t.append(makeCall(i, 0, i));
        t.intern(QStringLiteral("x"));
        t.addPreview("abc", 3);
        QTest::qWait(2);
        const std::int64_t before = t.now();
        t.clear();
        QCOMPARE(t.size(), std::size_t(0));
        QCOMPARE(t.stringCount(), std::size_t(0));
        QCOMPARE(t.previewCount(), std::size_t(0));
        QVERIFY(t.now() < before); // origin moved to the clear
        QCOMPARE(t.intern(QStringLiteral("y")), StrRef(1));
        t.append(makeCall(5, 1, 99));
        QCOMPARE(t.event(0).call.ret, std::int64_t(99));
    }

    void nowIsMonotonicFromOrigin() {
        Trace t;
        const std::int64_t a = t.now();
        QVERIFY(a >= 0);
        QVERIFY(a < 1'000'000'000); // just constructed
        QTest::qWait(5);
        const std::int64_t b = t.now();
        QVERIFY(b - a >= 4'000'000);
    }

    void concurrentAppends() {
        Trace t;
        constexpr int Threads = 4;
        constexpr int PerThread = 50'000;
        std::vector<std::thread> threads;
        for (int th = 0; th < Threads; ++th) {
            threads.emplace_back([&t, th] {
                for (int i = 0; i < PerThread; ++i)
                    t.append(makeCall(i, std::uint8_t(th), i));
            });
        }
        for (auto &th : threads)
            th.join();
        QCOMPARE(t.size(), std::size_t(Threads * PerThread));
        int counts[Threads] = {};
        std::int64_t next[Threads] = {};
        for (std::size_t i = 0; i < t.size(); ++i) {
            const Event &e = t.event(i);
            QVERIFY(e.actor < Threads);
            // Each thread's own events keep their order.
            if (e.call.ret != next[e.actor])
                QFAIL("a thread's events are out of order or missing");
            ++next[e.actor];
            ++counts[e.actor];
        }
        for (int c : counts)
            QCOMPARE(c, PerThread);
    }

    void readerWhileWriting() {
        Trace t;
        const std::size_t n = 5 * Trace::ChunkSize + 17;
        std::atomic<bool> bad{false};
        std::atomic<bool> done{false};
        std::size_t checked = 0;
        std::thread reader([&] {
            std::size_t seen = 0;
            while (!done.load() || seen < t.size()) {
                const std::size_t size = t.size();
                for (; seen < size; ++seen) {
                    const Event &e = t.event(seen);
                    if (e.tNs != std::int64_t(seen) || e.call.ret != std::int64_t(seen) * 3)
                        bad = true;
                }
            }
            checked = seen;
        });
        for (std::size_t i = 0; i < n; ++i)
            t.append(makeCall(std::int64_t(i), 0, std::int64_t(i) * 3));
        done = true;
        reader.join();
        QVERIFY(!bad.load());
        QCOMPARE(checked, n);
    }

    void readersSeeOnlyWrittenRecords() {
        // Each record is its own written flag (its kind byte, stored last with release):
        // three readers calling size() while four threads append, across chunks, must
        // only ever see a prefix of whole events (every field as appended, the kind
        // included: a record read early would show kind 0 = ActorNew or a torn payload),
        // and size() never goes back. Then the same after clear(), whose fresh chunks
        // must read as unwritten again.
        Trace t;
        for (int round = 0; round < 2; ++round) {
            constexpr int Writers = 4, Readers = 3;
            constexpr std::int64_t PerWriter = std::int64_t(Trace::ChunkSize) + 4000;
            std::atomic<bool> done{false};
            std::atomic<int> bad{0};
            std::vector<std::thread> readers;
            for (int r = 0; r < Readers; ++r)
                readers.emplace_back([&] {
                    std::size_t last = 0;
                    while (!done.load()) {
                        const std::size_t size = t.size();
                        if (size < last)
                            bad.fetch_add(1);
                        for (std::size_t i = last; i < size; ++i) {
                            const Event e = t.event(i);
                            if (e.kind != EventKind::CallEnd || e.actor >= Writers ||
                                e.call.ret != e.tNs * 3 || e.call.asked != e.tNs * 6 ||
                                e.sock != int(e.actor) + 10 || e.line != std::uint16_t(e.tNs))
                                bad.fetch_add(1);
                        }
                        last = size;
                    }
                });
            std::vector<std::thread> writers;
            for (int w = 0; w < Writers; ++w)
                writers.emplace_back([&t, w] {
                    for (std::int64_t i = 0; i < PerWriter; ++i) {
                        Event e = makeCall(i, std::uint8_t(w), i * 3);
                        e.sock = w + 10;
                        e.line = std::uint16_t(i);
                        t.append(e);
                    }
                });
            for (auto &w : writers)
                w.join();
            done = true;
            for (auto &r : readers)
                r.join();
            QCOMPARE(bad.load(), 0);
            QCOMPARE(t.size(), std::size_t(Writers * PerWriter));
            t.clear();
            QCOMPARE(t.size(), std::size_t(0));
        }
    }

    void concurrentPreviewsKeepTheCap() {
        // A preview's slot and its bytes are taken in one step: with four threads adding
        // previews of 48 and 10 bytes, the bytes kept never pass the cap, every preview
        // kept reads back whole, and the count is exactly the previews that got a ref.
        Trace t;
        t.setPreviewBytesCap(48 * 1000 + 7);
        constexpr int Threads = 4;
        std::vector<std::vector<StrRef>> refs(Threads);
        std::vector<std::thread> threads;
        for (int th = 0; th < Threads; ++th)
            threads.emplace_back([&, th] {
                const QByteArray big(64, char('a' + th)), small(10, char('A' + th));
                for (int i = 0; i < 2000; ++i) {
                    const QByteArray &d = i % 3 ? big : small;
                    const StrRef r = t.addPreview(d.constData(), std::size_t(d.size()));
                    if (r)
                        refs[std::size_t(th)].push_back(r);
                }
            });
        for (auto &th : threads)
            th.join();
        std::size_t kept = 0, bytes = 0;
        for (int th = 0; th < Threads; ++th)
            for (StrRef r : refs[std::size_t(th)]) {
                const QByteArray p = t.preview(r);
                QVERIFY(p == QByteArray(48, char('a' + th)) || p == QByteArray(10, char('A' + th)));
                ++kept;
                bytes += std::size_t(p.size());
            }
        QCOMPARE(t.previewCount(), kept);
        QVERIFY(bytes <= t.previewBytesCap());
        QVERIFY(bytes + 10 > t.previewBytesCap()); // filled up to the last small one
    }

    void concurrentIntern() {
        Trace t;
        std::vector<std::thread> threads;
        std::vector<StrRef> refs(4 * 100);
        for (int th = 0; th < 4; ++th) {
            threads.emplace_back([&, th] {
                for (int i = 0; i < 100; ++i)
                    refs[th * 100 + i] = t.intern(QString::number(i));
            });
        }
        for (auto &th : threads)
            th.join();
        QCOMPARE(t.stringCount(), std::size_t(100));
        for (int th = 1; th < 4; ++th)
            for (int i = 0; i < 100; ++i)
                QCOMPARE(refs[th * 100 + i], refs[i]);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(t.text(refs[i]), QString::number(i));
    }
};

QTEST_GUILESS_MAIN(TstTrace)
#include "tst_trace.moc"
