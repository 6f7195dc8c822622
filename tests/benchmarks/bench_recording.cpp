// B3: how fast the trace records and how much memory an event costs; how fast a trace
// exports to and imports from JSONL. Prints figures; not pass/fail.
//
//   bench_recording [millions-of-events]   (default 20)
#include "trace/jsonl.h"
#include "trace/trace.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryFile>
#include <cstdio>
#include <ctime>
#include <thread>
#include <vector>

using namespace sl::trace;

namespace {

struct Refs {
    StrRef args[4];
};

Refs internArgs(Trace &t) {
    return {{t.intern(QStringLiteral("b\"x\" * 1_000_000")), t.intern(QStringLiteral("4096")),
             t.intern(QStringLiteral("(\"127.0.0.1\", 5000)")), t.intern(QStringLiteral("conn"))}};
}

// The shape of a real run: an actor's call begins and ends, and the sampler records
// the socket's changed queues in between. Every 16th call end carries a preview.
void appendRealistic(Trace &t, const Refs &r, std::uint8_t actor, std::size_t count) {
    static const char payload[] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    for (std::size_t i = 0; i < count; i += 4) {
        const std::int64_t t0 = std::int64_t(i) * 250;
        Event b;
        b.tNs = t0;
        b.kind = EventKind::CallBegin;
        b.actor = actor;
        b.line = std::uint16_t(10 + i % 40);
        b.sock = 3;
        b.call.call = 7;
        b.call.args = r.args[i % 4];
        b.call.asked = 4096;
        b.call.moved = -1;
        t.append(b);

        Event s;
        s.tNs = t0 + 50;
        s.kind = EventKind::Sample;
        s.sock = 3;
        s.sample = {
            1,  3,  0, 1, 7, 212992, 131072, std::int32_t(i % 9000), 0, std::int32_t(i % 7000),
            -1, -1, {}};
        t.append(s);

        Event e = b;
        e.tNs = t0 + 120;
        e.kind = EventKind::CallEnd;
        e.call.ret = 4096;
        e.call.moved = 4096;
        e.call.durNs = 120;
        if ((i / 4) % 16 == 0)
            e.call.preview = t.addPreview(payload, sizeof payload);
        t.append(e);

        s.tNs = t0 + 200;
        s.sample.sendQ += 4096;
        t.append(s);
    }
}

struct AppendResult {
    double perThread = 0, total = 0, bytesPerEvent = 0;
    double perCpuSecond = 0; // events per second of CPU time of the appending threads
};

// CPU time of the calling thread: on a shared machine (other builds running) the wall
// clock measures the load; this measures the appends.
double threadCpuSeconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

AppendResult benchAppend(std::size_t n, int threads) {
    Trace t;
    const Refs r = internArgs(t);
    QElapsedTimer timer;
    timer.start();
    std::vector<double> cpu(std::size_t(threads), 0.0);
    if (threads == 1) {
        const double c0 = threadCpuSeconds();
        appendRealistic(t, r, 0, n);
        cpu[0] = threadCpuSeconds() - c0;
    } else {
        std::vector<std::thread> pool;
        for (int i = 0; i < threads; ++i)
            pool.emplace_back([&, i] {
                const double c0 = threadCpuSeconds();
                appendRealistic(t, r, std::uint8_t(i), n / std::size_t(threads));
                cpu[std::size_t(i)] = threadCpuSeconds() - c0;
            });
        for (auto &th : pool)
            th.join();
    }
    const double secs = double(timer.nsecsElapsed()) / 1e9;
    double cpuSum = 0;
    for (double c : cpu)
        cpuSum += c;
    AppendResult res;
    res.perCpuSecond = double(t.size()) / cpuSum; // per thread: its events / its CPU time
    res.total = double(t.size()) / secs;
    res.perThread = res.total / threads;
    res.bytesPerEvent = double(t.memoryBytes()) / double(t.size());
    std::printf("append, %d thread(s): %zu events in %.3f s = %.2f M events/s (%.2f M/s per "
                "thread), %.2f M events per CPU-second per thread, %.1f bytes/event (%zu "
                "previews)\n",
                threads, t.size(), secs, res.total / 1e6, res.perThread / 1e6,
                res.perCpuSecond / 1e6, res.bytesPerEvent, t.previewCount());
    return res;
}

void benchJsonl(std::size_t n) {
    Trace t;
    const Refs r = internArgs(t);
    for (int id = 0; id <= 3; ++id) { // the reader accepts declared socket ids only
        Event s;
        s.kind = EventKind::SocketNew;
        s.sock = id;
        s.socket.fd = 3 + id;
        s.socket.peerSock = -1;
        t.append(s);
    }
    appendRealistic(t, r, 0, n);

    QTemporaryFile file;
    if (!file.open()) {
        std::printf("jsonl: cannot create a temporary file\n");
        return;
    }
    QElapsedTimer timer;
    timer.start();
    const bool wrote = writeJsonl(t, file, {{QStringLiteral("title"), QStringLiteral("bench")}});
    file.flush();
    double secs = double(timer.nsecsElapsed()) / 1e9;
    const double mb = double(file.size()) / 1e6;
    std::printf("writeJsonl (file): %zu events, %.1f MB in %.3f s = %.1f MB/s, %.2f M events/s%s\n",
                t.size(), mb, secs, mb / secs, double(t.size()) / secs / 1e6,
                wrote ? "" : " (FAILED)");

    file.seek(0);
    Trace back;
    JsonlError err;
    timer.restart();
    const bool read = readJsonl(file, back, nullptr, &err);
    secs = double(timer.nsecsElapsed()) / 1e9;
    std::printf(
        "readJsonl (file):  %zu events, %.1f MB in %.3f s = %.1f MB/s, %.2f M events/s%s\n",
        back.size(), mb, secs, mb / secs, double(back.size()) / secs / 1e6,
        read ? ""
             : qPrintable(QStringLiteral(" (FAILED line %1: %2)").arg(err.line).arg(err.message)));
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    std::size_t millions = 20;
    if (argc > 1)
        millions = std::size_t(std::max(1, std::atoi(argv[1])));
    const std::size_t n = millions * 1'000'000;
    std::printf("B3 recording: sizeof(Event) = %zu\n", sizeof(Event));
    const AppendResult one = benchAppend(n, 1);
    benchAppend(n, 2);
    const AppendResult four = benchAppend(n, 4);
    benchJsonl(1'000'000);
    // Per thread with 4 threads: this machine has 2 CPUs, so 4 appenders share them; the
    // wall-clock rate per thread is at most half of one thread's. The verdict uses each
    // thread's rate over its own CPU time, which the machine's load does not change.
    std::printf("B3 wall: 1t=%.2fM/s 4t=%.2fM/s per thread\n", one.perThread / 1e6,
                four.perThread / 1e6);
    std::printf("B3 events_per_s_1t=%.1fM events_per_s_4t=%.1fM bytes_per_event=%.0f\n",
                one.perCpuSecond / 1e6, four.perCpuSecond / 1e6, one.bytesPerEvent);
    return 0;
}
