// `socketlab watch` (issue 11 §2) against real python3 programs the lab did not start:
// a server that accepted one connection of two (1000 unread bytes on it, the other
// still in the accept queue with 7) and its client in a second process. The table the
// built executable prints must show what the test arranged: states, RECV-Q/SEND-Q,
// the accept-queue connection and, after close, TIME_WAIT as kernel-only rows.
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <csignal>
#include <optional>
#include <unistd.h>

namespace {

const char *const ServerPy = R"(
import socket, sys
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
print(srv.getsockname()[1], flush=True)
conn, peer = srv.accept()
print("accepted", peer[1], flush=True)
sys.stdin.readline()          # "close": the server closes first (FIN_WAIT2, TIME_WAIT)
got = 0
while got < 1000:             # unread bytes would make close() send RST, not FIN
    got += len(conn.recv(1000 - got))
conn.close()
print("closed", flush=True)
sys.stdin.read()              # until the test closes stdin
)";

const char *const ClientPy = R"(
import socket, sys
port = int(sys.argv[1])
a = socket.create_connection(("127.0.0.1", port))
a.sendall(b"x" * 1000)        # never read by the server
b = socket.create_connection(("127.0.0.1", port))
b.sendall(b"y" * 7)           # b is never accepted
print(a.getsockname()[1], b.getsockname()[1], flush=True)
sys.stdin.readline()          # "close"
a.close()
print("closed", flush=True)
sys.stdin.read()
)";

struct Row {
    QString fd, state, local, peer;
    int recvQ = -1, sendQ = -1;
    QString ready, pid, note;
};

// The rows of the last table in `text` (columns split on blanks; the note is the rest).
std::vector<Row> parseTable(const QString &text, bool withPid) {
    std::vector<Row> rows;
    const QStringList lines = text.split(QLatin1Char('\n'));
    qsizetype head = -1;
    for (qsizetype i = 0; i < lines.size(); ++i)
        if (lines.at(i).startsWith(QLatin1String("FD ")))
            head = i;
    if (head < 0)
        return rows;
    for (qsizetype i = head + 1; i < lines.size() && !lines.at(i).trimmed().isEmpty(); ++i) {
        const QStringList c = lines.at(i).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        const int fixed = withPid ? 10 : 9;
        if (c.size() < fixed)
            continue;
        Row r{c[0], c[1], c[2], c[3], c[4].toInt(), c[5].toInt(), c[8]};
        if (withPid)
            r.pid = c[9];
        r.note = c.mid(fixed).join(QLatin1Char(' '));
        rows.push_back(r);
    }
    return rows;
}

struct Watch {
    int exitCode = -1;
    QString out, err;
};

Watch runWatch(const QStringList &args) {
    QProcess p;
    p.start(QStringLiteral(SOCKETLAB_BIN), QStringList{QStringLiteral("watch")} + args);
    Watch w;
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        w.err = QStringLiteral("timed out");
        return w;
    }
    w.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    w.out = QString::fromUtf8(p.readAllStandardOutput());
    w.err = QString::fromUtf8(p.readAllStandardError());
    return w;
}

QString readLine(QProcess &p) {
    for (int i = 0; i < 200 && !p.canReadLine(); ++i)
        p.waitForReadyRead(100);
    return QString::fromUtf8(p.readLine()).trimmed();
}

const Row *find(const std::vector<Row> &rows, const QString &state, const QString &peer) {
    for (const Row &r : rows)
        if (r.state == state && r.peer == peer)
            return &r;
    return nullptr;
}

QString loop(int port) {
    return QStringLiteral("127.0.0.1:%1").arg(port);
}

} // namespace

class TestWatch : public QObject {
    Q_OBJECT
private slots:
    void serverAndClient();
    void refreshesCount();
    void processEnds();
    void noSuchProcess();
    void anotherUsersProcess();
    void usage();
};

