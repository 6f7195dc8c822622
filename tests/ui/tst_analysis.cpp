// The analysis docks: the select() panel's reasons (from a real run of
// select_reasons.lab and from a table of samples), the trace table (lazy, one row
// per event, errno by name, kind filter, one insertion per batch), the kernel view
// (kernel-only sockets after close()), the inspector at two cursor positions, and
// the docks in the window with a screenshot for a human to look at.
#include "ui/analysis/selectmodel.h"
#include "ui/analysis/selectpanel.h"
#include "ui/stage/inspector.h"
#include "ui/stage/kernelmodel.h"
#include "ui/stage/queuechart.h"
#include "ui/stage/stageview.h"
#include "ui/time/timecursor.h"
#include "ui/time/tracefeed.h"
#include "ui/time/tracetablemodel.h"
#include "ui/window/analysisdocks.h"
#include "ui/window/mainwindow.h"

#include "engine/lab.h"
#include "lessons/lessoncatalog.h"
#include "script/catalog.h"
#include "sys/kernelprobe.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDockWidget>
#include <QMenu>
#include <QPainter>
#include <QSignalSpy>
#include <QtTest>
#include <cerrno>
#include <functional>

using namespace sl;
using trace::EventKind;

class TstAnalysis : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void selectReasonTable_data();
    void selectReasonTable();
    void selectPanelFromRealRun();
    void selectPanelShowsPollAndEpoll();
    void traceTable();
    void kernelViewShowsKernelOnly();
    void inspectorFollowsCursor();
    void docksInWindow();

private:
    static QString readFile(const QString &path);
    static bool runAll(engine::Lab &lab, int maxSteps = 200);
    static bool runUntil(engine::Lab &lab, const std::function<bool()> &done);
    static bool shootDock(QMainWindow &w, const char *name, QSize size, const QString &path);
    static std::size_t firstEvent(const trace::Trace &t,
                                  const std::function<bool(const trace::Event &)> &f);
};

void TstAnalysis::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("socketlab-tests"));
    QSettings().clear();
}

QString TstAnalysis::readFile(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return QString::fromUtf8(f.readAll());
}

bool TstAnalysis::runAll(engine::Lab &lab, int maxSteps) {
    for (int i = 0; i < maxSteps && !lab.atEnd(); ++i)
        if (!lab.stepAndWait(10000))
            return false;
    return lab.atEnd();
}

bool TstAnalysis::runUntil(engine::Lab &lab, const std::function<bool()> &done) {
    for (int i = 0; i < 200 && !lab.atEnd(); ++i) {
        if (!lab.stepAndWait(10000))
            return false;
        if (done())
            return true;
    }
    return done();
}

std::size_t TstAnalysis::firstEvent(const trace::Trace &t,
                                    const std::function<bool(const trace::Event &)> &f) {
    for (std::size_t i = 0; i < t.size(); ++i)
        if (f(t.event(i)))
            return i;
    return t.size();
}

void TstAnalysis::selectReasonTable_data() {
    // The rows of KERNEL-FACTS "Readiness", as the probe records them.
    QTest::addColumn<int>("set");
    QTest::addColumn<bool>("ready");
    QTest::addColumn<int>("readiness");
    QTest::addColumn<bool>("listener");
    QTest::addColumn<int>("acceptQ");
    QTest::addColumn<int>("recvQ");
    QTest::addColumn<int>("sendQ");
    QTest::addColumn<QString>("reason");
    using namespace sys;
    QTest::newRow("listener, 1 pending") << 0 << true << int(Readable) << true << 1 << -1 << -1
                                         << QStringLiteral("a connection to accept");
    QTest::newRow("listener, nothing pending")
        << 0 << false << 0 << true << 0 << -1 << -1 << QStringLiteral("no connection waiting");
    QTest::newRow("unread data") << 0 << true << int(Readable | Writable) << false << -1 << 5 << 0
                                 << QStringLiteral("data waiting (5 bytes)");
    QTest::newRow("peer closed") << 0 << true << int(Readable | Writable | PeerClosed) << false
                                 << -1 << 0 << 0
                                 << QStringLiteral("peer closed (recv will return b'')");
    QTest::newRow("nothing to read") << 0 << false << int(Writable) << false << -1 << 0 << 0
                                     << QStringLiteral("nothing to read");
    QTest::newRow("fresh connected socket, write")
        << 1 << true << int(Writable) << false << -1 << 0 << 0
        << QStringLiteral("buffer space (8,192 of 8,192 free)");
    QTest::newRow("full send buffer")
        << 1 << false << 0 << false << -1 << 0 << 8192
        << QStringLiteral("send buffer full (8,192 bytes queued, SO_SNDBUF 8,192)");
    QTest::newRow("error pending") << 0 << true << int(Readable | Error) << false << -1 << 0 << 0
                                   << QStringLiteral("error pending");
}

