// The playground: its actions build the .lab line of each call (shown and appended to
// the script), perform it on the live lab, and the stage — built from the trace —
// shows the result. The saved experiment replays in a fresh Lab. Real loopback
// sockets; the dialog is replaced by an asker that edits the proposed request.
#include "ui/playground/playground.h"
#include "ui/playground/playgrounddialog.h"
#include "ui/script/scriptpanel.h"
#include "ui/stage/stageview.h"
#include "ui/time/tracefeed.h"
#include "ui/window/mainwindow.h"
#include "view/stagestate.h"

#include "engine/lab.h"
#include "sys/kernelprobe.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QMenu>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <optional>

using namespace sl;
using ui::PlayKind;
using ui::PlayRequest;

namespace {

QString tcpState(const ui::StageState &st, const QString &name) {
    const ui::SocketSnap *s = st.socketNamed(name);
    if (!s || !s->hasSample)
        return QStringLiteral("-");
    return QLatin1String(sys::tcpStateName(sys::TcpState(s->sample.state)));
}

std::vector<std::uint16_t> callSequence(const trace::Trace &t) {
    std::vector<std::uint16_t> out;
    for (std::size_t i = 0; i < t.size(); ++i)
        if (t.event(i).kind == trace::EventKind::CallEnd)
            out.push_back(t.event(i).call.call);
    return out;
}

} // namespace

class TstPlayground : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void buildLine_data();
    void buildLine();
    void dialogShowsTheLine();
    void listenerAndConnectedPair();
    void blockedRecvDoesNotFreeze();
    void partialSendWithSmallBuffers();
    void contextMenuOnACard();
    void refusedWhileLessonHasSteps();

private:
    // Triggers the menu action of `kind`; `edit` changes the proposed request as a
    // learner would in the dialog. Waits until the step is done or blocked.
    void act(ui::MainWindow &w, PlayKind kind, const std::function<void(PlayRequest *)> &edit = {});
    void settle(ui::MainWindow &w);
    QStringList m_lines; // the lines performed, in order
};

void TstPlayground::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("socketlab-tests"));
    QSettings().clear();
}

void TstPlayground::settle(ui::MainWindow &w) {
    QTRY_VERIFY_WITH_TIMEOUT(!w.lab()->stepInProgress() && w.playground()->pending() == 0, 10000);
    w.lab()->settle(2000);
    QTest::qWait(20); // the probe after the step, then one feed frame
    w.feed()->drainNow();
}

void TstPlayground::act(ui::MainWindow &w, PlayKind kind,
                        const std::function<void(PlayRequest *)> &edit) {
    ui::Playground *pg = w.playground();
    pg->setAsker([&](PlayRequest *r) {
        if (edit)
            edit(r);
        return true;
    });
    QSignalSpy performed(pg, &ui::Playground::performed);
    QAction *a = pg->action(kind);
    QVERIFY(a);
    QVERIFY2(a->isEnabled(), qPrintable(ui::playKindKey(kind)));
    a->trigger();
    QVERIFY2(performed.size() == 1, qPrintable(pg->lastError()));
    m_lines << performed.at(0).at(0).toString();
    settle(w);
}

void TstPlayground::buildLine_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("sock");
    QTest::addColumn<int>("number");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("choice");
    QTest::addColumn<QString>("line");
    const auto row = [](const char *name, PlayKind k, const char *sock, int n, const char *text,
                        int choice, const char *line) {
        QTest::newRow(name) << int(k) << QString::fromUtf8(sock) << n << QString::fromUtf8(text)
                            << choice << QString::fromUtf8(line);
    };
    row("tcp", PlayKind::NewTcp, "", 0, "", 0, "client: s3 = socket(AF_INET, SOCK_STREAM)");
    row("udp", PlayKind::NewUdp, "", 0, "", 0, "client: u1 = socket(AF_INET, SOCK_DGRAM)");
    row("bind", PlayKind::Bind, "s1", 5000, "", 0, "client: s1.bind((\"127.0.0.1\", 5000))");
    row("listen", PlayKind::Listen, "s1", 3, "", 0, "client: s1.listen(3)");
    row("accept", PlayKind::Accept, "s1", 0, "", 0, "client: conn2, addr2 = s1.accept()");
    row("send n", PlayKind::Send, "s1", 1000000, "", 0, "client: s1.send(b\"x\" * 1_000_000)");
    row("send text", PlayKind::Send, "s1", 1, "hi \"you\"\n\xc3\xa9", 0,
        "client: s1.send(b\"hi \\\"you\\\"\\n\\xc3\\xa9\")");
    row("recv", PlayKind::Recv, "s1", 4096, "", 0, "client: data1 = s1.recv(4096)");
    row("shut rd", PlayKind::Shutdown, "s1", 0, "", 0, "client: s1.shutdown(SHUT_RD)");
    row("shut rdwr", PlayKind::Shutdown, "s1", 0, "", 2, "client: s1.shutdown(SHUT_RDWR)");
    row("close", PlayKind::Close, "s1", 0, "", 0, "client: s1.close()");
    row("nonblocking", PlayKind::SetBlocking, "s1", 0, "", 0, "client: s1.setblocking(False)");
    row("rcvbuf", PlayKind::SetOption, "s1", 4096, "", 1,
        "client: s1.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)");
    row("no socket", PlayKind::Close, "", 0, "", 0, "");
}