void TestWatch::serverAndClient() {
    QProcess server, client;
    server.start(QStringLiteral("python3"), {QStringLiteral("-c"), QString::fromUtf8(ServerPy)});
    QVERIFY2(server.waitForStarted(10000), "python3 does not start");
    const int port = readLine(server).toInt();
    QVERIFY(port > 0);
    client.start(QStringLiteral("python3"),
                 {QStringLiteral("-c"), QString::fromUtf8(ClientPy), QString::number(port)});
    const QStringList ports = readLine(client).split(QLatin1Char(' '));
    QCOMPARE(ports.size(), 2);
    const int aPort = ports[0].toInt(), bPort = ports[1].toInt();
    QCOMPARE(readLine(server), QStringLiteral("accepted %1").arg(aPort));
    const QString spid = QString::number(server.processId());
    const QString cpid = QString::number(client.processId());

    // By pid: the listener (1 waiting of 4), the accepted connection with 1000 unread
    // bytes, and b — not accepted, so no descriptor: a kernel-only row with its 7 bytes.
    // Loopback delivers before sendall() returns; the retries are for a loaded machine.
    std::vector<Row> rows;
    Watch w;
    for (int attempt = 0; attempt < 20; ++attempt) {
        w = runWatch(
            {QStringLiteral("--pid"), spid, QStringLiteral("--count"), QStringLiteral("1")});
        QCOMPARE(w.exitCode, 0);
        rows = parseTable(w.out, false);
        const Row *conn = find(rows, QStringLiteral("ESTABLISHED"), loop(aPort));
        if (conn && conn->recvQ == 1000)
            break;
        QTest::qWait(200);
    }
    QVERIFY2(w.out.contains(QStringLiteral("process %1 (python3)").arg(spid)), qPrintable(w.out));
    const Row *listener = find(rows, QStringLiteral("LISTEN"), QStringLiteral("*"));
    QVERIFY2(listener, qPrintable(w.out));
    QCOMPARE(listener->local, loop(port));
    QCOMPARE(listener->recvQ, 1); // b waits in the accept queue
    QCOMPARE(listener->sendQ, 4); // of a backlog of 4
    QVERIFY(listener->fd != QLatin1String("-"));
    QVERIFY2(listener->ready.startsWith(QLatin1Char('R')), qPrintable(w.out));
    const Row *conn = find(rows, QStringLiteral("ESTABLISHED"), loop(aPort));
    QVERIFY2(conn, qPrintable(w.out));
    QCOMPARE(conn->recvQ, 1000);
    QCOMPARE(conn->sendQ, 0);
    QVERIFY(conn->fd != QLatin1String("-"));
    QVERIFY2(conn->ready.startsWith(QStringLiteral("RW")), qPrintable(w.out));
    const Row *queued = find(rows, QStringLiteral("ESTABLISHED"), loop(bPort));
    QVERIFY2(queued, qPrintable(w.out));
    QCOMPARE(queued->fd, QStringLiteral("-"));
    QCOMPARE(queued->recvQ, 7);
    QVERIFY2(queued->note.contains(QLatin1String("accept queue")), qPrintable(w.out));
    // The client's own sockets belong to another process: not in the server's table.
    QVERIFY(!find(rows, QStringLiteral("ESTABLISHED"), loop(port)));
    QCOMPARE(rows.size(), std::size_t(3));

    // By port: both processes' sockets, each with its PID.
    w = runWatch({QStringLiteral("--port"), QString::number(port), QStringLiteral("--count"),
                  QStringLiteral("1")});
    QCOMPARE(w.exitCode, 0);
    rows = parseTable(w.out, true);
    int clientRows = 0;
    for (const Row &r : rows) {
        if (r.peer == loop(port)) {
            ++clientRows;
            QCOMPARE(r.pid, cpid);
            QCOMPARE(r.state, QStringLiteral("ESTABLISHED"));
            QCOMPARE(r.recvQ, 0);
        }
    }
    QVERIFY2(clientRows == 2, qPrintable(w.out));
    QCOMPARE(find(rows, QStringLiteral("LISTEN"), QStringLiteral("*"))->pid, spid);

    // The server closes a first, then the client: the server's side ends in TIME_WAIT,
    // with no descriptor — a kernel-only row on the listener's port.
    server.write("close\n");
    QCOMPARE(readLine(server), QStringLiteral("closed"));
    client.write("close\n");
    QCOMPARE(readLine(client), QStringLiteral("closed"));
    const Row *tw = nullptr;
    for (int attempt = 0; attempt < 20 && !tw; ++attempt) {
        if (attempt)
            QTest::qWait(200);
        w = runWatch(
            {QStringLiteral("--pid"), spid, QStringLiteral("--count"), QStringLiteral("1")});
        rows = parseTable(w.out, false);
        tw = find(rows, QStringLiteral("TIME_WAIT"), loop(aPort));
    }
    QVERIFY2(tw, qPrintable(w.out));
    QCOMPARE(tw->fd, QStringLiteral("-"));
    QCOMPARE(tw->local, loop(port));
    QVERIFY(tw->note.contains(QLatin1String("TIME_WAIT")));

    server.closeWriteChannel();
    client.closeWriteChannel();
    QVERIFY(server.waitForFinished(10000));
    QVERIFY(client.waitForFinished(10000));
}

