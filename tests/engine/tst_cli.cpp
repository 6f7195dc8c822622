// The built `socketlab` executable, run as a user would: exit codes, what it prints,
// diagnostics of bad scripts, and the JSON Lines trace it writes.
#include "clirun.h"
#include "trace/jsonl.h"
#include "trace/trace.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sys/types.h>

using namespace clitest;

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void lessonsAreListed();
    void checkAllPasses();
    void malformedScript_data();
    void malformedScript();
    void failingExpectation();
    void unknownLesson();
    void sizeCap_data();
    void sizeCap();
    void addressInUse();
    void acceptQueueAgainstBacklog();
    void traceFile();
    void interrupted_data();
    void interrupted();
    void traceNotWritable();
    void noDisplay_data();
    void noDisplay();
    void paceArgument_data();
    void paceArgument();
    void paceWaitsBeforeEveryStep();
    void paceIsInterruptible();

private:
    QString write(const QString &name, const char *text);
    QTemporaryDir m_dir;
    int m_lessons = 0;
};

QString TestCli::write(const QString &name, const char *text) {
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write(text);
    return path;
}

void TestCli::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(QStringLiteral(SOCKETLAB_BIN)), SOCKETLAB_BIN);
}

void TestCli::lessonsAreListed() {
    const Result r = socketlab({QStringLiteral("lessons")});
    QVERIFY2(!r.crashed && r.exitCode == 0, show(r).constData());
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY2(lines.size() >= 4, show(r).constData());
    static const QRegularExpression row(QStringLiteral(R"(^\s*\d+\s+\d\d-[a-z0-9-]+\s+\S)"));
    for (const QString &l : lines)
        QVERIFY2(row.match(l).hasMatch(), qPrintable(l));
    QVERIFY(r.out.contains(QStringLiteral("05-partial-send")));
    m_lessons = int(lines.size());
}

void TestCli::checkAllPasses() {
    // The whole catalogue: about a minute on this machine, several under a sanitizer on a
    // loaded one; it must end, not end fast.
    const Result r = socketlab({QStringLiteral("check"), QStringLiteral("--all")},
                               QProcessEnvironment::systemEnvironment(), {}, true, 400000);
    QVERIFY2(!r.crashed && r.exitCode == 0, show(r).constData());
    static const QRegularExpression verdict(QStringLiteral(R"((\d+) passed, 0 failed)"));
    const auto m = verdict.match(r.out);
    QVERIFY2(m.hasMatch(), show(r).constData());
    QVERIFY(m_lessons >= 4);
    QCOMPARE(m.captured(1).toInt(), m_lessons);
    QCOMPARE(int(r.out.count(QStringLiteral("PASS "))), m_lessons);
    QVERIFY(!r.out.contains(QStringLiteral("FAIL ")));
}

void TestCli::malformedScript_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::newRow("unknown call") << QByteArray("a: s = socket(AF_INET, SOCK_STREAM)\n"
                                                "a: s.sned(b\"x\")\n")
                                  << 2;
    QTest::newRow("unterminated string") << QByteArray("a: x = 1\nsay \"never ends\n") << 2;
    QTest::newRow("no actor") << QByteArray("a: x = 1\n\ns = socket(AF_INET, SOCK_STREAM)\n") << 3;
    QTest::newRow("unclosed paren") << QByteArray("a: x = 1\na: y = (1, 2\n") << 2;
}

void TestCli::malformedScript() {
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    const QString path = write(QStringLiteral("bad.lab"), text.constData());
    const Result r = socketlab({QStringLiteral("run"), path});
    QVERIFY2(!r.crashed && r.exitCode == 2, show(r).constData());
    const QRegularExpression where(QRegularExpression::escape(path) +
                                   QStringLiteral(R"(:(\d+):(\d+): error)"));
    const auto m = where.match(r.err);
    QVERIFY2(m.hasMatch(), show(r).constData());
    QCOMPARE(m.captured(1).toInt(), line);
    QVERIFY(m.captured(2).toInt() >= 1);
    QVERIFY2(r.err.contains(QStringLiteral("hint:")), show(r).constData());
    QVERIFY2(r.out.trimmed().isEmpty(), show(r).constData()); // nothing ran
}