void TstPlayground::buildLine() {
    QFETCH(int, kind);
    QFETCH(QString, sock);
    QFETCH(int, number);
    QFETCH(QString, text);
    QFETCH(int, choice);
    QFETCH(QString, line);
    ui::PlayContext ctx;
    ctx.actors = QStringList{QStringLiteral("client")};
    // Names in use: fresh ones skip them (conn1 is taken, so accept makes conn2).
    ctx.names = QStringList{QStringLiteral("s1"), QStringLiteral("s2"), QStringLiteral("conn1")};
    PlayRequest r;
    r.kind = PlayKind(kind);
    r.actor = QStringLiteral("client");
    r.sock = sock;
    r.number = number;
    r.text = text;
    r.choice = choice;
    QString why;
    QCOMPARE(ui::buildLine(r, ctx, &why), line);
    QCOMPARE(why.isEmpty(), !line.isEmpty());
}

void TstPlayground::dialogShowsTheLine() {
    ui::PlayContext ctx;
    ctx.actors = QStringList{QStringLiteral("server")};
    ctx.sockets.push_back({QStringLiteral("srv"), QStringLiteral("server"), false, true, true});
    ctx.sockets.push_back({QStringLiteral("s1"), QStringLiteral("server"), false, false, false});
    const PlayRequest r = ui::defaultRequest(PlayKind::Select, ctx, {}, QStringLiteral("server"));
    ui::PlaygroundDialog dlg(r, ctx);
    QCOMPARE(dlg.line(), QStringLiteral("server: r1, w1, x1 = select([srv, s1], [], [], 0.5)"));
    auto *preview = dlg.findChild<QLabel *>(QStringLiteral("playgroundPreview"));
    QVERIFY(preview);
    QCOMPARE(preview->text(), dlg.line());
    // Choosing another socket hands the call to the actor that owns it.
    ctx.actors << QStringLiteral("client");
    ctx.sockets.push_back({QStringLiteral("s2"), QStringLiteral("client"), false, false, false});
    ui::PlaygroundDialog send(ui::defaultRequest(PlayKind::Send, ctx, QStringLiteral("s1")), ctx);
    QCOMPARE(send.line(), QStringLiteral("server: s1.send(b\"x\" * 100_000)"));
    auto *sockBox = send.findChildren<QComboBox *>().at(1);
    sockBox->setCurrentText(QStringLiteral("s2"));
    QCOMPARE(send.line(), QStringLiteral("client: s2.send(b\"x\" * 100_000)"));
    dlg.resize(520, dlg.sizeHint().height());
    const QString dir = QCoreApplication::applicationDirPath();
    QVERIFY(dlg.grab().save(dir + QStringLiteral("/playground-dialog.png")));
}

