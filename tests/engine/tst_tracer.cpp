// `socketlab trace`: real programs (python3, curl) traced through the LD_PRELOAD
// interposer, their calls and the kernel's view read back from the lab's trace. No
// mocks: every call is the program's own, through libc, on loopback.
#include "sys/errors.h"
#include "sys/kernelprobe.h"
#include "trace/jsonl.h"
#include "tracer/programtracer.h"

#include "script/catalog.h"

#include <QBuffer>
#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <csignal>
#include <set>
#include <sys/stat.h>

using namespace sl;
using script::CallId;

namespace {

QString python() {
    return QStandardPaths::findExecutable(QStringLiteral("python3"));
}

// Runs the tracer until the program ends (deadline: generous, the machine may be loaded).
// step: every call held and released by the test once the lab has read and probed it,
// so the samples show the kernel exactly between calls.
bool runToEnd(tracer::ProgramTracer &t, bool step, int timeoutMs = 15000) {
    t.setProbeEachCall(true);
    QDeadlineTimer dl(timeoutMs);
    while (!dl.hasExpired()) {
        const int n = t.poll();
        if (t.stepPending()) {
            t.release();
            continue;
        }
        if (t.finished())
            return true;
        if (n == 0)
            QThread::usleep(500);
    }
    Q_UNUSED(step);
    return false;
}

struct Ends {
    std::vector<trace::Event> ends;
    std::vector<trace::Event> begins;
    std::set<int> states; // TCP states sampled
    std::vector<QString> actors;
};
Ends collect(const trace::Trace &t) {
    Ends e;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const trace::Event &ev = t.event(i);
        if (ev.kind == trace::EventKind::CallEnd)
            e.ends.push_back(ev);
        else if (ev.kind == trace::EventKind::CallBegin)
            e.begins.push_back(ev);
        else if (ev.kind == trace::EventKind::Sample)
            e.states.insert(ev.sample.state);
        else if (ev.kind == trace::EventKind::ActorNew)
            e.actors.push_back(t.text(ev.text.a));
    }
    return e;
}
int countCall(const Ends &e, CallId id, std::int64_t ret) {
    int n = 0;
    for (const trace::Event &ev : e.ends)
        n += ev.call.call == std::uint16_t(id) && ev.call.ret == ret;
    return n;
}

} // namespace

class TstTracer : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &text) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(text);
        return path;
    }

