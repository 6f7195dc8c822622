// Issue 11 §4: real clients against a lab server. A lab script's server actor listens
// on a fixed loopback port; a program the lab did not start — the Python socket HOWTO's
// client, `curl -0`, OpenBSD `nc -N` — connects, sends an HTTP/1.0 request and reads
// the answer until the server closes. The outside client's socket belongs to another
// process, so the lab has no descriptor for it: it must show as a kernel-only socket
// (the kernel lane), ESTABLISHED, facing the lab's accepted connection, and leave the
// stage once the connection is gone.
#include "labtest.h"
#include "view/stagestate.h"

#include <QProcess>
#include <QStandardPaths>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace labtest;

namespace {

const char *const HowtoClient = R"(
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("127.0.0.1", int(sys.argv[1])))
print(s.getsockname()[1], flush=True)
s.sendall(b"GET / HTTP/1.0\r\n\r\n")
chunks = []
while True:
    chunk = s.recv(2048)
    if chunk == b"":
        break
    chunks.append(chunk)
s.close()
sys.stdout.write(b"".join(chunks).decode())
)";

const char *const LabServer = R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
server: srv.bind(("127.0.0.1", %1))
server: srv.listen(1)
server: conn, peer = srv.accept()
server: request = conn.recv_until(b"\r\n\r\n")
server: conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 14\r\n\r\nhello from lab")
server: conn.close()
server: srv.close()
)";

// A loopback port nobody listens on now (the kernel's pick for bind(0)).
int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

struct Ghost {
    int sock = -1;
    QString local, peer;
    QList<sl::sys::TcpState> states; // as its samples recorded them
    bool closed = false;
};

// The kernel-only sockets of the trace whose peer is `peer`.
std::vector<Ghost> ghostsFacing(const sl::trace::Trace &t, const QString &peer) {
    std::vector<Ghost> all;
    const auto at = [&](int sock) -> Ghost * {
        for (Ghost &g : all)
            if (g.sock == sock)
                return &g;
        return nullptr;
    };
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Event &e = t.event(i);
        if (e.kind == EventKind::SocketNew && e.socket.kernelOnly)
            all.push_back({e.sock});
        Ghost *g = at(e.sock);
        if (!g)
            continue;
        if (e.kind == EventKind::SocketInfo) {
            g->local = t.text(e.socket.local);
            g->peer = t.text(e.socket.peer);
        } else if (e.kind == EventKind::Sample) {
            if (g->states.isEmpty() || g->states.back() != sl::sys::TcpState(e.sample.state))
                g->states << sl::sys::TcpState(e.sample.state);
        } else if (e.kind == EventKind::SocketClose) {
            g->closed = true;
        }
    }
    std::vector<Ghost> out;
    for (const Ghost &g : all)
        if (g.peer == peer)
            out.push_back(g);
    return out;
}

// The addresses the trace last recorded for lab socket `sock`.
QString localOf(const sl::trace::Trace &t, int sock, QString *peer) {
    QString local;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Event &e = t.event(i);
        if (e.kind == EventKind::SocketInfo && e.sock == sock) {
            local = t.text(e.socket.local);
            *peer = t.text(e.socket.peer);
        }
    }
    return local;
}

} // namespace

class TestRealClient : public QObject {
    Q_OBJECT
private slots:
    void outsideClient_data();
    void outsideClient();
};

void TestRealClient::outsideClient_data() {
    QTest::addColumn<QString>("client");
    QTest::newRow("python3 HOWTO client") << QStringLiteral("python3");
    QTest::newRow("curl -0") << QStringLiteral("curl");
    QTest::newRow("nc -N") << QStringLiteral("nc");
}