void TstAnalysis::selectReasonTable() {
    QFETCH(int, set);
    QFETCH(bool, ready);
    QFETCH(int, readiness);
    QFETCH(bool, listener);
    QFETCH(int, acceptQ);
    QFETCH(int, recvQ);
    QFETCH(int, sendQ);
    QFETCH(QString, reason);
    QLocale::setDefault(QLocale(QLocale::English));
    trace::SampleData s{};
    s.readiness = std::uint8_t(readiness);
    s.listener = listener;
    s.acceptQ = acceptQ;
    s.recvQ = recvQ;
    s.sendQ = sendQ;
    s.sndbuf = 8192;
    s.rcvbuf = 8192;
    QCOMPARE(ui::selectReason(set, ready, s), reason);
}

void TstAnalysis::selectPanelFromRealRun() {
    QLocale::setDefault(QLocale(QLocale::English));
    const QString path = QFINDTESTDATA("select_reasons.lab");
    QVERIFY(!path.isEmpty());
    engine::Lab lab;
    QVERIFY(lab.load(readFile(path), path));
    QVERIFY(runAll(lab));
    QCOMPARE(lab.failedExpectations(), 0);

    ui::TimeCursor cursor;
    cursor.setTrace(&lab.trace(), false);
    ui::SelectModel model(&cursor);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex call = model.index(0, 0);
    QCOMPARE(model.rowCount(call), 6); // 4 in the read set, 2 in the write set
    QVERIFY(model.index(0, ui::SelectModel::TimeoutColumn).data().toString().startsWith(u'0'));
    QVERIFY(model.index(0, ui::SelectModel::TookColumn).data().toString() != QStringLiteral("…"));
    QCOMPARE(model.index(0, ui::SelectModel::OutColumn).data().toString(),
             QStringLiteral("→ r=[srv, reader, orphan] w=[reader] x=[]"));

    // The reason of each socket, by name and set.
    QHash<QString, QString> why;
    QHash<QString, bool> ready;
    for (int r = 0; r < model.rowCount(call); ++r) {
        const QString key = model.index(r, ui::SelectModel::CallColumn, call).data().toString() +
                            u'/' +
                            model.index(r, ui::SelectModel::InColumn, call).data().toString();
        why[key] = model.index(r, ui::SelectModel::WhyColumn, call).data().toString();
        ready[key] = model.index(r, 0, call).data(ui::SelectModel::ReadyRole).toBool();
    }
    const auto check = [&](const char *key, bool isReady, const char *reason) {
        const QString k = QLatin1String(key);
        QVERIFY2(why.contains(k), key);
        QCOMPARE(ready.value(k), isReady);
        QVERIFY2(why.value(k).contains(QLatin1String(reason)), qPrintable(k + u' ' + why.value(k)));
    };
    check("srv/read set", true, "a connection to accept");
    check("reader/read set", true, "data waiting (5 bytes)");
    check("orphan/read set", true, "peer closed (recv will return b'')");
    check("s/read set", false, "nothing to read");
    check("s/write set", false, "send buffer full");
    check("reader/write set", true, "buffer space (");

    // Looking back: inside the call the results are not known yet; before it, no row.
    const trace::Trace &t = lab.trace();
    const std::size_t in =
        firstEvent(t, [](const trace::Event &e) { return e.kind == EventKind::SelectIn; });
    const std::size_t out =
        firstEvent(t, [](const trace::Event &e) { return e.kind == EventKind::SelectOut; });
    QVERIFY(in < out && out < t.size());
    cursor.setPosition(out); // SelectOut not yet applied
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, ui::SelectModel::OutColumn).data().toString(), QStringLiteral("…"));
    QCOMPARE(model.index(0, ui::SelectModel::OutColumn, model.index(0, 0)).data().toString(),
             QStringLiteral("…"));
    cursor.setPosition(in);
    QCOMPARE(model.rowCount(), 0);
    cursor.setLive(true);
    QCOMPARE(model.rowCount(), 1);
    QVERIFY(model.index(0, ui::SelectModel::OutColumn)
                .data()
                .toString()
                .startsWith(QStringLiteral("→")));
}

