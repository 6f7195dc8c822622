// File → Watch… (issue 11 §2): the stage of a python3 server the lab did not start.
// Its listener and the accepted connection (1000 unread bytes) are cards in the lane of
// its process; the connection still in the accept queue is a kernel-only card; a closed
// socket leaves the stage at the next refresh.
#include "ui/stage/stageview.h"
#include "ui/window/watchwindow.h"

#include <QProcess>
#include <QTest>

using namespace sl;

namespace {

const char *const ServerPy = R"(
import socket, sys
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
a = socket.create_connection(srv.getsockname())
a.sendall(b"x" * 1000)
conn, peer = srv.accept()
b = socket.create_connection(srv.getsockname())
print(srv.getsockname()[1], flush=True)
sys.stdin.readline()          # "close": the client a goes away
a.close()
print("closed", flush=True)
sys.stdin.read()
)";

QString readLine(QProcess &p) {
    for (int i = 0; i < 200 && !p.canReadLine(); ++i)
        p.waitForReadyRead(100);
    return QString::fromUtf8(p.readLine()).trimmed();
}

} // namespace

class TestWatchWindow : public QObject {
    Q_OBJECT
private slots:
    void stageOfAProcess();
};

void TestWatchWindow::stageOfAProcess() {
    QProcess server;
    server.start(QStringLiteral("python3"), {QStringLiteral("-c"), QString::fromUtf8(ServerPy)});
    const int port = readLine(server).toInt();
    QVERIFY(port > 0);
    const QString where = QStringLiteral("127.0.0.1:%1").arg(port);

    ui::WatchWindow w(pid_t(server.processId()), 0);
    auto *stage = w.findChild<ui::StageView *>();
    QVERIFY(stage);
    const ui::SocketSnap *listener = nullptr, *conn = nullptr, *queued = nullptr;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     w.refresh();
                     listener = conn = queued = nullptr;
                     for (const ui::SocketSnap &s : stage->state().sockets) {
                         if (s.closed || !s.hasSample)
                             continue;
                         if (s.sample.listener && s.local == where)
                             listener = &s;
                         else if (!s.kernelOnly && s.local == where)
                             conn = &s;
                         else if (s.kernelOnly && s.local == where)
                             queued = &s;
                     }
                     return listener && conn && queued && conn->sample.recvQ == 1000;
                 },
                 15000),
             "the server's sockets are not on the stage");
    QCOMPARE(listener->sample.acceptQ, 1);
    QCOMPARE(listener->sample.backlog, 4);
    QVERIFY(listener->actor >= 0);
    QCOMPARE(conn->actor, listener->actor); // one lane: the process
    QVERIFY(conn->fd >= 0);
    QCOMPARE(queued->actor, -1); // the kernel lane
    QCOMPARE(int(queued->sample.state), int(sys::TcpState::Established));
    QVERIFY(stage->state()
                .actors.at(std::size_t(listener->actor))
                .name.contains(QStringLiteral("pid %1").arg(server.processId())));
    const int clientId = [&] {
        for (const ui::SocketSnap &s : stage->state().sockets)
            if (!s.closed && s.peer == where && !s.kernelOnly)
                return s.id;
        return -1;
    }();
    QVERIFY(clientId >= 0); // the process's own client socket a

    server.write("close\n");
    QCOMPARE(readLine(server), QStringLiteral("closed"));
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     w.refresh();
                     const ui::SocketSnap *a = stage->state().socket(clientId);
                     return a && a->closed;
                 },
                 15000),
             "the closed socket stayed on the stage");
    server.closeWriteChannel();
    QVERIFY(server.waitForFinished(10000));
}

QTEST_MAIN(TestWatchWindow)
#include "tst_watchwindow.moc"
