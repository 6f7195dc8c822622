// Issue 11 §3, the export round trip: for a lesson, `socketlab run N --trace A` and
// `socketlab trace -- python3 P.py` of `socketlab export --python N` must make the same
// calls with the same results, per actor (callseq.h says what is compared and what is
// left out). By default lessons 1 and 5; SL_ROUNDTRIP_ALL=1 (tst_roundtrip_all, heavy)
// every built-in lesson, several at once (each lesson is three processes in a row).
//
// The allow-list below names, per lesson and actor, the calls whose results legitimately
// differ between the two runs; everything else must match exactly.
#include "callseq.h"

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <thread>

namespace {

// Runs of successful calls whose byte counts depend on timing: only the run's first
// count is compared (callseq::Options::varying).
// Calls left out: callseq::Options::ignored.
struct Allowed {
    const char *lesson; // file name prefix, "05"
    QSet<QString> varying;
    QSet<QString> ignored;
    QSet<QString> anyCount; // callseq::Options::anyCount
    const char *why;
};
const Allowed kAllowed[] = {
    // The non-blocking send loop (line 40) takes "only what the kernel had freed in the
    // meantime" — the lesson itself says these counts vary with the server's ACKs: there
    // may be no further partial send before EAGAIN, or one or more. The first send's 6144
    // (the pinned 4096 buffers) is still compared.
    {"05", {QStringLiteral("send")}, {}, {}, "send loop counts follow ACK timing"},
    // The bulk loops (Unix and TCP, 512 × 64 KiB) take whatever has arrived: each recv's
    // count depends on how far the writer got. Each loop's first recv is still compared,
    // and every call and error around them.
    {"14", {QStringLiteral("recv")}, {}, {}, "bulk recv counts follow the writer's progress"},
    // The server's select() loop (line 116): how many wakeups it takes depends on when
    // the clients' connects and requests arrive — one select() may report alice's and
    // bob's requests together, or each alone, and a 1 s timeout may pass idle (seen in
    // 1 of 3 runs). Its select calls are left out; the accepts, recvs and sends (with
    // their counts) and the earlier non-blocking part of the lesson are compared.
    {"04", {}, {QStringLiteral("select")}, {}, "select() wakeups follow arrival timing"},
    // sendall(20 MB) into a Wire that stopped reading (lines 21, 47): its one send()
    // returns when the peer is reset or times out, having moved what the auto-tuned
    // buffers held by then (3919467 or 3967083 bytes, say). The send, its error
    // (ECONNRESET, ETIMEDOUT) and every other call are compared, not that count.
    {"21", {}, {}, {QStringLiteral("send")}, "bytes buffered before the error vary"},
};

struct Outcome {
    QString lesson;
    QString failure; // empty: matched
    int calls = 0;   // calls compared (lab side)
    callseq::Seqs run, traced;
};

QString runProcess(const QStringList &args, const QString &dir, int timeoutMs) {
    QProcess p;
    p.setWorkingDirectory(dir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NO_COLOR"), QStringLiteral("1"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    p.setProcessEnvironment(env);
    p.setStandardInputFile(QProcess::nullDevice());
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(SOCKETLAB_BIN), args);
    if (!p.waitForStarted(30000))
        return QStringLiteral("socketlab %1: did not start").arg(args.join(u' '));
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return QStringLiteral("socketlab %1: timed out").arg(args.join(u' '));
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return QStringLiteral("socketlab %1: exit %2:\n%3")
            .arg(args.join(u' '))
            .arg(p.exitCode())
            .arg(QString::fromUtf8(p.readAll().right(2000)));
    return {};
}

QString describe(const callseq::Seqs &a, const callseq::Seqs &b) {
    QString out;
    QStringList names = a.keys() + b.keys();
    names.removeDuplicates();
    for (const QString &n : names)
        if (a.value(n) != b.value(n))
            out += QStringLiteral("  actor %1:\n    run:   %2\n    trace: %3\n")
                       .arg(n, a.value(n).join(u' ').left(1500), b.value(n).join(u' ').left(1500));
    return out;
}

Outcome roundTrip(const QString &file, const QString &dir) {
    Outcome o;
    o.lesson = file.left(2);
    const QString n = QString::number(file.left(2).toInt());
    const QString a = dir + QStringLiteral("/run.jsonl"), b = dir + QStringLiteral("/trace.jsonl");
    const QString py = dir + QStringLiteral("/lesson.py");
    if (QString e =
            runProcess({QStringLiteral("run"), n, QStringLiteral("--trace"), a}, dir, 180000);
        !e.isEmpty())
        return o.failure = e, o;
    if (QString e = runProcess(
            {QStringLiteral("export"), QStringLiteral("--python"), n, QStringLiteral("-o"), py},
            dir, 60000);
        !e.isEmpty())
        return o.failure = e, o;
    if (QString e = runProcess({QStringLiteral("trace"), QStringLiteral("--quiet"),
                                QStringLiteral("--trace"), b, QStringLiteral("--"),
                                QStringLiteral("python3"), py},
                               dir, 180000);
        !e.isEmpty())
        return o.failure = e, o;
    callseq::Options lab, traced;
    traced.traced = true;
    for (const Allowed &al : kAllowed)
        if (o.lesson == QLatin1String(al.lesson))
            lab.varying = traced.varying = al.varying, lab.ignored = traced.ignored = al.ignored,
            lab.anyCount = traced.anyCount = al.anyCount;
    QString error;
    const callseq::Seqs sa = callseq::read(a, lab, &error);
    const callseq::Seqs sb = error.isEmpty() ? callseq::read(b, traced, &error) : callseq::Seqs{};
    if (!error.isEmpty())
        return o.failure = error, o;
    o.run = sa;
    o.traced = sb;
    for (const QStringList &s : sa)
        o.calls += int(s.size());
    if (sa.isEmpty())
        o.failure = QStringLiteral("the lab's trace has no calls");
    else if (sa != sb)
        o.failure = QStringLiteral("the call sequences differ:\n") + describe(sa, sb);
    return o;
}

} // namespace