void TestWatch::refreshesCount() {
    // --count N: N tables, each headed by its refresh number, then exit 0 (to a pipe,
    // one after another rather than redrawn).
    QProcess server;
    server.start(QStringLiteral("python3"), {QStringLiteral("-c"), QString::fromUtf8(ServerPy)});
    const int port = readLine(server).toInt();
    QVERIFY(port > 0);
    const Watch w = runWatch({QStringLiteral("--pid"), QString::number(server.processId()),
                              QStringLiteral("--count"), QStringLiteral("3"),
                              QStringLiteral("--interval"), QStringLiteral("100")});
    QCOMPARE(w.exitCode, 0);
    for (int n = 1; n <= 3; ++n)
        QVERIFY2(w.out.contains(QStringLiteral("refresh %1 at").arg(n)), qPrintable(w.out));
    QVERIFY(!w.out.contains(QLatin1String("refresh 4 at")));
    QCOMPARE(w.out.count(QLatin1String("\nFD ")), 3);
    const auto rows = parseTable(w.out, false);
    QCOMPARE(rows.size(), std::size_t(1));
    QCOMPARE(rows[0].state, QStringLiteral("LISTEN"));
    QCOMPARE(rows[0].recvQ, 0);
    QVERIFY(!w.out.contains(QLatin1String("\x1b["))); // no redraw codes into a pipe
    server.kill();
    server.waitForFinished();
}

void TestWatch::processEnds() {
    // Watched until it ends (no --count): the watch says so and exits 0.
    QProcess p;
    p.start(QStringLiteral("python3"),
            {QStringLiteral("-c"),
             QStringLiteral("import time; print('up', flush=True); time.sleep(1.5)")});
    QCOMPARE(readLine(p), QStringLiteral("up"));
    const Watch w = runWatch({QStringLiteral("--pid"), QString::number(p.processId()),
                              QStringLiteral("--interval"), QStringLiteral("100")});
    QCOMPARE(w.exitCode, 0);
    QVERIFY2(w.err.contains(QStringLiteral("process %1 has ended").arg(p.processId())),
             qPrintable(w.err));
    QVERIFY(w.out.contains(QLatin1String("refresh 1 at")));
    p.waitForFinished(10000);
}

void TestWatch::noSuchProcess() {
    // Above any pid_max the kernel allows (2^22): no such process, exit status 1.
    const Watch w = runWatch({QStringLiteral("--pid"), QStringLiteral("999999999")});
    QCOMPARE(w.exitCode, 1);
    QVERIFY2(w.err.contains(QLatin1String("no process 999999999")), qPrintable(w.err));
    QVERIFY(w.out.isEmpty());
}

void TestWatch::anotherUsersProcess() {
    // As user nobody, root's init process: /proc/1/fd cannot be read.
    if (::geteuid() != 0)
        QSKIP("needs root to run the check as another user");
    QProcess p;
    p.start(QStringLiteral("setpriv"),
            {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
             QStringLiteral("--clear-groups"), QStringLiteral(SOCKETLAB_BIN),
             QStringLiteral("watch"), QStringLiteral("--pid"), QStringLiteral("1"),
             QStringLiteral("--count"), QStringLiteral("1")});
    if (!p.waitForStarted(10000))
        QSKIP("setpriv is not available");
    QVERIFY(p.waitForFinished(30000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    if (p.exitCode() == 127 || err.contains(QLatin1String("setpriv:")))
        QSKIP(qPrintable(QStringLiteral("setpriv cannot run the lab as nobody: ") + err));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY2(err.contains(QLatin1String("permission denied")), qPrintable(err));
}

void TestWatch::usage() {
    QCOMPARE(runWatch({}).exitCode, 2);
    QCOMPARE(runWatch({QStringLiteral("--pid"), QStringLiteral("1"), QStringLiteral("--port"),
                       QStringLiteral("80")})
                 .exitCode,
             2);
    QCOMPARE(runWatch({QStringLiteral("--port"), QStringLiteral("70000")}).exitCode, 2);
    QCOMPARE(runWatch({QStringLiteral("--pid"), QStringLiteral("1"), QStringLiteral("--interval"),
                       QStringLiteral("5")})
                 .exitCode,
             2);
}

QTEST_GUILESS_MAIN(TestWatch)
#include "tst_watch.moc"
