// The stage's cards mean what the kernel means (issue 8, points 1–4 and 9), with real
// loopback sockets: a receive queue the kernel takes no more into is drawn full and says
// "window 0" (lesson 5 at its EAGAIN), a closed socket's card never keeps its old TCP
// badge and its kernel continuation is a ghost paired with it, three accepted
// connections carry the pair marks of their clients, a 35-byte UDP queue in a large
// buffer is visible, and the stage's ERR light and select()'s exceptional set say two
// different things. Screenshots of lessons 3 and 5 at 1920×1080 and 1280×720 go to
// /tmp/b-*.png for a human to look at.
#include "lessonrun.h"
#include "ui/analysis/selectmodel.h"
#include "ui/analysis/selectpanel.h"
#include "ui/stage/cardrects.h"
#include "ui/stage/inspector.h"
#include "ui/stage/kernelmodel.h"
#include "ui/stage/stagecard.h"
#include "ui/stage/stageview.h"
#include "ui/time/timecursor.h"
#include "ui/time/tracefeed.h"
#include "ui/window/mainwindow.h"
#include "view/queuefill.h"
#include "view/stagestate.h"

#include "engine/lab.h"
#include "lessons/lessoncatalog.h"
#include "sys/kernelprobe.h"

#include <QDockWidget>
#include <QHeaderView>
#include <QPainter>
#include <QRandomGenerator>
#include <QTreeView>
#include <QtTest>

using namespace sl;

class TstStageCards : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void lesson05FullAndWindow0();
    void closedIsClosed();
    void threeAcceptedPairs();
    void smallUdpQueueVisible();
    void errIsNotTheExceptionalSet();
    void chromeKeptWhileTheWindowMoves();
    void cardRectsNearFindsEveryIntersectingCard();
    void screenshots_data();
    void screenshots();

private:
    static void runAll(engine::Lab &lab, const QString &source);
};

void TstStageCards::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("socketlab-tests"));
    QSettings().clear();
}

