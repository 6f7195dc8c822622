// Views fed a hostile trace: socket ids 2147483647 and 100,000,000 (a trace read from
// a file may say any id; views sized arrays by it: the first aborted, the second took
// 81 s and 4.4 GB), actor 0xfe, line 65535, unknown call ids and states, select() sets
// naming sockets that never existed. Every view must show it without a crash, in
// bounded memory, and no view may size anything by an id's value.
#include "ui/analysis/selectmodel.h"
#include "ui/sequence/sequencemodel.h"
#include "ui/stage/inspector.h"
#include "ui/stage/kernelmodel.h"
#include "ui/stage/queuechart.h"
#include "ui/stage/stageview.h"
#include "ui/time/timecursor.h"
#include "ui/time/timeline.h"
#include "ui/time/tracefeed.h"
#include "ui/time/tracetablemodel.h"

#include "engine/lab.h"
#include "script/catalog.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QGridLayout>
#include <QTableView>
#include <QTreeView>
#include <QtTest>

using namespace sl;
using trace::Event;
using trace::EventKind;

class TstHostileTrace : public QObject {
    Q_OBJECT
private slots:
    void hugeIdsInEveryView();

private:
    static void build(trace::Trace &t);
};

// Resident memory in MiB (statm's second field, in pages).
static double rssMiB() {
    QFile f(QStringLiteral("/proc/self/statm"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> parts = f.readAll().split(' ');
    return parts.size() > 1 ? parts[1].toDouble() * 4096 / (1024 * 1024) : 0;
}

void TstHostileTrace::build(trace::Trace &t) {
    std::int64_t ns = 0;
    const auto add = [&](EventKind kind, std::uint8_t actor, std::int32_t sock,
                         std::uint16_t line = 0) -> Event & {
        static Event e;
        e = Event();
        e.tNs = ns += 1000;
        e.kind = kind;
        e.actor = actor;
        e.sock = sock;
        e.line = line;
        return e;
    };
    const std::int32_t ids[] = {2147483647, 100000000, 0};
    const std::uint8_t actors[] = {0, 0xfe};
    for (std::uint8_t a : actors) {
        Event &e = add(EventKind::ActorNew, a, -1);
        e.text.a = t.intern(a ? QStringLiteral("hostile") : QStringLiteral("client"));
        t.append(e);
    }
    // A megabyte-long actor name, socket name and call text (measured for every paint,
    // they froze the window).
    const QString huge(1 << 20, u'N');
    Event &big = add(EventKind::ActorNew, 1, -1);
    big.text.a = t.intern(huge);
    t.append(big);
    Event &bigSock = add(EventKind::SocketNew, 1, 7);
    bigSock.socket.name = t.intern(huge);
    bigSock.socket.peerSock = -1;
    t.append(bigSock);
    Event &bigCall = add(EventKind::CallBegin, 1, 7, 2);
    bigCall.call.call = std::uint16_t(script::CallId::Connect);
    bigCall.call.args = t.intern(huge);
    t.append(bigCall);
    for (std::int32_t id : ids) {
        for (std::uint8_t a : actors) {
            const std::uint16_t line = a ? 65535 : 1;
            Event &b = add(EventKind::CallBegin, a, -1, line);
            b.call.call = std::uint16_t(script::CallId::Socket);
            t.append(b);
            Event &n = add(EventKind::SocketNew, a, id, line);
            n.socket.fd = id == 0 ? 3 : 2147483647;
            n.socket.domain = 2;
            n.socket.type = 1;
            n.socket.name = t.intern(QStringLiteral("s%1").arg(id));
            n.socket.peerSock = -1;
            t.append(n);
            Event &i = add(EventKind::SocketInfo, a, id, line);
            i.socket.local = t.intern(QStringLiteral("127.0.0.1:1"));
            i.socket.peer = t.intern(QStringLiteral("127.0.0.1:2"));
            i.socket.peerSock = id == 0 ? 2147483647 : 100000000; // peers, and itself
            t.append(i);
            Event &s = add(EventKind::Sample, a, id, line);
            s.sample.state = 1;
            s.sample.readiness = 0xff;
            s.sample.fd = 2147483647;
            s.sample.sndbuf = s.sample.rcvbuf = 2147483647;
            s.sample.sendQ = s.sample.recvQ = s.sample.unsent = 2147483647;
            s.sample.acceptQ = s.sample.backlog = -2147483647 - 1;
            t.append(s);
            Event &c = add(EventKind::StateChange, a, id, line);
            c.state.from = 200;
            c.state.to = 255;
            t.append(c);
            Event &e = add(EventKind::CallEnd, a, id, line);
            e.call.call = std::uint16_t(script::CallId::Socket);
            e.call.ret = id;
            e.call.moved = e.call.asked = std::numeric_limits<std::int64_t>::max();
            e.call.flags = 0xff;
            t.append(e);
        }
    }
    // select() naming sockets that never existed, ids past int, negative ones.
    for (std::uint8_t a : actors) {
        Event &b = add(EventKind::CallBegin, a, -1, 65535);
        b.call.call = std::uint16_t(script::CallId::Select);
        t.append(b);
        Event &in = add(EventKind::SelectIn, a, -1, 65535);
        for (auto &set : in.select.sets)
            set = t.intern(QStringLiteral("2147483647,100000000,99999999999,-5,0"));
        in.select.timeoutNs = -1;
        t.append(in);
        Event &e = add(EventKind::CallEnd, a, -1, 65535);
        e.call.call = std::uint16_t(script::CallId::Select);
        e.call.durNs = std::numeric_limits<std::int64_t>::min();
        t.append(e);
        Event &out = add(EventKind::SelectOut, a, -1, 65535);
        out.select.sets[0] = t.intern(QStringLiteral("2147483647,100000000"));
        t.append(out);
    }
    // Calls and states nothing knows; a wire's relay on a huge socket; closes.
    for (std::uint8_t a : actors) {
        Event &st = add(EventKind::ActorStatus, a, -1, 65535);
        st.status.status = 200;
        st.status.call = 65535;
        t.append(st);
        for (auto id : {script::CallId::Wire, script::CallId::Recv, script::CallId::Send}) {
            Event &b = add(EventKind::CallBegin, a, 2147483647, 65535);
            b.call.call = std::uint16_t(id);
            t.append(b);
            Event &e = add(EventKind::CallEnd, a, 2147483647, 65535);
            e.call.call = std::uint16_t(id);
            e.call.moved = std::numeric_limits<std::int64_t>::max();
            e.call.err = 32767;
            t.append(e);
        }
        Event &b = add(EventKind::CallBegin, a, 100000000, 65535);
        b.call.call = 65535;
        t.append(b);
        Event &e = add(EventKind::CallEnd, a, 100000000, 65535);
        e.call.call = 65535;
        e.call.err = -32768;
        t.append(e);
    }
    Event &k = add(EventKind::SocketNew, trace::NoActor, 2147483646);
    k.socket.kernelOnly = 1;
    t.append(k);
    t.append(add(EventKind::SocketClose, trace::NoActor, 2147483646));
    t.append(add(EventKind::SocketClose, 0, 100000000));
    Event &x = add(EventKind::Expect, 0xfe, -1, 65535);
    x.expect.passed = 0;
    t.append(x);
}

void TstHostileTrace::hugeIdsInEveryView() {
    trace::Trace t;
    build(t);
    const double rssBefore = rssMiB();
    QElapsedTimer took;
    took.start();

    engine::Lab lab; // the feed's lab: nothing runs in it
    ui::TraceFeed feed(&lab);
    ui::TimeCursor cursor;
    ui::SequenceModel seq(&t);
    seq.setTimeCursor(&cursor);
    ui::SelectModel select(&cursor);
    ui::KernelModel kernel(&cursor);
    ui::TraceTableModel table(&cursor);
    QAbstractItemModelTester testers[] = {
        QAbstractItemModelTester(&seq, QAbstractItemModelTester::FailureReportingMode::QtTest),
        QAbstractItemModelTester(&select, QAbstractItemModelTester::FailureReportingMode::QtTest),
        QAbstractItemModelTester(&kernel, QAbstractItemModelTester::FailureReportingMode::QtTest),
        QAbstractItemModelTester(&table, QAbstractItemModelTester::FailureReportingMode::QtTest)};
    Q_UNUSED(testers);

    QWidget window;
    auto *layout = new QGridLayout(&window);
    auto *stage = new ui::StageView(&feed);
    stage->setTimeCursor(&cursor);
    auto *inspector = new ui::Inspector(&cursor);
    auto *timeline = new ui::Timeline(&cursor);
    auto *seqView = new QTableView;
    seqView->setModel(&seq);
    auto *selectView = new QTreeView;
    selectView->setModel(&select);
    auto *kernelView = new QTableView;
    kernelView->setModel(&kernel);
    auto *tableView = new QTableView;
    tableView->setModel(&table);
    layout->addWidget(stage, 0, 0, 1, 2);
    layout->addWidget(inspector, 1, 0);
    layout->addWidget(timeline, 1, 1);
    layout->addWidget(seqView, 2, 0);
    layout->addWidget(selectView, 2, 1);
    layout->addWidget(kernelView, 3, 0);
    layout->addWidget(tableView, 3, 1);
    window.resize(1400, 1000);
    window.show();

    cursor.setTrace(&t, true);
    cursor.setEnd(t.size());
    selectView->expandAll();
    // Every point of the trace, forwards and back, with every socket in the inspector.
    for (std::size_t pos = 0; pos <= t.size(); ++pos) {
        cursor.setPosition(pos);
        inspector->setSocket(pos % 2 ? 2147483647 : 100000000);
        QCoreApplication::processEvents();
    }
    for (std::size_t pos = t.size(); pos-- > 0;)
        cursor.setPosition(pos);
    cursor.setPosition(t.size());
    inspector->setSocket(2147483646);
    window.grab(); // paint every view
    for (int r = 0; r < table.rowCount(); ++r)
        for (int c = 0; c < table.columnCount(); ++c)
            QVERIFY(table.data(table.index(r, c)).isValid() || c >= 0);

    // What the views show of it.
    QCOMPARE(seq.actorCount(), 0xfe + 1);
    QCOMPARE(select.socketName(2147483647), QStringLiteral("s2147483647"));
    QCOMPARE(select.socketName(100000001), QStringLiteral("#100000001"));
    QVERIFY(stage->state().socket(2147483647));
    QCOMPARE(stage->state().socket(2147483647)->peerSock, 100000000);
    QVERIFY(kernel.rowCount() >= 1);
    QCOMPARE(table.rowCount(), int(t.size()));
    QVERIFY(stage->state().actors.at(1).name.size() <= ui::MaxShownText);
    QVERIFY(stage->state().socket(7)->name.size() <= ui::MaxShownText);
    QVERIFY(seq.headerData(ui::SequenceModel::FirstActorColumn + 1, Qt::Horizontal, Qt::DisplayRole)
                .toString()
                .size() <= ui::MaxShownText);
    QCOMPARE(table.data(table.index(int(t.size()) - 1, ui::TraceTableModel::LineColumn)).toInt(),
             65535);

    const double grew = rssMiB() - rssBefore;
    qInfo("%zu hostile events shown in %.2f s; resident memory grew by %.1f MiB", t.size(),
          took.nsecsElapsed() / 1e9, grew);
    // Sized by an id, one array of 2^31 QStrings would be 48 GiB (abort), of 10^8, 2.4 GiB.
    QVERIFY2(grew < 200, qPrintable(QString::number(grew)));
}

QTEST_MAIN(TstHostileTrace)
#include "tst_hostiletrace.moc"