// poll(), epoll.poll() and selector.select() are rows of the panel as select() is, with
// the same reasons (issue 9).
void TstAnalysis::selectPanelShowsPollAndEpoll() {
    QLocale::setDefault(QLocale(QLocale::English));
    engine::Lab lab;
    QVERIFY(lab.load(QStringLiteral(R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
client: c = socket(AF_INET, SOCK_STREAM)
client: c.connect(srv.getsockname())
server: conn, addr = srv.accept()
server: conn.send(b"x")
client: p = select.poll()
client: p.register(c, select.POLLIN)
client: ev = p.poll(2000)
client: ep = select.epoll()
client: ep.register(c, select.EPOLLIN)
client: ev = ep.poll(2)
client: sel = selectors.DefaultSelector()
client: k = sel.register(c, selectors.EVENT_READ)
client: ev = sel.select(2)
)"),
                     QStringLiteral("poll.lab")));
    QVERIFY(runAll(lab));
    ui::TimeCursor cursor;
    cursor.setTrace(&lab.trace(), false);
    ui::SelectModel model(&cursor);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 3);
    const char *const names[] = {"poll()", "epoll.poll()", "selector.select()"};
    for (int r = 0; r < 3; ++r) {
        const QModelIndex call = model.index(r, 0);
        QVERIFY2(call.data().toString().endsWith(QLatin1String(names[r])),
                 qPrintable(call.data().toString()));
        QCOMPARE(model.index(r, ui::SelectModel::OutColumn).data().toString(),
                 QStringLiteral("→ r=[c] w=[] x=[]"));
        QCOMPARE(model.rowCount(call), 1);
        QVERIFY(model.index(0, 0, call).data(ui::SelectModel::ReadyRole).toBool());
        QVERIFY(model.index(0, ui::SelectModel::WhyColumn, call)
                    .data()
                    .toString()
                    .contains(QLatin1String("data waiting")));
    }
}

