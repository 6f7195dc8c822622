// Screenshots of lessons at their most telling step, for a human to look at (and for
// the README): each lesson runs in a MainWindow offscreen up to a chosen line, the
// stage's state is checked (socket states, a blocked lane, a partial call), and the
// window is saved to $SOCKETLAB_SCREENSHOTS (default <test dir>/screenshots) as
// lessonNN[-what].png at 1280×720. Lessons 1, 3, 5 (at the EAGAIN), 9 and 12 in English
// and 3 and 8 in Korean are also taken at 1920×1080 (…-1920x1080.png), the teacher's
// projector and the student's screen, and each picture is checked for basic facts: not
// blank, the stage at least half the width, the sequence and the narration visible.
#include "lessonrun.h"
#include "ui/script/scriptpanel.h"
#include "ui/stage/stageview.h"
#include "ui/time/timecursor.h"
#include "ui/time/tracefeed.h"
#include "ui/window/cursorfollow.h"
#include "ui/window/i18n.h"
#include "ui/window/mainwindow.h"
#include "ui/window/presentation.h"
#include "view/stagestate.h"

#include "engine/lab.h"
#include "lessons/lessoncatalog.h"
#include "sys/kernelprobe.h"

#include <QDir>
#include <QDockWidget>
#include <QFontInfo>
#include <QLabel>
#include <QTableView>
#include <QtTest>

using namespace sl;

// The whole window in Korean for one test (menus, docks, cards), English again after.
struct KoreanUi {
    KoreanUi() { QVERIFY(ui::setUiLanguage(QStringLiteral("ko"))); }
    ~KoreanUi() { ui::setUiLanguage(QStringLiteral("en")); }
    KoreanUi(const KoreanUi &) = delete;
    KoreanUi &operator=(const KoreanUi &) = delete;
};

class TstScreenshots : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void lesson01CloseWait();
    void lesson02TwoAccepted();
    void lesson04Fork();
    void lesson03FullBacklogKo();
    void lesson05PartialSend();
    void lesson05BlockedSendall();
    void lesson05Presentation();
    void lesson08SplitPrefixKo();
    void lesson10CutWireKo();
    void lesson11NonBlocking();
    void lesson03FullBacklog();
    void lesson05EagainBothSizes();
    void lesson09HalfClose();
    void lesson12SelectFull();
    void lesson05LookingBack();

private:
    // Opens lesson `number` in `w` and steps until the step on the `occurrence`-th line
    // (1-based) that starts with `text` has finished; then lets the views catch up.
    static bool runTo(ui::MainWindow &w, int number, const QString &text, int occurrence = 1);
    static QString save(ui::MainWindow &w, int number, const QString &suffix = {});
    // save() at 1280×720 and at 1920×1080, each picture checked (see the header).
    static bool saveBoth(ui::MainWindow &w, int number, const QString &suffix = {});
    static QString dir();
    static int tcp(const ui::StageState &st, const QString &name);
    static bool traceHas(const engine::Lab *lab, int err, int flag = 0);
};

void TstScreenshots::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("socketlab-tests"));
    QSettings().clear();
    QVERIFY(QDir().mkpath(dir()));
}

QString TstScreenshots::dir() {
    const QString env = qEnvironmentVariable("SOCKETLAB_SCREENSHOTS");
    return env.isEmpty() ? QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots")
                         : env;
}

bool TstScreenshots::runTo(ui::MainWindow &w, int number, const QString &text, int occurrence) {
    return uitest::runLessonTo(w, number, text, QSize(1280, 720), occurrence);
}

QString TstScreenshots::save(ui::MainWindow &w, int number, const QString &suffix) {
    // The inspector's fields and chart redraw at most ten times a second while events
    // stream in: let the last of those redraws happen before the picture is taken.
    QTest::qWait(150);
    QCoreApplication::processEvents();
    const QString path =
        dir() + QStringLiteral("/lesson%1%2.png").arg(number, 2, 10, QLatin1Char('0')).arg(suffix);
    if (!w.grab().save(path))
        return {};
    qInfo("screenshot: %s", qPrintable(path));
    return path;
}

