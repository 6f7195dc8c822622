// B1: what tracing costs. The same transfer three ways, side by side in one run:
//   raw     256 MiB over TCP loopback in 4 KiB send()/recv() calls between two threads;
//   lab     the same transfer by two actors of a .lab program through sl::engine::Lab,
//           every call recorded (CallBegin/CallEnd with a preview), the sampler probing
//           at its rate;
//   strace  the raw loop under `strace -f -o /dev/null` (this executable re-invoked as
//           a child with --raw-only, on a smaller transfer: strace is far slower);
//   python  the same program in plain CPython (python3 -c, two threads), and the same
//           under `strace -f` on the smaller transfer (rates compare per byte).
// The last line is the verdict: B1 lab/raw=… lab/python=… lab/strace=… (python's strace).
// Only the transfer is timed, never the setup. Prints figures; not pass/fail.
//
//   bench_tracing [--mib 256] [--strace-mib 16] [--chunk 4096] [--reps 3] [--sample-ms 10]
//                 [--no-raw] [--no-lab] [--no-strace]
//   bench_tracing --raw-only --bytes N [--chunk 4096]   (one raw run; prints B1RAW seconds)
#include "engine/lab.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>
#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <optional>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::int64_t bytes = 256ll << 20;
    std::int64_t straceBytes = 16ll << 20;
    int chunk = 4096;
    int reps = 3;
    int sampleMs = 0; // 0: the lab's default rate
    bool raw = true, lab = true, strace = true;
    bool rawOnly = false;
};

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

double gbps(std::int64_t bytes, double seconds) {
    return seconds > 0 ? double(bytes) / seconds / 1e9 : 0;
}

// User + system CPU time of the whole process (every thread), in seconds.
struct CpuClock {
    double seconds = 0;
    static CpuClock now() {
        rusage u{};
        ::getrusage(RUSAGE_SELF, &u);
        return {double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
                double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6};
    }
    double operator-(const CpuClock &o) const { return seconds - o.seconds; }
};

struct Stats {
    double median = 0, min = 0, max = 0;
};

Stats stats(std::vector<double> v) {
    if (v.empty())
        return {};
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v.front(), v.back()};
}

// ---- raw ------------------------------------------------------------------------------

struct Pair {
    int sender = -1, receiver = -1;
};