void TestRealClient::outsideClient() {
    QFETCH(QString, client);
    if (QStandardPaths::findExecutable(client).isEmpty())
        QSKIP(qPrintable(client + QStringLiteral(" is not installed")));
    // The fixed port: free a moment ago, but another test may take it before the lab
    // binds it (EADDRINUSE): then another one.
    Lab lab;
    int port = 0;
    QString script;
    for (int attempt = 0; attempt < 5; ++attempt) {
        port = freePort();
        QVERIFY(port > 0);
        script = QString::fromUtf8(LabServer).arg(port);
        QString why;
        QVERIFY2(load(lab, script, &why), qPrintable(why));
        const auto bound = runTo(lab, lineOf(script, QStringLiteral("srv.bind(")));
        QVERIFY(bound);
        if (bound->outcome.ok)
            break;
        port = 0;
    }
    QVERIFY2(port > 0, "the lab could not bind a free port");
    const auto listened = lab.stepAndWait(20000);
    QVERIFY(listened && listened->outcome.ok);
    const QString where = QStringLiteral("127.0.0.1:%1").arg(port);

    // The outside program: started only now that the lab listens.
    QProcess p;
    p.setProcessChannelMode(QProcess::SeparateChannels);
    if (client == QLatin1String("python3")) {
        p.start(client,
                {QStringLiteral("-c"), QString::fromUtf8(HowtoClient), QString::number(port)});
    } else if (client == QLatin1String("curl")) {
        p.start(client, {QStringLiteral("-0"), QStringLiteral("-s"), QStringLiteral("--max-time"),
                         QStringLiteral("30"), QStringLiteral("http://%1/").arg(where)});
    } else {
        // OpenBSD netcat: -N shuts the socket's sending side down at the end of input,
        // then nc prints what arrives until the server closes.
        p.start(client, {QStringLiteral("-N"), QStringLiteral("127.0.0.1"), QString::number(port)});
        p.write("GET / HTTP/1.0\r\n\r\n");
        p.closeWriteChannel();
    }
    QVERIFY2(p.waitForStarted(10000), qPrintable(client));

    // accept() runs once the client's connection waits in the queue, and recv_until()
    // once its request arrived: each step then ends at once (Done), never Blocked.
    const int srv = sockId(lab.trace(), QStringLiteral("srv"));
    QVERIFY(srv >= 0);
    QVERIFY2(
        QTest::qWaitFor([&] { return lab.sockets().lastSample(srv, true).acceptQ > 0; }, 15000),
        "the outside client did not connect");
    // What the sampler does every ~0.5 s while a learner reads the stage: the outside
    // client's socket shows before the lab accepts, not yet paired with any lab socket.
    lab.sockets().probeKernelOnly();
    QVERIFY(!ghostsFacing(lab.trace(), where).empty());
    const auto accepted = lab.stepAndWait(20000);
    QVERIFY(accepted && accepted->outcome.ok);
    QCOMPARE(int(accepted->status), int(StepStatus::Done));
    const int conn = sockId(lab.trace(), QStringLiteral("conn"));
    QVERIFY(conn >= 0);
    QString connPeer;
    QCOMPARE(localOf(lab.trace(), conn, &connPeer), where);

    // The outside client's socket: kernel-only, its local address the accepted
    // connection's peer, ESTABLISHED. The sampler records it; probing here as well
    // keeps a loaded machine from making the wait long.
    std::vector<Ghost> ghosts;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     lab.sockets().probeKernelOnly();
                     ghosts = ghostsFacing(lab.trace(), where);
                     return !ghosts.empty() && !ghosts.back().states.isEmpty() &&
                            ghosts.back().local == connPeer;
                 },
                 15000),
             qPrintable(QStringLiteral("no kernel-only socket %1 -> %2").arg(connPeer, where)));
    QCOMPARE(ghosts.size(), std::size_t(1)); // one outside socket, recorded once
    // Connected: ESTABLISHED, or FIN_WAIT when nc already shut its side down (-N).
    const sl::sys::TcpState first = ghosts.back().states.first();
    QVERIFY2(first == sl::sys::TcpState::Established ||
                 (client == QLatin1String("nc") &&
                  (first == sl::sys::TcpState::FinWait1 || first == sl::sys::TcpState::FinWait2)),
             sl::sys::tcpStateName(first));
    // On the stage: a card in the kernel lane, paired with the lab's connection (the
    // same pair number: the two ends of one connection).
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     lab.sockets().probeKernelOnly();
                     const sl::ui::StageState st =
                         sl::ui::buildStageState(lab.trace(), lab.trace().size());
                     const sl::ui::SocketSnap *g = st.socket(ghosts.back().sock);
                     const sl::ui::StagePairs pairs = sl::ui::stagePairs(st);
                     return g && g->kernelOnly && g->actor == -1 && pairs.of(g->id) != 0 &&
                            pairs.of(g->id) == pairs.of(conn);
                 },
                 15000),
             "the outside client's card is not paired with conn");
    if (client == QLatin1String("python3")) {
        // The HOWTO client printed its own port: the same socket.
        QVERIFY(p.canReadLine() || p.waitForReadyRead(10000));
        const int clientPort = p.readLine().trimmed().toInt();
        QCOMPARE(ghosts.back().local, QStringLiteral("127.0.0.1:%1").arg(clientPort));
    }

    // The rest of the conversation: the request arrives, the answer goes out, the lab
    // closes; the client reads to EOF and ends.
    QVERIFY2(QTest::qWaitFor([&] { return lab.sockets().lastSample(conn, true).recvQ > 0; }, 15000),
             "no request arrived");
    for (int i = 0; i < 4; ++i) {
        const auto r = lab.stepAndWait(20000);
        QVERIFY(r);
        QCOMPARE(int(r->status), int(StepStatus::Done));
        QVERIFY2(r->outcome.ok, qPrintable(r->outcome.message));
    }
    QVERIFY(lab.atEnd());
    QVERIFY2(p.state() == QProcess::NotRunning || p.waitForFinished(20000), qPrintable(client));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    const QString answer = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY2(answer.endsWith(QLatin1String("hello from lab")), qPrintable(answer));
    if (client == QLatin1String("nc") || client == QLatin1String("python3"))
        QVERIFY(answer.startsWith(QLatin1String("HTTP/1.0 200 OK")));

    // The connection is gone: the outside socket leaves the kernel lane.
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     lab.sockets().probeKernelOnly();
                     ghosts = ghostsFacing(lab.trace(), where);
                     // Gone, or TIME_WAIT when the client closed first (curl once
                     // it has Content-Length bytes): then it has no descriptor left.
                     return ghosts.size() == 1 &&
                            (ghosts.back().closed ||
                             ghosts.back().states.back() == sl::sys::TcpState::TimeWait);
                 },
                 15000),
             "the outside client's socket stayed on the stage");
}

QTEST_GUILESS_MAIN(TestRealClient)
#include "tst_realclient.moc"