private slots:
    void initTestCase() {
        if (python().isEmpty())
            QSKIP("python3 is needed");
        QVERIFY2(!tracer::ProgramTracer::preloadPath().isEmpty(), "libsocketlab_preload.so");
    }

    // The HOWTO's pair: a server and its client, two processes, both sides seen.
    void clientServerPair() {
        const QByteArray server = "import socket, sys\n"
                                  "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
                                  "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                                  "s.bind(('127.0.0.1', 0))\n"
                                  "s.listen(5)\n"
                                  "open(sys.argv[1], 'w').write(str(s.getsockname()[1]))\n"
                                  "c, addr = s.accept()\n"
                                  "data = c.recv(1024)\n"
                                  "c.sendall(data.upper())\n"
                                  "c.close()\n"
                                  "s.close()\n";
        const QByteArray client = "import socket, sys, time, os\n"
                                  "while not os.path.exists(sys.argv[1]) or not "
                                  "open(sys.argv[1]).read(): time.sleep(0.02)\n"
                                  "port = int(open(sys.argv[1]).read())\n"
                                  "c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
                                  "c.connect(('127.0.0.1', port))\n"
                                  "c.sendall(b'hello')\n"
                                  "assert c.recv(1024) == b'HELLO'\n"
                                  "c.close()\n";
        const QString portFile = m_dir.filePath(QStringLiteral("port"));
        const QString sh = write(QStringLiteral("pair.sh"),
                                 QByteArray("python3 ") +
                                     QFile::encodeName(write(QStringLiteral("server.py"), server)) +
                                     " " + QFile::encodeName(portFile) + " & python3 " +
                                     QFile::encodeName(write(QStringLiteral("client.py"), client)) +
                                     " " + QFile::encodeName(portFile) + "; wait $!\n");
        trace::Trace t;
        tracer::ProgramTracer tr(t);
        QString error;
        QVERIFY2(tr.start({QStringLiteral("sh"), sh}, true, true, &error), qPrintable(error));
        QVERIFY(runToEnd(tr, true));
        QCOMPARE(tr.exitStatus(), 0);
        const Ends e = collect(t);
        QCOMPARE(countCall(e, CallId::Listen, 0), 1);
        QCOMPARE(countCall(e, CallId::Connect, 0), 1);
        QCOMPARE(countCall(e, CallId::Send, 5), 2); // hello and HELLO
        QCOMPARE(countCall(e, CallId::Recv, 5), 2);
        int accepted = 0;
        for (const trace::Event &ev : e.ends)
            accepted += ev.call.call == std::uint16_t(CallId::Accept) && ev.call.ret >= 0;
        QCOMPARE(accepted, 1);
        QVERIFY(e.states.count(int(sys::TcpState::Listen)));
        QVERIFY(e.states.count(int(sys::TcpState::Established)));
        // Each python3 is an actor of its own process.
        QVERIFY2(std::count_if(e.actors.begin(), e.actors.end(),
                               [](const QString &a) { return a.startsWith(u"python3"); }) >= 2,
                 qPrintable(QStringList(e.actors.begin(), e.actors.end()).join(u',')));
    }

    // Non-blocking sends into a peer that never reads: the kernel takes part of one
    // send, then refuses with EAGAIN — the counts as the kernel gives them.
    void partialSendThenEagain() {
        const QByteArray prog = "import socket\n"
                                "l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(1)\n"
                                "c = socket.socket()\n"
                                "c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)\n"
                                "c.connect(l.getsockname())\n"
                                "peer, _ = l.accept()\n"
                                "c.setblocking(False)\n"
                                "try:\n"
                                "    while True: c.send(b'x' * 1000000)\n"
                                "except BlockingIOError:\n"
                                "    print('EAGAIN')\n";
        trace::Trace t;
        tracer::ProgramTracer tr(t);
        QString error;
        QVERIFY2(
            tr.start({python(), write(QStringLiteral("partial.py"), prog)}, false, false, &error),
            qPrintable(error));
        QVERIFY(runToEnd(tr, false));
        QCOMPARE(tr.exitStatus(), 0);
        const Ends e = collect(t);
        bool partial = false, eagain = false;
        for (const trace::Event &ev : e.ends) {
            if (ev.call.call != std::uint16_t(CallId::Send))
                continue;
            QCOMPARE(ev.call.asked, 1000000);
            if (ev.call.ret > 0 && ev.call.ret < 1000000) {
                partial = true;
                QVERIFY(ev.call.flags & trace::CallPartial);
                QVERIFY(ev.call.flags & trace::CallNonBlocking);
            }
            if (ev.call.ret == -1) {
                QVERIFY(partial); // after the partial one
                QCOMPARE(QLatin1String(sys::errnoName(ev.call.err)), QLatin1String("EAGAIN"));
                eagain = true;
            }
        }
        QVERIFY(partial);
        QVERIFY(eagain);
    }

    // The terminal report: errno by name, a partial send in words; --break holds only
    // the calls named.
    void reportAndBreak() {
        const QString prog = write(QStringLiteral("report.py"),
                                   "import socket\n"
                                   "l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(1)\n"
                                   "c = socket.socket()\n"
                                   "c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)\n"
                                   "c.connect(l.getsockname())\n"
                                   "peer, _ = l.accept()\n"
                                   "c.setblocking(False)\n"
                                   "try:\n"
                                   "    while True: c.send(b'x' * 1000000)\n"
                                   "except BlockingIOError:\n"
                                   "    pass\n");
        QProcess p;
        p.start(QStringLiteral(SOCKETLAB_BIN),
                {QStringLiteral("trace"), QStringLiteral("--no-color"), QStringLiteral("--break"),
                 QStringLiteral("accept4,accept"), QStringLiteral("--"), python(), prog});
        QVERIFY(p.waitForStarted());
        QString out;
        QDeadlineTimer dl(15000);
        while (!out.contains(QStringLiteral("<- next")) && !dl.hasExpired()) {
            p.waitForReadyRead(200);
            out += QString::fromUtf8(p.readAllStandardOutput());
        }
        // Held at accept, after socket/bind/listen/connect ran without a stop.
        QVERIFY2(
            out.contains(QStringLiteral("accept")) &&
                out.section(QStringLiteral("<- next"), 0, 0).contains(QStringLiteral("connect(")),
            qPrintable(out));
        QCOMPARE(out.count(QStringLiteral("<- next")), 1);
        p.write("\n");
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(15000));
        out += QString::fromUtf8(p.readAllStandardOutput());
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(out.count(QStringLiteral("<- next")), 1); // no send was held
        QVERIFY2(out.contains(QStringLiteral("-> -1 EAGAIN (")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("partial: ")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("ESTABLISHED")), qPrintable(out));
    }

    // Where pidfd_getfd() is refused, the kernel's view comes from sock_diag by inode.
    void sockDiagFallback() {
        const QByteArray prog = "import socket, time\n"
                                "l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(1)\n"
                                "c = socket.create_connection(l.getsockname())\n"
                                "s, _ = l.accept()\n"
                                "s.send(b'x' * 1000)\n"
                                "c.send(b'y')\n";
        qputenv("SOCKETLAB_TRACE_NO_PIDFD", "1");
        trace::Trace t;
        tracer::ProgramTracer tr(t);
        QString error;
        const bool started =
            tr.start({python(), write(QStringLiteral("diag.py"), prog)}, true, false, &error);
        qunsetenv("SOCKETLAB_TRACE_NO_PIDFD");
        QVERIFY2(started, qPrintable(error));
        QVERIFY(runToEnd(tr, true));
        QCOMPARE(tr.exitStatus(), 0);
        const Ends e = collect(t);
        QVERIFY(e.states.count(int(sys::TcpState::Listen)));
        QVERIFY(e.states.count(int(sys::TcpState::Established)));
        bool queued = false; // c's receive queue holds s's 1000 bytes (c never reads)
        for (std::size_t i = 0; i < t.size(); ++i)
            queued |=
                t.event(i).kind == trace::EventKind::Sample && t.event(i).sample.recvQ == 1000;
        QVERIFY(queued);
    }

    // --step from the command line: one call runs per Enter.
    void stepReleasesOneCallAtATime() {
        const QString prog = write(QStringLiteral("step.py"), "import socket\n"
                                                              "a, b = socket.socketpair()\n"
                                                              "a.send(b'ping')\n"
                                                              "print(b.recv(10))\n");
        QProcess p;
        p.start(QStringLiteral(SOCKETLAB_BIN),
                {QStringLiteral("trace"), QStringLiteral("--step"), QStringLiteral("--no-color"),
                 QStringLiteral("--"), python(), prog});
        QVERIFY(p.waitForStarted());
        QString out;
        auto waitFor = [&](const QString &what, int count) {
            QDeadlineTimer dl(15000);
            while (out.count(what) < count && !dl.hasExpired()) {
                p.waitForReadyRead(200);
                out += QString::fromUtf8(p.readAllStandardOutput());
            }
            return out.count(what) >= count;
        };
        QVERIFY2(waitFor(QStringLiteral("<- next"), 1), qPrintable(out));
        QThread::msleep(300); // nothing runs without Enter
        out += QString::fromUtf8(p.readAllStandardOutput());
        QCOMPARE(out.count(QStringLiteral("<- next")), 1);
        QCOMPARE(out.count(QStringLiteral("-> ")), 0);
        // Each Enter: the held call returns (its result), and the next one is held.
        int k = 1;
        auto sendReturned = [&] {
            const qsizetype at = out.lastIndexOf(QStringLiteral("send("));
            return at >= 0 && out.indexOf(QStringLiteral("-> "), at) > at;
        };
        for (; k < 12 && !sendReturned(); ++k) {
            p.write("\n");
            QVERIFY2(waitFor(QStringLiteral("<- next"), k + 1), qPrintable(out));
            QCOMPARE(out.count(QStringLiteral("-> ")), k);
        }
        QVERIFY2(out.contains(QStringLiteral("socketpair(")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("send(")), qPrintable(out));
        QVERIFY2(
            out.mid(out.lastIndexOf(QStringLiteral("send("))).contains(QStringLiteral("-> 4\n")),
            qPrintable(out));                              // send returned 4
        QVERIFY(!out.contains(QStringLiteral("b'ping'"))); // recv is held
        p.closeWriteChannel();                             // the end of the input: the rest runs on
        QVERIFY(p.waitForFinished(15000));
        out += QString::fromUtf8(p.readAllStandardOutput());
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(out.contains(QStringLiteral("b'ping'")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("recv(")), qPrintable(out));
    }

    // A fork child and two threads: separate actors, grouped by their process.
    void forkAndThreads() {
        const QByteArray prog = "import os, socket, threading\n"
                                "a, b = socket.socketpair()\n"
                                "pid = os.fork()\n"
                                "if pid == 0:\n"
                                "    b.send(b'from child'); os._exit(0)\n"
                                "assert a.recv(100) == b'from child'\n"
                                "os.waitpid(pid, 0)\n"
                                "def work():\n"
                                "    s = socket.socket(); s.close()\n"
                                "ts = [threading.Thread(target=work) for _ in range(2)]\n"
                                "[t.start() for t in ts]; [t.join() for t in ts]\n";
        trace::Trace t;
        tracer::ProgramTracer tr(t);
        QString error;
        QVERIFY2(tr.start({python(), write(QStringLiteral("fork.py"), prog)}, false, false, &error),
                 qPrintable(error));
        QVERIFY(runToEnd(tr, false));
        QCOMPARE(tr.exitStatus(), 0);
        const Ends e = collect(t);
        const QString all = QStringList(e.actors.begin(), e.actors.end()).join(u',');
        // "python3 [P]", the child "python3 [C]", the threads "… [P/T]".
        std::set<QString> pids;
        int threads = 0;
        for (const QString &a : e.actors) {
            pids.insert(a.section(u'[', 1).section(u'/', 0, 0).section(u']', 0, 0));
            threads += a.contains(u'/');
        }
        QVERIFY2(pids.size() >= 2, qPrintable(all));
        QVERIFY2(threads >= 2, qPrintable(all));
        QCOMPARE(countCall(e, CallId::Send, 10), 1);
        QCOMPARE(countCall(e, CallId::Recv, 10), 1);
    }

    // curl (through libc's send/recv) against a local server.
    void curlAgainstLocalServer() {
        const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
        if (curl.isEmpty())
            QSKIP("curl is not installed");
        QProcess server;
        server.setWorkingDirectory(m_dir.path());
        const QString portFile = m_dir.filePath(QStringLiteral("http-port"));
        write(QStringLiteral("index.html"), "hello from the lab\n");
        server.start(python(), {QStringLiteral("-c"),
                                QStringLiteral("import http.server, sys\n"
                                               "h = http.server.HTTPServer(('127.0.0.1', 0), "
                                               "http.server.SimpleHTTPRequestHandler)\n"
                                               "open(sys.argv[1], 'w').write(str(h.server_port))\n"
                                               "h.handle_request()\n"),
                                portFile});
        QVERIFY(server.waitForStarted());
        QDeadlineTimer dl(10000);
        QString port;
        while (port.isEmpty() && !dl.hasExpired()) {
            QFile f(portFile);
            if (f.open(QIODevice::ReadOnly))
                port = QString::fromLatin1(f.readAll());
            if (port.isEmpty())
                QThread::msleep(20);
        }
        QVERIFY(!port.isEmpty());
        trace::Trace t;
        tracer::ProgramTracer tr(t);
        QString error;
        QVERIFY2(
            tr.start({curl, QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                      QStringLiteral("http://127.0.0.1:%1/index.html").arg(port)},
                     false, true, &error),
            qPrintable(error));
        QVERIFY(runToEnd(tr, false));
        QCOMPARE(tr.exitStatus(), 0);
        QVERIFY(server.waitForFinished(10000));
        const Ends e = collect(t);
        bool connected = false, sent = false, received = false;
        for (const trace::Event &ev : e.ends) {
            const auto c = CallId(ev.call.call);
            connected |= c == CallId::Connect && (ev.call.ret == 0 || ev.call.err == EINPROGRESS);
            sent |=
                (c == CallId::Send || c == CallId::Sendto || c == CallId::Write) && ev.call.ret > 0;
            received |= (c == CallId::Recv || c == CallId::Recvfrom || c == CallId::Read) &&
                        ev.call.ret > 0;
        }
        QVERIFY(connected);
        QVERIFY(sent);
        QVERIFY(received);
    }

    // Killed while blocked in recv: the call ends (woken), the sockets leave, and the
    // trace exports and reads back complete.
    void killedMidRecv() {
        const QByteArray prog = "import socket\n"
                                "a, b = socket.socketpair()\n"
                                "a.recv(10)\n";
        trace::Trace t;
        tracer::ProgramTracer tr(t);
        QString error;
        QVERIFY2(
            tr.start({python(), write(QStringLiteral("block.py"), prog)}, false, false, &error),
            qPrintable(error));
        QDeadlineTimer dl(15000);
        bool inRecv = false;
        while (!inRecv && !dl.hasExpired()) {
            tr.poll();
            const Ends e = collect(t);
            for (const trace::Event &ev : e.begins)
                inRecv |= ev.call.call == std::uint16_t(CallId::Recv);
            if (!inRecv)
                QThread::msleep(5);
        }
        QVERIFY(inRecv);
        QThread::msleep(150);
        tr.poll(); // the call has lasted: its actor is blocked in recv
        bool blocked = false;
        for (std::size_t i = 0; i < t.size(); ++i)
            blocked |= t.event(i).kind == trace::EventKind::ActorStatus &&
                       t.event(i).status.status == std::uint8_t(trace::ActorState::Blocked) &&
                       t.event(i).status.call == std::uint16_t(CallId::Recv);
        QVERIFY(blocked);
        ::kill(tr.pid(), SIGKILL);
        QVERIFY(runToEnd(tr, false));
        QCOMPARE(tr.exitStatus(), 128 + SIGKILL);
        const Ends e = collect(t);
        QCOMPARE(e.begins.size(), e.ends.size());
        QVERIFY(e.ends.back().call.call == std::uint16_t(CallId::Recv));
        QVERIFY(e.ends.back().call.flags & trace::CallWoken);
        int opened = 0, closed = 0;
        for (std::size_t i = 0; i < t.size(); ++i) {
            opened += t.event(i).kind == trace::EventKind::SocketNew;
            closed += t.event(i).kind == trace::EventKind::SocketClose;
        }
        QCOMPARE(opened, 2);
        QCOMPARE(closed, 2);
        QBuffer buf;
        buf.open(QIODevice::ReadWrite);
        QVERIFY(trace::writeJsonl(t, buf));
        buf.seek(0);
        trace::Trace back;
        trace::JsonlError err;
        QVERIFY2(trace::readJsonl(buf, back, nullptr, &err), qPrintable(err.message));
        QCOMPARE(back.size(), t.size());
    }

    // CPython: each call carries the program's line (the lab's sitecustomize.py), even
    // through socket.py's own code (create_connection), and in the trace's events.
    void pythonLines() {
        const QByteArray prog = "import socket\n"
                                "l = socket.socket()\n"
                                "l.bind(('127.0.0.1', 0)); l.listen(1)\n"
                                "c = socket.create_connection(l.getsockname())\n"
                                "s, _ = l.accept()\n"
                                "c.send(b'line six')\n";
        trace::Trace t;
        tracer::ProgramTracer tr(t);
        tr.setPythonLines(true);
        QString error;
        QVERIFY2(
            tr.start({python(), write(QStringLiteral("lines.py"), prog)}, false, false, &error),
            qPrintable(error));
        std::vector<tracer::TracedCall> calls;
        tr.setProbeEachCall(true);
        QDeadlineTimer dl(15000);
        while (!tr.finished() && !dl.hasExpired()) {
            for (const tracer::TracedCall &c : tr.takeCalls())
                calls.push_back(c);
            QThread::msleep(1);
        }
        for (const tracer::TracedCall &c : tr.takeCalls())
            calls.push_back(c);
        QCOMPARE(tr.exitStatus(), 0);
        QStringList seen;
        for (const tracer::TracedCall &c : calls)
            if (c.ended)
                seen << c.where + QLatin1Char(' ') + c.text.section(u'(', 0, 0);
        const QString all = seen.join(QStringLiteral(", "));
        QVERIFY2(seen.contains(QStringLiteral("lines.py:3 listen")), qPrintable(all));
        QVERIFY2(seen.contains(QStringLiteral("lines.py:4 connect")), qPrintable(all));
        QVERIFY2(seen.contains(QStringLiteral("lines.py:6 send")), qPrintable(all));
        bool sendLine = false;
        for (const trace::Event &ev : collect(t).ends)
            sendLine |= ev.call.call == std::uint16_t(CallId::Send) && ev.line == 6;
        QVERIFY(sendLine);
    }

    void refusesSetuid() {
        const QString copy = m_dir.filePath(QStringLiteral("suid-true"));
        QVERIFY(QFile::copy(QStringLiteral("/bin/true"), copy));
        QVERIFY(::chmod(QFile::encodeName(copy).constData(), 04755) == 0);
        trace::Trace t;
        tracer::ProgramTracer tr(t);
        QString error;
        QVERIFY(!tr.start({copy}, false, false, &error));
        QVERIFY2(error.contains(QStringLiteral("setuid")), qPrintable(error));
        QProcess p;
        p.start(QStringLiteral(SOCKETLAB_BIN),
                {QStringLiteral("trace"), QStringLiteral("--"), copy});
        QVERIFY(p.waitForFinished(15000));
        QCOMPARE(p.exitCode(), 127);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(QStringLiteral("setuid")));
    }
};

QTEST_GUILESS_MAIN(TstTracer)
#include "tst_tracer.moc"