Pair loopbackPair() {
    Pair p;
    const int lst = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (lst < 0 || ::bind(lst, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
        ::listen(lst, 1) != 0 || ::getsockname(lst, reinterpret_cast<sockaddr *>(&a), &len) != 0) {
        std::perror("listen");
        std::exit(2);
    }
    p.sender = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (::connect(p.sender, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
        std::perror("connect");
        std::exit(2);
    }
    p.receiver = ::accept4(lst, nullptr, nullptr, SOCK_CLOEXEC);
    if (p.receiver < 0) {
        std::perror("accept");
        std::exit(2);
    }
    ::close(lst);
    return p;
}

struct RawRun {
    double seconds = 0;
    double cpuSeconds = 0;  // user + system time of the whole process during the transfer
    std::int64_t calls = 0; // send() + recv()
};

// `bytes` in `chunk`-sized send()/recv() calls; setup excluded.
RawRun rawTransfer(std::int64_t bytes, int chunk) {
    const Pair p = loopbackPair();
    std::atomic<bool> go{false};
    std::int64_t received = 0, recvs = 0, sends = 0;
    std::thread rx([&] {
        std::vector<char> buf(static_cast<std::size_t>(chunk));
        while (!go.load(std::memory_order_acquire)) {
        }
        while (received < bytes) {
            const ssize_t n = ::recv(p.receiver, buf.data(), buf.size(), 0);
            ++recvs;
            if (n <= 0)
                break;
            received += n;
        }
    });
    std::vector<char> buf(static_cast<std::size_t>(chunk), 'x');
    const CpuClock cpu0 = CpuClock::now();
    const auto t0 = Clock::now();
    go.store(true, std::memory_order_release);
    for (std::int64_t sent = 0; sent < bytes;) {
        const std::size_t want = std::size_t(std::min<std::int64_t>(chunk, bytes - sent));
        const ssize_t n = ::send(p.sender, buf.data(), want, MSG_NOSIGNAL);
        ++sends;
        if (n <= 0) {
            std::perror("send");
            break;
        }
        sent += n;
    }
    rx.join();
    const RawRun run{secondsSince(t0), CpuClock::now() - cpu0, sends + recvs};
    ::close(p.sender);
    ::close(p.receiver);
    if (received != bytes)
        std::fprintf(stderr, "raw: received %lld of %lld bytes\n", (long long)received,
                     (long long)bytes);
    return run;
}

// ---- lab ------------------------------------------------------------------------------

struct LabRun {
    double seconds = 0;
    double cpuSeconds = 0; // user + system time of the whole process during the transfer
    std::size_t events = 0;
    std::size_t callEvents = 0;
    std::size_t samples = 0;
    std::size_t memoryBytes = 0;
    bool ok = false;
};

QString labSource(std::int64_t bytes, int chunk) {
    const std::int64_t sends = bytes / chunk;
    return QStringLiteral("receiver: srv = socket(AF_INET, SOCK_STREAM)\n"
                          "receiver: srv.bind((\"127.0.0.1\", 0))\n"
                          "receiver: srv.listen(5)\n"
                          "sender: s = socket(AF_INET, SOCK_STREAM)\n"
                          "sender: s.connect(srv.getsockname())\n"
                          "receiver: conn, addr = srv.accept()\n"
                          "sender: buf = b\"x\" * %2\n"
                          "receiver: total = 0\n"
                          "receiver: while total < %1:\n"
                          "    data = conn.recv(%2)\n"
                          "    if not data:\n"
                          "        break\n"
                          "    total += len(data)\n"
                          "sender: for i in range(%3):\n"
                          "    s.send(buf)\n"
                          "expect total == %1\n"
                          "sender: s.close()\n"
                          "receiver: conn.close()\n"
                          "receiver: srv.close()\n")
        .arg(bytes)
        .arg(chunk)
        .arg(sends);
}

LabRun labTransfer(std::int64_t bytes, int chunk, int sampleMs) {
    using namespace sl::engine;
    LabRun run;
    Lab lab;
    if (sampleMs > 0) {
        LabOptions lo = lab.options();
        lo.sampleIntervalMs = sampleMs;
        lab.setOptions(lo);
    }
    std::vector<sl::script::Diagnostic> diags;
    if (!lab.load(labSource(bytes, chunk), QStringLiteral("bench_tracing.lab"), &diags)) {
        std::fprintf(stderr, "lab: the script does not parse\n");
        return run;
    }
    const auto &steps = lab.program()->steps;
    const auto stepOfKind = [&](sl::script::StmtKind k) {
        for (std::size_t i = 0; i < steps.size(); ++i)
            if (steps[i]->kind == k)
                return int(i);
        return -1;
    };
    const int receiverLoop = stepOfKind(sl::script::StmtKind::While);
    const int senderLoop = stepOfKind(sl::script::StmtKind::For);
    // Setup, and the receiver's loop (it blocks in its first recv()).
    while (!lab.atEnd() && lab.position() < senderLoop) {
        const auto r = lab.stepAndWait();
        if (!r || (r->status == StepStatus::Done && !r->outcome.ok)) {
            std::fprintf(stderr, "lab: setup step failed: %s\n",
                         r ? qPrintable(r->outcome.message) : "timeout");
            return run;
        }
    }
    // The transfer: from the step that starts the sender until both loops have ended
    // (each reports on this thread as it ends; no polling).
    QEventLoop loop;
    bool senderDone = false, receiverDone = false;
    Clock::time_point t1;
    const auto ended = [&](const StepReport &r) {
        if (r.status != StepStatus::Done)
            return;
        if (r.step == senderLoop)
            senderDone = true;
        else if (r.step == receiverLoop)
            receiverDone = true;
        if (senderDone && receiverDone) {
            t1 = Clock::now();
            loop.quit();
        }
    };
    const auto c1 = QObject::connect(&lab, &Lab::stepFinished, &loop, ended);
    const auto c2 = QObject::connect(&lab, &Lab::backgroundStepFinished, &loop, ended);
    QTimer::singleShot(600 * 1000, &loop, &QEventLoop::quit);
    const CpuClock cpu0 = CpuClock::now();
    const auto t0 = Clock::now();
    lab.step();
    loop.exec();
    run.cpuSeconds = CpuClock::now() - cpu0;
    QObject::disconnect(c1);
    QObject::disconnect(c2);
    if (!senderDone || !receiverDone) {
        std::fprintf(stderr, "lab: the transfer did not finish in 600 s\n");
        return run;
    }
    run.seconds = std::chrono::duration<double>(t1 - t0).count();
    const auto check = lab.stepAndWait();
    run.ok = check && check->expectPassed;
    if (!run.ok)
        std::fprintf(stderr, "lab: %s\n",
                     check ? qPrintable(check->expectDetail) : "expect did not run");
    while (!lab.atEnd())
        lab.stepAndWait();
    lab.settle(5000);
    const auto &t = lab.trace();
    run.events = t.size();
    for (std::size_t i = 0; i < run.events; ++i) {
        const auto k = t.event(i).kind;
        if (k == sl::trace::EventKind::CallBegin || k == sl::trace::EventKind::CallEnd)
            ++run.callEvents;
        else if (k == sl::trace::EventKind::Sample)
            ++run.samples;
    }
    run.memoryBytes = t.memoryBytes();
    return run;
}

// ---- python3 ---------------------------------------------------------------------------

// The lab's program as plain CPython: the same two threads, calls and loop shapes. The
// transfer alone is timed (by the script, after the connection is set up).
const char *const PythonLoop = R"(import socket, sys, threading, time
total, chunk = int(sys.argv[1]), int(sys.argv[2])
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen(5)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(srv.getsockname())
conn, addr = srv.accept()
buf = b"x" * chunk
got = 0
def receiver():
    global got
    t = 0
    while t < total:
        data = conn.recv(chunk)
        if not data:
            break
        t += len(data)
    got = t
def sender():
    for i in range(total // chunk):
        s.send(buf)
r = threading.Thread(target=receiver)
w = threading.Thread(target=sender)
t0, c0 = time.monotonic(), time.process_time()
r.start(); w.start(); w.join(); r.join()
print("B1PY %.6f %d %.6f" % (time.monotonic() - t0, got, time.process_time() - c0))
)";

// python3 running PythonLoop, under `strace -f -o /dev/null` when strace is given;
// seconds of the transfer, or nullopt.
std::optional<double> pythonTransfer(const QString &python, const QString &strace,
                                     std::int64_t bytes, int chunk, double *cpuSeconds = nullptr) {
    QProcess p;
    p.setProcessChannelMode(QProcess::SeparateChannels);
    QStringList args = {QStringLiteral("-c"), QString::fromLatin1(PythonLoop),
                        QString::number(bytes), QString::number(chunk)};
    if (strace.isEmpty()) {
        p.start(python, args);
    } else {
        args.prepend(python);
        args =
            QStringList{QStringLiteral("-f"), QStringLiteral("-o"), QStringLiteral("/dev/null")} +
            args;
        p.start(strace, args);
    }
    if (!p.waitForFinished(20 * 60 * 1000) || p.exitCode() != 0) {
        std::fprintf(stderr, "python run failed: %s\n", p.readAllStandardError().constData());
        return std::nullopt;
    }
    const QByteArray out = p.readAllStandardOutput();
    const qsizetype at = out.indexOf("B1PY ");
    if (at < 0)
        return std::nullopt;
    const QList<QByteArray> f = out.mid(at + 5).trimmed().split(' ');
    bool ok = false;
    const double secs = f.value(0).toDouble(&ok);
    if (!ok || f.value(1).toLongLong() != bytes)
        return std::nullopt;
    if (cpuSeconds)
        *cpuSeconds = f.value(2).toDouble();
    return secs;
}

// ---- strace ---------------------------------------------------------------------------

// One raw run of this executable under strace; seconds of its transfer, or nullopt.
std::optional<double> stracedTransfer(const QString &strace, std::int64_t bytes, int chunk) {
    QProcess p;
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.start(strace, {QStringLiteral("-f"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                     QCoreApplication::applicationFilePath(), QStringLiteral("--raw-only"),
                     QStringLiteral("--bytes"), QString::number(bytes), QStringLiteral("--chunk"),
                     QString::number(chunk)});
    if (!p.waitForFinished(20 * 60 * 1000) || p.exitCode() != 0) {
        std::fprintf(stderr, "strace run failed: %s\n", p.readAllStandardError().constData());
        return std::nullopt;
    }
    const QByteArray out = p.readAllStandardOutput();
    const qsizetype at = out.indexOf("B1RAW ");
    if (at < 0)
        return std::nullopt;
    bool ok = false;
    const double s = out.mid(at + 6).trimmed().split(' ').value(0).toDouble(&ok);
    return ok ? std::optional<double>(s) : std::nullopt;
}

void printLine(const char *what, std::int64_t bytes, const std::vector<double> &secs) {
    std::vector<double> rates;
    for (double s : secs)
        rates.push_back(gbps(bytes, s));
    const Stats st = stats(rates);
    std::printf("B1 %-26s %7.3f GB/s (median of %zu; min %.3f, max %.3f; %.0f MiB)\n", what,
                st.median, rates.size(), st.min, st.max, double(bytes) / (1 << 20));
    std::fflush(stdout);
}

double medianRate(std::int64_t bytes, const std::vector<double> &secs) {
    std::vector<double> rates;
    for (double s : secs)
        rates.push_back(gbps(bytes, s));
    return stats(rates).median;
}

Options parseArgs(int argc, char **argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> long long {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", a.c_str());
                std::exit(2);
            }
            return std::atoll(argv[++i]);
        };
        if (a == "--mib")
            o.bytes = next() << 20;
        else if (a == "--bytes")
            o.bytes = next();
        else if (a == "--strace-mib")
            o.straceBytes = next() << 20;
        else if (a == "--chunk")
            o.chunk = int(next());
        else if (a == "--reps")
            o.reps = std::max(1, int(next()));
        else if (a == "--sample-ms")
            o.sampleMs = int(next());
        else if (a == "--raw-only")
            o.rawOnly = true;
        else if (a == "--no-raw")
            o.raw = false;
        else if (a == "--no-lab")
            o.lab = false;
        else if (a == "--no-strace")
            o.strace = false;
        else {
            std::fprintf(stderr,
                         "usage: bench_tracing [--mib 256] [--strace-mib 16] [--chunk 4096] "
                         "[--reps 3] [--sample-ms 10] [--no-raw] [--no-lab] [--no-strace]\n"
                         "       bench_tracing --raw-only --bytes N [--chunk 4096]\n");
            std::exit(2);
        }
    }
    o.bytes -= o.bytes % o.chunk; // whole chunks: the sender's loop sends only those
    o.straceBytes -= o.straceBytes % o.chunk;
    return o;
}

} // namespace