void TestCli::failingExpectation() {
    const QString path = write(QStringLiteral("fail.lab"), "a: x = 1\n"
                                                           "expect x == 1\n"
                                                           "expect x == 2\n"
                                                           "a: y = 3\n");
    const Result r = socketlab({QStringLiteral("run"), path});
    QVERIFY2(!r.crashed && r.exitCode == 1, show(r).constData());
    QVERIFY2(QString(r.out + r.err).contains(path + QStringLiteral(":3")), show(r).constData());
    QVERIFY2(!QString(r.out + r.err).contains(path + QStringLiteral(":2")), show(r).constData());
}

void TestCli::unknownLesson() {
    const Result r = socketlab({QStringLiteral("run"), QStringLiteral("nosuchlesson")});
    QVERIFY2(!r.crashed && r.exitCode == 2, show(r).constData());
    QVERIFY2(r.err.contains(QStringLiteral("nosuchlesson")), show(r).constData());
    QVERIFY(r.out.trimmed().isEmpty());
}

void TestCli::sizeCap_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("exitCode");
    // A literal size is refused before anything runs; a computed one when it runs.
    QTest::newRow("literal") << QByteArray("a: x = b\"x\" * 2_000_000_000\n") << 2;
    QTest::newRow("computed") << QByteArray("a: n = 2_000_000_000\na: x = b\"x\" * n\n") << 1;
}

void TestCli::sizeCap() {
    QFETCH(QByteArray, text);
    QFETCH(int, exitCode);
    const QString path = write(QStringLiteral("cap.lab"), text.constData());
    const Result r = socketlab({QStringLiteral("run"), path});
    QVERIFY2(!r.crashed && r.exitCode == exitCode, show(r).constData());
    QVERIFY2(QString(r.out + r.err).contains(QStringLiteral("1 GiB cap")), show(r).constData());
}

void TestCli::addressInUse() {
    const QString path = write(QStringLiteral("inuse.lab"), R"(a: s1 = socket(AF_INET, SOCK_STREAM)
a: s1.bind(("127.0.0.1", 0))
a: s1.listen(1)
a: s2 = socket(AF_INET, SOCK_STREAM)
a: s2.bind(s1.getsockname())
expect error == EADDRINUSE
a: s2.close()
a: s1.close()
)");
    const Result r = socketlab({QStringLiteral("run"), path});
    QVERIFY2(!r.crashed && r.exitCode == 0, show(r).constData());
    QVERIFY2(r.out.contains(QStringLiteral("EADDRINUSE")), show(r).constData());
}

// A listener's line shows the backlog listen() was given, its bar full at backlog + 1
// (what Linux holds), as the window shows it: listen(2) and two clients waiting.
void TestCli::acceptQueueAgainstBacklog() {
    const QString path =
        write(QStringLiteral("backlog.lab"), R"(a: srv = socket(AF_INET, SOCK_STREAM)
a: srv.bind(("127.0.0.1", 0))
a: srv.listen(2)
b: c1 = socket(AF_INET, SOCK_STREAM)
b: c1.connect(srv.getsockname())
b: c2 = socket(AF_INET, SOCK_STREAM)
b: c2.connect(srv.getsockname())
expect acceptq(srv) == 2
)");
    const Result r = socketlab({QStringLiteral("run"), path});
    QVERIFY2(!r.crashed && r.exitCode == 0, show(r).constData());
    // 2 of a capacity of 3: seven of ten marks, the text "2/2".
    QVERIFY2(r.out.contains(QStringLiteral("accept-queue [#######...] 2/2")), show(r).constData());
}

void TestCli::traceFile() {
    const QString out = m_dir.filePath(QStringLiteral("out.jsonl"));
    const Result r =
        socketlab({QStringLiteral("run"), QStringLiteral("5"), QStringLiteral("--trace"), out});
    QVERIFY2(!r.crashed && r.exitCode == 0, show(r).constData());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray first = f.readLine();
    const QJsonDocument header = QJsonDocument::fromJson(first);
    QVERIFY2(header.isObject(), first.constData());
    QCOMPARE(header.object().value(QStringLiteral("socketlab_trace")).toInt(), 2);
    QCOMPARE(header.object().value(QStringLiteral("lesson")).toString(),
             QStringLiteral("05-partial-send"));
    QVERIFY(header.object().value(QStringLiteral("source")).toString().contains(u"send"));
    f.seek(0);
    sl::trace::Trace t;
    QMap<QString, QString> meta;
    sl::trace::JsonlError error;
    QVERIFY2(sl::trace::readJsonl(f, t, &meta, &error),
             qPrintable(QStringLiteral("line %1: %2").arg(error.line).arg(error.message)));
    QVERIFY(t.size() > 100);
    QCOMPARE(meta.value(QStringLiteral("lesson")), QStringLiteral("05-partial-send"));
    QVERIFY2(r.out.contains(QStringLiteral("%1 events written").arg(t.size())),
             show(r).constData());
}