// A TCP receive bar's capacity is the data queued plus the window left, so it moves with
// every segment of a transfer. The card's cached layer (frame, texts, tracks) is sized for
// the widest value of that many digits and must not be drawn again each time: that cost
// ~1 ms a card per frame (U1). It is drawn again when the capacity gains a digit, and the
// numbers painted are still the exact values.
void TstStageCards::chromeKeptWhileTheWindowMoves() {
    ui::CardPainter cards;
    QImage image(400, 200, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QFont font;
    font.setPixelSize(13);
    const ui::StageMetrics m = ui::StageMetrics::fromFont(font);
    ui::SocketSnap s;
    s.id = 7;
    s.name = QStringLiteral("conn");
    s.fd = 5;
    s.hasSample = true;
    s.sample.state = std::uint8_t(sys::TcpState::Established);
    s.sample.sndbuf = 16384;
    s.sample.rcvbuf = 131072;
    s.sample.sendQ = s.sample.unsent = 0;
    ui::CardInfo info;
    info.send.used = 0;
    info.send.capacity = 16384;
    info.recv.used = 1000;
    ui::StageTips tips;
    const auto frame = [&](std::int64_t used, std::int64_t capacity) {
        info.recv.used = used;
        info.recv.capacity = capacity;
        s.sample.recvQ = std::int32_t(used);
        QPainter p(&image);
        cards.begin(font, QPalette(), m, 1.0, 1.0);
        cards.paint(p, QRectF(0, 0, 300, m.cardHeight), s, info, ui::CardMotion{0, double(used)},
                    tips);
        cards.end();
    };
    frame(1000, 65483);
    QCOMPARE(cards.chromeDraws(), 1L);
    frame(5000, 60483); // the window moved: same five digits
    frame(20000, 85483);
    QCOMPARE(cards.chromeDraws(), 1L);
    frame(20000, 120000); // six digits: the value column widens
    QCOMPARE(cards.chromeDraws(), 2L);
    s.sample.state = std::uint8_t(sys::TcpState::CloseWait); // the badge changes
    frame(20000, 120000);
    QCOMPARE(cards.chromeDraws(), 3L);
}

// CardRects::near() must offer every card a box intersects (the link check would
// otherwise draw a line through a card), on grids of every shape.
void TstStageCards::cardRectsNearFindsEveryIntersectingCard() {
    QRandomGenerator rng(1234);
    for (int round = 0; round < 200; ++round) {
        ui::CardRects rects;
        int id = 0;
        const int lanes = 1 + int(rng.bounded(6));
        const qreal laneW = 150, cardH = 90, gap = 10 + rng.bounded(20);
        for (int l = 0; l < lanes; ++l) {
            const int cols = 1 + int(rng.bounded(3)), n = int(rng.bounded(40));
            const qreal left = 10 + l * laneW, top = 50;
            const qreal cardW = (laneW - 20) / cols;
            rects.beginLane(left, left + laneW - 10, top, cardH + gap, cols);
            for (int i = 0; i < n; ++i) {
                const qreal x = left + 5 + (i % cols) * cardW;
                const qreal y = top + (i / cols) * (cardH + gap) + rng.bounded(1.0) - 0.5;
                rects.add(id++, QRectF(x, y, cardW - 4, cardH));
            }
        }
        for (int q = 0; q < 50; ++q) {
            const QRectF box(rng.bounded(lanes * laneW), rng.bounded(4000.0), rng.bounded(400.0),
                             rng.bounded(600.0));
            QSet<int> offered;
            rects.near(box, [&](int cid, const QRectF &) { offered.insert(cid); });
            for (const auto &[cid, r] : rects.all())
                if (r.intersects(box))
                    QVERIFY2(offered.contains(cid), qPrintable(QStringLiteral("card %1").arg(cid)));
        }
        for (const auto &[cid, r] : rects.all())
            QCOMPARE(*rects.find(cid), r);
        QVERIFY(!rects.contains(id));
        rects.clear();
        QVERIFY(!rects.contains(0));
    }
}

void TstStageCards::runAll(engine::Lab &lab, const QString &source) {
    QVERIFY(lab.load(source, QStringLiteral("cards.lab")));
    for (int guard = 0; guard < 200 && !lab.atEnd(); ++guard)
        QVERIFY(lab.stepAndWait(15000));
    QCOMPARE(lab.failedExpectations(), 0);
    QCOMPARE(lab.scriptErrors(), 0);
    lab.settle(2000);
}

// Lesson 5 at the EAGAIN: the kernel takes nothing more into conn's receive queue, so
// its bar is full (whatever SO_RCVBUF's memory count says) and the card and the
// Inspector say "window 0", with the sentence on memory against data.
void TstStageCards::lesson05FullAndWindow0() {
    ui::MainWindow w;
    QVERIFY(uitest::runLessonTo(w, 5, QStringLiteral("expect error == EAGAIN"), QSize(1920, 1080)));
    const ui::StageState &st = w.stageView()->state();
    const ui::SocketSnap *conn = st.socketNamed(QStringLiteral("conn"));
    QVERIFY(conn && conn->hasSample);
    const ui::QueueFill recv = ui::recvFill(st, *conn);
    QVERIFY2(
        recv.full,
        qPrintable(
            QStringLiteral("conn's receive queue %1 of %2").arg(recv.used).arg(recv.capacity)));
    QCOMPARE(recv.ratio(), 1.0);
    QVERIFY(recv.window0);
    QVERIFY(ui::queueNoteText(recv).contains(QStringLiteral("window 0")));
    QCOMPARE(ui::queueFillColor(recv, w.stageView()->palette()), QColor(0xd9, 0x3b, 0x3b));
    auto *inspector = w.findChild<ui::Inspector *>();
    QVERIFY(inspector);
    inspector->setSocket(conn->id);
    const QString text = inspector->fieldText(ui::Inspector::RecvFillField);
    QVERIFY2(text.contains(QStringLiteral("window 0")), qPrintable(text));
    QVERIFY2(inspector->noteText().contains(QStringLiteral("counts memory")),
             qPrintable(inspector->noteText()));
    w.lab()->reset();
}

// After close() the card says "closed" (never ESTABLISHED or CLOSE_WAIT); the kernel's
// continuation (FIN_WAIT2, then TIME_WAIT) is a kernel-only card paired with it.
void TstStageCards::closedIsClosed() {
    engine::Lab lab;
    runAll(lab, QStringLiteral(R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
client: s = socket(AF_INET, SOCK_STREAM)
client: s.connect(srv.getsockname())
server: conn, addr = srv.accept()
expect state(s) == "ESTABLISHED"
client: s.close()
wait 0.3
)"));
    // The ghost is the kernel-only socket with s's address pair. Another program's
    // socket may share a port number with the lab's (two clients of different servers
    // can have the same local port), so "any kernel-only socket" is not enough.
    ui::StageState st;
    ui::StagePairs pairs;
    const ui::SocketSnap *ghost = nullptr;
    const ui::SocketSnap *s = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            st = ui::buildStageState(lab.trace(), lab.trace().size());
            pairs = ui::stagePairs(st);
            s = st.socketNamed(QStringLiteral("s"));
            ghost = nullptr;
            for (const ui::SocketSnap &g : st.sockets) {
                const auto it = pairs.ghostOf.find(g.id);
                if (s && g.kernelOnly && g.hasSample && it != pairs.ghostOf.end() &&
                    it->second == s->id)
                    ghost = &g;
            }
            return ghost != nullptr;
        }(),
        5000);
    QVERIFY(s && s->closed);
    for (const ui::SocketSnap &c : st.sockets) {
        const QString badge = ui::cardStateText(c);
        if (c.closed && !c.kernelOnly) {
            QCOMPARE(badge, QStringLiteral("closed"));
        }
        QVERIFY2(!(c.closed && !c.kernelOnly && badge == QStringLiteral("ESTABLISHED")),
                 qPrintable(c.name));
    }
    // The ghost continues s: in s's pair colour (the same number as s and conn).
    QVERIFY(pairs.of(s->id) > 0);
    QCOMPARE(pairs.of(ghost->id), pairs.of(s->id));
    QCOMPARE(pairs.of(st.socketNamed(QStringLiteral("conn"))->id), pairs.of(s->id));
    QVERIFY(ghost->hasSample);
    const int ghostState = ghost->sample.state;
    QVERIFY2(ghostState == int(sys::TcpState::FinWait2) ||
                 ghostState == int(sys::TcpState::FinWait1) ||
                 ghostState == int(sys::TcpState::TimeWait),
             sys::tcpStateName(sys::TcpState(ghostState)));
    lab.reset();
}