bool TstScreenshots::saveBoth(ui::MainWindow &w, int number, const QString &suffix) {
    for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
        w.resize(size);
        QTest::qWait(100);
        w.applyDefaultLayout(); // as a window opened at this size lays itself out
        QTest::qWait(200);
        if (w.size() != size) {
            qWarning("the window is %dx%d", w.width(), w.height());
            return false;
        }
        const QString name =
            QStringLiteral("%1-%2x%3").arg(suffix).arg(size.width()).arg(size.height());
        const QString path = save(w, number, size.width() == 1280 ? suffix : name);
        if (path.isEmpty())
            return false;
        // Basic facts of the picture: the stage takes at least half of it, the sequence
        // and the narration are there, and it is not blank (many colours, none above 90%).
        const QImage img(path);
        if (img.size() != size || w.centralWidget()->width() * 2 < size.width() ||
            !w.sequenceView()->isVisible() ||
            w.scriptPanel()->narrationWidget()->visibleRegion().isEmpty() ||
            w.scriptPanel()->narration().isEmpty()) {
            qWarning("%s: stage %d, sequence %d, narration %d", qPrintable(path),
                     w.centralWidget()->width(), w.sequenceView()->isVisible(),
                     w.scriptPanel()->narrationWidget()->isVisible());
            return false;
        }
        QHash<QRgb, int> colours;
        for (int y = 0; y < img.height(); y += 4)
            for (int x = 0; x < img.width(); x += 4)
                ++colours[img.pixel(x, y)];
        int most = 0;
        for (const int n : std::as_const(colours))
            most = std::max(most, n);
        const int samples = (img.width() / 4) * (img.height() / 4);
        if (colours.size() < 16 || most > samples * 9 / 10) {
            qWarning("%s looks blank (%lld colours)", qPrintable(path), qlonglong(colours.size()));
            return false;
        }
    }
    return true;
}

int TstScreenshots::tcp(const ui::StageState &st, const QString &name) {
    const ui::SocketSnap *s = st.socketNamed(name);
    return s && s->hasSample ? s->sample.state : -1;
}

bool TstScreenshots::traceHas(const engine::Lab *lab, int err, int flag) {
    const trace::Trace &t = lab->trace();
    for (std::size_t i = 0; i < t.size(); ++i) {
        const trace::Event &e = t.event(i);
        if (e.kind == trace::EventKind::CallEnd && (err == 0 || e.call.err == err) &&
            (flag == 0 || (e.call.flags & flag)))
            return true;
    }
    return false;
}

static int actorNamed(const ui::StageState &st, const QString &name) {
    for (std::size_t i = 0; i < st.actors.size(); ++i)
        if (st.actors[i].name == name)
            return int(i);
    return -1;
}

void TstScreenshots::lesson01CloseWait() {
    ui::MainWindow w;
    QVERIFY(runTo(w, 1, QStringLiteral("expect len(response) == 78")));
    const ui::StageState &st = w.stageView()->state();
    QCOMPARE(tcp(st, QStringLiteral("s")), int(sys::TcpState::CloseWait));
    QCOMPARE(tcp(st, QStringLiteral("srv")), int(sys::TcpState::Listen));
    QVERIFY(st.socketNamed(QStringLiteral("conn"))->closed);
    QVERIFY(saveBoth(w, 1));
    w.lab()->reset();
}

void TstScreenshots::lesson02TwoAccepted() {
    ui::MainWindow w;
    QVERIFY(runTo(w, 2, QStringLiteral("expect state(conn2) == \"ESTABLISHED\"")));
    const ui::StageState &st = w.stageView()->state();
    const ui::SocketSnap *c1 = st.socketNamed(QStringLiteral("conn1"));
    const ui::SocketSnap *c2 = st.socketNamed(QStringLiteral("conn2"));
    QVERIFY(c1 && c2);
    QCOMPARE(tcp(st, QStringLiteral("conn1")), int(sys::TcpState::Established));
    QCOMPARE(tcp(st, QStringLiteral("conn2")), int(sys::TcpState::Established));
    QVERIFY(!c1->peer.isEmpty() && !c2->peer.isEmpty());
    QVERIFY2(c1->peer != c2->peer, qPrintable(c1->peer + QStringLiteral(" / ") + c2->peer));
    QCOMPARE(c1->local, c2->local); // the listener's port, both
    QVERIFY(!save(w, 2).isEmpty());
    w.lab()->reset();
}