void TstPlayground::listenerAndConnectedPair() {
    m_lines.clear();
    ui::MainWindow w;
    w.resize(1280, 820);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.playground()->newExperimentAction()->trigger();
    const QString header = w.lab()->source();

    act(w, PlayKind::NewTcp); // no actor yet: the server's
    act(w, PlayKind::Bind);
    act(w, PlayKind::Listen);
    act(w, PlayKind::NewTcp, [](PlayRequest *r) { r->actor = QStringLiteral("client"); });
    act(w, PlayKind::Connect); // the newest socket, to the listener
    act(w, PlayKind::Accept);
    const QStringList expected{
        QStringLiteral("server: s1 = socket(AF_INET, SOCK_STREAM)"),
        QStringLiteral("server: s1.bind((\"127.0.0.1\", 0))"),
        QStringLiteral("server: s1.listen(5)"),
        QStringLiteral("client: s2 = socket(AF_INET, SOCK_STREAM)"),
        QStringLiteral("client: s2.connect(s1.getsockname())"),
        QStringLiteral("server: conn1, addr1 = s1.accept()"),
    };
    QCOMPARE(m_lines, expected);
    QCOMPARE(w.lab()->source(), header + expected.join(QLatin1Char('\n')) + QLatin1Char('\n'));
    QCOMPARE(w.scriptPanel()->source(), w.lab()->source());

    QTRY_COMPARE_WITH_TIMEOUT(
        (w.feed()->drainNow(), tcpState(w.stageView()->state(), QStringLiteral("conn1"))),
        QStringLiteral("ESTABLISHED"), 3000);
    const ui::StageState &st = w.stageView()->state();
    QCOMPARE(tcpState(st, QStringLiteral("s1")), QStringLiteral("LISTEN"));
    QCOMPARE(tcpState(st, QStringLiteral("s2")), QStringLiteral("ESTABLISHED"));
    // The pair: the client's peer address is the accepted socket's own.
    QVERIFY(!st.socketNamed(QStringLiteral("conn1"))->local.isEmpty());
    QCOMPARE(st.socketNamed(QStringLiteral("s2"))->peer,
             st.socketNamed(QStringLiteral("conn1"))->local);

    const QString shots = QCoreApplication::applicationDirPath();
    QVERIFY(w.grab().save(shots + QStringLiteral("/playground-pair.png")));

    // Saved and loaded into a new Lab, the experiment makes the same calls.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("experiment.lab"));
    QVERIFY(w.playground()->saveTo(path));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString saved = QString::fromUtf8(f.readAll());
    QCOMPARE(saved, w.lab()->source());
    engine::Lab fresh;
    QVERIFY(fresh.load(saved, path));
    while (!fresh.atEnd())
        QVERIFY(fresh.stepAndWait(10000));
    fresh.settle(2000);
    QCOMPARE(callSequence(fresh.trace()), callSequence(w.lab()->trace()));
    QTRY_COMPARE_WITH_TIMEOUT(
        tcpState(ui::buildStageState(fresh.trace(), fresh.trace().size()), QStringLiteral("conn1")),
        QStringLiteral("ESTABLISHED"), 3000);
    const ui::StageState replay = ui::buildStageState(fresh.trace(), fresh.trace().size());
    QCOMPARE(tcpState(replay, QStringLiteral("s1")), QStringLiteral("LISTEN"));
    QCOMPARE(tcpState(replay, QStringLiteral("s2")), QStringLiteral("ESTABLISHED"));
}

void TstPlayground::blockedRecvDoesNotFreeze() {
    m_lines.clear();
    ui::MainWindow w;
    w.playground()->newExperiment();
    act(w, PlayKind::NewTcp);
    act(w, PlayKind::Bind);
    act(w, PlayKind::Listen);
    act(w, PlayKind::NewTcp, [](PlayRequest *r) { r->actor = QStringLiteral("client"); });
    act(w, PlayKind::Connect);
    act(w, PlayKind::Accept);
    // The server waits for data nobody sent: its actor blocks, the window does not.
    act(w, PlayKind::Recv, [](PlayRequest *r) {
        r->sock = QStringLiteral("conn1");
        r->number = 100;
    });
    QCOMPARE(w.lab()->actorRun(0), engine::ActorRun::Blocked);
    act(w, PlayKind::Send, [](PlayRequest *r) {
        r->sock = QStringLiteral("s2");
        r->actor = QStringLiteral("client");
        r->text = QStringLiteral("hello");
    });
    QCOMPARE(m_lines.last(), QStringLiteral("client: s2.send(b\"hello\")"));
    // The recv returns the 5 bytes in the background.
    QTRY_COMPARE_WITH_TIMEOUT(w.lab()->actorRun(0), engine::ActorRun::Idle, 5000);
    bool got = false;
    const trace::Trace &t = w.lab()->trace();
    for (std::size_t i = 0; i < t.size(); ++i) {
        const trace::Event &e = t.event(i);
        if (e.kind == trace::EventKind::CallEnd &&
            e.call.call == std::uint16_t(script::CallId::Recv) && e.call.ret == 5)
            got = true;
    }
    QVERIFY(got);
    w.lab()->reset();
}