// Three clients, three accepted connections: each accepted socket carries the pair
// number of its own client (matched here by address, as the kernel knows it), and the
// three numbers differ — a learner pairs them by colour and number, not by reading ports.
void TstStageCards::threeAcceptedPairs() {
    engine::Lab lab;
    runAll(lab, QStringLiteral(R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
server: addr = srv.getsockname()
alice: sa = socket(AF_INET, SOCK_STREAM)
alice: sa.connect(addr)
bob: sb = socket(AF_INET, SOCK_STREAM)
bob: sb.connect(addr)
carol: sc = socket(AF_INET, SOCK_STREAM)
carol: sc.connect(addr)
server: k1, p1 = srv.accept()
server: k2, p2 = srv.accept()
server: k3, p3 = srv.accept()
)"));
    const ui::StageState st = ui::buildStageState(lab.trace(), lab.trace().size());
    const ui::StagePairs pairs = ui::stagePairs(st);
    QSet<int> numbers;
    for (const QString &k : {QStringLiteral("k1"), QStringLiteral("k2"), QStringLiteral("k3")}) {
        const ui::SocketSnap *acc = st.socketNamed(k);
        QVERIFY(acc && !acc->peer.isEmpty());
        const ui::SocketSnap *client = nullptr;
        for (const ui::SocketSnap &c : st.sockets)
            if (!c.kernelOnly && c.local == acc->peer)
                client = &c;
        QVERIFY2(client, qPrintable(k));
        const int n = pairs.of(acc->id);
        QVERIFY2(n > 0, qPrintable(k));
        QCOMPARE(pairs.of(client->id), n);
        numbers.insert(n);
        QVERIFY(ui::pairColor(n).isValid());
    }
    QCOMPARE(numbers.size(), 3);
    QCOMPARE(pairs.of(st.socketNamed(QStringLiteral("srv"))->id), 0); // a listener pairs with none
    QVERIFY(ui::pairColor(1) != ui::pairColor(2) && ui::pairColor(2) != ui::pairColor(3) &&
            ui::pairColor(1) != ui::pairColor(3));
    lab.reset();
}

// 35 bytes waiting in a receive buffer of hundreds of kilobytes: the bar still shows them
// (a sliver), on the stage as painted.
void TstStageCards::smallUdpQueueVisible() {
    ui::QueueFill f;
    f.used = 35;
    f.capacity = 212992;
    QVERIFY(ui::queueFillWidth(f, 35, 120, 3) >= 3);
    f.used = 0;
    QCOMPARE(ui::queueFillWidth(f, 0, 120, 3), 0.0);

    ui::MainWindow w;
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.lab()->load(QStringLiteral(R"(receiver: r = socket(AF_INET, SOCK_DGRAM)
receiver: r.bind(("127.0.0.1", 0))
receiver: raddr = r.getsockname()
sender: u = socket(AF_INET, SOCK_DGRAM)
sender: u.sendto(b"x" * 35, raddr)
wait until recvq(r) == 35 within 5
)"),
                          QStringLiteral("udp.lab")));
    while (!w.lab()->atEnd())
        QVERIFY(w.lab()->stepAndWait(15000));
    QCOMPARE(w.lab()->failedExpectations(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            w.feed()->drainNow();
            const ui::SocketSnap *r = w.stageView()->state().socketNamed(QStringLiteral("r"));
            return r && r->hasSample && r->sample.recvQ > 0;
        }(),
        5000);
    QTest::qWait(400); // the bar glides in
    const ui::StageState &st = w.stageView()->state();
    const ui::SocketSnap *r = st.socketNamed(QStringLiteral("r"));
    const ui::QueueFill recv = ui::recvFill(st, *r);
    QVERIFY(recv.used > 0 && recv.capacity > 1000);
    QVERIFY(recv.ratio() < 0.05); // tiny: without the sliver it would not show
    QCOMPARE(ui::cardStateText(*r), QStringLiteral("UDP")); // not "n/a": no connection state
    w.stageView()->setSelectedSocket(-1);
    const QRect card = w.stageView()->cardRect(r->id).toAlignedRect();
    QVERIFY(!card.isEmpty());
    const QImage img = w.stageView()->grab(card).toImage();
    const QColor fill = ui::queueFillColor(recv, w.stageView()->palette());
    int lit = 0;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x)
            if (img.pixelColor(x, y).rgb() == fill.rgb())
                ++lit;
    QVERIFY2(lit >= 6, qPrintable(QStringLiteral("%1 pixels of the fill colour").arg(lit)));
    w.stageView()->grab().save(QStringLiteral("/tmp/b-udp-stage.png"));
    w.lab()->reset();
}