// Lesson 4's ④: three forked children (real processes) served alice, bob and carol; each
// child is its own actor after the script's, named by its pid, with no empty lane.
void TstScreenshots::lesson04Fork() {
    ui::MainWindow w;
    QVERIFY(runTo(w, 4, QStringLiteral("expect eof_a == b\"\" and eof_b == b\"\"")));
    const ui::StageState &st = w.stageView()->state();
    int children = 0;
    for (const ui::ActorSnap &a : st.actors) {
        QVERIFY2(!a.name.isEmpty(), "no lane without a name (an unused actor index)");
        if (a.name.startsWith(QStringLiteral("pid ")) &&
            a.name.endsWith(QStringLiteral(" (server)")))
            ++children;
    }
    QCOMPARE(children, 3);
    QVERIFY(!save(w, 4, QStringLiteral("fork")).isEmpty());
    w.lab()->reset();
}

void TstScreenshots::lesson03FullBacklogKo() {
    const KoreanUi korean; // the window in Korean, not only the narration
    ui::MainWindow w(QStringLiteral("ko"));
    QVERIFY(runTo(w, 3, QStringLiteral("expect state(c5) == \"SYN_SENT\"")));
    const ui::StageState &st = w.stageView()->state();
    QCOMPARE(tcp(st, QStringLiteral("c4")), int(sys::TcpState::SynSent));
    QCOMPARE(tcp(st, QStringLiteral("c5")), int(sys::TcpState::SynSent));
    QCOMPARE(tcp(st, QStringLiteral("c3")), int(sys::TcpState::Established));
    const ui::SocketSnap *srv = st.socketNamed(QStringLiteral("srv"));
    QVERIFY(srv && srv->hasSample);
    QCOMPARE(srv->sample.acceptQ, 3);
    QCOMPARE(srv->sample.backlog, 2);
    QVERIFY(saveBoth(w, 3, QStringLiteral("-ko")));
    // The connections waiting in the accept queue sit in the kernel lane level with the
    // clients they answer: the lines between them run straight, not across each other.
    int ghostsLevel = 0;
    for (const ui::SocketSnap &g : st.sockets) {
        const ui::SocketSnap *peer = g.kernelOnly ? st.socket(g.peerSock) : nullptr;
        if (!peer || peer->kernelOnly)
            continue;
        const QRectF a = w.stageView()->cardRect(g.id), b = w.stageView()->cardRect(peer->id);
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        QVERIFY2(qAbs(a.center().y() - b.center().y()) < 2,
                 qPrintable(QStringLiteral("%1 and its ghost").arg(peer->name)));
        ++ghostsLevel;
    }
    QCOMPARE(ghostsLevel, 3); // c1, c2, c3: established, not yet accepted
    w.lab()->reset();
}

void TstScreenshots::lesson05PartialSend() {
    ui::MainWindow w;
    QVERIFY(runTo(w, 5, QStringLiteral("expect n < 1_000_000")));
    const ui::StageState &st = w.stageView()->state();
    const ui::SocketSnap *s = st.socketNamed(QStringLiteral("s"));
    QVERIFY(s && s->hasSample);
    QVERIFY(s->sample.nonBlocking);
    QVERIFY(s->sample.sendQ > 0);
    const ui::SocketSnap *conn = st.socketNamed(QStringLiteral("conn"));
    QVERIFY(conn && conn->hasSample && conn->sample.recvQ > 0);
    QVERIFY(traceHas(w.lab(), 0, trace::CallPartial)); // send(1000000) took a part
    QVERIFY(!save(w, 5, QStringLiteral("-partial")).isEmpty());
    w.lab()->reset();
}

// Presentation mode on a 1280x720 projector: the stage and the sequence in large type.
void TstScreenshots::lesson05Presentation() {
    ui::MainWindow w;
    QVERIFY(runTo(w, 5, QStringLiteral("expect n < 1_000_000")));
    const qreal normal = QFontInfo(w.stageView()->font()).pixelSize();
    w.presentation()->setActive(true);
    // The offscreen screen is 800x800: the full-screen window as a 1280x720 projector shows it.
    w.showNormal();
    w.resize(1280, 720);
    QTest::qWait(100);
    QVERIFY(w.presentation()->isActive());
    QVERIFY2(QFontInfo(w.stageView()->font()).pixelSize() >= normal * 1.4,
             "the stage's type grows in presentation mode");
    const auto docks = w.findChildren<QDockWidget *>();
    for (const QDockWidget *d : docks)
        if (d->isVisible())
            QVERIFY2(d->objectName() == QStringLiteral("sequenceDock") ||
                         d->objectName() == QStringLiteral("presentationNarrationDock"),
                     qPrintable(d->objectName()));
    QVERIFY(!save(w, 5, QStringLiteral("-presentation")).isEmpty());
    w.presentation()->setActive(false);
    w.lab()->reset();
}

