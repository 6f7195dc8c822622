// T1 (issue 11): what `socketlab trace` costs a real program. One CPython program — a
// 4 KiB send()/recv() loop over TCP loopback between two threads, 256 MiB — run three
// ways side by side in one run:
//   untraced  python3 loop.py
//   traced    socketlab trace --quiet -- python3 loop.py (every call recorded, sockets
//             probed once per batch the lab reads)
//   strace    strace -f -o /dev/null python3 loop.py, on a smaller transfer (rates
//             compare per byte), when strace is installed
// Each run is timed from start to exit (python's start-up included, ~30 ms). The last
// line: T1 traced/untraced=R traced/strace=S, as throughput ratios (R: target ≥ 0.8;
// S: how many times faster than strace, target ≥ 10).
//
//   bench_trace [--mib 256] [--strace-mib 32] [--reps 3]
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

const char *const Loop = R"(import socket, sys, threading
total = int(sys.argv[1]); chunk = 4096
l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(1)
c = socket.create_connection(l.getsockname()); s, _ = l.accept()
def rx():
    left = total
    while left > 0:
        n = len(s.recv(chunk))
        if n == 0: break
        left -= n
t = threading.Thread(target=rx); t.start()
buf = b'x' * chunk
for _ in range(total // chunk):
    c.send(buf)
t.join()
)";

double runSeconds(const QString &program, const QStringList &args) {
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer t;
    t.start();
    p.start(program, args);
    if (!p.waitForStarted() || !p.waitForFinished(600000) || p.exitCode() != 0) {
        std::fprintf(stderr, "bench_trace: %s failed (exit %d)\n", qPrintable(program),
                     p.exitCode());
        return -1;
    }
    return double(t.nsecsElapsed()) / 1e9;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? -1 : v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const QStringList a = app.arguments();
    auto opt = [&](const char *name, int def) {
        const qsizetype i = a.indexOf(QLatin1String(name));
        return i >= 0 && i + 1 < a.size() ? a.at(i + 1).toInt() : def;
    };
    const int mib = opt("--mib", 256), straceMib = opt("--strace-mib", 32), reps = opt("--reps", 3);
    QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    {
        // The interpreter itself, not a wrapper script (pyenv's shim adds ~1 s of bash).
        QProcess q;
        q.start(python,
                {QStringLiteral("-c"), QStringLiteral("import sys; print(sys.executable)")});
        if (q.waitForFinished(30000) && q.exitCode() == 0)
            if (const QString exe = QString::fromLocal8Bit(q.readAllStandardOutput().trimmed());
                !exe.isEmpty())
                python = exe;
    }
    const QString strace = QStandardPaths::findExecutable(QStringLiteral("strace"));
    if (python.isEmpty()) {
        std::printf("bench_trace: python3 not found\n");
        return 1;
    }
    QTemporaryDir dir;
    const QString loop = dir.filePath(QStringLiteral("loop.py"));
    {
        QFile f(loop);
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        f.write(Loop);
    }
    const QString bytes = QString::number(qint64(mib) << 20);
    const QString sbytes = QString::number(qint64(straceMib) << 20);
    std::vector<double> plain, traced, straced;
    for (int r = 0; r < reps; ++r) { // alternated, so that load changes hit all three
        plain.push_back(runSeconds(python, {loop, bytes}));
        traced.push_back(runSeconds(QStringLiteral(SOCKETLAB_BIN),
                                    {QStringLiteral("trace"), QStringLiteral("--quiet"),
                                     QStringLiteral("--"), python, loop, bytes}));
        if (!strace.isEmpty())
            straced.push_back(
                runSeconds(strace, {QStringLiteral("-f"), QStringLiteral("-o"),
                                    QStringLiteral("/dev/null"), python, loop, sbytes}));
    }
    const double tp = median(plain), tt = median(traced), ts = median(straced);
    std::printf("T1: CPython 4 KiB send/recv loop, %d MiB (strace: %d MiB), median of %d\n", mib,
                straceMib, reps);
    std::printf("  untraced          %6.2f s  %7.1f MiB/s\n", tp, mib / tp);
    std::printf("  socketlab trace   %6.2f s  %7.1f MiB/s\n", tt, mib / tt);
    double vsStrace = 0;
    if (ts > 0) {
        const double straceFull = ts * double(mib) / straceMib; // per byte, scaled
        std::printf("  strace -f         %6.2f s  %7.1f MiB/s  (%.2f s scaled to %d MiB)\n", ts,
                    straceMib / ts, straceFull, mib);
        vsStrace = straceFull / tt;
    }
    std::printf("T1 traced/untraced=%.2f traced/strace=%.1f\n", tp / tt, vsStrace);
    return 0;
}