// One meaning per sign: the stage's light is ERR (POLLERR, a pending error), the Inspector
// writes it ERR too, and the select() panel's header says the exception set is urgent data.
void TstStageCards::errIsNotTheExceptionalSet() {
    QVERIFY(ui::lightMeaning(2).startsWith(QStringLiteral("ERR")));
    QVERIFY(ui::lightMeaning(2).contains(QStringLiteral("POLLERR")));
    QVERIFY(ui::lightMeaning(2).contains(QStringLiteral("urgent")));
    QCOMPARE(ui::readinessText(sys::Error), QStringLiteral("ERR"));
    ui::TimeCursor cursor;
    ui::SelectPanel panel(&cursor);
    auto *view = panel.findChild<QTreeView *>(QStringLiteral("selectView"));
    QVERIFY(view);
    const QString tip = view->model()
                            ->headerData(ui::SelectModel::InColumn, Qt::Horizontal, Qt::ToolTipRole)
                            .toString();
    QVERIFY2(tip.contains(QStringLiteral("urgent")) && tip.contains(QStringLiteral("ERR")),
             qPrintable(tip));
    // The Why column shows at the width the panel gets in the default layout.
    panel.resize(420, 300); // the dock's width at 1280×720
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QHeaderView *h = view->header();
    const int x = h->sectionViewportPosition(ui::SelectModel::WhyColumn);
    const int shown =
        std::min(view->viewport()->width(), x + h->sectionSize(ui::SelectModel::WhyColumn)) - x;
    QVERIFY2(x >= 0 && shown >= view->viewport()->width() * 2 / 5,
             qPrintable(QStringLiteral("Why at %1, %2 px shown of %3")
                            .arg(x)
                            .arg(shown)
                            .arg(view->viewport()->width())));
}