void TstScreenshots::lesson05BlockedSendall() {
    ui::MainWindow w;
    QVERIFY(runTo(w, 5, QStringLiteral("expect blocked(client)")));
    const ui::StageState &st = w.stageView()->state();
    const int client = actorNamed(st, QStringLiteral("client"));
    QVERIFY(client >= 0);
    QCOMPARE(st.actors[std::size_t(client)].state, trace::ActorState::Blocked);
    const ui::SocketSnap *s = st.socketNamed(QStringLiteral("s"));
    QVERIFY(s && s->hasSample);
    QVERIFY(s->sample.sendQ > 0);
    QVERIFY(!(s->sample.readiness & sys::Writable));
    const ui::SocketSnap *conn = st.socketNamed(QStringLiteral("conn"));
    QVERIFY(conn && conn->hasSample && conn->sample.recvQ > 0);
    QVERIFY(traceHas(w.lab(), 0, trace::CallPartial)); // the partial send before
    QVERIFY(!save(w, 5).isEmpty());
    w.lab()->reset();
}

void TstScreenshots::lesson08SplitPrefixKo() {
    const KoreanUi korean; // the window in Korean, not only the narration
    ui::MainWindow w(QStringLiteral("ko"));
    QVERIFY(runTo(w, 8, QStringLiteral("expect len(prefix) < 5")));
    const ui::StageState &st = w.stageView()->state();
    QCOMPARE(tcp(st, QStringLiteral("conn")), int(sys::TcpState::Established));
    QCOMPARE(tcp(st, QStringLiteral("c")), int(sys::TcpState::Established));
    // The server's recv(5) of the prefix took fewer than 5 bytes (the Wire delivers 3 at
    // a time), and the rest of the message waits in conn's receive queue.
    const int server = actorNamed(st, QStringLiteral("server"));
    QVERIFY(server >= 0);
    bool split = false;
    const trace::Trace &t = w.lab()->trace();
    for (std::size_t i = 0; i < t.size(); ++i) {
        const trace::Event &e = t.event(i);
        if (e.kind == trace::EventKind::CallEnd && e.actor == server && e.call.asked == 5 &&
            e.call.moved > 0 && e.call.moved < 5)
            split = true;
    }
    QVERIFY(split);
    QVERIFY(st.socketNamed(QStringLiteral("conn"))->sample.recvQ > 0);
    QVERIFY(saveBoth(w, 8, QStringLiteral("-ko")));
    w.lab()->reset();
}

void TstScreenshots::lesson10CutWireKo() {
    const KoreanUi korean; // the window in Korean, not only the narration
    ui::MainWindow w(QStringLiteral("ko"));
    QVERIFY(runTo(w, 10, QStringLiteral("expect blocked(client)")));
    const ui::StageState &st = w.stageView()->state();
    const int client = actorNamed(st, QStringLiteral("client"));
    QVERIFY(client >= 0);
    QCOMPARE(st.actors[std::size_t(client)].state, trace::ActorState::Blocked);
    QCOMPARE(tcp(st, QStringLiteral("c")), int(sys::TcpState::Established));
    QCOMPARE(tcp(st, QStringLiteral("conn")), int(sys::TcpState::Established));
    // The wire's lane says it is cut and holds the server's 4-byte answer.
    const int wire = actorNamed(st, QStringLiteral("wire"));
    QCOMPARE(ui::laneStatusText(st, wire, st.lastNs),
             QStringLiteral("중계: 끊김, 4바이트 보관 중"));
    QVERIFY(!save(w, 10).isEmpty());
    w.lab()->reset();
}