void TstAnalysis::traceTable() {
    engine::Lab lab;
    QVERIFY(lab.load(lessons::findLesson(QStringLiteral("5"))->source, QStringLiteral("05.lab")));
    ui::TimeCursor cursor;
    cursor.setTrace(&lab.trace(), false);
    ui::TraceTableModel model(&cursor);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    // Step until a send failed with EAGAIN.
    const auto sawEagain = [&] {
        const trace::Trace &t = lab.trace();
        for (std::size_t i = 0; i < t.size(); ++i)
            if (t.event(i).kind == EventKind::CallEnd && t.event(i).call.err == EAGAIN)
                return true;
        return false;
    };
    int batches = 0;
    QVERIFY(runUntil(lab, [&] {
        cursor.setEnd(lab.trace().size()); // one batch per step, as TraceFeed delivers them
        ++batches;
        return sawEagain();
    }));
    lab.pause();
    const std::size_t size = cursor.end();
    QCOMPARE(std::size_t(model.rowCount()), size);
    QCOMPARE(reset.count(), 0);           // growth never resets
    QVERIFY(inserted.count() <= batches); // at most one insertion per batch

    int eagainRow = -1;
    for (int r = 0; r < model.rowCount(); ++r) {
        const QModelIndex kind = model.index(r, ui::TraceTableModel::KindColumn);
        const trace::Event &e = lab.trace().event(std::size_t(r));
        if (kind.data(ui::TraceTableModel::KindRole).toInt() == int(EventKind::CallEnd) &&
            e.call.err == EAGAIN && script::CallId(e.call.call) == script::CallId::Send)
            eagainRow = r;
    }
    QVERIFY(eagainRow >= 0);
    const QString details =
        model.index(eagainRow, ui::TraceTableModel::DetailsColumn).data().toString();
    QVERIFY2(details.contains(QStringLiteral("send() → EAGAIN (BlockingIOError)")),
             qPrintable(details));
    QCOMPARE(model.index(eagainRow, ui::TraceTableModel::KindColumn).data().toString(),
             QStringLiteral("call_end"));
    QCOMPARE(model.index(eagainRow, ui::TraceTableModel::SocketColumn).data().toString(),
             QStringLiteral("s"));

    // The filter keeps only CallEnds; every row is one.
    int callEnds = 0;
    for (std::size_t i = 0; i < size; ++i)
        callEnds += lab.trace().event(i).kind == EventKind::CallEnd;
    model.setKindFilter(EventKind::CallEnd);
    QCOMPARE(model.rowCount(), callEnds);
    for (int r = 0; r < model.rowCount(); ++r)
        QCOMPARE(model.index(r, 0).data(ui::TraceTableModel::KindRole).toInt(),
                 int(EventKind::CallEnd));

    // Rows after the cursor are greyed, not removed.
    model.setKindFilter(std::nullopt);
    cursor.setPosition(size / 2);
    QCOMPARE(std::size_t(model.rowCount()), size);
    QVERIFY(model.index(int(size) - 1, 0).data(Qt::ForegroundRole).isValid());
    QVERIFY(!model.index(0, 0).data(Qt::ForegroundRole).isValid());
}