class TstRoundTrip : public QObject {
    Q_OBJECT
private slots:
    void lessons();
};

void TstRoundTrip::lessons() {
    if (QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty())
        QSKIP("python3 is not installed");
    QStringList files = QDir(QStringLiteral(SOCKETLAB_LESSONS))
                            .entryList({QStringLiteral("*.lab")}, QDir::Files, QDir::Name);
    QVERIFY2(files.size() >= 13, "the built-in lessons are not found");
    // SL_ROUNDTRIP_LESSONS=04|14: only these (to look into one); SL_ROUNDTRIP_ALL=1: all.
    if (const QString only = qEnvironmentVariable("SL_ROUNDTRIP_LESSONS"); !only.isEmpty())
        files = files.filter(QRegularExpression(QStringLiteral("^(%1)-").arg(only)));
    else if (qEnvironmentVariableIntValue("SL_ROUNDTRIP_ALL") != 1)
        files = files.filter(QRegularExpression(QStringLiteral("^(01|05)-")));
    // Not yet exportable (see tst_pyexport's kNotYetExported: kernel_state(), del,
    // TCP_INFO counters and makefile() lack Python helpers): their programs do not run to
    // the end, so there is no round trip to compare. Lesson 4's non-blocking design became
    // a real loop in the same merge: how many EAGAIN rounds it takes depends on timing and
    // its allow-list entry is not written yet. Issue 11 stays open on both.
    static const QRegularExpression notYet(QStringLiteral("^(03|04|07|10|13|16|18|19|20|21)-"));
    files.removeIf([](const QString &f) { return notYet.match(f).hasMatch(); });
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    // Three lessons at once: each is mostly waiting (steps, grace periods, sleeps).
    std::vector<Outcome> outcomes(files.size());
    std::atomic<int> next{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < 3; ++w)
        workers.emplace_back([&] {
            for (int i; (i = next.fetch_add(1)) < files.size();) {
                const QString dir = tmp.path() + u'/' + files[i].left(2);
                QDir().mkpath(dir);
                outcomes[i] = roundTrip(files[i], dir);
            }
        });
    for (std::thread &t : workers)
        t.join();
    QStringList failures;
    for (const Outcome &o : outcomes) {
        qInfo("lesson %s: %s (%d calls compared)", qPrintable(o.lesson),
              o.failure.isEmpty() ? "round trip holds" : "DIFFERS", o.calls);
        if (!o.failure.isEmpty())
            failures << QStringLiteral("lesson %1: %2").arg(o.lesson, o.failure);
    }
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(u'\n')));
    // The comparison can fail: another lesson's program does not pass for this one.
    if (outcomes.size() < 2)
        return;
    QVERIFY(outcomes[0].run != outcomes[1].traced);
    QVERIFY(outcomes[1].run != outcomes[0].traced);
}

QTEST_GUILESS_MAIN(TstRoundTrip)
#include "tst_roundtrip.moc"