void TstScreenshots::lesson11NonBlocking() {
    ui::MainWindow w;
    QVERIFY(runTo(w, 11, QStringLiteral("expect error == EAGAIN"), 2)); // the client's recv
    const ui::StageState &st = w.stageView()->state();
    QCOMPARE(tcp(st, QStringLiteral("s")), int(sys::TcpState::Established));
    QCOMPARE(tcp(st, QStringLiteral("srv")), int(sys::TcpState::Listen));
    QVERIFY(st.socketNamed(QStringLiteral("s"))->sample.nonBlocking);
    QVERIFY(traceHas(w.lab(), EAGAIN));
    QVERIFY(traceHas(w.lab(), EINPROGRESS));
    QVERIFY(!save(w, 11).isEmpty());
    w.lab()->reset();
}

void TstScreenshots::lesson03FullBacklog() {
    ui::MainWindow w;
    QVERIFY(runTo(w, 3, QStringLiteral("expect state(c5) == \"SYN_SENT\"")));
    const ui::StageState &st = w.stageView()->state();
    QCOMPARE(tcp(st, QStringLiteral("c5")), int(sys::TcpState::SynSent));
    QCOMPARE(tcp(st, QStringLiteral("srv")), int(sys::TcpState::Listen));
    QVERIFY(saveBoth(w, 3));
    w.lab()->reset();
}

// Lesson 5 at the EAGAIN: the non-blocking sends filled both queues.
void TstScreenshots::lesson05EagainBothSizes() {
    ui::MainWindow w;
    QVERIFY(runTo(w, 5, QStringLiteral("expect error == EAGAIN")));
    QVERIFY(traceHas(w.lab(), EAGAIN));
    const ui::StageState &st = w.stageView()->state();
    const ui::SocketSnap *s = st.socketNamed(QStringLiteral("s"));
    QVERIFY(s && s->hasSample && s->sample.sendQ > 0);
    QVERIFY(!(s->sample.readiness & sys::Writable));
    QVERIFY(saveBoth(w, 5, QStringLiteral("-eagain")));
    w.lab()->reset();
}

// Lesson 9 after shutdown(SHUT_WR): the client half-closed, the server in CLOSE_WAIT.
void TstScreenshots::lesson09HalfClose() {
    ui::MainWindow w;
    QVERIFY(runTo(w, 9, QStringLiteral("expect recvq(conn) == 47")));
    const ui::StageState &st = w.stageView()->state();
    QCOMPARE(tcp(st, QStringLiteral("s")), int(sys::TcpState::FinWait2));
    QCOMPARE(tcp(st, QStringLiteral("conn")), int(sys::TcpState::CloseWait));
    QVERIFY(saveBoth(w, 9));
    w.lab()->reset();
}

// Lesson 12 at the select() that finds the full client not writable.
void TstScreenshots::lesson12SelectFull() {
    ui::MainWindow w;
    QVERIFY(runTo(w, 12, QStringLiteral("expect w == []")));
    QVERIFY(traceHas(w.lab(), EAGAIN));
    const ui::StageState &st = w.stageView()->state();
    const ui::SocketSnap *c = st.socketNamed(QStringLiteral("c"));
    QVERIFY(c && c->hasSample);
    QVERIFY(!(c->sample.readiness & sys::Writable));
    QVERIFY(saveBoth(w, 12));
    w.lab()->reset();
}

// Looking back: the amber banner over the stage, the narration and the script's line
// of the cursor's step.
void TstScreenshots::lesson05LookingBack() {
    ui::MainWindow w;
    QVERIFY(runTo(w, 5, QStringLiteral("expect error == EAGAIN")));
    const trace::Trace &t = w.lab()->trace();
    std::size_t say = 0;
    for (std::size_t i = 0, seen = 0; i < t.size() && seen < 3; ++i)
        if (t.event(i).kind == trace::EventKind::Say && ++seen == 3)
            say = i + 1;
    QVERIFY(say > 0);
    w.cursor()->setPosition(say);
    QTest::qWait(200);
    QVERIFY(w.cursorFollow()->lookBackBanner()->isVisible());
    QCOMPARE(w.scriptPanel()->narration(), t.text(t.event(say - 1).text.a));
    QVERIFY(!save(w, 5, QStringLiteral("-lookback")).isEmpty());
    w.lab()->reset();
}

QTEST_MAIN(TstScreenshots)
#include "tst_screenshots.moc"