void TstAnalysis::kernelViewShowsKernelOnly() {
    engine::Lab lab;
    QVERIFY(lab.load(QStringLiteral(R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
client: s = socket(AF_INET, SOCK_STREAM)
client: s.connect(srv.getsockname())
server: conn, addr = srv.accept()
client: s.close()
expect state(conn) == "CLOSE_WAIT"
)"),
                     QStringLiteral("close.lab")));
    QVERIFY(runAll(lab));
    QCOMPARE(lab.failedExpectations(), 0);
    ui::TimeCursor cursor;
    cursor.setTrace(&lab.trace(), false);
    ui::KernelModel model(&cursor);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    // The closed side lives on in the kernel without a descriptor (FIN_WAIT2, or
    // TIME_WAIT once conn closes); sock_diag finds it within a sampler period or two.
    const auto kernelOnlyRow = [&]() -> int {
        cursor.setEnd(lab.trace().size());
        for (int r = 0; r < model.rowCount(); ++r)
            if (model.index(r, 0).data(ui::KernelModel::KernelOnlyRole).toBool())
                return r;
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(kernelOnlyRow() >= 0, 5000);
    const int row = kernelOnlyRow();
    const QString state = model.index(row, ui::KernelModel::StateColumn).data().toString();
    QVERIFY2(state == QLatin1String("FIN_WAIT2") || state == QLatin1String("TIME_WAIT") ||
                 state == QLatin1String("FIN_WAIT1"),
             qPrintable(state));
    QCOMPARE(model.index(row, ui::KernelModel::OwnerColumn).data().toString(),
             QStringLiteral("no descriptor"));

    // The closed descriptor is gone from the table; conn is there, in CLOSE_WAIT,
    // owned by the server's fd; the listener shows its backlog as Send-Q, like ss.
    bool sawS = false, sawConn = false, sawListener = false;
    for (int r = 0; r < model.rowCount(); ++r) {
        const QString owner = model.index(r, ui::KernelModel::OwnerColumn).data().toString();
        const QString st = model.index(r, ui::KernelModel::StateColumn).data().toString();
        sawS |= owner.contains(QStringLiteral(" s "));
        if (owner.contains(QStringLiteral("conn (server)"))) {
            sawConn = true;
            QCOMPARE(st, QStringLiteral("CLOSE_WAIT"));
        }
        if (st == QLatin1String("LISTEN")) {
            sawListener = true;
            QCOMPARE(model.index(r, ui::KernelModel::SendQColumn).data().toString(),
                     QStringLiteral("5"));
        }
    }
    QVERIFY(!sawS);
    QVERIFY(sawConn);
    QVERIFY(sawListener);

    // Back at the start there is nothing; live again, the ghost is back.
    cursor.setPosition(0);
    QCOMPARE(model.rowCount(), 0);
    cursor.setLive(true);
    QVERIFY(kernelOnlyRow() >= 0);
    lab.reset();
}

void TstAnalysis::inspectorFollowsCursor() {
    engine::Lab lab;
    QVERIFY(lab.load(lessons::findLesson(QStringLiteral("5"))->source, QStringLiteral("05.lab")));
    const auto partial = [&] {
        const trace::Trace &t = lab.trace();
        for (std::size_t i = 0; i < t.size(); ++i)
            if (t.event(i).kind == EventKind::CallEnd &&
                (t.event(i).call.flags & trace::CallPartial))
                return true;
        return false;
    };
    QVERIFY(runUntil(lab, partial));
    ui::TimeCursor cursor;
    cursor.setTrace(&lab.trace(), false);
    ui::Inspector inspector(&cursor);
    ui::SelectModel unused(&cursor); // many views on one cursor
    const trace::Trace &t = lab.trace();
    const std::size_t sNew = firstEvent(t, [&](const trace::Event &e) {
        return e.kind == EventKind::SocketNew && t.text(e.socket.name) == QLatin1String("s");
    });
    QVERIFY(sNew < t.size());
    const int s = t.event(sNew).sock;
    inspector.setSocket(s);
    QCOMPARE(inspector.fieldText(ui::Inspector::NameField), QStringLiteral("s"));
    const QString sendQEnd = inspector.fieldText(ui::Inspector::SendQField);
    const QString stateEnd = inspector.fieldText(ui::Inspector::StateField);
    QVERIFY2(sendQEnd != QLatin1String("0") && sendQEnd != QLatin1String("n/a"),
             qPrintable(sendQEnd));
    QVERIFY(stateEnd.contains(QStringLiteral("ESTABLISHED")));
    QVERIFY(inspector.chart()->sendPointCount() >= 2);
    const double cursorEnd = inspector.chart()->cursorSeconds();

    // Just after the socket was made: not connected, nothing queued.
    const std::size_t firstSample = firstEvent(
        t, [&](const trace::Event &e) { return e.kind == EventKind::Sample && e.sock == s; });
    cursor.setPosition(firstSample + 1);
    QCOMPARE(inspector.socket(), s);
    QVERIFY(inspector.fieldText(ui::Inspector::SendQField) != sendQEnd);
    QVERIFY(inspector.fieldText(ui::Inspector::StateField) != stateEnd);
    QVERIFY(inspector.chart()->cursorSeconds() < cursorEnd);
    // Before the socket exists the inspector says so rather than showing stale numbers.
    cursor.setPosition(sNew);
    QCOMPARE(inspector.fieldText(ui::Inspector::NameField),
             QStringLiteral("no socket at this point"));
    cursor.setLive(true);
    QCOMPARE(inspector.fieldText(ui::Inspector::SendQField), sendQEnd);
}

void TstAnalysis::docksInWindow() {
    ui::MainWindow w;
    w.resize(1500, 950);
    for (const char *name :
         {ui::SelectDockName, ui::InspectorDockName, ui::TraceDockName, ui::KernelDockName}) {
        auto *dock = w.findChild<QDockWidget *>(QLatin1String(name));
        QVERIFY2(dock, name);
        auto *menu = w.findChild<QMenu *>(QStringLiteral("viewMenu"));
        QVERIFY(menu);
        QVERIFY(menu->actions().contains(dock->toggleViewAction()));
    }
    auto *selectPanel = w.findChild<ui::SelectPanel *>();
    auto *inspector = w.findChild<ui::Inspector *>();
    QVERIFY(selectPanel && inspector);
    QAbstractItemModelTester tester(selectPanel->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);

    const QString path = QFINDTESTDATA("select_reasons.lab");
    lessons::LessonInfo info;
    info.id = QStringLiteral("select_reasons");
    info.path = path;
    info.source = readFile(path);
    QVERIFY(w.openLesson(info));
    w.show();
    engine::Lab *lab = w.lab();
    QVERIFY(runAll(*lab));
    w.feed()->drainNow();
    QCOMPARE(selectPanel->model()->rowCount(), 1);

    // A card clicked on the stage selects the inspector's socket.
    const trace::Trace &t = lab->trace();
    const std::size_t sNew = firstEvent(t, [&](const trace::Event &e) {
        return e.kind == EventKind::SocketNew && t.text(e.socket.name) == QLatin1String("s");
    });
    emit w.stageView()->socketSelected(t.event(sNew).sock);
    QCOMPARE(inspector->socket(), t.event(sNew).sock);

    const QString dir = QCoreApplication::applicationDirPath();
    QVERIFY(w.grab().save(dir + QStringLiteral("/analysis_window_select.png")));
    QVERIFY(shootDock(w, ui::SelectDockName, {1000, 300},
                      dir + QStringLiteral("/analysis_select.png")));
    QVERIFY(shootDock(w, ui::KernelDockName, {1000, 260},
                      dir + QStringLiteral("/analysis_kernel.png")));

    // Lesson 5 at its partial send: the inspector on the client's socket, the trace.
    QVERIFY(w.openLesson(*lessons::findLesson(QStringLiteral("5"))));
    QVERIFY(runUntil(*lab, [&] {
        for (std::size_t i = 0; i < lab->trace().size(); ++i)
            if (lab->trace().event(i).kind == EventKind::CallEnd &&
                lab->trace().event(i).call.err == EAGAIN)
                return true;
        return false;
    }));
    w.feed()->drainNow();
    const std::size_t s5 = firstEvent(t, [&](const trace::Event &e) {
        return e.kind == EventKind::SocketNew && t.text(e.socket.name) == QLatin1String("s");
    });
    emit w.stageView()->socketSelected(t.event(s5).sock);
    QVERIFY(shootDock(w, ui::InspectorDockName, {460, 720},
                      dir + QStringLiteral("/analysis_inspector_lesson05.png")));
    QVERIFY(shootDock(w, ui::TraceDockName, {1100, 320},
                      dir + QStringLiteral("/analysis_trace_lesson05.png")));
    QVERIFY(w.grab().save(dir + QStringLiteral("/analysis_window_lesson05.png")));
    qInfo("screenshots in %s", qPrintable(dir));
    lab->reset();
}

// Floats a dock at a readable size and saves what it shows, for a human to look at.
bool TstAnalysis::shootDock(QMainWindow &w, const char *name, QSize size, const QString &path) {
    auto *dock = w.findChild<QDockWidget *>(QLatin1String(name));
    if (!dock)
        return false;
    dock->setFloating(true);
    dock->resize(size);
    dock->show();
    dock->raise();
    QCoreApplication::processEvents();
    const bool ok = dock->grab().save(path);
    dock->setFloating(false);
    return ok;
}

QTEST_MAIN(TstAnalysis)
#include "tst_analysis.moc"