int main(int argc, char **argv) {
    const Options o = parseArgs(argc, argv);
    if (o.rawOnly) {
        const RawRun r = rawTransfer(o.bytes, o.chunk);
        std::printf("B1RAW %.6f %lld\n", r.seconds, (long long)o.bytes);
        return 0;
    }
    QCoreApplication app(argc, argv);

    std::printf("B1 tracing overhead: %.0f MiB in %d-byte send()/recv() calls over TCP "
                "loopback, %d runs each\n",
                double(o.bytes) / (1 << 20), o.chunk, o.reps);
    std::fflush(stdout);

    std::vector<double> raw, lab, straced, rawCpu, labCpu, py, pyStraced, pyCpu;
    std::int64_t rawCalls = 0;
    LabRun last;
    bool labOk = true;
    const QString strace = QStandardPaths::findExecutable(QStringLiteral("strace"));
    if (o.strace && strace.isEmpty())
        std::printf("B1 strace: strace not installed\n");
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        std::printf("B1 python: python3 not installed\n");
    // Interleaved, so that a change in the machine's load hits all three alike.
    for (int rep = 0; rep < o.reps; ++rep) {
        if (o.raw) {
            const RawRun r = rawTransfer(o.bytes, o.chunk);
            raw.push_back(r.seconds);
            rawCpu.push_back(r.cpuSeconds);
            rawCalls = r.calls;
        }
        if (o.lab) {
            last = labTransfer(o.bytes, o.chunk, o.sampleMs);
            labOk = labOk && last.ok;
            lab.push_back(last.seconds);
            labCpu.push_back(last.cpuSeconds);
        }
        if (o.strace && !strace.isEmpty()) {
            if (auto s = stracedTransfer(strace, o.straceBytes, o.chunk))
                straced.push_back(*s);
        }
        if (!python.isEmpty()) {
            double cpu = 0;
            if (auto s = pythonTransfer(python, {}, o.bytes, o.chunk, &cpu)) {
                py.push_back(*s);
                pyCpu.push_back(cpu);
            }
            if (o.strace && !strace.isEmpty()) {
                if (auto s = pythonTransfer(python, strace, o.straceBytes, o.chunk))
                    pyStraced.push_back(*s);
            }
        }
    }

    if (!raw.empty())
        printLine("raw 4KiB loop:", o.bytes, raw);
    if (!lab.empty()) {
        printLine("lab (traced + probed):", o.bytes, lab);
        if (!labOk)
            std::printf("B1 lab: WARNING: the transfer did not complete (see above)\n");
        std::printf("B1 lab trace: %zu events (%zu call begin/end, %zu samples); "
                    "%.1f payload bytes per event; %.1f trace bytes per event (%.1f MB)\n",
                    last.events, last.callEvents, last.samples,
                    last.events ? double(o.bytes) / double(last.events) : 0.0,
                    last.events ? double(last.memoryBytes) / double(last.events) : 0.0,
                    double(last.memoryBytes) / 1e6);
    }
    // Wall and CPU time per send()/recv(): the CPU figure (all threads: actors, sampler,
    // the lab's thread) is steadier than the wall clock on a shared machine.
    const auto perCall = [](const std::vector<double> &secs, std::int64_t calls) {
        return calls > 0 ? stats(secs).median * 1e6 / double(calls) : 0.0;
    };
    const std::int64_t labCalls = std::int64_t(last.callEvents / 2);
    if (!raw.empty())
        std::printf("B1 per call, raw: %.2f µs wall, %.2f µs CPU (%lld send+recv calls)\n",
                    perCall(raw, rawCalls), perCall(rawCpu, rawCalls), (long long)rawCalls);
    if (!lab.empty())
        std::printf("B1 per call, lab: %.2f µs wall, %.2f µs CPU (%lld recorded calls)\n",
                    perCall(lab, labCalls), perCall(labCpu, labCalls), (long long)labCalls);
    if (!straced.empty())
        printLine("raw under strace -f:", o.straceBytes, straced);
    if (!raw.empty() && !lab.empty())
        std::printf("B1 ratio lab/raw:    %.3f (target >= 0.75)\n",
                    medianRate(o.bytes, lab) / medianRate(o.bytes, raw));
    if (!straced.empty() && !lab.empty())
        std::printf("B1 ratio lab/(raw under strace): %.1fx\n",
                    medianRate(o.bytes, lab) / medianRate(o.straceBytes, straced));
    if (!py.empty())
        printLine("python3 loop:", o.bytes, py);
    if (!pyStraced.empty())
        printLine("python3 under strace -f:", o.straceBytes, pyStraced);
    // The verdict, as issue 13 asks: rates of the same transfer (strace's on its smaller
    // transfer, rates being per byte), medians of this run's repetitions.
    const auto ratio = [&](const std::vector<double> &other, std::int64_t bytes) {
        return lab.empty() || other.empty() ? 0.0
                                            : medianRate(o.bytes, lab) / medianRate(bytes, other);
    };
    // The same ratios over CPU time (every thread of each process; strace's own CPU is in
    // another process, so its ratio stays wall-clock only): steadier on a loaded machine.
    if (!labCpu.empty() && !rawCpu.empty())
        std::printf("B1 CPU time: lab/raw=%.2f lab/python=%.2f (lab %.2f s, raw %.2f s, python "
                    "%.2f s per run)\n",
                    stats(rawCpu).median / stats(labCpu).median,
                    pyCpu.empty() ? 0.0 : stats(pyCpu).median / stats(labCpu).median,
                    stats(labCpu).median, stats(rawCpu).median,
                    pyCpu.empty() ? 0.0 : stats(pyCpu).median);
    std::printf("B1 lab/raw=%.2f lab/python=%.2f lab/strace=%.1f\n", ratio(raw, o.bytes),
                ratio(py, o.bytes), ratio(pyStraced, o.straceBytes));
    return 0;
}