void TstPlayground::partialSendWithSmallBuffers() {
    m_lines.clear();
    ui::MainWindow w;
    w.resize(1280, 820);
    w.playground()->newExperiment();
    const auto small = [](int option) {
        return [option](PlayRequest *r) {
            r->choice = option;
            r->number = 4096;
        };
    };
    act(w, PlayKind::NewTcp);
    act(w, PlayKind::SetOption, small(1)); // SO_RCVBUF on the listener: inherited
    act(w, PlayKind::Bind);
    act(w, PlayKind::Listen);
    act(w, PlayKind::NewTcp, [](PlayRequest *r) { r->actor = QStringLiteral("client"); });
    act(w, PlayKind::SetOption, small(0)); // SO_SNDBUF
    act(w, PlayKind::Connect);
    act(w, PlayKind::Accept);
    act(w, PlayKind::SetBlocking, [](PlayRequest *r) {
        r->sock = QStringLiteral("s2");
        r->actor = QStringLiteral("client");
        r->choice = 0;
    });
    act(w, PlayKind::Send, [](PlayRequest *r) {
        r->sock = QStringLiteral("s2");
        r->actor = QStringLiteral("client");
        r->number = 1000000;
    });
    QCOMPARE(m_lines.at(1), QStringLiteral("server: s1.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)"));
    QCOMPARE(m_lines.last(), QStringLiteral("client: s2.send(b\"x\" * 1_000_000)"));
    const trace::Trace &t = w.lab()->trace();
    std::optional<trace::Event> send; // event() returns a copy
    for (std::size_t i = 0; i < t.size(); ++i)
        if (t.event(i).kind == trace::EventKind::CallEnd &&
            t.event(i).call.call == std::uint16_t(script::CallId::Send))
            send = t.event(i);
    QVERIFY(send);
    QVERIFY(send->call.flags & trace::CallPartial);
    QVERIFY(send->call.ret > 0);
    QVERIFY(send->call.ret < 1000000);
    QVERIFY(w.grab().save(QCoreApplication::applicationDirPath() +
                          QStringLiteral("/playground-partial.png")));
}

void TstPlayground::contextMenuOnACard() {
    m_lines.clear();
    ui::MainWindow w;
    w.show();
    w.playground()->newExperiment();
    act(w, PlayKind::NewTcp);
    act(w, PlayKind::Bind);
    act(w, PlayKind::Listen);
    const ui::SocketSnap *s1 = w.stageView()->state().socketNamed(QStringLiteral("s1"));
    QVERIFY(s1);
    emit w.stageView()->contextMenuRequested(s1->id, 0, w.mapToGlobal(QPoint(200, 200)));
    QMenu *menu = w.findChild<QMenu *>(QStringLiteral("playgroundContextMenu"));
    QVERIFY(menu);
    QStringList texts;
    QAction *accept = nullptr;
    for (QAction *a : menu->actions()) {
        texts << a->text();
        if (a->text() == ui::playKindTitle(PlayKind::Accept))
            accept = a;
    }
    // A listener offers accept(), not send() or connect().
    QVERIFY2(accept, qPrintable(texts.join(QLatin1Char('|'))));
    QVERIFY(!texts.contains(ui::playKindTitle(PlayKind::Send)));
    QVERIFY(!texts.contains(ui::playKindTitle(PlayKind::Connect)));
    QVERIFY(texts.contains(ui::playKindTitle(PlayKind::NewTcp))); // in the server's lane
    QVERIFY(menu->grab().save(QCoreApplication::applicationDirPath() +
                              QStringLiteral("/playground-context-menu.png")));
    menu->close();
}

void TstPlayground::refusedWhileLessonHasSteps() {
    ui::MainWindow w;
    QVERIFY(w.lab()->load(QStringLiteral("client: s = socket(AF_INET, SOCK_STREAM)\n"),
                          QStringLiteral("t.lab")));
    w.playground()->setAsker([](PlayRequest *) { return true; });
    QVERIFY(!w.playground()->action(PlayKind::NewTcp)->isEnabled());
    QVERIFY(!w.playground()->submitLine(QStringLiteral("client: t = socket(AF_INET, SOCK_DGRAM)")));
    QVERIFY(!w.playground()->lastError().isEmpty());
    QVERIFY(w.lab()->stepAndWait(10000));
    QTRY_VERIFY(w.playground()->action(PlayKind::NewTcp)->isEnabled());
    QVERIFY(w.playground()->submitLine(QStringLiteral("client: t = socket(AF_INET, SOCK_DGRAM)")));
    w.lab()->reset();
}

QTEST_MAIN(TstPlayground)
#include "tst_playground.moc"