// Issue 12, point 9: a signal stops the run cleanly — the exit status says which, and
// the trace holds what was recorded, complete (its trailer) and marked interrupted; the
// stale file that was at the path is replaced, and no temporary file is left behind.
void TestCli::interrupted_data() {
    QTest::addColumn<int>("signo");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGHUP") << int(SIGHUP);
}

void TestCli::interrupted() {
    QFETCH(int, signo);
    QTemporaryDir dir;
    const QString script = dir.filePath(QStringLiteral("long.lab"));
    {
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"(a: srv = socket(AF_INET, SOCK_STREAM)
a: srv.bind(("127.0.0.1", 0))
a: srv.listen(1)
a: conn, addr = srv.accept()
say "ready to be interrupted"
wait 120
a: srv.close()
)");
    }
    const QString out = dir.filePath(QStringLiteral("out.jsonl"));
    {
        QFile stale(out);
        QVERIFY(stale.open(QIODevice::WriteOnly));
        stale.write("stale: an older run's trace\n");
    }
    QProcess p;
    p.start(QStringLiteral(SOCKETLAB_BIN),
            {QStringLiteral("run"), script, QStringLiteral("--trace"), out,
             QStringLiteral("--no-color")});
    QVERIFY(p.waitForStarted());
    QByteArray printed;
    // The run is in its long wait (after the say) with an actor blocked in accept().
    QTRY_VERIFY_WITH_TIMEOUT(
        (printed += p.readAllStandardOutput(), printed.contains("ready to be interrupted")), 30000);
    QVERIFY(::kill(pid_t(p.processId()), signo) == 0);
    QVERIFY(p.waitForFinished(20000));
    printed += p.readAllStandardOutput();
    const QByteArray err = p.readAllStandardError();
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 128 + signo);
    QVERIFY2(printed.contains("(interrupted)"), printed.constData());
    QVERIFY2(err.contains("interrupted by SIG"), err.constData());

    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    sl::trace::Trace t;
    sl::trace::JsonlError error;
    bool interrupted = false;
    sl::trace::JsonlReadOptions opts;
    opts.interrupted = &interrupted;
    QVERIFY2(sl::trace::readJsonl(f, t, nullptr, &error, opts),
             qPrintable(QStringLiteral("line %1: %2").arg(error.line).arg(error.message)));
    QVERIFY(interrupted);
    QVERIFY(t.size() > 5);
    const sl::trace::Event &last = t.event(t.size() - 1);
    QCOMPARE(last.kind, sl::trace::EventKind::Note);
    QVERIFY2(t.text(last.text.a).startsWith(QStringLiteral("interrupted by SIG")),
             qPrintable(t.text(last.text.a)));
    bool sawSay = false;
    for (std::size_t i = 0; i < t.size(); ++i)
        sawSay = sawSay || t.event(i).kind == sl::trace::EventKind::Say;
    QVERIFY(sawSay); // what was recorded before the signal is all there
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2); // no temp file
}

// A trace that cannot be written stops the run before anything runs; a script that does
// not load writes nothing (and leaves what was at the path alone).
void TestCli::traceNotWritable() {
    const QString nowhere = m_dir.filePath(QStringLiteral("no/such/dir/out.jsonl"));
    Result r =
        socketlab({QStringLiteral("run"), QStringLiteral("1"), QStringLiteral("--trace"), nowhere});
    QVERIFY2(!r.crashed && r.exitCode == 2, show(r).constData());
    QVERIFY2(r.err.contains(QStringLiteral("cannot write the trace")), show(r).constData());
    QVERIFY2(r.out.trimmed().isEmpty(), show(r).constData());

    QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("bad.lab"));
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("a: s.sned(\n");
    }
    const QString out = dir.filePath(QStringLiteral("out.jsonl"));
    r = socketlab({QStringLiteral("run"), bad, QStringLiteral("--trace"), out});
    QVERIFY2(!r.crashed && r.exitCode == 2, show(r).constData());
    QVERIFY(!QFile::exists(out));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
}