void TstStageCards::screenshots_data() {
    QTest::addColumn<int>("lesson");
    QTest::addColumn<QString>("line");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<int>("occurrence");
    // Lesson 3 with all five connections accepted (the second time its queue is empty:
    // the server's accept loop has taken all five).
    const QString emptied = QStringLiteral("expect acceptq(srv) == 0");
    QTest::newRow("3-1920") << 3 << emptied << QSize(1920, 1080) << 2;
    QTest::newRow("3-1280") << 3 << emptied << QSize(1280, 720) << 2;
    const QString eagain = QStringLiteral("expect error == EAGAIN");
    QTest::newRow("5-1920") << 5 << eagain << QSize(1920, 1080) << 1;
    QTest::newRow("5-1280") << 5 << eagain << QSize(1280, 720) << 1;
    // A learner's other stops: lesson 1 after conn.close() (CLOSE_WAIT, a ghost), lesson 9
    // at the EPIPE after both closes, lesson 12 at the select() on a full sender.
    QTest::newRow("1-1280") << 1 << QStringLiteral("expect len(response) == 78") << QSize(1280, 720)
                            << 1;
    QTest::newRow("9-1920") << 9 << QStringLiteral("expect error == EPIPE") << QSize(1920, 1080)
                            << 1;
    QTest::newRow("12-1280") << 12 << QStringLiteral("expect w == []") << QSize(1280, 720) << 1;
}

void TstStageCards::screenshots() {
    QFETCH(int, lesson);
    QFETCH(QString, line);
    QFETCH(QSize, size);
    QFETCH(int, occurrence);
    ui::MainWindow w;
    QVERIFY(uitest::runLessonTo(w, lesson, line, size, occurrence));
    w.resize(size);
    if (lesson == 5) { // conn chosen, as a learner clicks the full bar's card
        const ui::SocketSnap *conn = w.stageView()->state().socketNamed(QStringLiteral("conn"));
        QVERIFY(conn);
        w.stageView()->setSelectedSocket(conn->id);
        w.findChild<ui::Inspector *>()->setSocket(conn->id);
    }
    if (lesson == 12) // the select() panel, as a learner opens it here
        if (auto *dock = w.findChild<QDockWidget *>(QStringLiteral("selectDock")))
            dock->raise();
    QTest::qWait(150);
    QCoreApplication::processEvents();
    const QString path = QStringLiteral("/tmp/b-lesson%1-%2x%3.png")
                             .arg(lesson)
                             .arg(size.width())
                             .arg(size.height());
    QVERIFY(w.grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
    w.lab()->reset();
}

QTEST_MAIN(TstStageCards)
#include "tst_stagecards.moc"