// Issue 12, point 11: a display that does not answer must not matter to the terminal
// commands, and the window falls back to the terminal with a clear message.
void TestCli::noDisplay_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("--version") << QStringList{QStringLiteral("--version")}
                               << QStringLiteral("socketlab");
    QTest::newRow("--help") << QStringList{QStringLiteral("--help")} << QStringLiteral("check");
    QTest::newRow("lessons") << QStringList{QStringLiteral("lessons")}
                             << QStringLiteral("05-partial-send");
    QTest::newRow("window") << QStringList{} << QStringLiteral("in the terminal");
}

void TestCli::noDisplay() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("DISPLAY"), QStringLiteral(":99"));
    const Result r = socketlab(args, env);
    QVERIFY2(!r.crashed && r.exitCode == 0, show(r).constData());
    QVERIFY2(QString(r.out + r.err).contains(expected), show(r).constData());
}

// --pace takes seconds from 0 to 3600; anything else is refused before anything runs.
void TestCli::paceArgument_data() {
    QTest::addColumn<QString>("value");
    for (const char *v : {"-1", "abc", "nan", "inf", "4000", ""})
        QTest::newRow(*v ? v : "empty") << QString::fromLatin1(v);
}

void TestCli::paceArgument() {
    QFETCH(QString, value);
    const Result r =
        socketlab({QStringLiteral("check"), QStringLiteral("01"), QStringLiteral("--pace"), value});
    QVERIFY2(!r.crashed && r.exitCode == 2, show(r).constData());
    QVERIFY2(r.err.contains(QStringLiteral("--pace")), show(r).constData());
    QVERIFY2(!r.out.contains(QStringLiteral("PASS")), show(r).constData()); // nothing ran
}

// A reader pauses before every step: two steps of one actor are at least the pace apart
// (a lower bound, never a timing assertion on a busy machine), and a call that ends by
// itself meanwhile (a 0.2 s timeout) is found ended when the next step looks.
void TestCli::paceWaitsBeforeEveryStep() {
    const QString path = write(QStringLiteral("pace.lab"), R"(a: s, t = socketpair()
a: s.settimeout(0.2)
a: t0 = monotonic()
a: data = s.recv(10)
expect exception_of(a) == "TimeoutError"
a: t1 = monotonic()
expect t1 - t0 >= 1.1
say "paced: {t1 - t0}"
)");
    const Result r =
        socketlab({QStringLiteral("run"), path, QStringLiteral("--pace"), QStringLiteral("0.4")});
    QVERIFY2(!r.crashed && r.exitCode == 0, show(r).constData());
    QVERIFY2(r.out.contains(QStringLiteral("TimeoutError")), show(r).constData());
    const Result c =
        socketlab({QStringLiteral("check"), path, QStringLiteral("--pace"), QStringLiteral("0.4")});
    QVERIFY2(!c.crashed && c.exitCode == 0, show(c).constData());
    QVERIFY2(c.out.contains(QStringLiteral("pace: 0.4 s")), show(c).constData());
}

// A signal during a reader's pause stops the run at once, as it does during a step: the
// run ends long before the 60 s pause would have (the bound only catches a hang).
void TestCli::paceIsInterruptible() {
    QProcess p;
    p.start(QStringLiteral(SOCKETLAB_BIN),
            {QStringLiteral("run"), QStringLiteral("01"), QStringLiteral("--pace"),
             QStringLiteral("60"), QStringLiteral("--no-color")});
    QVERIFY(p.waitForStarted());
    QByteArray printed;
    // The header is printed before the first step's pause.
    QTRY_VERIFY_WITH_TIMEOUT((printed += p.readAllStandardOutput(), !printed.isEmpty()), 30000);
    QVERIFY(::kill(pid_t(p.processId()), SIGTERM) == 0);
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 128 + SIGTERM);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
